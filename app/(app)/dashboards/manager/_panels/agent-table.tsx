"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { rowsToCsv } from "@/app/_components/dashboard/chart-card";
import { formatHours, formatNumber, formatPercent } from "@/app/_components/dashboard/format";

export interface AgentTableRow {
  ownerId: string;
  name: string;
  volume: number;
  volumeHref: string;
  resolved: number;
  medianResolutionHours: number | null;
  resolvedHref: string;
  slaRate: number | null;
  slaMet: number;
  slaCounted: number;
  slaHref: string;
  adherence: number | null;
  conversion: number | null;
  advocates: number;
  angryClosed: number;
  conversionHref: string;
}

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
export function AgentTable({ rows }: { rows: AgentTableRow[] }) {
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: "volume", desc: true });
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
          className="w-full text-left text-sm tabular-nums [&_a]:text-brand-700 [&_a]:underline [&_small]:text-xs [&_small]:text-slate-500 [&_td]:px-2 [&_td]:py-1.5"
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
            {sorted.map((r) => (
              <tr key={r.ownerId} className="border-b border-slate-100" data-testid="agent-row">
                <td className="font-medium text-slate-900">{r.name}</td>
                <td>
                  <Link href={r.volumeHref}>{formatNumber(r.volume)}</Link>
                </td>
                <td>
                  <Link href={r.resolvedHref}>{formatHours(r.medianResolutionHours)}</Link>{" "}
                  <small>({formatNumber(r.resolved)})</small>
                </td>
                <td>
                  <Link href={r.slaHref}>{formatPercent(r.slaRate, 0)}</Link>{" "}
                  <small>
                    ({r.slaMet}/{r.slaCounted})
                  </small>
                </td>
                <td>{formatPercent(r.adherence, 0)}</td>
                <td>
                  <Link href={r.conversionHref}>{formatPercent(r.conversion, 0)}</Link>{" "}
                  <small>
                    ({r.advocates}/{r.angryClosed})
                  </small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
