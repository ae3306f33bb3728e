"use client";

import { primaryButton, secondaryButton } from "@/app/(app)/complaints/[id]/ui";
import type { ImportField, ImportMode, ImportPreview } from "@/lib/import/types";
import { CauseMapping, type CauseMappingProps } from "./cause-mapping";

const modeLabel: Record<ImportMode, { title: string; hint: string }> = {
  skip: {
    title: "Skip bad rows and report them",
    hint: "Every good row is imported; each bad one is listed in a report you can download.",
  },
  stop: {
    title: "Stop at the first bad row",
    hint: "Nothing after the first bad row is imported, so you can fix the file and run it again.",
  },
};

/** Labels for what the preview shows beyond the mapped fields (e.g. a CFPB remedy). */
const extraLabels: Record<string, string> = {
  customer: "Customer",
  remedy: "Remedy",
  regulatedIssue: "Regulated issue",
};

type Row = ImportPreview["rows"][number];

/** How many rows the preview shows (later ones only when they have a problem). */
const PREVIEW_ROWS = 10;

/**
 * Step 3: the first rows as they will be stored, each rejected value marked with its reason.
 * Problems with the file as a whole are shown first and block the import. A CFPB file's issues
 * are mapped onto the root-cause taxonomy, and the import waits until that is confirmed.
 */
export function PreviewStep({
  preview,
  fields,
  labels,
  rawValue,
  notice,
  causes = null,
  mode,
  formError,
  pending,
  onMode,
  onBack,
  onStart,
}: {
  preview: ImportPreview;
  fields: ImportField[];
  /** Every field's label, whatever the format (stored values can go beyond the mapped ones). */
  labels: Record<string, string>;
  /** The value as the file has it, for a rejected row (which has nothing stored to show). */
  rawValue: (line: number, key: string) => string | undefined;
  /** Why there is nothing to preview although the file may be fine. */
  notice: string | null;
  /** A CFPB complaint file: the root-cause mapping to confirm (null for other files). */
  causes?: CauseMappingProps | null;
  mode: ImportMode;
  formError: string | null;
  pending: boolean;
  onMode: (mode: ImportMode) => void;
  onBack: () => void;
  onStart: () => void;
}) {
  const labelOf = (key: string) =>
    fields.find((f) => f.key === key)?.label ?? labels[key] ?? extraLabels[key] ?? key;
  // Columns: the mapped fields in their order, then anything else stored; empty ones left out.
  const keys = [
    ...new Set([
      ...fields.map((f) => f.key),
      ...preview.rows.flatMap((r) => [...Object.keys(r.values), ...r.errors.map((e) => e.field)]),
    ]),
  ];
  // The first rows, and any later row with a problem, so none is hidden.
  const rows = preview.rows.filter((r, i) => i < PREVIEW_ROWS || r.errors.length > 0);
  const laterBad = rows.length - Math.min(PREVIEW_ROWS, preview.rows.length);
  const cell = (row: Row, key: string) =>
    row.errors.length && Object.keys(row.values).length === 0
      ? (rawValue(row.line, key) ?? "")
      : (row.values[key] ?? "");
  // "(row)" problems (e.g. a wrong number of columns) belong to no column.
  const shown = keys.filter(
    (key) =>
      !key.startsWith("(") &&
      rows.some((r) => cell(r, key) !== "" || r.errors.some((e) => e.field === key)),
  );
  const otherErrors = (row: Row) => row.errors.filter((e) => !shown.includes(e.field));
  const hasOther = rows.some((r) => otherErrors(r).length > 0);
  const badRows = rows.filter((r) => r.errors.length > 0).length;
  const blocked = preview.fileErrors.length > 0;
  const unconfirmed = causes !== null && causes.options.taxonomyConfirmed !== true;

  return (
    <div className="space-y-5">
      {blocked && (
        <div
          role="alert"
          data-testid="file-errors"
          className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
        >
          <p className="font-semibold">This file cannot be imported as it is:</p>
          <ul className="mt-1 list-disc pl-5">
            {preview.fileErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}

      {rows.length > 0 ? (
        <>
          <p className="text-sm text-slate-600">
            The first {rows.length - laterBad} rows as they will be stored
            {laterBad > 0
              ? `, and ${laterBad} later ${laterBad === 1 ? "row" : "rows"} with a problem`
              : ""}
            .{" "}
            {badRows > 0
              ? `${badRows} ${badRows === 1 ? "row has a problem" : "rows have problems"}, marked in red: ${badRows === 1 ? "it" : "they"} will not be imported.`
              : "No problems in these rows."}
          </p>
          <div className="overflow-x-auto [contain:inline-size] rounded-lg border border-slate-200 bg-white">
            <table
              className="min-w-full divide-y divide-slate-200 text-sm"
              data-testid="preview-table"
            >
              <caption className="sr-only">Preview of the first rows</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Line
                  </th>
                  {shown.map((key) => (
                    <th key={key} scope="col" className="whitespace-nowrap px-3 py-2 font-medium">
                      {labelOf(key)}
                    </th>
                  ))}
                  {hasOther && (
                    <th scope="col" className="px-3 py-2 font-medium">
                      Other problems
                    </th>
                  )}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => (
                  <tr
                    key={row.line}
                    data-testid="preview-row"
                    data-line={row.line}
                    className={`align-top ${row.errors.length ? "bg-red-50/40" : ""}`}
                  >
                    <th
                      scope="row"
                      className="whitespace-nowrap px-3 py-2 text-left font-normal text-slate-500"
                    >
                      {row.line}
                      {row.errors.length > 0 && (
                        <span className="block text-xs font-medium text-red-700">Rejected</span>
                      )}
                    </th>
                    {shown.map((key) => {
                      const errors = row.errors.filter((e) => e.field === key);
                      const value = cell(row, key);
                      return (
                        <td
                          key={key}
                          data-field={key}
                          data-testid={errors.length ? "preview-error" : undefined}
                          className={`min-w-28 max-w-64 px-3 py-2 ${
                            errors.length
                              ? "bg-red-100 text-red-900"
                              : row.errors.length
                                ? "text-slate-400"
                                : "text-slate-700"
                          }`}
                        >
                          <span className="line-clamp-2 break-words" title={value}>
                            {value || <span className="text-slate-400">—</span>}
                          </span>
                          {errors.map((e) => (
                            <span key={e.reason} className="mt-0.5 block text-xs font-medium">
                              {e.reason}
                            </span>
                          ))}
                        </td>
                      );
                    })}
                    {hasOther && (
                      <td className="px-3 py-2 text-red-900">
                        {otherErrors(row).map((e) => (
                          <span
                            key={`${e.field}-${e.reason}`}
                            data-testid="preview-error"
                            className="block text-xs font-medium"
                          >
                            {e.field.startsWith("(") ? "" : `${labelOf(e.field)}: `}
                            {e.reason}
                          </span>
                        ))}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        notice && (
          <p
            data-testid="preview-notice"
            className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
          >
            {notice}
          </p>
        )
      )}

      {causes && !blocked && <CauseMapping {...causes} />}

      <fieldset>
        <legend className="text-sm font-semibold text-slate-900">When a row is bad</legend>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          {(Object.keys(modeLabel) as ImportMode[]).map((m) => (
            <label
              key={m}
              className={`flex cursor-pointer gap-3 rounded-md border px-4 py-3 text-sm ${
                mode === m ? "border-brand-600 bg-brand-50" : "border-slate-200 hover:bg-slate-50"
              }`}
            >
              <input
                type="radio"
                name="mode"
                value={m}
                checked={mode === m}
                onChange={() => onMode(m)}
                className="mt-0.5"
              />
              <span>
                <span className="block font-medium text-slate-900">{modeLabel[m].title}</span>
                <span className="mt-0.5 block text-slate-600">{modeLabel[m].hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {formError && (
        <p role="alert" data-testid="start-message" className="text-sm text-red-700">
          {formError}
        </p>
      )}
      {unconfirmed && !blocked && (
        <p id="start-hint" className="text-sm text-slate-600">
          Check the root causes above and confirm them to import the file.
        </p>
      )}
      <div className="flex flex-wrap gap-3">
        <button type="button" className={secondaryButton} onClick={onBack}>
          Back to mapping
        </button>
        <button
          type="button"
          className={primaryButton}
          disabled={blocked || pending || unconfirmed}
          aria-describedby={unconfirmed && !blocked ? "start-hint" : undefined}
          onClick={onStart}
        >
          {pending ? "Starting…" : "Import the whole file"}
        </button>
      </div>
    </div>
  );
}
