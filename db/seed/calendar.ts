/**
 * Time for the demo data: units, the anchor ("today"), New York working hours with US federal
 * holidays (the demo SLA policy), and the seasonal and weekday rhythm of complaints.
 */

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Today at 00:00 UTC. */
export function todayUtc(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const dstCache = new Map<number, [number, number]>();
/** US daylight time: second Sunday of March 07:00 UTC to first Sunday of November 06:00 UTC. */
function dstBounds(year: number): [number, number] {
  let bounds = dstCache.get(year);
  if (!bounds) {
    const march = new Date(Date.UTC(year, 2, 1)).getUTCDay();
    const nov = new Date(Date.UTC(year, 10, 1)).getUTCDay();
    bounds = [
      Date.UTC(year, 2, 1 + ((7 - march) % 7) + 7, 7),
      Date.UTC(year, 10, 1 + ((7 - nov) % 7), 6),
    ];
    dstCache.set(year, bounds);
  }
  return bounds;
}

/** Offset of America/New_York from UTC at an instant, in ms (−4 h or −5 h). */
function nyOffset(utcMs: number): number {
  const [start, end] = dstBounds(new Date(utcMs).getUTCFullYear());
  return utcMs >= start && utcMs < end ? -4 * HOUR : -5 * HOUR;
}

export const toLocal = (utcMs: number) => utcMs + nyOffset(utcMs);
// DST switches at 02:00 local, never inside working hours, so the offset 5 h later is right.
export const toUtc = (localMs: number) => localMs - nyOffset(localMs + 5 * HOUR);

export const OPEN_MIN = 540;
export const CLOSE_MIN = 1020;

/** Working hours of the demo SLA policy: Mon–Fri 09:00–17:00 New York, minus holidays. */
export class BusinessCalendar {
  constructor(private readonly holidayDays: Set<number>) {}

  private isWorkingDay(localDay: number): boolean {
    const isoDow = ((localDay + 3) % 7) + 1;
    return isoDow <= 5 && !this.holidayDays.has(localDay);
  }

  /** The instant itself when inside working hours, else the next opening. */
  nextOpen(utcMs: number): number {
    let local = toLocal(utcMs);
    for (let i = 0; i < 30; i++) {
      const day = Math.floor(local / DAY);
      const open = day * DAY + OPEN_MIN * MIN;
      const close = day * DAY + CLOSE_MIN * MIN;
      if (this.isWorkingDay(day) && local < close) return toUtc(Math.max(local, open));
      local = (day + 1) * DAY;
    }
    return utcMs;
  }

  /** Adds business hours to an instant. */
  addHours(utcMs: number, hours: number): number {
    let remaining = hours * HOUR;
    let local = toLocal(utcMs);
    for (let i = 0; i < 3650; i++) {
      const day = Math.floor(local / DAY);
      if (this.isWorkingDay(day)) {
        const open = day * DAY + OPEN_MIN * MIN;
        const close = day * DAY + CLOSE_MIN * MIN;
        const from = Math.max(local, open);
        if (from < close) {
          if (remaining <= close - from) return toUtc(from + remaining);
          remaining -= close - from;
        }
      }
      local = (day + 1) * DAY;
    }
    return toUtc(local);
  }
}

/** US federal holidays of a year, moved to Friday/Monday when they fall on a weekend. */
export function usFederalHolidays(year: number): { day: number; name: string }[] {
  const utcDay = (m: number, d: number) => Math.floor(Date.UTC(year, m, d) / DAY);
  const nth = (m: number, weekday: number, n: number) => {
    const first = new Date(Date.UTC(year, m, 1)).getUTCDay();
    return utcDay(m, 1 + ((weekday - first + 7) % 7) + 7 * (n - 1));
  };
  const last = (m: number, weekday: number) => {
    const lastDate = new Date(Date.UTC(year, m + 1, 0));
    const back = (lastDate.getUTCDay() - weekday + 7) % 7;
    return utcDay(m, lastDate.getUTCDate() - back);
  };
  const observed = (day: number) => {
    const dow = (day + 4) % 7; // 0 = Sunday
    return dow === 6 ? day - 1 : dow === 0 ? day + 1 : day;
  };
  return [
    { day: observed(utcDay(0, 1)), name: "New Year's Day" },
    { day: nth(0, 1, 3), name: "Birthday of Martin Luther King, Jr." },
    { day: nth(1, 1, 3), name: "Washington's Birthday" },
    { day: last(4, 1), name: "Memorial Day" },
    { day: observed(utcDay(5, 19)), name: "Juneteenth National Independence Day" },
    { day: observed(utcDay(6, 4)), name: "Independence Day" },
    { day: nth(8, 1, 1), name: "Labor Day" },
    { day: nth(9, 1, 2), name: "Columbus Day" },
    { day: observed(utcDay(10, 11)), name: "Veterans Day" },
    { day: nth(10, 4, 4), name: "Thanksgiving Day" },
    { day: observed(utcDay(11, 25)), name: "Christmas Day" },
  ];
}

export const isoDate = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** Complaint volume by month (January first) and by weekday (Sunday first). */
export const SEASON = [1.3, 1.0, 0.95, 0.9, 0.9, 0.92, 0.95, 0.95, 0.95, 1.0, 1.3, 1.45];
export const WEEKDAY = [0.4, 1.15, 1.1, 1.05, 1.0, 0.95, 0.55]; // Sunday first
