"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { rowsToCsv } from "@/app/_components/dashboard/chart-card";
import { formatHours, formatNumber, formatPercent } from "@/app/_components/dashboard/format";
import { joinHref } from "@/app/_components/dashboard/hrefs";
import { ownerPart, type AgentLink, type AgentTableLinks, type AgentTuple } from "./agent-links";

export interface AgentTableRow {
  ownerId: string;
  name: string;
  volume: number;
  resolved: number;
  medianResolutionHours: number | null;
  slaRate: number | null;
  slaMet: number;
  slaCounted: number;
  adherence: number | null;
  conversion: number | null;
  advocates: number;
  angryClosed: number;
  /** A row's own link parts, where the column's shared part does not rebuild its link. */
  links?: Partial<Record<AgentLink, string>>;
}

function fromTuple(t: AgentTuple): AgentTableRow {
  const [ownerId, name, volume, resolved, medianResolutionHours, slaRate, slaMet, slaCounted] = t;
  const [, , , , , , , , adherence, conversion, advocates, angryClosed, links] = t;
  return {
    ownerId,
    name,
    volume,
    resolved,
    medianResolutionHours,
    slaRate,
    slaMet,
    slaCounted,
    adherence,
    conversion,
    advocates,
    angryClosed,
    ...(links ? { links } : {}),
  };
}

/** Rows drawn before "show all" (in the current sort order). */
const FIRST_ROWS = 10;

type Key = "name" | "volume" | "medianResolutionHours" | "slaRate" | "adherence" | "conversion";

const columns: { key: Key; label: string; hint: string }[] = [
  { key: "name", label: "Owner", hint: "" },
  { key: "volume", label: "Volume", hint: "received in the period" },
  { key: "medianResolutionHours", label: "Median resolution", hint: "resolved in the period" },
  { key: "slaRate", label: "SLA met", hint: "resolved in the period" },
  { key: "adherence", label: "Adherence", hint: "required steps done" },
  { key: "conversion", label: "Angry → advocate", hint: "angry closed in the period" },
];

/** The per-agent table, sortable by any column (nulls last), each figure linking to its complaints. */
export function AgentTable({ data, links }: { data: AgentTuple[]; links: AgentTableLinks }) {
  const rows = useMemo(() => data.map(fromTuple), [data]);
  const href = (r: AgentTableRow, key: AgentLink) =>
    joinHref(links.base, ownerPart(r.ownerId), r.links?.[key] ?? links.columns[key]);
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: "volume", desc: true });
  const [all, setAll] = useState(false);
  const sorted = useMemo(() => {
    const out = [...rows];
    out.sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      if (x == null && y == null) return 0;
      if (x == null) return 1;
      if (y == null) return -1;
      const c = typeof x === "string" ? x.localeCompare(String(y)) : x - Number(y);
      return sort.desc ? -c : c;
    });
    return out;
  }, [rows, sort]);

  function download() {
    const csv = rowsToCsv(
      [
        { key: "name", label: "Owner" },
        { key: "volume", label: "Volume" },
        { key: "resolved", label: "Resolved" },
        { key: "medianResolutionHours", label: "Median resolution (h)" },
        { key: "slaRate", label: "SLA met (0-1)" },
        { key: "adherence", label: "Adherence (0-1)" },
        { key: "angryClosed", label: "Angry closed" },
        { key: "advocates", label: "Advocates" },
        { key: "conversion", label: "Conversion (0-1)" },
      ],
      sorted as unknown as Record<string, unknown>[],
    );
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "per-agent.csv";
    a.click();
    URL.revokeObjectURL(url);
  }

  if (!rows.length)
    return (
      <p className="rounded border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600">
        No complaints in this period with these filters, so no one has figures yet.
      </p>
    );

  return (
    <div>
      <div className="mb-2 flex justify-end">
        <button
          type="button"
          onClick={download}
          className="rounded border border-slate-300 px-2 py-1 text-xs text-slate-700 hover:bg-slate-50"
          data-testid="agent-table-csv"
        >
          Download CSV
        </button>
      </div>
      <div className="overflow-x-auto">
        {/* Cell styles once on the table, not on each of its cells. */}
        <table
          className="w-full text-left text-sm tabular-nums [&_a]:text-brand-700 [&_a]:underline [&_small]:text-xs [&_small]:text-slate-500 [&_tbody_tr]:border-b [&_tbody_tr]:border-slate-100 [&_td]:px-2 [&_td]:py-1.5 [&_td:first-child]:font-medium [&_td:first-child]:text-slate-900"
          data-testid="agent-table"
        >
          <thead>
            <tr className="border-b border-slate-200">
              {columns.map((c) => {
                const active = sort.key === c.key;
                return (
                  <th
                    key={c.key}
                    scope="col"
                    className="px-2 py-1 align-bottom font-medium text-slate-700"
                    aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"}
                  >
                    <button
                      type="button"
                      className="text-left hover:underline"
                      onClick={() =>
                        setSort((s) => ({
                          key: c.key,
                          desc: s.key === c.key ? !s.desc : c.key !== "name",
                        }))
                      }
                      data-testid={`agent-sort-${c.key}`}
                    >
                      {c.label} {active ? (sort.desc ? "▼" : "▲") : ""}
                      {c.hint && (
                        <span className="block text-xs font-normal text-slate-500">{c.hint}</span>
                      )}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {(all ? sorted : sorted.slice(0, FIRST_ROWS)).map((r) => (
              <tr key={r.ownerId} data-testid="agent-row">
                <td>{r.name}</td>
                <td>
                  <Link href={href(r, "volumeHref")}>{formatNumber(r.volume)}</Link>
                </td>
                <td>
                  <Link href={href(r, "resolvedHref")}>{formatHours(r.medianResolutionHours)}</Link>{" "}
                  <small>{`(${formatNumber(r.resolved)})`}</small>
                </td>
                <td>
                  <Link href={href(r, "slaHref")}>{formatPercent(r.slaRate, 0)}</Link>{" "}
                  <small>{`(${r.slaMet}/${r.slaCounted})`}</small>
                </td>
                <td>{formatPercent(r.adherence, 0)}</td>
                <td>
                  <Link href={href(r, "conversionHref")}>{formatPercent(r.conversion, 0)}</Link>{" "}
                  <small>{`(${r.advocates}/${r.angryClosed})`}</small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > FIRST_ROWS && (
        <button
          type="button"
          onClick={() => setAll((v) => !v)}
          aria-expanded={all}
          className="mt-2 rounded border border-slate-300 px-2 py-1 text-xs text-slate-700 hover:bg-slate-50"
          data-testid="agent-table-more"
        >
          {all ? `Show the first ${FIRST_ROWS} only` : `Show all ${rows.length} agents`}
        </button>
      )}
    </div>
  );
}
