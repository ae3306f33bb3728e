/**
 * The one rule for date ranges a user or client may ask for: days in the years 1970–2100, and
 * at most 5 calendar years from first to last day. Pages clamp to it and say so; the API
 * refuses (400) what breaks it; the complaint list drops a day outside the years.
 * A day is a UTC date as YYYY-MM-DD, so string order is date order.
 */
import { z } from "zod";

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;
/** The longest period, in calendar years (1 Jan 2020 → 31 Dec 2024 is exactly 5). */
export const MAX_SPAN_YEARS = 5;
export const MIN_DAY = `${MIN_YEAR}-01-01`;
export const MAX_DAY = `${MAX_YEAR}-12-31`;

export interface DayRange {
  from: string;
  to: string;
}

/** A real calendar day written YYYY-MM-DD, any year. */
export const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
  });

export const YEARS_MESSAGE = `Use a date from ${MIN_DAY} to ${MAX_DAY}.`;

export const isAllowedDay = (day: string): boolean => day >= MIN_DAY && day <= MAX_DAY;

/** A real calendar day in the allowed years. */
export const allowedDay = calendarDay.refine(isAllowedDay, { message: YEARS_MESSAGE });

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * The first day a range ending on `to` may start on: the day after `to`, 5 years back (29 Feb
 * with no 29 Feb that year becomes 1 Mar). So 2020-01-01 → 2024-12-31 and 2019-03-01 →
 * 2024-02-29 are exactly 5 years.
 */
export function earliestFrom(to: string): string {
  const next = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000);
  return iso(
    Date.UTC(next.getUTCFullYear() - MAX_SPAN_YEARS, next.getUTCMonth(), next.getUTCDate()),
  );
}

/** Field errors for a range that breaks the rule (empty when it keeps it). Days must be real. */
export function rangeErrors(range: DayRange): Partial<Record<"from" | "to", string[]>> {
  const errors: Partial<Record<"from" | "to", string[]>> = {};
  if (!isAllowedDay(range.from)) errors.from = [YEARS_MESSAGE];
  if (!isAllowedDay(range.to)) errors.to = [YEARS_MESSAGE];
  if (errors.from || errors.to) return errors;
  if (range.from > range.to) errors.to = ["`to` must be on or after `from`."];
  else if (range.from < earliestFrom(range.to))
    errors.from = [
      `A period may span at most ${MAX_SPAN_YEARS} years: with to=${range.to}, from must be on or after ${earliestFrom(range.to)}.`,
    ];
  return errors;
}

/** What a page asked for, what it shows instead, and a sentence saying why. */
export interface RangeClamp {
  requested: DayRange;
  shown: DayRange;
  message: string;
}

/**
 * The range inside the rule nearest to an ordered range (from ≤ to): each day moved into the
 * allowed years, then the last 5 years of what remains. `clamped` is set when anything moved.
 */
export function clampRange(range: DayRange): { range: DayRange; clamped?: RangeClamp } {
  const inYears = (d: string) => (d < MIN_DAY ? MIN_DAY : d > MAX_DAY ? MAX_DAY : d);
  const to = inYears(range.to);
  const fromInYears = inYears(range.from);
  const earliest = earliestFrom(to);
  const from = fromInYears < earliest ? earliest : fromInYears;
  if (from === range.from && to === range.to) return { range };
  const why: string[] = [];
  if (fromInYears !== range.from || to !== range.to)
    why.push(`dates must fall between ${MIN_DAY} and ${MAX_DAY}`);
  if (from !== fromInYears)
    why.push(
      `a period may span at most ${MAX_SPAN_YEARS} years, so its last ${MAX_SPAN_YEARS} are shown`,
    );
  const shown = { from, to };
  return {
    range: shown,
    clamped: {
      requested: { from: range.from, to: range.to },
      shown,
      message: `You asked for ${range.from} → ${range.to}; showing ${from} → ${to}, because ${why.join(" and ")}.`,
    },
  };
}
