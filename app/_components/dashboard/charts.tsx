"use client";

/**
 * Generic chart panels over recharts. Every datum may carry an `href` (the complaints behind it):
 * clicking a bar, point or cell opens it. With `hrefBase`, the data carry only their link's part
 * (hrefs.ts): the panel's shared query crosses the wire once. Colours: the Okabe–Ito palette.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatPercent, formatValue, type ValueFormat } from "./format";
import { joinHref, linkOf } from "./hrefs";
import { unpackRows, type PackedRows } from "./series";
import { useMemo } from "react";
import { colors, seriesColor } from "./palette";

export type Datum = { [key: string]: string | number | null | undefined; href?: string };

export interface SeriesSpec {
  key: string;
  label: string;
  color?: string;
  /** The datum field holding this series' own drill-down (stacked bars); defaults to `href`. */
  hrefKey?: string;
}

const axisTick = { fontSize: 12, fill: "#334155" };

function useOpen(hrefBase: string | undefined, links?: readonly string[]) {
  const router = useRouter();
  return (part: unknown) => {
    const href = linkOf(hrefBase, part, links);
    if (href) router.push(href);
  };
}

function indexOf(state: { activeTooltipIndex?: unknown } | null | undefined): number | null {
  const raw = state?.activeTooltipIndex;
  const i = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : NaN;
  return Number.isInteger(i) ? i : null;
}

export function BarChartPanel({
  data: dataIn,
  xKey,
  bars,
  stacked,
  yFormat = "number",
  layout = "horizontal",
  height = 280,
  xLabel,
  yLabel,
  hrefBase,
  links,
}: {
  /** The data, or the same packed (series.ts packRows). */
  data: Datum[] | PackedRows<Datum>;
  xKey: string;
  bars: SeriesSpec[];
  stacked?: boolean;
  yFormat?: ValueFormat;
  /** "vertical" draws horizontal bars with categories down the side (long labels). */
  layout?: "horizontal" | "vertical";
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** The shared query the data's link parts add to (hrefs.ts). */
  hrefBase?: string;
  /** Link parts the data point to by index (shared with the table, sent once). */
  links?: readonly string[];
}) {
  const data = useMemo(() => unpackRows(dataIn), [dataIn]);
  const open = useOpen(hrefBase, links);
  const vertical = layout === "vertical";
  const fmt = (v: unknown) => formatValue(typeof v === "number" ? v : Number(v), yFormat);
  const chartHeight = vertical ? Math.max(height, data.length * 28 + 60) : height;
  return (
    <div style={{ width: "100%", height: chartHeight }}>
      <ResponsiveContainer>
        <BarChart
          data={data}
          layout={vertical ? "vertical" : "horizontal"}
          margin={{ top: 8, right: 16, bottom: xLabel ? 24 : 8, left: 8 }}
          style={{ cursor: "pointer" }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          {vertical ? (
            <>
              <XAxis type="number" tick={axisTick} tickFormatter={fmt} />
              <YAxis type="category" dataKey={xKey} tick={axisTick} width={150} interval={0} />
            </>
          ) : (
            <>
              <XAxis
                dataKey={xKey}
                tick={data.length > 8 ? { ...axisTick, fontSize: 11 } : axisTick}
                interval={data.length > 16 ? "preserveStartEnd" : 0}
                label={
                  xLabel
                    ? { value: xLabel, position: "insideBottom", offset: -16, fontSize: 12 }
                    : undefined
                }
              />
              <YAxis
                tick={axisTick}
                tickFormatter={fmt}
                width={64}
                label={
                  yLabel
                    ? { value: yLabel, angle: -90, position: "insideLeft", fontSize: 12 }
                    : undefined
                }
              />
            </>
          )}
          <Tooltip formatter={(v) => fmt(v)} />
          {bars.length > 1 && <Legend />}
          {bars.map((b, i) => (
            <Bar
              key={b.key}
              dataKey={b.key}
              name={b.label}
              fill={b.color ?? seriesColor(i)}
              stackId={stacked ? "stack" : undefined}
              isAnimationActive={false}
              onClick={(entry) => {
                const datum = (entry as { payload?: Datum }).payload;
                open(datum?.[b.hrefKey ?? "href"]);
              }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function LineChartPanel({
  data: dataIn,
  xKey,
  lines,
  yFormat = "number",
  height = 280,
  yLabel,
  hrefBase,
}: {
  /** The data, or the same packed (series.ts packRows). */
  data: Datum[] | PackedRows<Datum>;
  xKey: string;
  lines: (SeriesSpec & { dashed?: boolean })[];
  yFormat?: ValueFormat;
  height?: number;
  yLabel?: string;
  /** The shared query the data's link parts add to (hrefs.ts). */
  hrefBase?: string;
}) {
  const data = useMemo(() => unpackRows(dataIn), [dataIn]);
  const open = useOpen(hrefBase);
  const fmt = (v: unknown) => formatValue(typeof v === "number" ? v : Number(v), yFormat);
  return (
    <div style={{ width: "100%", height }}>
      <ResponsiveContainer>
        <LineChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
          style={{ cursor: "pointer" }}
          onClick={(state) => {
            const i = indexOf(state);
            if (i != null) open(data[i]?.href);
          }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey={xKey} tick={axisTick} />
          <YAxis
            tick={axisTick}
            tickFormatter={fmt}
            width={64}
            label={
              yLabel
                ? { value: yLabel, angle: -90, position: "insideLeft", fontSize: 12 }
                : undefined
            }
          />
          <Tooltip formatter={(v) => fmt(v)} />
          <Legend />
          {lines.map((l, i) => {
            const color = l.color ?? seriesColor(i);
            // Points are links: a visible dot plus a larger transparent hit area.
            const point = (radius: number) =>
              function LinkedDot(props: { cx?: number; cy?: number; index?: number }) {
                const { cx, cy, index } = props;
                if (cx == null || cy == null || index == null) return <g />;
                const href = data[index]?.[l.hrefKey ?? "href"];
                return (
                  <g
                    key={`${l.key}-${index}-${radius}`}
                    onClick={() => open(href)}
                    style={{ cursor: linkOf(hrefBase, href) ? "pointer" : "default" }}
                  >
                    <circle cx={cx} cy={cy} r={12} fill="transparent" />
                    <circle cx={cx} cy={cy} r={radius} fill="#fff" stroke={color} strokeWidth={2} />
                  </g>
                );
              };
            return (
              <Line
                key={l.key}
                type="monotone"
                dataKey={l.key}
                name={l.label}
                stroke={color}
                strokeWidth={2}
                strokeDasharray={l.dashed ? "6 4" : undefined}
                dot={point(3)}
                activeDot={point(6)}
                connectNulls
                isAnimationActive={false}
              />
            );
          })}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Bars per category (descending), the cumulative share on a right axis, the 80 % line marked. */
export function ParetoChart({
  data,
  valueLabel,
  valueFormat = "number",
  height = 320,
  hrefBase,
}: {
  data: { label: string; value: number; cumulative: number; href: string; vital: boolean }[];
  valueLabel: string;
  valueFormat?: ValueFormat;
  height?: number;
  /** The shared query the data's link parts add to (hrefs.ts). */
  hrefBase?: string;
}) {
  const open = useOpen(hrefBase);
  return (
    <div style={{ width: "100%", height }}>
      <ResponsiveContainer>
        <ComposedChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 48, left: 8 }}
          style={{ cursor: "pointer" }}
          onClick={(state) => {
            const i = indexOf(state);
            if (i != null) open(data[i]?.href);
          }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis
            dataKey="label"
            tick={{ ...axisTick, fontSize: 11 }}
            angle={-30}
            textAnchor="end"
            interval={0}
            height={60}
          />
          <YAxis
            yAxisId="value"
            tick={axisTick}
            tickFormatter={(v: number) => formatValue(v, valueFormat)}
            width={64}
          />
          <YAxis
            yAxisId="share"
            orientation="right"
            domain={[0, 1]}
            tick={axisTick}
            tickFormatter={(v: number) => formatPercent(v, 0)}
          />
          <Tooltip
            formatter={(v, name) =>
              name === "Cumulative share"
                ? formatPercent(Number(v))
                : formatValue(Number(v), valueFormat)
            }
          />
          <Legend />
          <Bar
            yAxisId="value"
            dataKey="value"
            name={valueLabel}
            isAnimationActive={false}
            onClick={(entry) => open((entry as { payload?: { href?: string } }).payload?.href)}
          >
            {data.map((d) => (
              <Cell key={d.label} fill={d.vital ? colors.bad : colors.primary} />
            ))}
          </Bar>
          <Line
            yAxisId="share"
            type="monotone"
            dataKey="cumulative"
            name="Cumulative share"
            stroke={colors.secondary}
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
          <ReferenceLine
            yAxisId="share"
            y={0.8}
            stroke={colors.neutral}
            strokeDasharray="4 4"
            label={{ value: "80 % — vital few", position: "insideTopRight", fontSize: 11 }}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * A heat map's data, compact (hrefs.ts): a cell's link is `base` + its row's part + its column's
 * part + its own (left out when it adds nothing).
 */
export interface HeatGrid {
  base: string;
  rows: [label: string, part: string][];
  columns: [label: string, part: string][];
  cells: [row: number, column: number, value: number, part?: string][];
}

/** The link of a heat-map cell. */
export function heatCellHref(grid: HeatGrid, cell: HeatGrid["cells"][number]): string {
  return joinHref(grid.base, grid.rows[cell[0]]?.[1], grid.columns[cell[1]]?.[1], cell[3]);
}

/** Blue (#0072B2) at an opacity, as a short hex colour. */
const blueAt = (alpha: number) =>
  `#0072b2${Math.round(Math.min(1, Math.max(0, alpha)) * 255)
    .toString(16)
    .padStart(2, "0")}`;

/**
 * A CSS grid heat map: darker = more; each cell links to its complaints. `rowLimit` draws the
 * first rows only (the caller offers the rest).
 */
export function HeatMap({
  grid,
  valueFormat = "number",
  rowLimit,
}: {
  grid: HeatGrid;
  valueFormat?: ValueFormat;
  rowLimit?: number;
}) {
  const byKey = new Map(grid.cells.map((c) => [`${c[0]}:${c[1]}`, c]));
  const max = Math.max(0, ...grid.cells.map((c) => c[2]));
  return (
    <div className="overflow-x-auto">
      {/* Cell styles once on the table, not on each of its cells. */}
      <table className="border-separate border-spacing-0.5 text-xs text-slate-900 [&_td]:min-w-12 [&_td]:p-0 [&_td]:text-center [&_td]:tabular-nums [&_td>*]:block [&_td>*]:px-2 [&_td>*]:py-2 [&_td>span]:bg-[#0072b208] [&_td>span]:text-slate-400">
        <thead>
          <tr>
            <th />
            {grid.columns.map(([label], j) => (
              <th key={j} scope="col" className="px-1 py-1 text-left font-medium text-slate-700">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.rows.slice(0, rowLimit).map(([rowLabel], i) => (
            <tr key={i}>
              <th
                scope="row"
                className="pr-2 text-left font-medium whitespace-nowrap text-slate-700"
              >
                {rowLabel}
              </th>
              {grid.columns.map(([columnLabel], j) => {
                const cell = byKey.get(`${i}:${j}`);
                const value = cell?.[2] ?? 0;
                const share = max > 0 ? value / max : 0;
                const label = formatValue(value, valueFormat);
                return (
                  <td key={j}>
                    {cell && value > 0 ? (
                      <Link
                        href={heatCellHref(grid, cell)}
                        // Darker = more; text turns white on dark cells.
                        style={{
                          background: blueAt(0.08 + share * 0.92),
                          color: share > 0.55 ? "#fff" : undefined,
                        }}
                        title={`${rowLabel} × ${columnLabel}: ${label}`}
                      >
                        {label}
                      </Link>
                    ) : (
                      <span>0</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A funnel as bars shrinking from the first step, each with its share of the first and of the previous step. */
export function FunnelChart({
  steps,
  hrefBase,
}: {
  steps: { label: string; value: number; href: string }[];
  /** The shared query the steps' link parts add to (hrefs.ts). */
  hrefBase?: string;
}) {
  const first = steps[0]?.value ?? 0;
  return (
    <ol className="space-y-2">
      {steps.map((s, i) => {
        const ofFirst = first > 0 ? s.value / first : 0;
        const prev = i > 0 ? (steps[i - 1]?.value ?? null) : null;
        return (
          <li key={s.label}>
            <Link
              href={linkOf(hrefBase, s.href) ?? s.href}
              className="group block"
              title={`${s.label}: open these complaints`}
            >
              <div className="flex justify-between text-sm">
                <span className="font-medium text-slate-800 group-hover:underline">{s.label}</span>
                <span className="tabular-nums text-slate-700">
                  {formatValue(s.value, "number")}{" "}
                  <span className="text-slate-500">
                    ({formatPercent(ofFirst, 0)} of first
                    {prev != null
                      ? `, ${formatPercent(prev > 0 ? s.value / prev : 0, 0)} of previous`
                      : ""}
                    )
                  </span>
                </span>
              </div>
              <div className="mt-1 h-6 rounded bg-slate-100">
                <div
                  className="h-6 rounded"
                  style={{
                    width: `${Math.max(ofFirst * 100, s.value > 0 ? 1 : 0)}%`,
                    background: seriesColor(i),
                  }}
                />
              </div>
            </Link>
          </li>
        );
      })}
    </ol>
  );
}
