"use client";

/**
 * The heat-map panel, drawn in the browser from its compact grid: the table view and the CSV
 * rows are made here, so the cells and their links cross the wire once. The causes with the
 * most complaints show first; the rest are one click away.
 */

/** Causes drawn before "show more". */
const FIRST_ROWS = 8;
import { useState } from "react";
import { ChartCard } from "@/app/_components/dashboard/chart-card";
import { HeatMap, heatCellHref, type HeatGrid } from "@/app/_components/dashboard/charts";

export function HeatMapCard({
  grid,
  columnLabel,
  ...card
}: {
  grid: HeatGrid;
  /** What the columns are: "Product" or "Channel". */
  columnLabel: string;
  title: string;
  subtitle: string;
  testId: string;
  csvName: string;
  empty: string;
  actions: React.ReactNode;
}) {
  const [all, setAll] = useState(false);
  const more = grid.rows.length - FIRST_ROWS;
  const rows = grid.cells.map((c) => ({
    cause: grid.rows[c[0]]?.[0] ?? "",
    column: grid.columns[c[1]]?.[0] ?? "",
    value: c[2],
    href: heatCellHref(grid, c),
  }));
  return (
    <ChartCard
      {...card}
      columns={[
        { key: "cause", label: "Root cause" },
        { key: "column", label: columnLabel },
        { key: "value", label: "Complaints", format: "number" },
      ]}
      rows={rows}
    >
      <HeatMap grid={grid} rowLimit={all ? undefined : FIRST_ROWS} />
      {more > 0 && (
        <button
          type="button"
          onClick={() => setAll((v) => !v)}
          aria-expanded={all}
          className="mt-2 rounded border border-slate-300 px-2 py-1 text-xs text-slate-700 hover:bg-slate-50"
          data-testid="heatmap-more"
        >
          {all ? "Show fewer causes" : `Show ${more} more causes`}
        </button>
      )}
    </ChartCard>
  );
}
