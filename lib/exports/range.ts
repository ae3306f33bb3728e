import { z } from "zod";
import { isoDate } from "@/lib/complaints/list";

/** An inclusive range of UTC days; either end may be open. */
export interface ExportRange {
  from?: string;
  to?: string;
}

const day = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
  isoDate.optional(),
);

export const REVERSED_RANGE = "The end date must be on or after the start date.";

/**
 * from/to (YYYY-MM-DD, UTC days, both inclusive) from the URL. Unlike the list, a bad date is an
 * error, not dropped: a download that silently ignored a filter would hand out more data than
 * was asked for.
 */
export const exportRangeSchema = z
  .object({
    from: day.describe("First UTC day, YYYY-MM-DD"),
    to: day.describe("Last UTC day, YYYY-MM-DD (inclusive)"),
  })
  .refine((r) => !r.from || !r.to || r.from <= r.to, {
    path: ["to"],
    message: REVERSED_RANGE,
  });

export function rangeBounds(range: ExportRange): { start?: Date; end?: Date } {
  const end = range.to ? new Date(`${range.to}T00:00:00Z`) : undefined;
  end?.setUTCDate(end.getUTCDate() + 1);
  return { start: range.from ? new Date(`${range.from}T00:00:00Z`) : undefined, end };
}

/** "audit-trail-2026-01-01-to-2026-03-31.csv", or "…-all-to-2026-11-23.csv" when open-ended. */
export function exportFileName(kind: string, range: ExportRange, now = new Date()): string {
  const today = now.toISOString().slice(0, 10);
  if (!range.from && !range.to) return `${kind}-${today}.csv`;
  return `${kind}-${range.from ?? "start"}-to-${range.to ?? today}.csv`;
}
