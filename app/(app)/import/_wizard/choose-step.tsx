"use client";

import { useId } from "react";
import { inputClass } from "@/app/_components/field";
import { primaryButton } from "@/app/(app)/complaints/[id]/ui";
import { ARCHIVE_DOCS, ARCHIVE_SCHEMA_PATH } from "@/lib/archive/paths";
import type { ImportMode, RunKind } from "@/lib/import/types";
import { formatBytes, kindLabel } from "../labels";

const kindHint: Record<RunKind, string> = {
  complaints:
    "From a helpdesk export or the CFPB consumer-complaint export. Re-importing a file updates what changed and creates nothing twice.",
  activities:
    "Purchases, renewals, cancellations, referrals and reviews, with customer reference, date, amount and currency. Retention and ROI come from this.",
  archive:
    "Everything from another Turnaround organisation or installation: settings, people, customers, activity, complaints with their history. No mapping: the archive names its own fields.",
};

/** An archive has no columns to map, so how bad lines are treated is chosen here. */
const archiveModes: Record<ImportMode, { title: string; hint: string }> = {
  skip: {
    title: "Skip bad lines and report them",
    hint: "Every good line is imported; each bad one is listed in a report you can download.",
  },
  stop: {
    title: "Stop at the first bad line",
    hint: "Nothing after the first bad line is imported; fix it and import again (nothing is duplicated).",
  },
};

const choiceClass = (chosen: boolean) =>
  `flex cursor-pointer gap-3 rounded-md border px-4 py-3 text-sm ${
    chosen ? "border-brand-600 bg-brand-50" : "border-slate-200 hover:bg-slate-50"
  }`;

/**
 * Step 1: what is being imported, and which file. A real file input, labelled, keyboard friendly.
 * An organisation archive is offered only in `kinds` (the page asks lib who may); choosing it
 * also asks what to do with bad lines, and the next step is the import itself.
 */
export function ChooseStep({
  kinds,
  kind,
  file,
  mode,
  error,
  pending,
  onKind,
  onFile,
  onMode,
  onContinue,
}: {
  kinds: readonly RunKind[];
  kind: RunKind;
  file: File | null;
  mode: ImportMode;
  error: string | null;
  pending: boolean;
  onKind: (kind: RunKind) => void;
  onFile: (file: File | null) => void;
  onMode: (mode: ImportMode) => void;
  onContinue: () => void;
}) {
  const fileId = useId();
  const archive = kind === "archive";
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
        <div
          className={`mt-2 grid gap-3 sm:grid-cols-2 ${kinds.length > 2 ? "lg:grid-cols-3" : ""}`}
        >
          {kinds.map((k) => (
            <label key={k} className={choiceClass(kind === k)} data-testid={`import-kind-${k}`}>
              <input
                type="radio"
                name="kind"
                value={k}
                checked={kind === k}
                onChange={() => onKind(k)}
                className="mt-0.5"
              />
              <span>
                <span className="block font-medium text-slate-900">
                  {kindLabel[k]}
                  {k === "archive" && " (.jsonl)"}
                </span>
                <span className="mt-0.5 block text-slate-600">{kindHint[k]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div>
        <label htmlFor={fileId} className="block text-sm font-medium text-slate-700">
          {archive ? "Archive file (.jsonl)" : "CSV file"}
        </label>
        <input
          id={fileId}
          type="file"
          accept={
            archive
              ? ".jsonl,.ndjson,.json,application/x-ndjson,application/jsonl,text/plain"
              : ".csv,text/csv,text/plain"
          }
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
            {archive
              ? file
                ? `${file.name} · ${formatBytes(file.size)}. Streamed when you import; every line is checked on its own.`
                : "A Turnaround archive: JSON Lines, UTF-8, its first line the archive header (Exports › Organisation archive, or npm run export:archive). Any size: it is streamed, never loaded whole."
              : file
                ? `${file.name} · ${formatBytes(file.size)}. Only its first 64 KB are read now; the whole file is streamed when you import.`
                : "Comma-separated, UTF-8, with a header row. Any size: it is streamed, never loaded whole."}
          </p>
        )}
        {archive && (
          <p className="mt-1 text-xs text-slate-500" data-testid="archive-format">
            Records are matched by reference, so importing an archive again updates and duplicates
            nothing. Format: <code>{ARCHIVE_DOCS}</code> ·{" "}
            <a
              href={ARCHIVE_SCHEMA_PATH}
              target="_blank"
              rel="noreferrer"
              className="font-medium text-brand-700 hover:underline"
            >
              JSON Schema
            </a>
          </p>
        )}
      </div>

      {archive && (
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">When a line is bad</legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            {(Object.keys(archiveModes) as ImportMode[]).map((m) => (
              <label key={m} className={choiceClass(mode === m)}>
                <input
                  type="radio"
                  name="mode"
                  value={m}
                  checked={mode === m}
                  onChange={() => onMode(m)}
                  className="mt-0.5"
                />
                <span>
                  <span className="block font-medium text-slate-900">{archiveModes[m].title}</span>
                  <span className="mt-0.5 block text-slate-600">{archiveModes[m].hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}

      <button type="submit" className={primaryButton} disabled={!file || pending}>
        {archive
          ? pending
            ? "Starting…"
            : "Import the archive"
          : pending
            ? "Reading the file…"
            : "Continue to mapping"}
      </button>
    </form>
  );
}
