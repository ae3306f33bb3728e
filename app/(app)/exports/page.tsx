import type { Metadata } from "next";
import Link from "next/link";
import { inputClass } from "@/app/_components/field";
import { ARCHIVE_DOCS, ARCHIVE_DOWNLOAD_PATH, ARCHIVE_SCHEMA_PATH } from "@/lib/archive/paths";
import { exportChoices, type ArchiveChoice, type ExportChoice } from "@/lib/exports/choices";

export const metadata: Metadata = { title: "Exports" };

const number = new Intl.NumberFormat("en-US");

function rowsLabel(n: number, noun: string): string {
  return `${number.format(n)} ${noun}${n === 1 ? "" : "s"}`;
}

const nouns: Record<ExportChoice["kind"], string> = {
  "corrective-actions": "corrective action",
  "customer-activity": "activity record",
  "audit-trail": "audit event",
};

function ExportCard({ choice }: { choice: ExportChoice }) {
  const id = `export-${choice.kind}`;
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      data-testid={id}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
          {choice.title}
        </h2>
        <p className="text-sm text-slate-500">
          {choice.rows === null
            ? `For ${choice.who.toLowerCase()}`
            : rowsLabel(choice.rows, nouns[choice.kind])}
        </p>
      </div>
      <p className="mt-1 text-sm text-slate-600">{choice.description}</p>
      <p className="mt-1 text-xs text-slate-500">Who may download: {choice.who.toLowerCase()}.</p>
      {!choice.allowed ? (
        <p className="mt-4 rounded border border-dashed border-slate-300 p-3 text-sm text-slate-600">
          Your role cannot download this export. It is available to {choice.who.toLowerCase()}.
        </p>
      ) : choice.rows === 0 ? (
        <p
          className="mt-4 rounded border border-dashed border-slate-300 p-3 text-sm text-slate-600"
          data-testid={`${id}-empty`}
        >
          {choice.empty} Nothing to export.
        </p>
      ) : (
        <form
          method="get"
          action={`/exports/${choice.kind}`}
          className="mt-4 flex flex-wrap items-end gap-3"
        >
          <div>
            <label htmlFor={`${id}-from`} className="block text-sm font-medium text-slate-700">
              {choice.dated === "created" ? "Created from" : "From"}
            </label>
            <input
              id={`${id}-from`}
              name="from"
              type="date"
              className={`${inputClass} mt-1 w-44`}
            />
          </div>
          <div>
            <label htmlFor={`${id}-to`} className="block text-sm font-medium text-slate-700">
              {choice.dated === "created" ? "Created to (inclusive)" : "To (inclusive)"}
            </label>
            <input id={`${id}-to`} name="to" type="date" className={`${inputClass} mt-1 w-44`} />
          </div>
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
            data-testid={`${id}-download`}
          >
            Download CSV
          </button>
          <p className="basis-full text-xs text-slate-500">
            Leave both dates empty for everything. Filters on the date {choice.dated}.
          </p>
        </form>
      )}
    </section>
  );
}

const downloadButton =
  "inline-flex items-center rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600";

function ArchiveCard({ choice, complaints }: { choice: ArchiveChoice; complaints: number }) {
  const id = "export-archive";
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      data-testid={id}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
          {choice.title}
        </h2>
        <p className="text-sm text-slate-500">
          {choice.allowed
            ? `JSON Lines · ${rowsLabel(complaints, "complaint")} and everything else`
            : `For ${choice.who.toLowerCase()}`}
        </p>
      </div>
      <p className="mt-1 text-sm text-slate-600">{choice.description}</p>
      <p className="mt-1 text-xs text-slate-500">
        Who may download: {choice.who.toLowerCase()}. Format: <code>{ARCHIVE_DOCS}</code> ·{" "}
        <a
          href={ARCHIVE_SCHEMA_PATH}
          className="font-medium text-brand-700 hover:underline"
          data-testid={`${id}-schema`}
        >
          JSON Schema
        </a>
      </p>
      {choice.allowed ? (
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <a
            href={ARCHIVE_DOWNLOAD_PATH}
            download
            className={downloadButton}
            data-testid={`${id}-download`}
          >
            Download archive (.jsonl)
          </a>
          <p className="text-xs text-slate-500">
            One file, streamed however large; no date range — it is the whole organisation.
          </p>
        </div>
      ) : (
        <p className="mt-4 rounded border border-dashed border-slate-300 p-3 text-sm text-slate-600">
          Your role cannot download this export. It is available to {choice.who.toLowerCase()}.
        </p>
      )}
    </section>
  );
}

export default async function ExportsPage() {
  const { complaints, exports, archive } = await exportChoices();
  return (
    <section className="max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Exports</h1>
        <p className="mt-1 text-slate-600">
          Row-level CSV files, streamed however large (the organisation archive is JSON Lines).
          Times are ISO 8601 in UTC (the columns ending in <code>_utc</code>); date ranges are whole
          UTC days, both ends included. Cells that a spreadsheet would run as a formula start with{" "}
          <code>&apos;</code>. Every download is recorded in the audit trail.
        </p>
      </div>

      <section
        aria-labelledby="export-complaints-title"
        className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
        data-testid="export-complaints"
      >
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="export-complaints-title" className="text-lg font-semibold text-slate-900">
            Complaints
          </h2>
          <p className="text-sm text-slate-500">{rowsLabel(complaints, "complaint")}</p>
        </div>
        {complaints === 0 ? (
          <p className="mt-4 rounded border border-dashed border-slate-300 p-3 text-sm text-slate-600">
            No complaints have been recorded or imported yet. Nothing to export.
          </p>
        ) : (
          <p className="mt-1 text-sm text-slate-600">
            Export any complaint list: open the{" "}
            <Link href="/complaints" className="font-medium text-brand-700 hover:underline">
              complaints list
            </Link>
            , filter it (team, owner, channel, severity, product, root cause, dates, text), then
            choose <strong>Export CSV</strong>. The file holds exactly the filtered set, every page.
          </p>
        )}
      </section>

      {exports.map((choice) => (
        <ExportCard key={choice.kind} choice={choice} />
      ))}

      <ArchiveCard choice={archive} complaints={complaints} />
    </section>
  );
}
