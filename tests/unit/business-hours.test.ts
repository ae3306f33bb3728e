import { describe, expect, it } from "vitest";
import { addBusinessHours, businessHoursBetween, type WorkingTime } from "@/lib/business-hours";

// New York, Mon–Fri 09:00–17:00, with Thanksgiving 2026 (Thursday 26 November) off.
const ny: WorkingTime = {
  timezone: "America/New_York",
  workingDays: [1, 2, 3, 4, 5],
  workdayStartMinute: 9 * 60,
  workdayEndMinute: 17 * 60,
  holidays: new Set(["2026-11-26"]),
};

describe("business hours", () => {
  it("counts only the working part of a weekday", () => {
    // Monday 23 Nov 2026, 08:00 → 12:00 New York (EST, UTC−5): 09:00–12:00 is 3 h.
    expect(
      businessHoursBetween(new Date("2026-11-23T13:00:00Z"), new Date("2026-11-23T17:00:00Z"), ny),
    ).toBe(3);
  });

  it("skips a weekend", () => {
    // Friday 16:00 → Monday 10:00: 1 h on Friday + 1 h on Monday.
    expect(
      businessHoursBetween(new Date("2026-11-20T21:00:00Z"), new Date("2026-11-23T15:00:00Z"), ny),
    ).toBe(2);
  });

  it("skips a holiday and the weekend after it", () => {
    // Wednesday 25 Nov 15:00 → Monday 30 Nov 11:00: Wed 2 h, Thu holiday, Fri 8 h, Mon 2 h.
    expect(
      businessHoursBetween(new Date("2026-11-25T20:00:00Z"), new Date("2026-11-30T16:00:00Z"), ny),
    ).toBe(12);
  });

  it("adds hours across the holiday and weekend", () => {
    // 12 working hours from Wed 25 Nov 15:00 land on Monday 30 Nov 11:00 local.
    expect(addBusinessHours(new Date("2026-11-25T20:00:00Z"), 12, ny).toISOString()).toBe(
      "2026-11-30T16:00:00.000Z",
    );
  });

  it("starts counting at opening time when work arrives at night", () => {
    // Saturday 02:00 + 1 h → Monday 10:00.
    expect(addBusinessHours(new Date("2026-11-21T07:00:00Z"), 1, ny).toISOString()).toBe(
      "2026-11-23T15:00:00.000Z",
    );
  });

  it("keeps wall-clock hours across the change to summer time", () => {
    // Friday 6 March 2026 16:00 EST + 2 h → Monday 9 March 10:00 EDT (UTC−4).
    expect(addBusinessHours(new Date("2026-03-06T21:00:00Z"), 2, ny).toISOString()).toBe(
      "2026-03-09T14:00:00.000Z",
    );
  });

  it("is the inverse of counting", () => {
    const start = new Date("2026-11-19T18:30:00Z");
    for (const hours of [0.5, 4, 8, 20, 41]) {
      const end = addBusinessHours(start, hours, ny);
      expect(businessHoursBetween(start, end, ny)).toBeCloseTo(hours, 9);
    }
  });

  it("returns zero for an empty or reversed interval", () => {
    const t = new Date("2026-11-23T15:00:00Z");
    expect(businessHoursBetween(t, t, ny)).toBe(0);
    expect(businessHoursBetween(t, new Date(t.getTime() - 3600_000), ny)).toBe(0);
  });

  it("refuses a policy with no working day instead of looping", () => {
    expect(() => addBusinessHours(new Date(), 1, { ...ny, workingDays: [] })).toThrow(
      /no working time/,
    );
  });
});
