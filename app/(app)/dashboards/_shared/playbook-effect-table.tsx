"use client";

/**
 * The "does the playbook work?" table, rendered in the browser from compact rows: each cell is a
 * tuple and its link a part of one shared base (hrefs.ts), so the rows cross the wire once and
 * small. The playbook's own steps show first; the other practices are one click away.
 */
import Link from "next/link";
import { useState } from "react";
import { ChartCard, type ChartRow } from "@/app/_components/dashboard/chart-card";
import { formatPercent } from "@/app/_components/dashboard/format";
import { joinHref } from "@/app/_components/dashboard/hrefs";
import { useInBrowser } from "@/app/_components/dashboard/use-in-browser";
import { fillTemplate } from "@/app/_components/dashboard/series";
import { colors } from "@/app/_components/dashboard/palette";

/**
 * One rate: [successes k, of n, rate, 95 % Wilson low, high, link part]; [0, 0] when n = 0; the
 * link part left out when the group's template with the row's key gives it.
 */
export type EffectCellTuple =
  | [k: number, n: number]
  | [k: number, n: number, rate: number | null, low: number | null, high: number | null]
  | [
      k: number,
      n: number,
      rate: number | null,
      low: number | null,
      high: number | null,
      part: string,
    ];

/** Conversion with, without; 90-day retention with, without. */
type Cells = EffectCellTuple[];

export interface EffectData {
  /** The query every cell's link part adds to. */
  base: string;
  /** Group names (playbook step, remedy kind, …), in order. */
  groups: string[];
  /** Per group, per cell: the link part with "%s" where the row's key goes. */
  templates: string[][];
  /** [index into groups, practice, cells, the practice's key in its links]. */
  rows: [group: number, label: string, cells: Cells, key: string][];
}

interface CellView {
  k: number;
  n: number;
  rate: number | null;
  low: number | null;
  high: number | null;
  href?: string;
}

function viewOf(t: EffectCellTuple | undefined, base: string, template?: string): CellView {
  const [k = 0, n = 0, rate = null, low = null, high = null, own] = t ?? [];
  const part = t && t.length > 2 ? (own ?? template) : undefined;
  return { k, n, rate, low, high, href: part ? joinHref(base, part) : undefined };
}

function Cell({ cell }: { cell: CellView }) {
  // The figure at once; its drill-down link once the page runs in the browser (the links of
  // every cell would otherwise be sent twice: in the payload and as markup).
  const linked = useInBrowser();
  if (cell.n === 0 || !cell.href) return <span>—</span>;
  const figure = (
    <>
      <b>{formatPercent(cell.rate, 0)}</b>{" "}
      <small>{`[${formatPercent(cell.low, 0)}–${formatPercent(cell.high, 0)}] n=${cell.n}`}</small>
    </>
  );
  if (!linked) return <span>{figure}</span>;
  return (
    <Link href={cell.href} title={`${cell.k} of ${cell.n} complaints — open them`}>
      {figure}
    </Link>
  );
}

/** With and without differ beyond noise only when their 95 % intervals do not overlap. */
function verdict(a: CellView, b: CellView): "higher" | "lower" | "unclear" {
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
const measures = [
  ["conv", "Conversion"],
  ["ret", "Retention 90 d"],
] as const;
const sides = ["With", "Without"] as const;
const csvColumns = [
  { key: "group", label: "Group" },
  { key: "factor", label: "Practice" },
  ...measures.flatMap(([m, name]) =>
    sides.flatMap((w) => [
      { key: `${m}${w}`, label: `${name} ${w.toLowerCase()}`, format: p },
      { key: `${m}${w}Low`, label: "low", format: p },
      { key: `${m}${w}High`, label: "high", format: p },
      { key: `${m}${w}N`, label: "n" },
    ]),
  ),
];

function csvRow(group: string, label: string, cells: CellView[]): ChartRow {
  const row: ChartRow = { group, factor: label, href: cells[0]?.href };
  measures.forEach(([m], i) =>
    sides.forEach((w, j) => {
      const c = cells[i * 2 + j]!;
      row[`${m}${w}`] = c.rate;
      row[`${m}${w}Low`] = c.low;
      row[`${m}${w}High`] = c.high;
      row[`${m}${w}N`] = c.n;
    }),
  );
  return row;
}

export function PlaybookEffectTable({ data }: { data: EffectData }) {
  const [all, setAll] = useState(false);
  const rows = data.rows.map(([g, label, cells, key]) => ({
    group: data.groups[g] ?? "",
    label,
    cells: [0, 1, 2, 3].map((i) =>
      viewOf(cells[i], data.base, fillTemplate(data.templates[g]?.[i], key)),
    ),
  }));
  // The playbook's own steps (the first group) first; the rest on "show more".
  const firstGroup = rows.filter((r) => r.group === rows[0]?.group).length;
  const shown = all ? rows : rows.slice(0, firstGroup);
  const hiddenGroups = data.groups.slice(1).join(", ").toLowerCase();
  return (
    <ChartCard
      title="Does the playbook work?"
      subtitle="Angry → advocate conversion (angry complaints closed in the range) and 90-day retention (complaints received, 90 days passed), with and without each practice · [95 % Wilson interval] n = complaints · a difference counts only when the intervals do not overlap"
      testId="chart-playbook-effect"
      columns={csvColumns}
      rows={rows.map((r) => csvRow(r.group, r.label, r.cells))}
      csvName="does-the-playbook-work"
      empty="No complaints in this range to compare."
    >
      <div className="overflow-x-auto">
        {/* Cell styles once on the table, not on each of its ~200 cells. */}
        <table
          className="w-full text-sm tabular-nums [&_a]:block [&_a:hover]:underline [&_b]:font-medium [&_small]:text-xs [&_small]:text-slate-500 [&_td]:px-2 [&_td>span]:text-slate-400 [&_th]:px-2"
          data-testid="playbook-effect-table"
        >
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
            {shown.map((r, i) => {
              const [cw, co, rw, ro] = r.cells as [CellView, CellView, CellView, CellView];
              const cv = verdictText[verdict(cw, co)];
              const rv = verdictText[verdict(rw, ro)];
              const newGroup = i === 0 || shown[i - 1]!.group !== r.group;
              return (
                <tr
                  key={`${r.group}\u0000${r.label}`}
                  className={newGroup ? "border-t border-slate-300" : "border-t border-slate-100"}
                  data-testid="playbook-effect-row"
                >
                  <th scope="row" className="!pl-0 py-1 text-left font-normal">
                    <span className="block text-xs text-slate-500">{newGroup ? r.group : ""}</span>
                    {r.label}
                  </th>
                  <td>
                    <Cell cell={cw} />
                  </td>
                  <td>
                    <Cell cell={co} />
                  </td>
                  <td className="text-xs whitespace-nowrap" style={{ color: cv.color }}>
                    {cv.text}
                  </td>
                  <td>
                    <Cell cell={rw} />
                  </td>
                  <td>
                    <Cell cell={ro} />
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
      {rows.length > firstGroup && (
        <button
          type="button"
          onClick={() => setAll((v) => !v)}
          aria-expanded={all}
          className="mt-2 rounded border border-slate-300 px-2 py-1 text-xs text-slate-700 hover:bg-slate-50"
          data-testid="playbook-effect-more"
        >
          {all
            ? "Show fewer practices"
            : `Show ${rows.length - firstGroup} more practices (${hiddenGroups})`}
        </button>
      )}
    </ChartCard>
  );
}
