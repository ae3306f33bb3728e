"use client";

import { inputClass } from "@/app/_components/field";
import type { CauseProposal, CauseTarget, ImportMapping, ImportPreview } from "@/lib/import/types";

type Options = ImportMapping["options"];
type FieldErrors = Record<string, string[]>;

/** What the preview step needs to show a CFPB file's root-cause mapping. */
export interface CauseMappingProps {
  /** The preview's proposal (absent when nothing of the file could be previewed). */
  proposal: CauseProposal | undefined;
  options: Options;
  errors: FieldErrors;
  onOptions: (options: Options) => void;
}

/**
 * The mapping after a new preview: the proposal for the sample's issues (earlier choices included,
 * lib decides), issues not in the sample by `otherIssues`, and not confirmed yet — whatever was
 * confirmed before was confirmed for another preview.
 */
export function withProposal(mapping: ImportMapping, preview: ImportPreview): ImportMapping {
  if (mapping.preset !== "cfpb") return mapping;
  return {
    ...mapping,
    options: {
      ...mapping.options,
      causes: Object.fromEntries((preview.causes?.issues ?? []).map((i) => [i.issue, i.proposed])),
      otherIssues: mapping.options.otherIssues ?? { to: "new" },
      taxonomyConfirmed: false,
    },
  };
}

const encode = (t: CauseTarget) =>
  t.to === "cause" ? `cause:${t.causeId}` : t.to === "new" ? `new:${t.categoryKey}` : "none";
function decode(value: string): CauseTarget {
  if (value.startsWith("cause:")) return { to: "cause", causeId: value.slice(6) };
  if (value.startsWith("new:")) return { to: "new", categoryKey: value.slice(4) };
  return { to: "none" };
}

const whyText: Record<CauseProposal["issues"][number]["why"], string> = {
  chosen: "As chosen for your last CFPB import",
  "same-name": "An existing cause has this name",
  guessed: "Category guessed from the issue's words",
  "no-category": "No category of yours fits its words",
};

/** The first error of a field, whichever path the server named it by. */
function errorOf(errors: FieldErrors, path: string): string | undefined {
  for (const [key, messages] of Object.entries(errors)) {
    const bare = key.replace(/^mapping\./, "");
    if (bare === path || bare.startsWith(`${path}.`)) return messages[0];
  }
  return undefined;
}

/**
 * A CFPB file's issues and the root cause each one's complaints will be filed under: an existing
 * cause, a new cause (named after the issue) under one of the organisation's categories, or
 * none; what happens to issues further down the file; and the confirmation the import waits for.
 */
export function CauseMapping({ proposal, options, errors, onOptions }: CauseMappingProps) {
  const issues = proposal?.issues ?? [];
  const categories = proposal?.categories ?? [];
  const sampleRows = issues.reduce((sum, i) => sum + i.rows, 0);
  const causes = options.causes ?? {};
  const confirmError = errorOf(errors, "options.taxonomyConfirmed");
  const otherError = errorOf(errors, "options.otherIssues");
  const other = options.otherIssues?.to ?? "new";
  // An existing cause's category, said beside the select (its option shows only the name).
  const categoryOfCause = new Map(
    categories.flatMap((c) => c.causes.map((cause) => [cause.id, c.name] as const)),
  );

  return (
    <section
      aria-labelledby="cause-mapping-heading"
      data-testid="cause-mapping"
      className="rounded-lg border border-slate-200 bg-slate-50/60 p-3 sm:p-4"
    >
      <h3 id="cause-mapping-heading" className="text-base font-semibold text-slate-900">
        Root causes
      </h3>
      <p className="mt-1 text-sm text-slate-600">
        Each CFPB issue in the first {sampleRows.toLocaleString("en")}{" "}
        {sampleRows === 1 ? "row" : "rows"} of the file, and the root cause its complaints will be
        filed under. A new cause is named after the issue and added to your taxonomy when the import
        runs.
      </p>

      {issues.length > 0 && (
        <ul className="mt-3 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
          {issues.map((item, index) => {
            const id = `cause-${index}`;
            const value = causes[item.issue] ?? item.proposed;
            const asProposed = encode(value) === encode(item.proposed);
            const error = errorOf(errors, `options.causes.${item.issue}`);
            return (
              <li
                key={item.issue}
                data-testid="cause-row"
                className="grid gap-2 px-3 py-3 sm:grid-cols-[minmax(0,1fr)_minmax(16rem,26rem)] sm:items-start sm:gap-4"
              >
                <div className="min-w-0">
                  <label
                    htmlFor={id}
                    className="block break-words text-sm font-medium text-slate-900"
                  >
                    {item.issue}
                  </label>
                  <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
                    {item.rows.toLocaleString("en")} {item.rows === 1 ? "row" : "rows"}
                    {value.to === "cause" && categoryOfCause.has(value.causeId)
                      ? ` · Existing cause in ${categoryOfCause.get(value.causeId)}`
                      : ""}
                    {asProposed ? ` · ${whyText[item.why]}` : " · Changed by you"}
                  </p>
                </div>
                <div>
                  <select
                    id={id}
                    value={encode(value)}
                    onChange={(e) =>
                      onOptions({
                        ...options,
                        causes: { ...causes, [item.issue]: decode(e.target.value) },
                      })
                    }
                    className={inputClass}
                    aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
                    aria-invalid={Boolean(error)}
                  >
                    {categories
                      .filter((c) => c.causes.length > 0)
                      .map((c) => (
                        <optgroup key={`causes-${c.key}`} label={`${c.name}: existing causes`}>
                          {c.causes.map((cause) => (
                            <option key={cause.id} value={`cause:${cause.id}`}>
                              {cause.name}
                            </option>
                          ))}
                        </optgroup>
                      ))}
                    {categories.length > 0 && (
                      <optgroup label="A new cause named after the issue">
                        {categories.map((c) => (
                          <option key={c.key} value={`new:${c.key}`}>
                            New cause under {c.name}
                          </option>
                        ))}
                      </optgroup>
                    )}
                    <option value="none">No root cause</option>
                  </select>
                  {error && (
                    <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
                      {error}
                    </p>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {categories.length === 0 && (
        <p className="mt-3 text-sm text-slate-600">
          Your taxonomy has no root-cause categories yet, so these complaints can only be imported
          without a root cause here. Add categories under Quality → Taxonomy to file them.
        </p>
      )}

      <fieldset className="mt-4" aria-describedby={otherError ? "cause-other-error" : undefined}>
        <legend className="text-sm font-medium text-slate-900">
          Issues further down the file, not listed here
        </legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {(
            [
              [
                "new",
                "File them as proposed",
                "Under an existing cause of the same name, else a new cause under the category the issue's words suggest (created if you have none).",
              ],
              ["none", "No root cause", "Quality can file them later."],
            ] as const
          ).map(([to, title, hint]) => (
            <label
              key={to}
              className={`flex cursor-pointer gap-3 rounded-md border px-3 py-2 text-sm ${
                other === to
                  ? "border-brand-600 bg-brand-50"
                  : "border-slate-200 bg-white hover:bg-slate-50"
              }`}
            >
              <input
                type="radio"
                name="other-issues"
                value={to}
                checked={other === to}
                onChange={() => onOptions({ ...options, otherIssues: { to } })}
                className="mt-0.5"
              />
              <span>
                <span className="block font-medium text-slate-900">{title}</span>
                <span className="mt-0.5 block text-slate-600">{hint}</span>
              </span>
            </label>
          ))}
        </div>
        {otherError && (
          <p id="cause-other-error" className="mt-1 text-sm text-red-700">
            {otherError}
          </p>
        )}
      </fieldset>

      <div
        className={`mt-4 rounded-md border px-3 py-2 ${
          options.taxonomyConfirmed ? "border-brand-600 bg-brand-50" : "border-slate-300 bg-white"
        }`}
      >
        <label className="flex cursor-pointer items-start gap-3 text-sm font-medium text-slate-900">
          <input
            type="checkbox"
            checked={options.taxonomyConfirmed === true}
            onChange={(e) => onOptions({ ...options, taxonomyConfirmed: e.target.checked })}
            aria-invalid={Boolean(confirmError)}
            aria-describedby={confirmError ? "cause-confirm-error" : undefined}
            className="mt-0.5 h-4 w-4"
            data-testid="confirm-causes"
          />
          I have checked how these issues map onto our root causes
        </label>
        {confirmError && (
          <p id="cause-confirm-error" className="mt-1 text-sm text-red-700">
            {confirmError}
          </p>
        )}
      </div>
    </section>
  );
}
