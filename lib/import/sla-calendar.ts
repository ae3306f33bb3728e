/**
 * SLA due dates for many complaints at once. lib/sla.ts walks the calendar day by day with
 * time-zone arithmetic for every complaint (fine for one intake, ~0.5 ms a row); an import reuses
 * each local day's working window instead, so a million rows cost a few hundred distinct days.
 * Same rules and results as slaDueAt (tests/unit/import-sla-calendar.test.ts compares them).
 */
import { TZDate } from "@date-fns/tz";
import type { Severity } from "@/db/schema";
import type { SlaPolicy } from "@/lib/sla";

const DAY = 86_400_000;
const MAX_DAYS = 3660;

export function slaCalendar(policy: SlaPolicy | null) {
  const windows = new Map<number, [number, number] | null>();
  const offsets = new Map<number, number | null>();
  const tz = policy?.timezone ?? "UTC";

  /**
   * The local calendar day of an instant. Zone offsets are looked up once per UTC day (a time
   * zone lookup per row was a tenth of the import's CPU); on a day whose offset changes, each
   * instant is looked up exactly.
   */
  function localDay(ms: number): number {
    const utcDay = Math.floor(ms / DAY);
    let offset = offsets.get(utcDay);
    if (offset === undefined) {
      const start = -new TZDate(utcDay * DAY, tz).getTimezoneOffset();
      const end = -new TZDate(utcDay * DAY + DAY - 1, tz).getTimezoneOffset();
      offset = start === end ? start : null;
      offsets.set(utcDay, offset);
    }
    if (offset === null) offset = -new TZDate(ms, tz).getTimezoneOffset();
    return Math.floor((ms + offset * 60_000) / DAY);
  }

  /** The working window of the local day numbered `n` (days since 1970-01-01, local calendar). */
  function windowOf(n: number): [number, number] | null {
    let w = windows.get(n);
    if (w !== undefined) return w;
    const date = new Date(n * DAY);
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()];
    const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
    const iso = `${y}-${String(m + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
    if (!policy!.workingDays.includes(isoWeekday) || policy!.holidays.has(iso)) w = null;
    else {
      w = [
        new TZDate(y, m, d, 0, policy!.workdayStartMinute, tz).getTime(),
        new TZDate(y, m, d, 0, policy!.workdayEndMinute, tz).getTime(),
      ];
    }
    windows.set(n, w);
    return w;
  }

  return function dueAt(severity: Severity, receivedAt: Date): Date | null {
    const target = policy?.targets.get(severity);
    if (!policy || !target) return null;
    if (!target.businessHours)
      return new Date(receivedAt.getTime() + target.resolutionHours * 3600_000);
    let day = localDay(receivedAt.getTime());
    let remaining = target.resolutionHours * 3600_000;
    const cursor = receivedAt.getTime();
    for (let i = 0; i < MAX_DAYS; i++, day++) {
      const w = windowOf(day);
      if (!w) continue;
      const from = Math.max(cursor, w[0]);
      const available = w[1] - from;
      if (available > 0) {
        if (available >= remaining) return new Date(from + remaining);
        remaining -= available;
      }
    }
    throw new Error("The SLA policy has no working time within ten years.");
  };
}
