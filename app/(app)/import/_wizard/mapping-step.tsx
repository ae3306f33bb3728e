"use client";

import { inputClass } from "@/app/_components/field";
import { primaryButton, secondaryButton } from "@/app/(app)/complaints/[id]/ui";
import { importFields } from "@/lib/import/fields";
import type { ImportKind, ImportMapping, ImportPreset } from "@/lib/import/types";
import { presetLabel } from "../labels";
import type { SampleRecord } from "./csv-sample";
import { MappingOptions } from "./mapping-options";

type Options = ImportMapping["options"];
type FieldErrors = Record<string, string[]>;

/** A mapping error, whichever path the server named it by. */
export function mappingError(errors: FieldErrors, key: string): string | undefined {
  return (errors[`mapping.columns.${key}`] ?? errors[`columns.${key}`] ?? errors[key])?.[0];
}

/** Step 2: one row per field, each with a choice of the file's columns and an example value. */
export function MappingStep({
  kind,
  headers,
  examples,
  detected,
  mapping,
  teams,
  errors,
  formError,
  pending,
  onPreset,
  onColumn,
  onOptions,
  onBack,
  onPreview,
}: {
  kind: ImportKind;
  headers: string[];
  examples: SampleRecord[];
  detected: ImportPreset;
  mapping: ImportMapping;
  teams: { id: string; name: string }[];
  errors: FieldErrors;
  formError: string | null;
  pending: boolean;
  onPreset: (preset: ImportPreset) => void;
  onColumn: (key: string, header: string | null) => void;
  onOptions: (options: Options) => void;
  onBack: () => void;
  onPreview: () => void;
}) {
  const fields = importFields(kind, mapping.preset);
  const example = (header: string | null) => {
    if (!header) return "";
    const index = headers.indexOf(header);
    return examples.map((r) => r.values[index] ?? "").find((v) => v.trim() !== "") ?? "";
  };
  const options = mapping.options;
  return (
    <form
      className="space-y-5"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onPreview();
      }}
    >
      {kind === "complaints" && (
        <div className="flex flex-wrap items-end gap-4">
          <div>
            <label htmlFor="import-preset" className="block text-sm font-medium text-slate-700">
              File format
            </label>
            <select
              id="import-preset"
              value={mapping.preset}
              onChange={(e) => onPreset(e.target.value as ImportPreset)}
              className={`${inputClass} mt-1 w-72`}
            >
              {(Object.keys(presetLabel) as ImportPreset[]).map((p) => (
                <option key={p} value={p}>
                  {presetLabel[p]}
                </option>
              ))}
            </select>
          </div>
          {detected === "cfpb" && (
            <p
              data-testid="detected-preset"
              className="rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-brand-900"
            >
              This looks like a CFPB consumer-complaint export: its columns are mapped for you.
            </p>
          )}
        </div>
      )}

      <div className="overflow-x-auto [contain:inline-size] rounded-lg border border-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Which column of the file fills each field</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                Field in Turnaround
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Column in your file
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                First value
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {fields.map((field) => {
              const id = `map-${field.key}`;
              const error = mappingError(errors, field.key);
              const column = mapping.columns[field.key] ?? null;
              return (
                <tr key={field.key} className="align-top" data-testid="mapping-row">
                  <th scope="row" className="w-2/5 px-4 py-2 text-left font-normal">
                    <label htmlFor={id} className="font-medium text-slate-900">
                      {field.label}
                      {field.required && (
                        <>
                          <span aria-hidden="true" className="ml-0.5 text-red-700">
                            *
                          </span>
                          <span className="sr-only"> (required)</span>
                        </>
                      )}
                    </label>
                    <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
                      {field.hint}
                    </p>
                  </th>
                  <td className="px-4 py-2">
                    <select
                      id={id}
                      value={column ?? ""}
                      onChange={(e) => onColumn(field.key, e.target.value || null)}
                      className={inputClass}
                      aria-invalid={Boolean(error)}
                      aria-describedby={error ? `${id}-error` : `${id}-hint`}
                    >
                      <option value="">— Not in this file —</option>
                      {headers.map((h, i) => (
                        <option key={`${i}-${h}`} value={h}>
                          {h || `(column ${i + 1}, no name)`}
                        </option>
                      ))}
                    </select>
                    {error && (
                      <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
                        {error}
                      </p>
                    )}
                  </td>
                  <td
                    className="max-w-xs truncate px-4 py-2 text-slate-600"
                    title={example(column)}
                  >
                    {example(column) || <span className="text-slate-400">—</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <MappingOptions
        kind={kind}
        preset={mapping.preset}
        options={options}
        teams={teams}
        errors={errors}
        onOptions={onOptions}
      />

      {formError && (
        <p role="alert" data-testid="mapping-message" className="text-sm text-red-700">
          {formError}
        </p>
      )}
      <div className="flex gap-3">
        <button type="button" className={secondaryButton} onClick={onBack}>
          Back
        </button>
        <button type="submit" className={primaryButton} disabled={pending}>
          {pending ? "Preparing the preview…" : "Preview the first rows"}
        </button>
      </div>
    </form>
  );
}
