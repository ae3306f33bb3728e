"use client";

/**
 * The retention-by-recovery grid, drawn in the browser from the same cell objects as its table
 * view and CSV (the page's payload carries them once), each cell linking to its complaints.
 */
import Link from "next/link";
import { formatNumber, formatPercent } from "@/app/_components/dashboard/format";
import { joinHref } from "@/app/_components/dashboard/hrefs";

export type RecoveryCell = {
  group: string;
  bucket: string;
  severity: string;
  recovery: string;
  retained: number | null;
  kept: number;
  complaints: number;
  /** The link's part of the grid's base (hrefs.ts). */
  href: string;
};

const classic: Record<string, number> = {
  "fast.minor": 0.95,
  "slow.minor": 0.7,
  "unresolved.minor": 0.46,
  "fast.major": 0.82,
  "slow.major": 0.54,
  "unresolved.major": 0.19,
};

export function RecoveryGrid({
  cells,
  base,
  groups,
  buckets,
}: {
  cells: RecoveryCell[];
  base: string;
  groups: { key: string; label: string }[];
  buckets: { key: string; label: string }[];
}) {
  return (
    <table className="w-full text-sm">
      <thead>
        <tr>
          <th />
          {buckets.map((b) => (
            <th key={b.key} scope="col" className="px-2 py-1 text-left font-medium text-slate-700">
              {b.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.key}>
            <th scope="row" className="pr-2 text-left font-medium text-slate-700">
              {g.label}
            </th>
            {buckets.map((b) => {
              const c = cells.find((x) => x.group === g.key && x.bucket === b.key);
              if (!c) return <td key={b.key} />;
              const share = c.retained ?? 0;
              return (
                <td key={b.key} className="p-0.5">
                  <Link
                    href={joinHref(base, c.href)}
                    className="block rounded px-2 py-2 hover:ring-2 hover:ring-slate-400"
                    style={{
                      background: `rgba(0, 158, 115, ${c.complaints ? 0.1 + share * 0.7 : 0.03})`,
                      color: share > 0.6 ? "#fff" : "#0f172a",
                    }}
                    data-testid={`cell-${b.key}-${g.key}`}
                    title={`${g.label}, ${b.label}: ${c.kept} of ${c.complaints} retained — open these complaints`}
                  >
                    <span className="text-lg font-semibold tabular-nums">
                      {formatPercent(c.retained, 0)}
                    </span>
                    <span className="block text-xs opacity-80">
                      {`${formatNumber(c.kept)} / ${formatNumber(c.complaints)} · benchmark ${formatPercent(classic[`${b.key}.${g.key}`] ?? null, 0)}`}
                    </span>
                  </Link>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
