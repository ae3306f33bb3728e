import Link from "next/link";
import { cache } from "react";
import {
  MAX_HEAT_COLUMNS,
  MAX_MONTHS,
  MAX_ROWS,
  firstOf,
  lastNote,
  lastOf,
  topNote,
} from "@/app/_components/dashboard/caps";
import { ChartCard } from "@/app/_components/dashboard/chart-card";
import { BarChartPanel, ParetoChart, type HeatGrid } from "@/app/_components/dashboard/charts";
import { commonBase, packGrid, packHrefs, splitHref } from "@/app/_components/dashboard/hrefs";
import { formatMoney, formatNumber, formatPercent } from "@/app/_components/dashboard/format";
import { MetricTile } from "@/app/_components/dashboard/metric-tile";
import { seriesColor } from "@/app/_components/dashboard/palette";
import { actorCan } from "@/lib/permissions";
import { requirePermission } from "@/lib/auth/guard";
import { dashboardSearchParams, type DashboardFilters } from "@/lib/metrics/filters";
import {
  correctiveActionsReport as correctiveActionsReportUncached,
  repeatComplaints as repeatComplaintsUncached,
  rootCauseHeatMap,
  rootCausePareto as rootCauseParetoUncached,
  rootCauseTrend,
  type HeatMapAxis,
  type ParetoBasis,
} from "@/lib/metrics/root-causes";
import { correctiveActionStatusLabel as statusLabel } from "@/lib/corrective-actions/validation";
import {
  CorrectiveActionsTable,
  type ActionRowView,
  type WindowTuple,
} from "./corrective-actions-table";
import { HeatMapCard } from "./heat-map-card";
import { TrendCard, type TrendGrid } from "./trend-card";

// The headline tiles and the panels below share figures: compute each once per request
// (React's cache keys on the same filters object and arguments).
const rootCausePareto = cache(rootCauseParetoUncached);
const correctiveActionsReport = cache((f: DashboardFilters) => correctiveActionsReportUncached(f));
const repeatComplaints = cache(repeatComplaintsUncached);

export interface QualityView {
  pareto: ParetoBasis;
  heat: HeatMapAxis;
}

/** The page URL with the filters and the view toggles (Pareto basis, heat-map axis). */
function viewHref(f: DashboardFilters, view: QualityView): string {
  const params = dashboardSearchParams(f);
  if (view.pareto !== "count") params.set("pareto", view.pareto);
  if (view.heat !== "product") params.set("heat", view.heat);
  const q = params.toString();
  return `/dashboards/quality${q ? `?${q}` : ""}`;
}

function Toggle<T extends string>({
  label,
  options,
  current,
  href,
  testId,
}: {
  label: string;
  options: { value: T; label: string }[];
  current: T;
  href: (value: T) => string;
  testId: string;
}) {
  return (
    <div
      role="group"
      aria-label={label}
      className="flex overflow-hidden rounded border border-slate-300"
      data-testid={testId}
    >
      {options.map((o) => (
        <Link
          key={o.value}
          href={href(o.value)}
          scroll={false}
          aria-current={o.value === current ? "true" : undefined}
          className={`px-2 py-1 ${o.value === current ? "bg-slate-800 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`}
        >
          {o.label}
        </Link>
      ))}
    </div>
  );
}

const rangeText = (f: DashboardFilters) => `${f.current.from} to ${f.current.to}`;

// ---------------------------------------------------------------- headline tiles

/** The answer at a glance: how few causes make 80 %, whether fixes work, repeats. */
export async function HeadlinePanel({ f }: { f: DashboardFilters }) {
  const [pareto, previous, actions, repeats] = await Promise.all([
    rootCausePareto(f, "count"),
    rootCausePareto({ ...f, current: f.previous }, "count"),
    correctiveActionsReport(f),
    repeatComplaints(f),
  ]);
  const vital = pareto.bars.filter((b) => b.vital);
  const vitalShare = vital.at(-1)?.cumulative ?? null;
  const top = pareto.bars[0];
  const overdue = actions.actions.filter((a) => a.overdue).length;
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <MetricTile
        label={`Vital few: causes behind ${formatPercent(vitalShare, 0)} of complaints`}
        value={vital.length}
        previous={previous.bars.filter((b) => b.vital).length}
        better="down"
        emphasis
        testId="tile-vital-few"
        href={top?.href}
        hint={
          vital.length
            ? `${vital
                .map((b) => b.label)
                .slice(0, 3)
                .join(", ")}${vital.length > 3 ? "…" : ""} — of ${pareto.bars.length} causes`
            : "No complaints with a root cause in this period."
        }
      />
      <MetricTile
        label="Top cause share"
        value={top ? top.value / pareto.total : null}
        previous={previous.bars[0] ? previous.bars[0].value / previous.total : null}
        better="down"
        format="percent"
        testId="tile-top-cause"
        href={top?.href}
        hint={
          top
            ? `${top.label}: ${formatNumber(top.value)} of ${formatNumber(pareto.total)}`
            : undefined
        }
      />
      <MetricTile
        label="Corrective actions verified effective"
        value={actions.verifiedEffectiveShare}
        format="percent"
        emphasis
        testId="tile-verified-effective"
        hint={`${actions.verifiedEffective} of ${actions.measurable} measurable done actions${overdue ? ` · ${overdue} overdue` : ""}`}
        alert={overdue > 0}
      />
      <MetricTile
        label="Repeat complaints"
        value={repeats.count}
        previous={repeats.previous}
        better="down"
        href={repeats.href}
        testId="tile-repeat"
        hint="Same customer, same cause, ≤ 90 days after the last was resolved"
      />
    </div>
  );
}

// ---------------------------------------------------------------- Pareto

export async function ParetoPanel({ f, view }: { f: DashboardFilters; view: QualityView }) {
  const pareto = await rootCausePareto(f, view.pareto);
  const byCost = pareto.basis === "cost";
  const currency = pareto.currency ?? "USD";
  // The top causes only (a taxonomy may have hundreds); shares stay shares of the whole total.
  const bars = firstOf(pareto.bars, MAX_ROWS);
  // One array for the table and the chart (sent once), links as parts of one base (hrefs.ts).
  const { base, rows } = packHrefs(
    bars.shown.map((b) => ({
      label: b.label,
      category: b.category,
      value: b.value,
      complaints: b.complaints,
      cumulative: Math.round(b.cumulative * 1e4) / 1e4,
      vital: b.vital,
      vitalFew: b.vital ? "yes" : "",
      href: b.href,
    })),
    ["href"],
  );
  const vitalCount = pareto.bars.filter((b) => b.vital).length;
  const others = pareto.otherCurrencies.map((o) => formatMoney(o.costMinor, o.currency)).join(", ");
  return (
    <ChartCard
      title={
        byCost
          ? `Which causes cost most: delivered remedy cost per root cause, ${rangeText(f)}`
          : `Which causes hurt most: complaints per root cause, ${rangeText(f)}`
      }
      subtitle={`Bars descending, line = cumulative share; the ${vitalCount} vital few (darker bars) reach 80 %. ${
        byCost
          ? `Cost in ${currency}, remedies delivered with a known cost${others ? `; other currencies excluded: ${others}` : ""}.`
          : `Complaints received in the range${pareto.unassigned.count ? `; ${formatNumber(pareto.unassigned.count)} without a root cause not shown` : ""}.`
      } Click a bar for its complaints.${topNote(bars, "causes")}`}
      testId="chart-pareto"
      columns={[
        { key: "label", label: "Root cause" },
        { key: "category", label: "Category" },
        byCost
          ? { key: "value", label: `Cost (${currency})`, format: "money", currency }
          : { key: "value", label: "Complaints", format: "number" },
        ...(byCost ? [{ key: "complaints", label: "Complaints with cost" }] : []),
        { key: "cumulative", label: "Cumulative share", format: "percent" as const },
        { key: "vitalFew", label: "Vital few" },
      ]}
      rows={rows}
      hrefBase={base}
      csvName={`root-cause-pareto-${pareto.basis}-${f.current.from}-${f.current.to}`}
      empty={
        byCost
          ? `No delivered remedies with a cost in ${currency} on complaints with a root cause in this period. Try "by count" or a wider range.`
          : "No complaints with a root cause were received in this period. Widen the range, or assign root causes on the complaints."
      }
      actions={
        <Toggle
          label="Pareto by"
          testId="pareto-basis"
          current={view.pareto}
          options={[
            { value: "count", label: "By count" },
            { value: "cost", label: "By cost" },
          ]}
          href={(pareto) => viewHref(f, { ...view, pareto })}
        />
      }
    >
      <ParetoChart
        data={rows}
        hrefBase={base}
        valueLabel={byCost ? `Remedy cost (${currency})` : "Complaints"}
        valueFormat={byCost ? "money" : "number"}
      />
    </ChartCard>
  );
}

// ---------------------------------------------------------------- corrective actions

function pct(v: number | null): string {
  return v == null ? "—" : formatPercent(v, 0);
}

export async function CorrectiveActionsPanel({ f }: { f: DashboardFilters }) {
  const actor = await requirePermission("dashboard:quality");
  const canManage = actorCan(actor, "corrective-action:manage");
  const report = await correctiveActionsReport(f);
  // The first actions only; "Export all (CSV)" has every one.
  const actions = firstOf(report.actions, MAX_ROWS);
  // Compact rows for the browser (corrective-actions-table.tsx); links as parts of one base.
  const base = commonBase(
    actions.shown.flatMap((a) =>
      a.recurrence ? [a.recurrence.before.href, a.recurrence.after.href] : [],
    ),
  );
  const windowOf = (w: {
    count: number;
    perWeek: number;
    from: string;
    to: string;
    href: string;
  }): WindowTuple => [
    w.count,
    Math.round(w.perWeek * 1e4) / 1e4,
    w.from,
    w.to,
    splitHref(w.href, base),
  ];
  const rows = actions.shown.map((a): ActionRowView => {
    const r = a.recurrence;
    return {
      id: a.id,
      title: a.title,
      cause: a.rootCause,
      owner: a.owner,
      status: statusLabel[a.status],
      due: a.dueAt,
      done: a.doneAt,
      ...(a.overdue ? { overdue: true as const } : {}),
      ...(r
        ? {
            recurrence: [
              r.weeks,
              windowOf(r.before),
              windowOf(r.after),
              r.effectiveness == null ? null : Math.round(r.effectiveness * 1e4) / 1e4,
              r.measurable,
            ],
          }
        : {}),
    };
  });
  return (
    <div>
      <CorrectiveActionsTable
        rows={rows}
        base={base}
        canManage={canManage}
        subtitle={`Weekly rate of the cause in the N weeks before the action was done vs the N weeks after (N = the cause's window, default 8). Effectiveness = 1 − after ÷ before, once N weeks have passed. ${report.verifiedEffective} of ${report.measurable} measurable done actions verified effective (${pct(report.verifiedEffectiveShare)}).${
          actions.hidden
            ? ` Showing ${actions.shown.length} of ${actions.total} actions; export all for the rest.`
            : ""
        }`}
        actions={
          // A file from a route handler, not a page: a plain link, never a client navigation.
          // eslint-disable-next-line @next/next/no-html-link-for-pages
          <a
            href="/exports/corrective-actions"
            className="rounded border border-slate-300 px-2 py-1 text-slate-700 hover:bg-slate-50"
            data-testid="corrective-actions-export"
          >
            Export all (CSV)
          </a>
        }
      />
      {canManage && (
        <p className="mt-2 flex flex-wrap gap-3 text-sm">
          <Link
            href={`/dashboards/quality/corrective-actions/new${
              f.dimensions.rootCause !== "none" ? `?rootCause=${f.dimensions.rootCause}` : ""
            }`}
            className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700"
            data-testid="corrective-action-create"
          >
            Add a corrective action
          </Link>
        </p>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- trend

export async function TrendPanel({ f }: { f: DashboardFilters }) {
  const trend = await rootCauseTrend(f, 5);
  // The most recent two years of months at most: each month carries a link per cause.
  const months = lastOf(trend.months, MAX_MONTHS);
  const shownMonths = new Set(months.shown.map((m) => m.month));
  // A compact grid (trend-card.tsx): counts as arrays, links as the base + the cause's part +
  // the month's part; points come month by month, cause by cause.
  const shownPoints = trend.points.filter((p) => shownMonths.has(p.month));
  const packed = packGrid(
    shownPoints.map((p) => ({ row: p.rootCauseId, column: p.month, href: p.href })),
  );
  const parts: Record<number, string> = {};
  packed.cellParts.forEach((part, i) => {
    if (part !== "&") parts[i] = part;
  });
  const grid: TrendGrid = {
    base: packed.base,
    causes: trend.causes.map((c) => [c.name, packed.rowParts[c.id] ?? ""]),
    months: months.shown.map((m) => [m.month, packed.columnParts[m.month] ?? ""]),
    counts: months.shown.map((m) => trend.causes.map((c) => m.counts[c.id] ?? 0)),
    ...(Object.keys(parts).length ? { parts } : {}),
  };
  return (
    <TrendCard
      title={`Trend of the top ${trend.causes.length || 5} causes: complaints per month, ${rangeText(f)}`}
      subtitle={`Complaints received per month (UTC), stacked by root cause; first and last months may be partial. Click a segment for its complaints.${lastNote(months, "months")}`}
      csvName={`root-cause-trend-${f.current.from}-${f.current.to}`}
      grid={grid}
    />
  );
}

// ---------------------------------------------------------------- heat map

export async function HeatMapPanel({ f, view }: { f: DashboardFilters; view: QualityView }) {
  const heat = await rootCauseHeatMap(f, view.heat);
  // The columns with the most complaints only (a catalogue may have many products).
  const columnTotal = new Map<string, number>();
  for (const c of heat.cells) columnTotal.set(c.column, (columnTotal.get(c.column) ?? 0) + c.value);
  const columns = firstOf(
    [...heat.columns].sort((a, b) => (columnTotal.get(b.id) ?? 0) - (columnTotal.get(a.id) ?? 0)),
    MAX_HEAT_COLUMNS,
  );
  const shownColumns = new Set(columns.shown.map((c) => c.id));
  const columnsInOrder = heat.columns.filter((c) => shownColumns.has(c.id));
  const cells = heat.cells.filter((c) => shownColumns.has(c.column));
  // The grid's links as a base, a part per row and per column (hrefs.ts): each cause and
  // product id crosses the wire once, not once per cell.
  const packed = packGrid(cells);
  const rowIndex = new Map(heat.rows.map((r, i) => [r.id, i]));
  const columnIndex = new Map(columnsInOrder.map((c, i) => [c.id, i]));
  const grid: HeatGrid = {
    base: packed.base,
    rows: heat.rows.map((r) => [r.label, packed.rowParts[r.id] ?? ""]),
    columns: columnsInOrder.map((c) => [c.label, packed.columnParts[c.id] ?? ""]),
    cells: cells.map((c, i) => {
      const part = packed.cellParts[i];
      const at: [number, number, number] = [
        rowIndex.get(c.row) ?? -1,
        columnIndex.get(c.column) ?? -1,
        c.value,
      ];
      return part === "&" ? at : [...at, part];
    }),
  };
  const by = view.heat === "product" ? "product" : "channel";
  return (
    <HeatMapCard
      title={`Where each cause strikes: root cause × ${by}, ${rangeText(f)}`}
      subtitle={`Complaints received in the range; darker = more. ${by === "product" ? "Sub-products count under their product; complaints without a product are left out." : ""} Top ${heat.rows.length} causes. Click a cell for its complaints.${topNote(columns, by === "product" ? "products" : "channels")}`}
      testId="chart-heatmap"
      columnLabel={by === "product" ? "Product" : "Channel"}
      grid={grid}
      csvName={`root-cause-by-${by}-${f.current.from}-${f.current.to}`}
      empty={`No complaints with both a root cause and a ${by} in this period.`}
      actions={
        <Toggle
          label="Heat map by"
          testId="heatmap-axis"
          current={view.heat}
          options={[
            { value: "product", label: "By product" },
            { value: "channel", label: "By channel" },
          ]}
          href={(heat) => viewHref(f, { ...view, heat })}
        />
      }
    />
  );
}

// ---------------------------------------------------------------- repeat complaints

export async function RepeatPanel({ f }: { f: DashboardFilters }) {
  const repeats = await repeatComplaints(f);
  const causes = firstOf(repeats.byCause, MAX_ROWS);
  // One array for the table and the chart (sent once), links as parts of one base (hrefs.ts).
  const { base, rows } = packHrefs(
    causes.shown.map((r) => ({ label: r.label, count: r.count, href: r.href })),
    ["href"],
  );
  return (
    <ChartCard
      title={`Repeat complaints by root cause, ${rangeText(f)}`}
      subtitle={`A new complaint from the same customer with the same root cause within 90 days of the last one being resolved: ${formatNumber(repeats.count)} in the range (previous period ${formatNumber(repeats.previous)}). Click a bar for the complaints.${topNote(causes, "causes")}`}
      testId="chart-repeats"
      columns={[
        { key: "label", label: "Root cause" },
        { key: "count", label: "Repeat complaints", format: "number" },
      ]}
      rows={rows}
      hrefBase={base}
      csvName={`repeat-complaints-${f.current.from}-${f.current.to}`}
      empty="No repeat complaints in this period: no customer came back with the same cause within 90 days."
      actions={
        <Link
          href={repeats.href}
          className="rounded border border-slate-300 px-2 py-1 text-slate-700 hover:bg-slate-50"
          data-testid="repeat-list"
        >
          All {formatNumber(repeats.count)} →
        </Link>
      }
    >
      <BarChartPanel
        data={rows.slice(0, 12)}
        hrefBase={base}
        xKey="label"
        layout="vertical"
        bars={[{ key: "count", label: "Repeat complaints", color: seriesColor(5) }]}
      />
    </ChartCard>
  );
}

/** A way to the taxonomy page, for those who maintain it (quality and admin). */
export async function TaxonomyLink() {
  const actor = await requirePermission("dashboard:quality");
  if (!actorCan(actor, "taxonomy:manage")) return null;
  return (
    <p className="text-sm">
      <Link
        href="/dashboards/quality/taxonomy"
        className="text-brand-600 underline-offset-2 hover:underline"
        data-testid="taxonomy-link"
      >
        Root-cause taxonomy: add, rename or deactivate causes →
      </Link>
    </p>
  );
}
