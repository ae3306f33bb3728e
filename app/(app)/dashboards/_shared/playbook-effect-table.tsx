"use client";

/**
 * The "does the playbook work?" table, rendered in the browser from compact rows: the rows
 * cross the wire once (not once as markup and again as CSV rows), which keeps the dashboards
 * that carry it small.
 */
import Link from "next/link";
import { ChartCard } from "@/app/_components/dashboard/chart-card";
import { formatPercent } from "@/app/_components/dashboard/format";
import { colors } from "@/app/_components/dashboard/palette";

/** One rate: successes k of n, its 95 % Wilson interval, and the complaints behind it. */
export interface EffectCellView {
  k: number;
  n: number;
  rate: number | null;
  low: number | null;
  high: number | null;
  href: string;
}

export interface EffectRowView {
  group: string;
  key: string;
  label: string;
  conversion: { with: EffectCellView; without: EffectCellView };
  retention90: { with: EffectCellView; without: EffectCellView };
}

function Cell({ cell, testId }: { cell: EffectCellView; testId: string }) {
  if (cell.n === 0) return <span className="text-slate-400">—</span>;
  return (
    <Link
      href={cell.href}
      data-testid={testId}
      title={`${cell.k} of ${cell.n} complaints — open them`}
    >
      <b className="font-medium">{formatPercent(cell.rate, 0)}</b>{" "}
      <small className="text-xs text-slate-500">
        [{formatPercent(cell.low, 0)}–{formatPercent(cell.high, 0)}] n={cell.n}
      </small>
    </Link>
  );
}

/** With and without differ beyond noise only when their 95 % intervals do not overlap. */
function verdict(a: EffectCellView, b: EffectCellView): "higher" | "lower" | "unclear" {
  if (a.low == null || a.high == null || b.low == null || b.high == null) return "unclear";
  if (a.low > b.high) return "higher";
  if (a.high < b.low) return "lower";
  return "unclear";
}

const verdictText = {
  higher: { text: "▲ higher", color: colors.good },
  lower: { text: "▼ lower", color: colors.bad },
  unclear: { text: "overlap", color: colors.neutral },
};

const p = "percent" as const;
const csvColumns = [
  { key: "group", label: "Group" },
  { key: "factor", label: "Practice" },
  ...(["conv", "ret"] as const).flatMap((m) =>
    (["With", "Without"] as const).flatMap((w) => {
      const name = `${m === "conv" ? "Conversion" : "Retention 90 d"} ${w.toLowerCase()}`;
      return [
        { key: `${m}${w}`, label: name, format: p },
        { key: `${m}${w}Low`, label: "low", format: p },
        { key: `${m}${w}High`, label: "high", format: p },
        { key: `${m}${w}N`, label: "n" },
      ];
    }),
  ),
];

function csvRow(r: EffectRowView) {
  const row: Record<string, unknown> = { group: r.group, factor: r.label };
  for (const [m, pair] of [
    ["conv", r.conversion],
    ["ret", r.retention90],
  ] as const) {
    for (const [w, c] of [
      ["With", pair.with],
      ["Without", pair.without],
    ] as const) {
      row[`${m}${w}`] = c.rate;
      row[`${m}${w}Low`] = c.low;
      row[`${m}${w}High`] = c.high;
      row[`${m}${w}N`] = c.n;
    }
  }
  return { ...row, href: r.conversion.with.href };
}

export function PlaybookEffectTable({ rows }: { rows: EffectRowView[] }) {
  return (
    <ChartCard
      title="Does the playbook work?"
      subtitle="Angry → advocate conversion (angry complaints closed in the range) and 90-day retention (complaints received, 90 days passed), with and without each practice · [95 % Wilson interval] n = complaints · a difference counts only when the intervals do not overlap"
      testId="chart-playbook-effect"
      columns={csvColumns}
      rows={rows.map(csvRow)}
      csvName="does-the-playbook-work"
      empty="No complaints in this range to compare."
    >
      <div className="overflow-x-auto">
        {/* Cell styles once on the table, not on each of its ~200 cells. */}
        <table className="w-full text-sm tabular-nums [&_a]:block [&_a:hover]:underline [&_td]:px-2 [&_th]:px-2">
          <thead className="text-left text-xs text-slate-600">
            <tr>
              <th className="!pl-0">Practice</th>
              <th>Conversion with</th>
              <th>without</th>
              <th />
              <th>90-day retention with</th>
              <th>without</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const cv = verdictText[verdict(r.conversion.with, r.conversion.without)];
              const rv = verdictText[verdict(r.retention90.with, r.retention90.without)];
              const newGroup = i === 0 || rows[i - 1]!.group !== r.group;
              return (
                <tr
                  key={r.key}
                  className={newGroup ? "border-t border-slate-300" : "border-t border-slate-100"}
                >
                  <th scope="row" className="!pl-0 py-1 text-left font-normal">
                    <span className="block text-xs text-slate-500">{newGroup ? r.group : ""}</span>
                    {r.label}
                  </th>
                  <td>
                    <Cell cell={r.conversion.with} testId={`effect-${r.key}-conv-with`} />
                  </td>
                  <td>
                    <Cell cell={r.conversion.without} testId={`effect-${r.key}-conv-without`} />
                  </td>
                  <td className="text-xs whitespace-nowrap" style={{ color: cv.color }}>
                    {cv.text}
                  </td>
                  <td>
                    <Cell cell={r.retention90.with} testId={`effect-${r.key}-ret-with`} />
                  </td>
                  <td>
                    <Cell cell={r.retention90.without} testId={`effect-${r.key}-ret-without`} />
                  </td>
                  <td className="text-xs whitespace-nowrap" style={{ color: rv.color }}>
                    {rv.text}
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
