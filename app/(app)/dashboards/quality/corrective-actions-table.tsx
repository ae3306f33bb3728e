"use client";

/**
 * The corrective actions with their recurrence before vs after, drawn in the browser from
 * compact rows: the table, its "show as table" view and its CSV come from one list, and the
 * before/after links are parts of one base (hrefs.ts), so each action crosses the wire once.
 */
import Link from "next/link";
import { ChartCard } from "@/app/_components/dashboard/chart-card";
import { formatNumber, formatPercent } from "@/app/_components/dashboard/format";
import { joinHref } from "@/app/_components/dashboard/hrefs";

/** A recurrence window: [complaints, per week, first day, last day, link part]. */
export type WindowTuple = [count: number, perWeek: number, from: string, to: string, part: string];

export interface ActionRowView {
  id: string;
  title: string;
  cause: string;
  owner: string | null;
  status: string;
  due: string | null;
  done: string | null;
  overdue?: true;
  /** N weeks, before, after, effectiveness, measurable — when the action is done. */
  recurrence?: [
    weeks: number,
    before: WindowTuple,
    after: WindowTuple,
    effectiveness: number | null,
    measurable: boolean,
  ];
}

const pct = (v: number | null) => (v == null ? "—" : formatPercent(v, 0));

function WindowLink({ w, weeks, base }: { w: WindowTuple; weeks: number; base: string }) {
  return (
    <Link
      href={joinHref(base, w[4])}
      className="underline decoration-dotted"
      title={`${w[0]} complaints, ${w[2]} to ${w[3]} (${weeks} weeks)`}
    >
      {formatNumber(w[1], 2)}
    </Link>
  );
}

export function CorrectiveActionsTable({
  rows,
  base,
  canManage,
  subtitle,
  actions,
}: {
  rows: ActionRowView[];
  base: string;
  /** Shows each action's "Edit" link. */
  canManage: boolean;
  subtitle: string;
  actions: React.ReactNode;
}) {
  const csvRows = rows.map((a) => {
    const r = a.recurrence;
    return {
      title: a.title,
      cause: a.cause,
      owner: a.owner ?? "",
      status: a.status,
      due: a.due ?? "",
      done: a.done ?? "",
      weeks: r?.[0] ?? null,
      beforePerWeek: r?.[1][1] ?? null,
      afterPerWeek: r?.[2][1] ?? null,
      effectiveness: r?.[3] ?? null,
      measurable: r ? (r[4] ? "yes" : "not yet") : "",
    };
  });
  return (
    <ChartCard
      title="Are our fixes working? Corrective actions and recurrence before vs after"
      subtitle={subtitle}
      testId="table-corrective-actions"
      columns={[
        { key: "title", label: "Action" },
        { key: "cause", label: "Root cause" },
        { key: "owner", label: "Owner" },
        { key: "status", label: "Status" },
        { key: "due", label: "Due" },
        { key: "done", label: "Done" },
        { key: "weeks", label: "N (weeks)" },
        { key: "beforePerWeek", label: "Before (per week)" },
        { key: "afterPerWeek", label: "After (per week)" },
        { key: "effectiveness", label: "Effectiveness", format: "percent" },
        { key: "measurable", label: "Measurable" },
      ]}
      rows={csvRows}
      csvName="corrective-actions"
      empty="No corrective actions yet. Add one below for a vital-few cause."
      actions={actions}
    >
      <div className="overflow-x-auto">
        {/* Cell styles once on the table, not on each of its cells. */}
        <table className="min-w-full text-sm [&_td]:py-1.5 [&_td]:pr-3 [&_td:nth-child(n+5)]:tabular-nums [&_td:nth-child(n+7)]:text-right [&_th]:py-1 [&_th]:pr-3 [&_th]:font-medium">
          <thead className="text-left text-xs text-slate-600">
            <tr>
              <th>Action</th>
              <th>Root cause</th>
              <th>Owner</th>
              <th>Status</th>
              <th>Due</th>
              <th>Done</th>
              <th className="text-right">Before / wk</th>
              <th className="text-right">After / wk</th>
              <th className="text-right">Effectiveness</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => {
              const r = a.recurrence;
              const eff = r?.[3] ?? null;
              return (
                <tr
                  key={a.id}
                  className="border-t border-slate-100 align-top"
                  data-testid="corrective-action-row"
                >
                  <td>
                    <span className="font-medium text-slate-900">{a.title}</span>
                    {canManage && (
                      <Link
                        href={`/dashboards/quality/corrective-actions/${a.id}`}
                        className="ml-2 text-xs text-brand-600 underline-offset-2 hover:underline"
                        aria-label={`Edit ${a.title}`}
                      >
                        Edit
                      </Link>
                    )}
                  </td>
                  <td>{a.cause}</td>
                  <td>{a.owner ?? <span className="text-slate-500">—</span>}</td>
                  <td>{a.status}</td>
                  <td className={a.overdue ? "font-semibold text-[#D55E00]" : undefined}>
                    {`${a.due ?? "—"}${a.overdue ? " (overdue)" : ""}`}
                  </td>
                  <td>{a.done ?? "—"}</td>
                  <td>{r ? <WindowLink w={r[1]} weeks={r[0]} base={base} /> : "—"}</td>
                  <td>{r ? <WindowLink w={r[2]} weeks={r[0]} base={base} /> : "—"}</td>
                  <td>
                    {r && !r[4] ? (
                      <span className="text-slate-500" title={`Measurable after ${r[2][3]}`}>
                        {`after ${r[2][3]}`}
                      </span>
                    ) : eff == null ? (
                      <span className="text-slate-500">—</span>
                    ) : (
                      <span
                        className={`font-semibold ${eff > 0 ? "text-[#009E73]" : "text-[#D55E00]"}`}
                      >
                        {`${eff > 0 ? "▼ " : "▲ "}${pct(eff)}`}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </ChartCard>
  );
}
