"use client";

import { inputClass } from "@/app/_components/field";
import { severityLabel } from "@/app/(app)/complaints/_list/labels";
import type { ImportKind, ImportMapping, ImportPreset } from "@/lib/import/types";

type Options = ImportMapping["options"];
type FieldErrors = Record<string, string[]>;

const optionError = (errors: FieldErrors, key: string) =>
  (errors[`mapping.options.${key}`] ?? errors[`options.${key}`] ?? errors[key])?.[0];

/** The mapping's options: defaults for missing values, and what the CFPB "Company" means. */
export function MappingOptions({
  kind,
  preset,
  options,
  teams,
  errors,
  onOptions,
}: {
  kind: ImportKind;
  preset: ImportPreset;
  options: Options;
  teams: { id: string; name: string }[];
  errors: FieldErrors;
  onOptions: (options: Options) => void;
}) {
  return (
    <fieldset className="grid gap-4 sm:grid-cols-3">
      <legend className="mb-2 text-sm font-semibold text-slate-900">When a value is missing</legend>
      {kind === "complaints" && (
        <div>
          <label htmlFor="opt-severity" className="block text-sm font-medium text-slate-700">
            Default severity
          </label>
          <select
            id="opt-severity"
            value={options.defaultSeverity ?? "moderate"}
            onChange={(e) =>
              onOptions({
                ...options,
                defaultSeverity: e.target.value as Options["defaultSeverity"],
              })
            }
            className={`${inputClass} mt-1`}
          >
            {Object.entries(severityLabel).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      )}
      {kind === "complaints" && preset === "cfpb" && (
        <CompanyOptions options={options} teams={teams} errors={errors} onOptions={onOptions} />
      )}
      {kind === "activities" && (
        <div>
          <label htmlFor="opt-currency" className="block text-sm font-medium text-slate-700">
            Default currency
          </label>
          <input
            id="opt-currency"
            value={options.defaultCurrency ?? ""}
            maxLength={3}
            onChange={(e) =>
              onOptions({ ...options, defaultCurrency: e.target.value.toUpperCase() })
            }
            className={`${inputClass} mt-1 w-24 uppercase`}
            aria-invalid={Boolean(optionError(errors, "defaultCurrency"))}
          />
          <p className="mt-1 text-xs text-red-700">{optionError(errors, "defaultCurrency")}</p>
        </div>
      )}
    </fieldset>
  );
}

/** CFPB "Company": the user decides what it means in their organisation. */
function CompanyOptions({
  options,
  teams,
  errors,
  onOptions,
}: {
  options: Options;
  teams: { id: string; name: string }[];
  errors: FieldErrors;
  onOptions: (options: Options) => void;
}) {
  const teamError = optionError(errors, "companyTeamId");
  return (
    <>
      <div>
        <label htmlFor="opt-company" className="block text-sm font-medium text-slate-700">
          The “Company” column is
        </label>
        <select
          id="opt-company"
          value={options.companyTo ?? "ignore"}
          onChange={(e) =>
            onOptions({ ...options, companyTo: e.target.value as Options["companyTo"] })
          }
          className={`${inputClass} mt-1`}
        >
          <option value="ignore">Ignored</option>
          <option value="product">One of our product lines</option>
          <option value="team">Handled by one of our teams</option>
        </select>
      </div>
      {options.companyTo === "team" && (
        <div>
          <label htmlFor="opt-team" className="block text-sm font-medium text-slate-700">
            Which team gets these complaints
          </label>
          <select
            id="opt-team"
            value={options.companyTeamId ?? ""}
            onChange={(e) => onOptions({ ...options, companyTeamId: e.target.value || null })}
            className={`${inputClass} mt-1`}
            aria-invalid={Boolean(teamError)}
            aria-describedby={teamError ? "opt-team-error" : undefined}
          >
            <option value="">Choose a team</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          {teamError && (
            <p id="opt-team-error" className="mt-1 text-sm text-red-700">
              {teamError}
            </p>
          )}
        </div>
      )}
    </>
  );
}
