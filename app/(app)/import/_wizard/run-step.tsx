"use client";

import Link from "next/link";
import { primaryButton, secondaryButton } from "@/app/(app)/complaints/[id]/ui";
import type { ImportProgress } from "@/lib/import/types";
import { formatBytes, formatCount, reportHref, summaryText } from "../labels";

/** Step 4: live progress while the file streams in, then what happened. */
export function RunStep({
  unit = "row",
  fileName,
  totalBytes,
  progress,
  error,
  onAnother,
}: {
  /** What the file is made of: CSV rows, or an archive's lines. */
  unit?: "row" | "line";
  fileName: string;
  totalBytes: number;
  progress: ImportProgress | null;
  error: string | null;
  onAnother: () => void;
}) {
  const running = !error && (!progress || progress.status === "running");
  const total = progress?.totalBytes ?? totalBytes;
  const read = progress?.bytesRead ?? 0;
  const percent = total > 0 ? Math.min(100, Math.round((read / total) * 100)) : 0;
  const done = progress && progress.status !== "running";
  // A finished file was read to its end; a failed or stopped one shows where it got to.
  const shown = progress?.status === "completed" ? 100 : percent;

  return (
    <div className="space-y-5" aria-busy={running}>
      <div>
        <div className="flex items-baseline justify-between text-sm">
          <span className="font-medium text-slate-900">{fileName}</span>
          <span className="text-slate-600" data-testid="bytes-progress">
            {formatBytes(read)} of {formatBytes(total)} · {shown}%
          </span>
        </div>
        <div
          role="progressbar"
          aria-label="Bytes of the file read"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={shown}
          className="mt-2 h-3 overflow-hidden rounded-full bg-slate-100"
        >
          <div
            className={`h-full rounded-full transition-[width] duration-500 ${
              progress?.status === "failed"
                ? "bg-red-500"
                : progress?.status === "stopped" || progress?.status === "interrupted"
                  ? "bg-amber-500"
                  : "bg-brand-600"
            }`}
            style={{ width: `${shown}%` }}
          />
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-6" data-testid="import-progress">
        <Stat label={unit === "line" ? "Lines read" : "Rows read"} value={progress?.rowsRead} />
        <Stat label="New" value={progress?.rowsCreated} />
        <Stat label="Updated" value={progress?.rowsUpdated} />
        <Stat label="Unchanged" value={progress?.rowsUnchanged} />
        <Stat label="Rejected" value={progress?.rowsRejected} warn />
        <Stat
          label={unit === "line" ? "Lines per second" : "Rows per second"}
          value={progress ? Math.round(progress.rowsPerSecond) : undefined}
        />
      </dl>

      <div aria-live="polite">
        {running && (
          <p className="text-sm text-slate-600">
            Importing… Keep this page open until it finishes: the file is sent from your browser.
          </p>
        )}
        {progress && done && <Outcome progress={progress} />}
        {error && (
          <p
            role="alert"
            data-testid="run-error"
            className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
          >
            {error}
          </p>
        )}
      </div>

      {(done || error) && (
        <button type="button" className={secondaryButton} onClick={onAnother}>
          Import another file
        </button>
      )}
    </div>
  );
}

function Stat({
  label,
  value,
  warn,
}: {
  label: string;
  value: number | undefined;
  warn?: boolean;
}) {
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd
        className={`mt-0.5 text-lg font-semibold tabular-nums ${warn && value ? "text-red-700" : "text-slate-900"}`}
      >
        {value === undefined ? "—" : formatCount(value)}
      </dd>
    </div>
  );
}

function Outcome({ progress }: { progress: ImportProgress }) {
  const tone =
    progress.status === "completed"
      ? "border-emerald-200 bg-emerald-50 text-emerald-900"
      : progress.status === "stopped" || progress.status === "interrupted"
        ? "border-amber-300 bg-amber-50 text-amber-900"
        : "border-red-300 bg-red-50 text-red-900";
  const heading =
    progress.status === "completed"
      ? "Import finished"
      : progress.status === "stopped"
        ? "Import stopped at a bad row"
        : progress.status === "interrupted"
          ? "Import interrupted"
          : "Import failed";
  return (
    <div className={`space-y-3 rounded-md border px-4 py-3 text-sm ${tone}`}>
      <p className="font-semibold">{heading}</p>
      <p data-testid="import-summary">{summaryText(progress)}</p>
      {progress.status !== "completed" && progress.message && (
        <p data-testid="import-message">{progress.message}</p>
      )}
      <div className="flex flex-wrap gap-3">
        {progress.rowsRejected > 0 && (
          <a
            href={reportHref(progress.runId)}
            className={primaryButton}
            data-testid="report-link"
            download
          >
            Download the validation report (CSV)
          </a>
        )}
        {progress.kind === "complaints" && progress.rowsCreated + progress.rowsUpdated > 0 && (
          <Link href={`/complaints?importRun=${progress.runId}`} className={secondaryButton}>
            See imported complaints
          </Link>
        )}
      </div>
    </div>
  );
}
