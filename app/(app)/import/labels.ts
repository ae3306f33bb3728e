/*
 * Words and number formats shared by the import page and its wizard (server and client). Pure.
 */
import type { ImportPreset, ImportProgress, RunKind } from "@/lib/import/types";

export const kindLabel: Record<RunKind, string> = {
  complaints: "Complaints",
  activities: "Customer activity",
  archive: "Organisation archive",
};

export const presetLabel: Record<ImportPreset, string> = {
  generic: "Generic CSV",
  cfpb: "CFPB consumer-complaint export",
};

/** For tables: "Complaints (CFPB)". */
export const presetShortLabel: Record<ImportPreset, string> = {
  generic: "Complaints (CSV)",
  cfpb: "Complaints (CFPB)",
};

export const statusLabel: Record<ImportProgress["status"], string> = {
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  stopped: "Stopped at a bad row",
  interrupted: "Interrupted",
};

export const statusClass: Record<ImportProgress["status"], string> = {
  running: "bg-sky-100 text-sky-800 ring-sky-200",
  completed: "bg-emerald-100 text-emerald-800 ring-emerald-200",
  failed: "bg-red-100 text-red-800 ring-red-200",
  stopped: "bg-amber-100 text-amber-800 ring-amber-200",
  interrupted: "bg-amber-100 text-amber-800 ring-amber-200",
};

const counts = new Intl.NumberFormat("en-US");

/** "2,067". */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** "12.4 MB", "830 KB": the size of a file. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

/** Rows that made it in, whether new, changed or already there. */
export function rowsImported(p: ImportProgress): number {
  return p.rowsCreated + p.rowsUpdated + p.rowsUnchanged;
}

/** "2,067 imported: 2,067 new, 0 updated, 0 unchanged · 1 rejected". */
export function summaryText(p: ImportProgress): string {
  return (
    `${formatCount(rowsImported(p))} imported: ${formatCount(p.rowsCreated)} new, ` +
    `${formatCount(p.rowsUpdated)} updated, ${formatCount(p.rowsUnchanged)} unchanged · ` +
    `${formatCount(p.rowsRejected)} rejected`
  );
}

/** Where the run's rejected rows download, as CSV. */
export const reportHref = (runId: string) => `/import/runs/${runId}/report`;
export const progressHref = (runId: string) => `/import/runs/${runId}/progress`;
/** Outside the proxy's matcher, so the body streams instead of being buffered (see proxy.ts). */
export const uploadHref = (runId: string) => `/import/upload/${runId}`;
