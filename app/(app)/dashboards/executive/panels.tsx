/**
 * The executive dashboard's panels: async server components, each streaming in its own Suspense.
 * Every figure comes from lib/metrics/retention.ts or playbook-effect.ts and links to its list.
 */
import { MAX_MONTHS, lastNote, lastOf } from "@/app/_components/dashboard/caps";
import { ChartCard } from "@/app/_components/dashboard/chart-card";
import { BarChartPanel, FunnelChart, LineChartPanel } from "@/app/_components/dashboard/charts";
import { formatMoney, formatNumber, formatPercent } from "@/app/_components/dashboard/format";
import { leftOutNote } from "@/app/_components/dashboard/left-out";
import { MetricTile } from "@/app/_components/dashboard/metric-tile";
import { packHrefs } from "@/app/_components/dashboard/hrefs";
import { packRows } from "@/app/_components/dashboard/series";
import { colors } from "@/app/_components/dashboard/palette";
import type { DashboardFilters } from "@/lib/metrics/filters";
import { currencyDigits } from "@/lib/money";
import { RecoveryGrid, type RecoveryCell } from "./recovery-grid";
import {
  getConversion,
  getConversionByMonth,
  getConversionByRemedyKind,
  getConversionByTtrBucket,
  inferredAngryClosedLeftOut,
  getFunnel,
  getNps,
  getRecoveryCost,
  getRecoveryRoi,
  getRetention,
  getRetention90,
  getRetentionByRecovery,
  ttrLabels,
} from "@/lib/metrics/retention";

type Props = { f: DashboardFilters };

const monthLabel = (m: string) => {
  const [y, mo] = m.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, mo - 1, 1)).toLocaleDateString("en-US", {
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
};

// ---------------------------------------------------------------- headline tiles

export async function HeadlinePanel({ f }: Props) {
  const [conversion, retention, roi, cost] = await Promise.all([
    getConversion(f),
    getRetention90(f),
    getRecoveryRoi(f),
    getRecoveryCost(f),
  ]);
  const previousCost = await getRecoveryCost(f, f.previous);
  const mainCost = cost[0];
  const prevMain = previousCost.find((c) => c.currency === mainCost?.currency);
  return (
    <section
      aria-label="Headline figures"
      className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4"
    >
      <MetricTile
        label="Angry → advocate"
        value={conversion.rate}
        format="percent"
        previous={conversion.previous.rate}
        href={conversion.kHref}
        testId="tile-conversion"
        emphasis
        hint={`${formatNumber(conversion.k)} advocates of ${formatNumber(conversion.n)} angry complaints closed`}
        leftOut={leftOutNote(conversion.inferredTimesExcluded, "closing time")}
      />
      <MetricTile
        label="Kept at 90 days — complainants"
        value={retention.complainants.rate}
        format="percent"
        previous={retention.previous.complainants.rate}
        href={retention.complainants.kHref}
        testId="tile-retention-90"
        emphasis
        hint={`${formatNumber(retention.complainants.k)} of ${formatNumber(retention.complainants.n)} complaints received, 90 days passed`}
      >
        <div className="mt-1 text-xs text-slate-700" data-testid="tile-retention-90-others">
          vs <strong>{formatPercent(retention.others.rate)}</strong> of customers without complaints
          ({formatNumber(retention.others.n)} customer-months)
        </div>
      </MetricTile>
      <MetricTile
        label={`Recovery ROI — revenue kept per 1 of cost${roi.currency ? ` (${roi.currency})` : ""}`}
        value={roi.current?.roi ?? null}
        format="number"
        previous={roi.previous?.roi ?? null}
        href={roi.href}
        testId="tile-roi"
        emphasis
        hint={
          roi.current
            ? `${formatMoney(roi.current.revenueMinor, roi.currency!)} revenue kept (365 d, retained) ÷ ${formatMoney(roi.current.costMinor, roi.currency!)} remedy cost`
            : "No delivered remedy cost on complaints 90+ days old in this range"
        }
      />
      <MetricTile
        label={`Recovery cost${mainCost ? ` (${mainCost.currency})` : ""}`}
        value={mainCost?.costMinor ?? null}
        format="money"
        currency={mainCost?.currency}
        previous={prevMain?.costMinor ?? (mainCost ? 0 : null)}
        better="down"
        href={mainCost?.href}
        testId="tile-recovery-cost"
        hint={
          mainCost
            ? `Delivered remedies on ${formatNumber(mainCost.complaints)} complaints received`
            : "No delivered remedy with a cost in this range"
        }
      >
        {cost.slice(1).map((c) => (
          <div key={c.currency} className="mt-1 text-xs text-slate-700">
            + {formatMoney(c.costMinor, c.currency)} ({formatNumber(c.complaints)} complaints)
          </div>
        ))}
      </MetricTile>
    </section>
  );
}

// ---------------------------------------------------------------- retention by recovery

export async function RecoveryGridPanel({ f }: Props) {
  const groups = [
    { key: "minor", label: "Minor / moderate" },
    { key: "major", label: "Major / critical" },
  ];
  const buckets = (["fast", "slow", "unresolved"] as const).map((b) => ({
    key: b,
    label: ttrLabels[b],
  }));
  // The grid and its table view share the cell objects: the payload carries them once.
  const { base, rows: cells } = packHrefs(
    (await getRetentionByRecovery(f)).map((c): RecoveryCell => ({
      group: c.group,
      bucket: c.bucket,
      severity: c.group === "minor" ? "Minor / moderate" : "Major / critical",
      recovery: ttrLabels[c.bucket],
      retained: c.rate == null ? null : Math.round(c.rate * 1e4) / 1e4,
      kept: c.k,
      complaints: c.n,
      href: c.href,
    })),
    ["href"],
  );
  return (
    <ChartCard
      title="90-day retention by how the complaint was handled"
      subtitle="Complaints received in the range with 90 days passed · fast = resolved within 48 calendar hours · grey: the classic benchmark"
      testId="chart-retention-by-recovery"
      columns={[
        { key: "severity", label: "Severity" },
        { key: "recovery", label: "Recovery" },
        { key: "retained", label: "Retained at 90 days", format: "percent" },
        { key: "kept", label: "Retained" },
        { key: "complaints", label: "Complaints" },
      ]}
      rows={cells.filter((c) => c.complaints > 0)}
      hrefBase={base}
      csvName="retention-by-recovery"
      empty="No complaint received in this range is 90 days old yet. Pick an earlier range."
    >
      <RecoveryGrid cells={cells} base={base} groups={groups} buckets={buckets} />
    </ChartCard>
  );
}

// ---------------------------------------------------------------- funnel and conversion

export async function FunnelPanel({ f }: Props) {
  const steps = await getFunnel(f);
  // One array for the table and the funnel (sent once), links as parts of one base (hrefs.ts).
  const { base, rows: stages } = packHrefs(
    steps.map((s) => ({ label: s.label, value: s.value, share: s.share, href: s.href })),
    ["href"],
  );
  const rows = steps[0]?.value ? stages : [];
  return (
    <ChartCard
      title="Angry → advocate funnel"
      subtitle="Angry complaints closed in the range; each stage keeps those that also reached the previous one"
      testId="chart-funnel"
      columns={[
        { key: "label", label: "Stage" },
        { key: "value", label: "Complaints" },
        { key: "share", label: "Share of angry", format: "percent" },
      ]}
      rows={rows}
      hrefBase={base}
      csvName="angry-advocate-funnel"
      empty="No angry complaint was closed in this range."
    >
      <FunnelChart steps={stages} hrefBase={base} />
    </ChartCard>
  );
}

export async function ConversionByMonthPanel({ f }: Props) {
  // The most recent two years of months at most (caps.ts).
  const months = lastOf(await getConversionByMonth(f), MAX_MONTHS);
  const { base, rows } = packHrefs(
    months.shown.map((m) => ({
      month: monthLabel(m.month),
      conversion: m.rate,
      angry: m.n,
      advocates: m.k,
      href: m.kHref,
    })),
    ["href"],
  );
  // Keys once, a tuple per month (series.ts); the table and the chart share it.
  const data = packRows(rows);
  return (
    <ChartCard
      title="Angry → advocate conversion by month"
      subtitle={`Advocates ÷ angry complaints, by month closed (UTC) · click a point for its advocates.${lastNote(months, "months")}`}
      testId="chart-conversion-by-month"
      columns={[
        { key: "month", label: "Month" },
        { key: "conversion", label: "Conversion", format: "percent" },
        { key: "advocates", label: "Advocates" },
        { key: "angry", label: "Angry closed" },
      ]}
      rows={data.rows.length ? data : []}
      hrefBase={base}
      csvName="conversion-by-month"
      empty="No angry complaint was closed in this range."
    >
      <LineChartPanel
        data={data}
        hrefBase={base}
        xKey="month"
        lines={[{ key: "conversion", label: "Angry → advocate", color: colors.primary }]}
        yFormat="percent"
        yLabel="Conversion"
      />
    </ChartCard>
  );
}

export async function ConversionBreakdownPanel({ f }: Props) {
  const [kinds, buckets, leftOut] = await Promise.all([
    getConversionByRemedyKind(f),
    getConversionByTtrBucket(f),
    inferredAngryClosedLeftOut(f),
  ]);
  const note = leftOutNote(leftOut.inferredTimesExcluded, "closing time");
  const { base: kindBase, rows: kindRows } = packHrefs(
    kinds.map((k) => ({
      kind: k.label,
      conversion: k.rate,
      advocates: k.k,
      angry: k.n,
      href: k.href,
    })),
    ["href"],
  );
  const { base: bucketBase, rows: bucketRows } = packHrefs(
    buckets
      .filter((b) => b.n > 0)
      .map((b) => ({
        bucket: b.label,
        conversion: b.rate,
        advocates: b.k,
        angry: b.n,
        href: b.href,
      })),
    ["href"],
  );
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
      <ChartCard
        title="Conversion by remedy kind"
        subtitle="Angry complaints closed in the range with a delivered remedy of the kind · click for them"
        testId="chart-conversion-by-remedy"
        columns={[
          { key: "kind", label: "Remedy kind" },
          { key: "conversion", label: "Conversion", format: "percent" },
          { key: "advocates", label: "Advocates" },
          { key: "angry", label: "Angry closed" },
        ]}
        rows={kindRows}
        hrefBase={kindBase}
        csvName="conversion-by-remedy-kind"
        empty="No angry complaint closed in this range had a delivered remedy."
      >
        <BarChartPanel
          data={kindRows}
          hrefBase={kindBase}
          xKey="kind"
          bars={[{ key: "conversion", label: "Angry → advocate", color: colors.primary }]}
          yFormat="percent"
          layout="vertical"
        />
      </ChartCard>
      <ChartCard
        title="Conversion by time to resolution"
        subtitle={`Angry complaints closed in the range · fast = resolved within 48 calendar hours${note ? ` · ${note}` : ""}`}
        testId="chart-conversion-by-ttr"
        columns={[
          { key: "bucket", label: "Time to resolution" },
          { key: "conversion", label: "Conversion", format: "percent" },
          { key: "advocates", label: "Advocates" },
          { key: "angry", label: "Angry closed" },
        ]}
        rows={bucketRows}
        hrefBase={bucketBase}
        csvName="conversion-by-ttr"
        empty="No angry complaint was closed in this range."
      >
        <BarChartPanel
          data={bucketRows}
          hrefBase={bucketBase}
          xKey="bucket"
          bars={[{ key: "conversion", label: "Angry → advocate", color: colors.secondary }]}
          yFormat="percent"
          yLabel="Conversion"
        />
      </ChartCard>
    </div>
  );
}

// ---------------------------------------------------------------- retention 30/90/180

export async function RetentionPanel({ f }: Props) {
  const rows = await getRetention(f);
  const data = rows
    .filter((r) => r.complainants.n > 0 || r.others.n > 0)
    .map((r) => ({
      horizon: `${r.days} days`,
      complainants: r.complainants.rate,
      others: r.others.rate,
      complaints: r.complainants.n,
      customerMonths: r.others.n,
      href: r.complainants.kHref,
    }));
  return (
    <ChartCard
      title="Retention at 30 / 90 / 180 days"
      subtitle="Complainants (complaints received in the range) vs customers without complaints (active customers on each month's first day) · only where N days have passed"
      testId="chart-retention"
      columns={[
        { key: "horizon", label: "Horizon" },
        { key: "complainants", label: "Complainants retained", format: "percent" },
        { key: "complaints", label: "Complaints" },
        { key: "others", label: "Without complaints retained", format: "percent" },
        { key: "customerMonths", label: "Customer-months" },
      ]}
      rows={data}
      csvName="retention-30-90-180"
      empty="Not enough time has passed since this range to measure retention. Pick an earlier range."
    >
      <BarChartPanel
        data={data}
        xKey="horizon"
        bars={[
          { key: "complainants", label: "Complainants", color: colors.primary },
          { key: "others", label: "No complaint", color: colors.secondary },
        ]}
        yFormat="percent"
        yLabel="Retained"
      />
    </ChartCard>
  );
}

// ---------------------------------------------------------------- NPS and the paradox

export async function NpsPanel({ f }: Props) {
  const nps = await getNps(f);
  const data = [
    {
      label: "At intake",
      nps: nps.before.nps,
      responses: nps.before.n,
      href: nps.before.href ?? undefined,
    },
    {
      label: "After recovery",
      nps: nps.after.nps,
      responses: nps.after.n,
      href: nps.after.href ?? undefined,
    },
    {
      label: "No complaint",
      nps: nps.noComplaint.nps,
      responses: nps.noComplaint.n,
    },
  ].filter((d) => d.responses > 0);
  const paradox =
    nps.after.nps != null && nps.noComplaint.nps != null
      ? nps.after.nps - nps.noComplaint.nps
      : null;
  return (
    <ChartCard
      title="NPS before and after recovery, and the recovery paradox"
      subtitle="NPS = % promoters (9–10) − % detractors (0–6), −100…+100 · complaints received in the range; customers without complaints: survey/review scores in the range"
      testId="chart-nps"
      columns={[
        {
          key: "label",
          label: "Group (complainants at intake / after recovery; customers with no complaint)",
        },
        { key: "nps", label: "NPS" },
        { key: "responses", label: "Responses" },
      ]}
      rows={data}
      csvName="nps-before-after"
      empty="No NPS was recorded for complaints or customers in this range."
    >
      <p className="mb-2 text-sm text-slate-700" data-testid="nps-paradox">
        {paradox == null
          ? "Not enough scores to compare recovered complainants with customers without complaints."
          : paradox > 0
            ? `Recovery paradox: recovered complainants score ${formatNumber(paradox)} points above customers without complaints.`
            : `No recovery paradox: recovered complainants score ${formatNumber(-paradox)} points below customers without complaints.`}
      </p>
      <BarChartPanel
        data={data}
        xKey="label"
        bars={[{ key: "nps", label: "NPS", color: colors.primary }]}
        yLabel="NPS"
      />
    </ChartCard>
  );
}

// ---------------------------------------------------------------- ROI by month

export async function RoiByMonthPanel({ f }: Props) {
  const roi = await getRecoveryRoi(f);
  const currency = roi.currency ?? "USD";
  const months = lastOf(roi.byMonth, MAX_MONTHS);
  // One array for the table (minor units) and the chart (major units): sent once.
  const unit = 10 ** currencyDigits(currency);
  const { base, rows } = packHrefs(
    months.shown.map((m) => ({
      month: monthLabel(m.month),
      cost: m.costMinor,
      revenue: m.revenueMinor,
      costMajor: m.costMinor / unit,
      revenueMajor: m.revenueMinor / unit,
      roi: m.roi == null ? null : Math.round(m.roi * 1e4) / 1e4,
      currency,
      href: m.href,
    })),
    ["href"],
  );
  const data = packRows(rows);
  const others = roi.byCurrency.filter((c) => c.currency !== roi.currency);
  return (
    <ChartCard
      title={`Remedy cost vs revenue kept, by month (${currency})`}
      subtitle={`Complaints received each month with 90 days passed · revenue = purchases and renewals in the 365 days after, from customers retained at 90 days · currencies are never mixed.${lastNote(months, "months")}`}
      testId="chart-roi-by-month"
      columns={[
        { key: "month", label: "Month" },
        { key: "cost", label: "Remedy cost", format: "money", currencyKey: "currency" },
        { key: "revenue", label: "Revenue kept", format: "money", currencyKey: "currency" },
        { key: "roi", label: "ROI (revenue ÷ cost)" },
      ]}
      rows={data.rows.length ? data : []}
      hrefBase={base}
      csvName="recovery-roi-by-month"
      empty="No complaint received in this range is 90 days old with a delivered remedy cost yet."
    >
      <BarChartPanel
        data={data}
        hrefBase={base}
        xKey="month"
        bars={[
          { key: "costMajor", label: `Remedy cost (${currency})`, color: colors.bad },
          { key: "revenueMajor", label: `Revenue kept (${currency})`, color: colors.good },
        ]}
        yLabel={currency}
      />
      {others.length > 0 && (
        <p className="mt-2 text-xs text-slate-600">
          Other currencies:{" "}
          {others
            .map(
              (c) =>
                `${c.currency} ${formatMoney(c.revenueMinor, c.currency)} kept ÷ ${formatMoney(c.costMinor, c.currency)} cost = ${c.roi == null ? "—" : formatNumber(c.roi, 2)}`,
            )
            .join(" · ")}
        </p>
      )}
    </ChartCard>
  );
}
