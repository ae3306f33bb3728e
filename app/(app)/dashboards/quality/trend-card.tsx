"use client";

/**
 * The root-cause trend (top causes × month), rebuilt in the browser from a compact grid: counts
 * as one array per month, each segment's link as the grid's base + its cause's part + its month's
 * part (hrefs.ts packGrid; a segment whose link that does not rebuild carries its own). The
 * table, the CSV and the chart share the rebuilt rows and links.
 */
import { useMemo } from "react";
import { ChartCard, type ChartColumn } from "@/app/_components/dashboard/chart-card";
import { BarChartPanel } from "@/app/_components/dashboard/charts";
import { joinHref } from "@/app/_components/dashboard/hrefs";
import { seriesColor } from "@/app/_components/dashboard/palette";

export interface TrendGrid {
  base: string;
  /** [cause name, link part] in the chart's order. */
  causes: [name: string, part: string][];
  /** [month "YYYY-MM", link part]. */
  months: [month: string, part: string][];
  /** Complaints per month, one count per cause. */
  counts: number[][];
  /** Segments whose own part is not "&", by index month × causes + cause. */
  parts?: Record<number, string>;
}

const columns: ChartColumn[] = [
  { key: "month", label: "Month" },
  { key: "cause", label: "Root cause" },
  { key: "count", label: "Complaints", format: "number" },
];

export function TrendCard({
  title,
  subtitle,
  csvName,
  grid,
}: {
  title: string;
  subtitle: string;
  csvName: string;
  grid: TrendGrid;
}) {
  const { points, data, links } = useMemo(() => {
    const links: string[] = [];
    const points: { month: string; cause: string; count: number; href: number }[] = [];
    const data = grid.months.map(([month, monthPart], m) => {
      const d: Record<string, string | number> = { month };
      grid.causes.forEach(([cause, causePart], c) => {
        const at = m * grid.causes.length + c;
        const count = grid.counts[m]?.[c] ?? 0;
        links.push(joinHref(grid.base, causePart, monthPart, grid.parts?.[at]));
        points.push({ month, cause, count, href: at });
        d[`c${c}`] = count;
        d[`c${c}h`] = at;
      });
      return d;
    });
    return { points, data, links };
  }, [grid]);
  return (
    <ChartCard
      title={title}
      subtitle={subtitle}
      testId="chart-trend"
      columns={columns}
      rows={grid.causes.length ? points : []}
      links={links}
      csvName={csvName}
      empty="No complaints with a root cause in this period, so there is no trend to show."
    >
      <BarChartPanel
        data={data}
        links={links}
        xKey="month"
        stacked
        bars={grid.causes.map(([name], i) => ({
          key: `c${i}`,
          label: name,
          color: seriesColor(i),
          hrefKey: `c${i}h`,
        }))}
        yLabel="Complaints"
      />
    </ChartCard>
  );
}
