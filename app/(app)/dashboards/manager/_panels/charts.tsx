import { MAX_WEEKS, lastNote, lastOf } from "@/app/_components/dashboard/caps";
import { ChartCard } from "@/app/_components/dashboard/chart-card";
import { BarChartPanel } from "@/app/_components/dashboard/charts";
import { packHrefs } from "@/app/_components/dashboard/hrefs";
import { colors } from "@/app/_components/dashboard/palette";
import { exceptions, packDays, spanPart } from "@/app/_components/dashboard/series";
import type { DashboardFilters } from "@/lib/metrics/filters";
import { leftOutNote } from "@/app/_components/dashboard/left-out";
import {
  adherenceBySteps,
  backlogByAge,
  inferredTimesLeftOut,
  ttrHistogram,
  ttrTrend,
} from "@/lib/metrics/performance";
import { TtrTrendCard, type TtrSeries } from "./ttr-trend-card";

const period = (f: DashboardFilters) => `${f.current.from} → ${f.current.to}`;

/** " · Leaves out N imported complaints …" for a chart over complaints resolved in the period. */
async function resolvedLeftOut(f: DashboardFilters): Promise<string> {
  const note = leftOutNote(
    (await inferredTimesLeftOut(f, "resolved")).inferredTimesExcluded,
    "resolution time",
  );
  return note ? ` · ${note}.` : "";
}

export async function TtrTrendPanel({ f }: { f: DashboardFilters }) {
  // The most recent two years of weeks at most (caps.ts).
  const [all, leftOut] = await Promise.all([ttrTrend(f), resolvedLeftOut(f)]);
  const capped = lastOf(all, MAX_WEEKS);
  const weeks = capped.shown;
  // Hours to what is shown (0.01 h). Sent as a compact series (ttr-trend-card.tsx): week starts
  // as runs, figures as arrays, links derived from the week's dates unless they differ.
  const hours = (v: number | null) => (v == null ? null : Math.round(v * 100) / 100);
  const { base, rows } = packHrefs(
    weeks.map((w) => ({ from: w.week, href: w.href })),
    ["href"],
  );
  const periodOf: [string, string] = [f.current.from, f.current.to];
  const series: TtrSeries = {
    base,
    period: periodOf,
    weeks: packDays(weeks.map((w) => w.week)),
    values: [
      weeks.map((w) => w.count),
      weeks.map((w) => hours(w.medianHours)),
      weeks.map((w) => hours(w.p90Hours)),
      weeks.map((w) => hours(w.medianBusinessHours)),
      weeks.map((w) => hours(w.p90BusinessHours)),
    ],
  };
  const parts = exceptions(
    rows.map((r) => r.href),
    (i) => spanPart(rows[i]!.from, 7, periodOf),
  );
  if (parts) series.parts = parts;
  return (
    <TtrTrendCard
      title="Time to resolution, week by week"
      subtitle={`Median and p90 calendar time from receipt to resolution, by week resolved · ${period(f)} · click a week for its complaints.${lastNote(capped, "weeks")}${leftOut}`}
      series={series}
      empty="No complaint was resolved in this period with these filters. Widen the period or clear a filter."
    />
  );
}

export async function TtrHistogramPanel({ f }: { f: DashboardFilters }) {
  const [bins, leftOut] = await Promise.all([ttrHistogram(f), resolvedLeftOut(f)]);
  const { base, rows } = packHrefs(
    bins.map((b) => ({ bucket: b.label, complaints: b.count, href: b.href })),
    ["href"],
  );
  return (
    <ChartCard
      title="How long resolution takes"
      subtitle={`Complaints resolved in the period by calendar time to resolution · ${period(f)}${leftOut}`}
      testId="chart-ttr-histogram"
      columns={[
        { key: "bucket", label: "Time to resolution" },
        { key: "complaints", label: "Complaints", format: "number" },
      ]}
      rows={bins.some((b) => b.count > 0) ? rows : []}
      hrefBase={base}
      csvName="time-to-resolution-histogram"
      empty="No complaint was resolved in this period with these filters."
    >
      <BarChartPanel
        data={rows}
        hrefBase={base}
        xKey="bucket"
        bars={[{ key: "complaints", label: "Complaints resolved", color: colors.primary }]}
        yLabel="Complaints"
      />
    </ChartCard>
  );
}

export async function BacklogPanel({ f }: { f: DashboardFilters }) {
  const buckets = await backlogByAge(f);
  const { base, rows } = packHrefs(
    buckets.map((b) => ({
      age: b.label,
      overdue: b.overdue,
      onTrack: b.onTrack,
      open: b.open,
      href: b.href,
      overdueHref: b.overdueHref,
      onTrackHref: b.onTrackHref,
    })),
    ["href", "overdueHref", "onTrackHref"],
  );
  return (
    <ChartCard
      title="Open backlog by age"
      subtitle="Complaints open now (imported history only when someone owns it), by days since received; vermillion = past SLA due (the period does not apply)"
      testId="chart-backlog"
      columns={[
        { key: "age", label: "Age" },
        { key: "open", label: "Open", format: "number" },
        { key: "overdue", label: "Overdue", format: "number" },
        { key: "onTrack", label: "Within SLA or no SLA", format: "number" },
      ]}
      rows={buckets.some((b) => b.open > 0) ? rows : []}
      hrefBase={base}
      csvName="backlog-by-age"
      empty="No open complaints match these filters: the backlog is clear."
    >
      <BarChartPanel
        data={rows}
        hrefBase={base}
        xKey="age"
        stacked
        yLabel="Open complaints"
        bars={[
          { key: "overdue", label: "Overdue", color: colors.bad, hrefKey: "overdueHref" },
          { key: "onTrack", label: "Within SLA", color: colors.primary, hrefKey: "onTrackHref" },
        ]}
      />
    </ChartCard>
  );
}

export async function StepAdherencePanel({ f }: { f: DashboardFilters }) {
  const [steps, leftOut] = await Promise.all([adherenceBySteps(f), resolvedLeftOut(f)]);
  const { base, rows } = packHrefs(
    steps.map((s) => ({
      step: s.required ? s.name : `${s.name} (optional)`,
      share: s.share,
      done: s.done,
      complaints: s.complaints,
      href: s.href,
    })),
    ["href"],
  );
  const measured = steps[0]?.complaints ?? 0;
  return (
    <ChartCard
      title="Playbook adherence by step"
      subtitle={`Share of the ${measured} complaints resolved in the period with each step done · ${period(f)}${leftOut}`}
      testId="chart-step-adherence"
      columns={[
        { key: "step", label: "Step" },
        { key: "share", label: "Done", format: "percent" },
        { key: "done", label: "Complaints with it", format: "number" },
        { key: "complaints", label: "Complaints resolved", format: "number" },
      ]}
      rows={measured > 0 ? rows : []}
      hrefBase={base}
      csvName="adherence-by-step"
      empty="No complaint was resolved in this period with these filters, so there is no adherence to show."
    >
      <BarChartPanel
        data={rows}
        hrefBase={base}
        xKey="step"
        layout="vertical"
        yFormat="percent"
        bars={[{ key: "share", label: "Share with the step done", color: colors.good }]}
      />
    </ChartCard>
  );
}
