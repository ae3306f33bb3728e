import { TZDate } from "@date-fns/tz";

/** The part of an SLA policy that says when the organisation is at work. */
export interface WorkingTime {
  timezone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  workingDays: readonly number[];
  workdayStartMinute: number;
  workdayEndMinute: number;
  /** Local dates (YYYY-MM-DD) that are not worked. */
  holidays: ReadonlySet<string>;
}

const MINUTE = 60_000;
// Ten years of calendar days: far beyond any SLA, and a bound should a policy have no working day.
const MAX_DAYS = 3660;

function localDay(instant: Date, tz: string): TZDate {
  const local = new TZDate(instant.getTime(), tz);
  return new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), tz);
}

function isoDate(day: TZDate): string {
  const m = String(day.getMonth() + 1).padStart(2, "0");
  const d = String(day.getDate()).padStart(2, "0");
  return `${day.getFullYear()}-${m}-${d}`;
}

/** The working window of a local day, or null when the day is not worked. */
function workingWindow(day: TZDate, time: WorkingTime): [number, number] | null {
  const isoWeekday = day.getDay() === 0 ? 7 : day.getDay();
  if (!time.workingDays.includes(isoWeekday) || time.holidays.has(isoDate(day))) return null;
  const y = day.getFullYear();
  const m = day.getMonth();
  const d = day.getDate();
  // Built from wall-clock parts so days that change to or from summer time stay right.
  const start = new TZDate(y, m, d, 0, time.workdayStartMinute, time.timezone).getTime();
  const end = new TZDate(y, m, d, 0, time.workdayEndMinute, time.timezone).getTime();
  return [start, end];
}

function nextDay(day: TZDate, tz: string): TZDate {
  return new TZDate(day.getFullYear(), day.getMonth(), day.getDate() + 1, tz);
}

/** The instant that lies `hours` working hours after `start`. */
export function addBusinessHours(start: Date, hours: number, time: WorkingTime): Date {
  let remaining = hours * 60 * MINUTE;
  let cursor = start.getTime();
  let day = localDay(start, time.timezone);
  for (let i = 0; i < MAX_DAYS; i++) {
    const window = workingWindow(day, time);
    if (window) {
      const from = Math.max(cursor, window[0]);
      const available = window[1] - from;
      if (available > 0) {
        if (available >= remaining) return new Date(from + remaining);
        remaining -= available;
      }
    }
    day = nextDay(day, time.timezone);
    cursor = Math.max(cursor, day.getTime());
  }
  throw new Error("The SLA policy has no working time within ten years.");
}

/** Working hours between two instants (0 when `end` is not after `start`). */
export function businessHoursBetween(start: Date, end: Date, time: WorkingTime): number {
  if (end <= start) return 0;
  let total = 0;
  let day = localDay(start, time.timezone);
  for (let i = 0; i < MAX_DAYS && day.getTime() < end.getTime(); i++) {
    const window = workingWindow(day, time);
    if (window) {
      const from = Math.max(start.getTime(), window[0]);
      const to = Math.min(end.getTime(), window[1]);
      if (to > from) total += to - from;
    }
    day = nextDay(day, time.timezone);
  }
  return total / (60 * MINUTE);
}
