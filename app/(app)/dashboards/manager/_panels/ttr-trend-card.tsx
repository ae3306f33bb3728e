"use client";

/**
 * The weekly time-to-resolution trend, rebuilt in the browser from a compact series: week starts
 * as runs of dates, figures as arrays of numbers, each week's link derived from its dates (the
 * server sends only the links that differ). Chart, table and CSV share the rebuilt rows.
 */
import { useMemo } from "react";
import { ChartCard, type ChartColumn } from "@/app/_components/dashboard/chart-card";
import { LineChartPanel } from "@/app/_components/dashboard/charts";
import { colors } from "@/app/_components/dashboard/palette";
import { fillIn, spanPart, unpackDays, type DayRuns } from "@/app/_components/dashboard/series";

export interface TtrSeries {
  /** The shared query every week's link part adds to. */
  base: string;
  /** The period: a week's link is its days clipped to it. */
  period: [from: string, to: string];
  weeks: DayRuns;
  /** Resolved, median h, p90 h, median business h, p90 business h (0.01 h): one value a week. */
  values: [number[], (number | null)[], (number | null)[], (number | null)[], (number | null)[]];
  /** Link parts that are not the week's own dates, by week index. */
  parts?: Record<number, string>;
}

const shortDate = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });

const columns: ChartColumn[] = [
  { key: "from", label: "Week from" },
  { key: "n", label: "Resolved", format: "number" },
  { key: "m", label: "Median (h)", format: "hours" },
  { key: "p", label: "p90 (h)", format: "hours" },
  { key: "mb", label: "Median, business (h)", format: "hours" },
  { key: "pb", label: "p90, business (h)", format: "hours" },
];

export function TtrTrendCard({
  title,
  subtitle,
  series,
  empty,
}: {
  title: string;
  subtitle: string;
  series: TtrSeries;
  empty: string;
}) {
  const rows = useMemo(() => {
    const weeks = unpackDays(series.weeks);
    const parts = fillIn(weeks.length, (i) => spanPart(weeks[i]!, 7, series.period), series.parts);
    const [n, m, p, mb, pb] = series.values;
    return weeks.map((from, i) => ({
      w: shortDate(from),
      from,
      n: n[i] ?? 0,
      m: m[i] ?? null,
      p: p[i] ?? null,
      mb: mb[i] ?? null,
      pb: pb[i] ?? null,
      href: parts[i],
    }));
  }, [series]);
  const any = rows.some((r) => r.n > 0);
  return (
    <ChartCard
      title={title}
      subtitle={subtitle}
      testId="chart-ttr-trend"
      columns={columns}
      rows={any ? rows : []}
      hrefBase={series.base}
      csvName="time-to-resolution-by-week"
      empty={empty}
    >
      <LineChartPanel
        data={rows}
        hrefBase={series.base}
        xKey="w"
        yFormat="hours"
        yLabel="Time to resolution"
        lines={[
          { key: "m", label: "Median", color: colors.primary },
          { key: "p", label: "p90 (slowest 10 % take longer)", color: colors.bad, dashed: true },
        ]}
      />
    </ChartCard>
  );
}
