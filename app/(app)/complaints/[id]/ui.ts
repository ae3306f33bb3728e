/*
 * Labels, colours and date formatting shared by the complaint pages (server and client). Pure:
 * no React, no data access.
 */
import type { ComplaintStatus, Severity } from "@/db/schema";

// One set of labels for every complaint page (the list defines them).
export { channelLabel, severityLabel, statusLabel } from "../_list/labels";

export const card = "rounded-lg border border-slate-200 bg-white p-5 shadow-sm";
export const cardHeading = "text-base font-semibold text-slate-900";
export const primaryButton =
  "inline-flex items-center justify-center rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-60";
export const secondaryButton =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60";
export const smallButton =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60";
export const mutedText = "text-sm text-slate-500";

export const statusClass: Record<ComplaintStatus, string> = {
  new: "bg-sky-100 text-sky-800 ring-sky-200",
  in_progress: "bg-amber-100 text-amber-800 ring-amber-200",
  resolved: "bg-emerald-100 text-emerald-800 ring-emerald-200",
  closed: "bg-slate-100 text-slate-700 ring-slate-200",
};

export const severityClass: Record<Severity, string> = {
  minor: "bg-slate-100 text-slate-700 ring-slate-200",
  moderate: "bg-yellow-50 text-yellow-800 ring-yellow-200",
  major: "bg-orange-100 text-orange-800 ring-orange-200",
  critical: "bg-red-100 text-red-800 ring-red-200",
};

export { remedyKindLabel } from "@/lib/labels";

export const remedyStatusClass: Record<string, string> = {
  offered: "bg-sky-50 text-sky-800 ring-sky-200",
  accepted: "bg-indigo-50 text-indigo-800 ring-indigo-200",
  declined: "bg-slate-100 text-slate-600 ring-slate-200",
  delivered: "bg-emerald-100 text-emerald-800 ring-emerald-200",
};

export const sentimentLabel: Record<number, string> = {
  1: "Furious",
  2: "Upset",
  3: "Neutral",
  4: "Pleased",
  5: "Delighted",
};

export const signalLabel: Record<string, string> = {
  referral: "Referral",
  positive_review: "Positive review",
  testimonial: "Testimonial",
  repeat_purchase: "Repeat purchase",
};

export const activityLabel: Record<string, string> = {
  purchase: "Purchase",
  renewal: "Renewal",
  cancellation: "Cancellation",
  referral: "Referral",
  review: "Review",
  survey: "Survey",
};

export const badge = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1";

/** "23 Nov 2026, 14:05" in the organisation's zone. */
export function formatDateTime(iso: string | null, timeZone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(iso));
}

/** "23 Nov 2026". */
export function formatDate(iso: string | null, timeZone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone,
  }).format(new Date(iso));
}

/** "14:05". */
export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(iso));
}

/** "3 h", "2 d", "45 min": the size of a span, for "due in …" and "… ago". */
export function formatSpan(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/** "Tue 24 Nov 2026": a day heading for the timeline, in the organisation's zone. */
export function dayKey(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone,
  }).format(new Date(iso));
}
