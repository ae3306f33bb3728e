"use client";

import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { neutraliseFormula } from "@/lib/csv-formula";
import { formatValue, type ValueFormat } from "./format";
import { linkOf } from "./hrefs";
import { unpackRows, type PackedRows } from "./series";

export interface ChartColumn {
  key: string;
  label: string;
  format?: ValueFormat;
  /** For money columns: the currency, or the key of the row field holding it. */
  currency?: string;
  currencyKey?: string;
}

export type ChartRow = { [key: string]: unknown; href?: string | number };

function csvCell(value: unknown): string {
  if (value == null) return "";
  // Labels come from user-typed names (root causes, corrective actions): never let one run as a formula.
  const text = typeof value === "string" ? neutraliseFormula(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The chart's rows as CSV: raw values (hours, ratios 0–1, minor units), one row per datum. */
export function rowsToCsv(columns: ChartColumn[], rows: ChartRow[]): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c.key])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

function cellText(column: ChartColumn, row: ChartRow): string {
  const value = row[column.key];
  if (typeof value === "number" || value == null) {
    if (!column.format) return value == null ? "—" : String(value);
    const currency = column.currencyKey ? String(row[column.currencyKey] ?? "") : column.currency;
    return formatValue(value as number | null, column.format, currency || undefined);
  }
  return String(value);
}

/**
 * A dashboard panel around one chart: title (what is measured, over what), subtitle (units,
 * definition), a "Show as table" toggle, "Download CSV" of the chart's rows, and an empty state
 * that says why there is nothing to show.
 */
export function ChartCard({
  title,
  subtitle,
  testId,
  columns,
  csvName,
  empty = "No complaints match these filters in this period. Widen the date range or clear a filter.",
  actions,
  hrefBase,
  links,
  children,
  rows: rowsIn,
}: {
  title: string;
  subtitle?: string;
  testId?: string;
  columns: ChartColumn[];
  /** The rows, or the same packed (series.ts packRows: keys once). */
  rows: ChartRow[] | PackedRows<ChartRow>;
  csvName: string;
  empty?: string;
  /** Extra controls beside the toggle (e.g. a metric switch). */
  actions?: React.ReactNode;
  /** The shared query the rows' `href` parts add to (hrefs.ts); without it `href` is whole. */
  hrefBase?: string;
  /** Link parts the rows' `href` point to by index (shared with the chart, sent once). */
  links?: readonly string[];
  children: React.ReactNode;
}) {
  const rows = useMemo(() => unpackRows(rowsIn), [rowsIn]);
  const [asTable, setAsTable] = useState(false);
  const headingId = useId();
  const isEmpty = rows.length === 0;

  function download() {
    const blob = new Blob([rowsToCsv(columns, rows)], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = csvName.endsWith(".csv") ? csvName : `${csvName}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  }

  return (
    <section
      aria-labelledby={headingId}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid={testId}
      data-rows={rows.length}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {subtitle && <p className="text-xs text-slate-600">{subtitle}</p>}
        </div>
        <div className="flex items-center gap-2 text-xs">
          {actions}
          {!isEmpty && (
            <>
              <button
                type="button"
                onClick={() => setAsTable((v) => !v)}
                aria-pressed={asTable}
                className="rounded border border-slate-300 px-2 py-1 text-slate-700 hover:bg-slate-50"
                data-testid={testId ? `${testId}-toggle-table` : undefined}
              >
                {asTable ? "Show as chart" : "Show as table"}
              </button>
              <button
                type="button"
                onClick={download}
                className="rounded border border-slate-300 px-2 py-1 text-slate-700 hover:bg-slate-50"
                data-testid={testId ? `${testId}-csv` : undefined}
              >
                Download CSV
              </button>
            </>
          )}
        </div>
      </div>
      <div className="mt-3">
        {isEmpty ? (
          <p
            className="flex min-h-32 items-center justify-center rounded border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600"
            data-testid={testId ? `${testId}-empty` : undefined}
          >
            {empty}
          </p>
        ) : asTable ? (
          <div className="max-h-96 overflow-auto">
            <table
              className="w-full text-left text-sm"
              data-testid={testId ? `${testId}-table` : undefined}
            >
              <thead className="sticky top-0 bg-white">
                <tr className="border-b border-slate-200">
                  {columns.map((c) => (
                    <th key={c.key} scope="col" className="px-2 py-1 font-medium text-slate-700">
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row, i) => {
                  const href = linkOf(hrefBase, row.href, links);
                  return (
                    <tr key={i} className="border-b border-slate-100">
                      {columns.map((c, j) => (
                        <td key={c.key} className={`px-2 py-1 ${c.format ? "tabular-nums" : ""}`}>
                          {j === 0 && href ? (
                            <Link href={href} className="text-brand-700 underline">
                              {cellText(c, row)}
                            </Link>
                          ) : (
                            cellText(c, row)
                          )}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          children
        )}
      </div>
    </section>
  );
}
