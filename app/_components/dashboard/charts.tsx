"use client";

/**
 * Generic chart panels over recharts. Every datum may carry an `href` (the complaints behind it):
 * clicking a bar, point or cell opens it. Colours come from the Okabe–Ito palette.
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

function useOpen() {
  const router = useRouter();
  return (href: unknown) => {
    if (typeof href === "string" && href) router.push(href);
  };
}

function indexOf(state: { activeTooltipIndex?: unknown } | null | undefined): number | null {
  const raw = state?.activeTooltipIndex;
  const i = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : NaN;
  return Number.isInteger(i) ? i : null;
}

export function BarChartPanel({
  data,
  xKey,
  bars,
  stacked,
  yFormat = "number",
  layout = "horizontal",
  height = 280,
  xLabel,
  yLabel,
}: {
  data: Datum[];
  xKey: string;
  bars: SeriesSpec[];
  stacked?: boolean;
  yFormat?: ValueFormat;
  /** "vertical" draws horizontal bars with categories down the side (long labels). */
  layout?: "horizontal" | "vertical";
  height?: number;
  xLabel?: string;
  yLabel?: string;
}) {
  const open = useOpen();
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
  data,
  xKey,
  lines,
  yFormat = "number",
  height = 280,
  yLabel,
}: {
  data: Datum[];
  xKey: string;
  lines: (SeriesSpec & { dashed?: boolean })[];
  yFormat?: ValueFormat;
  height?: number;
  yLabel?: string;
}) {
  const open = useOpen();
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
                    style={{ cursor: href ? "pointer" : "default" }}
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
}: {
  data: { label: string; value: number; cumulative: number; href: string; vital: boolean }[];
  valueLabel: string;
  valueFormat?: ValueFormat;
  height?: number;
}) {
  const open = useOpen();
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

/** A CSS grid heat map: darker = more; each cell links to its complaints. */
export function HeatMap({
  rows,
  columns,
  cells,
  valueFormat = "number",
}: {
  rows: { key: string; label: string }[];
  columns: { key: string; label: string }[];
  cells: { row: string; column: string; value: number; href: string }[];
  valueFormat?: ValueFormat;
}) {
  const byKey = new Map(cells.map((c) => [`${c.row}\u0000${c.column}`, c]));
  const max = Math.max(0, ...cells.map((c) => c.value));
  return (
    <div className="overflow-x-auto">
      <table className="border-separate border-spacing-0.5 text-xs">
        <thead>
          <tr>
            <th />
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className="px-1 py-1 text-left font-medium text-slate-700"
              >
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th
                scope="row"
                className="pr-2 text-left font-medium whitespace-nowrap text-slate-700"
              >
                {r.label}
              </th>
              {columns.map((c) => {
                const cell = byKey.get(`${r.key}\u0000${c.key}`);
                const share = cell && max > 0 ? cell.value / max : 0;
                // Blue (#0072B2) at increasing opacity; text turns white on dark cells.
                const background = `rgba(0, 114, 178, ${cell ? 0.08 + share * 0.92 : 0.03})`;
                const color = share > 0.55 ? "#fff" : "#0f172a";
                const label = cell ? formatValue(cell.value, valueFormat) : "0";
                return (
                  <td key={c.key} className="min-w-12 p-0 text-center tabular-nums">
                    {cell && cell.value > 0 ? (
                      <Link
                        href={cell.href}
                        className="block px-2 py-2"
                        style={{ background, color }}
                        title={`${r.label} × ${c.label}: ${label}`}
                      >
                        {label}
                      </Link>
                    ) : (
                      <span className="block px-2 py-2 text-slate-400" style={{ background }}>
                        0
                      </span>
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
}: {
  steps: { label: string; value: number; href: string }[];
}) {
  const first = steps[0]?.value ?? 0;
  return (
    <ol className="space-y-2">
      {steps.map((s, i) => {
        const ofFirst = first > 0 ? s.value / first : 0;
        const prev = i > 0 ? (steps[i - 1]?.value ?? null) : null;
        return (
          <li key={s.label}>
            <Link href={s.href} className="group block" title={`${s.label}: open these complaints`}>
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
