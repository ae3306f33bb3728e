import { badge } from "@/app/(app)/complaints/[id]/ui";
import { formatDateTime } from "@/app/(app)/complaints/_list/labels";
import type { ImportProgress } from "@/lib/import";
import {
  formatCount,
  kindLabel,
  presetShortLabel,
  reportHref,
  statusClass,
  statusLabel,
} from "./labels";

const th = "px-3 py-2 font-medium";
const num = "px-3 py-2 text-right tabular-nums";

/** The organisation's recent imports, newest first, each with its report when rows were rejected. */
export function RunHistory({ runs }: { runs: ImportProgress[] }) {
  if (runs.length === 0) {
    return (
      <div
        data-testid="no-imports"
        className="mt-3 rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center"
      >
        <p className="font-medium text-slate-900">No imports yet</p>
        <p className="mt-1 text-sm text-slate-600">
          Files you import appear here with what they created, updated and rejected.
        </p>
      </div>
    );
  }
  // relative: the sr-only caption (absolutely placed) is clipped with the table instead of
  // widening the page on a phone.
  return (
    <div className="relative mt-3 overflow-x-auto [contain:inline-size] rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="import-history">
        <caption className="sr-only">Past imports, newest first</caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th scope="col" className={th}>
              File and kind
            </th>
            <th scope="col" className={th}>
              Started (UTC)
            </th>
            <th scope="col" className={th}>
              Started by
            </th>
            <th scope="col" className={th}>
              Status
            </th>
            <th scope="col" className={`${th} text-right`}>
              New
            </th>
            <th scope="col" className={`${th} text-right`}>
              Updated
            </th>
            <th scope="col" className={`${th} text-right`}>
              Unchanged
            </th>
            <th scope="col" className={`${th} text-right`}>
              Rejected
            </th>
            <th scope="col" className={th}>
              <span className="sr-only">Report</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.map((run) => (
            <tr key={run.runId} data-testid="import-run" data-run-id={run.runId}>
              <td className="max-w-72 px-3 py-2">
                <p className="truncate font-medium text-slate-900" title={run.fileName}>
                  {run.fileName}
                </p>
                <p className="text-xs text-slate-500">
                  {run.kind === "complaints" ? presetShortLabel[run.preset] : kindLabel[run.kind]}
                </p>
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                {formatDateTime(new Date(run.startedAt))}
              </td>
              <td className="max-w-48 truncate px-3 py-2 text-slate-600" data-testid="started-by">
                {run.startedByName ?? <span className="text-slate-400">—</span>}
              </td>
              <td className="px-3 py-2">
                <span
                  className={`${badge} ${statusClass[run.status]}`}
                  title={run.message ?? undefined}
                  data-testid="import-status"
                >
                  {statusLabel[run.status]}
                </span>
                {/* The full explanation is the badge's title; the row stays one line high. */}
                {run.status === "interrupted" && (
                  <p className="mt-1 max-w-36 text-xs text-amber-800">
                    Cut off: import the file again
                  </p>
                )}
              </td>
              <td className={num}>{formatCount(run.rowsCreated)}</td>
              <td className={num}>{formatCount(run.rowsUpdated)}</td>
              <td className={num}>{formatCount(run.rowsUnchanged)}</td>
              <td className={`${num} ${run.rowsRejected ? "font-medium text-red-700" : ""}`}>
                {formatCount(run.rowsRejected)}
              </td>
              <td className="whitespace-nowrap px-3 py-2">
                {run.rowsRejected > 0 && (
                  <a
                    href={reportHref(run.runId)}
                    className="text-brand-700 hover:underline"
                    download
                  >
                    Report (CSV)
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
