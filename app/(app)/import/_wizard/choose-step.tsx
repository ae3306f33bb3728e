"use client";

import { useId } from "react";
import { inputClass } from "@/app/_components/field";
import { primaryButton } from "@/app/(app)/complaints/[id]/ui";
import type { ImportKind } from "@/lib/import/types";
import { formatBytes, kindLabel } from "../labels";

const kindHint: Record<ImportKind, string> = {
  complaints:
    "From a helpdesk export or the CFPB consumer-complaint export. Re-importing a file updates what changed and creates nothing twice.",
  activities:
    "Purchases, renewals, cancellations, referrals and reviews, with customer reference, date, amount and currency. Retention and ROI come from this.",
};

/** Step 1: what is being imported, and which file. A real file input, labelled, keyboard friendly. */
export function ChooseStep({
  kind,
  file,
  error,
  pending,
  onKind,
  onFile,
  onContinue,
}: {
  kind: ImportKind;
  file: File | null;
  error: string | null;
  pending: boolean;
  onKind: (kind: ImportKind) => void;
  onFile: (file: File | null) => void;
  onContinue: () => void;
}) {
  const fileId = useId();
  return (
    <form
      className="space-y-5"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onContinue();
      }}
    >
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">What is in the file?</legend>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          {(Object.keys(kindLabel) as ImportKind[]).map((k) => (
            <label
              key={k}
              className={`flex cursor-pointer gap-3 rounded-md border px-4 py-3 text-sm ${
                kind === k ? "border-brand-600 bg-brand-50" : "border-slate-200 hover:bg-slate-50"
              }`}
            >
              <input
                type="radio"
                name="kind"
                value={k}
                checked={kind === k}
                onChange={() => onKind(k)}
                className="mt-0.5"
              />
              <span>
                <span className="block font-medium text-slate-900">{kindLabel[k]}</span>
                <span className="mt-0.5 block text-slate-600">{kindHint[k]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div>
        <label htmlFor={fileId} className="block text-sm font-medium text-slate-700">
          CSV file
        </label>
        <input
          id={fileId}
          type="file"
          accept=".csv,text/csv,text/plain"
          data-testid="import-file"
          className={`${inputClass} mt-1 file:mr-3 file:rounded file:border-0 file:bg-slate-100 file:px-3 file:py-1 file:text-sm file:font-medium file:text-slate-700`}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${fileId}-error` : `${fileId}-hint`}
          onChange={(event) => onFile(event.target.files?.[0] ?? null)}
        />
        {error ? (
          <p
            id={`${fileId}-error`}
            role="alert"
            data-testid="file-error"
            className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          >
            {error}
          </p>
        ) : (
          <p id={`${fileId}-hint`} className="mt-1 text-xs text-slate-500">
            {file
              ? `${file.name} · ${formatBytes(file.size)}. Only its first 64 KB are read now; the whole file is streamed when you import.`
              : "Comma-separated, UTF-8, with a header row. Any size: it is streamed, never loaded whole."}
          </p>
        )}
      </div>

      <button type="submit" className={primaryButton} disabled={!file || pending}>
        {pending ? "Reading the file…" : "Continue to mapping"}
      </button>
    </form>
  );
}
