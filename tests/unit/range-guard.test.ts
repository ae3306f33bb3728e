/**
 * The date-range rule (lib/metrics/range-guard.ts): years 1970–2100, at most 5 calendar years.
 * Every boundary on both sides; pages clamp to the rule and say so; the list drops a day outside it.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { parseComplaintFilters } from "@/lib/complaints/list";
import { parseDashboardFilters } from "@/lib/metrics/filters";
import {
  MAX_DAY,
  MIN_DAY,
  clampRange,
  earliestFrom,
  isAllowedDay,
  rangeErrors,
} from "@/lib/metrics/range-guard";

// filters.ts reaches the auth module through the complaints list; keep next-auth out of unit tests.
vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const TODAY = new Date("2026-11-23T15:30:00Z");

/** The rule, written out independently (and a little looser at leap days): ≤ 1,827 days. */
function keepsRule(r: { from: string; to: string }): boolean {
  if (r.from < "1970-01-01" || r.to > "2100-12-31" || r.from > r.to) return false;
  return (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 + 1 <= 1_827;
}

describe("the years", () => {
  it.each([
    ["1969-12-31", false],
    ["1970-01-01", true],
    ["2100-12-31", true],
    ["2101-01-01", false],
    ["0001-01-01", false],
    ["9999-12-31", false],
  ])("%s allowed: %s", (day, allowed) => {
    expect(isAllowedDay(day)).toBe(allowed);
    const errors = rangeErrors({ from: day, to: day });
    expect(Boolean(errors.from), JSON.stringify(errors)).toBe(!allowed);
    expect(Boolean(errors.to), JSON.stringify(errors)).toBe(!allowed);
  });

  it("the first and last allowed days as bounds", () => {
    expect([MIN_DAY, MAX_DAY]).toEqual(["1970-01-01", "2100-12-31"]);
    expect(rangeErrors({ from: "1970-01-01", to: "1974-12-31" })).toEqual({});
    expect(rangeErrors({ from: "2096-01-01", to: "2100-12-31" })).toEqual({});
    expect(rangeErrors({ from: "1969-12-31", to: "1974-12-30" })).toHaveProperty("from");
    expect(rangeErrors({ from: "2096-01-02", to: "2101-01-01" })).toHaveProperty("to");
  });
});

describe("the span", () => {
  it.each([
    // Exactly 5 years (two leap days inside: 1,827 days) vs one day more.
    [{ from: "2020-01-01", to: "2024-12-31" }, true],
    [{ from: "2019-12-31", to: "2024-12-31" }, false],
    [{ from: "2020-01-01", to: "2025-01-01" }, false],
    // Exactly 5 years with one leap day (1,826 days) vs one day more.
    [{ from: "2021-01-01", to: "2025-12-31" }, true],
    [{ from: "2021-01-01", to: "2026-01-01" }, false],
    // Mid-year, and ending on a leap day.
    [{ from: "2021-07-01", to: "2026-06-30" }, true],
    [{ from: "2021-06-30", to: "2026-06-30" }, false],
    [{ from: "2019-03-01", to: "2024-02-29" }, true],
    [{ from: "2019-02-28", to: "2024-02-29" }, false],
    [{ from: "2019-03-01", to: "2024-02-28" }, true],
    [{ from: "2019-02-28", to: "2024-02-28" }, false],
    // One day, and from > to.
    [{ from: "2024-05-05", to: "2024-05-05" }, true],
  ])("%j keeps the rule: %s", (range, ok) => {
    expect(Object.keys(rangeErrors(range)).length === 0).toBe(ok);
    if (ok) expect(keepsRule(range)).toBe(true);
  });

  it("from after to is refused on `to`", () => {
    expect(rangeErrors({ from: "2024-05-06", to: "2024-05-05" })).toEqual({
      to: ["`to` must be on or after `from`."],
    });
  });

  it("a period too long names the earliest start", () => {
    expect(earliestFrom("2024-12-31")).toBe("2020-01-01");
    expect(rangeErrors({ from: "2000-01-01", to: "2024-12-31" }).from?.[0]).toContain(
      "on or after 2020-01-01",
    );
  });
});

describe("clamping (the dashboards)", () => {
  it("leaves a range inside the rule alone", () => {
    expect(clampRange({ from: "2020-01-01", to: "2024-12-31" })).toEqual({
      range: { from: "2020-01-01", to: "2024-12-31" },
    });
  });

  it("moves days into the years, then keeps the last 5 years", () => {
    const { range, clamped } = clampRange({ from: "0001-01-01", to: "9999-12-31" });
    expect(range).toEqual({ from: "2096-01-01", to: "2100-12-31" });
    expect(clamped?.message).toBe(
      "You asked for 0001-01-01 → 9999-12-31; showing 2096-01-01 → 2100-12-31, because dates must fall between 1970-01-01 and 2100-12-31 and a period may span at most 5 years, so its last 5 are shown.",
    );
    expect(clampRange({ from: "1900-01-01", to: "1972-06-30" }).range).toEqual({
      from: "1970-01-01",
      to: "1972-06-30",
    });
    expect(clampRange({ from: "2000-01-01", to: "2024-12-31" })).toMatchObject({
      range: { from: "2020-01-01", to: "2024-12-31" },
      clamped: {
        requested: { from: "2000-01-01", to: "2024-12-31" },
        message: expect.stringContaining("at most 5 years"),
      },
    });
    expect(clampRange({ from: "1900-01-01", to: "1950-01-01" }).range).toEqual({
      from: "1970-01-01",
      to: "1970-01-01",
    });
  });

  it("parseDashboardFilters clamps a custom range and says so; a fine one has no notice", () => {
    const f = parseDashboardFilters(
      { range: "custom", from: "0001-01-01", to: "9999-12-31" },
      TODAY,
    );
    expect(f.range).toBe("custom");
    expect(f.current).toEqual({ from: "2096-01-01", to: "2100-12-31" });
    expect(f.previous).toEqual({ from: "2091-01-01", to: "2095-12-31" });
    expect(f.clamped?.requested).toEqual({ from: "0001-01-01", to: "9999-12-31" });
    // from/to alone mean a custom range too.
    expect(parseDashboardFilters({ from: "1960-01-01", to: "1970-03-01" }, TODAY)).toMatchObject({
      range: "custom",
      current: { from: "1970-01-01", to: "1970-03-01" },
      clamped: { message: expect.stringContaining("1970-01-01 and 2100-12-31") },
    });
    const fine = parseDashboardFilters({ from: "2026-01-01", to: "2026-03-31" }, TODAY);
    expect(fine.clamped).toBeUndefined();
    expect(parseDashboardFilters({ range: "year" }, TODAY).clamped).toBeUndefined();
  });

  it("property: whatever the URL says, the range shown keeps the rule", () => {
    const day = fc.oneof(
      fc
        .date({
          min: new Date("0000-01-01T00:00:00Z"),
          max: new Date("9999-12-31T00:00:00Z"),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString().slice(0, 10)),
      fc
        .date({
          min: new Date("1965-01-01T00:00:00Z"),
          max: new Date("2105-12-31T00:00:00Z"),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString().slice(0, 10)),
      fc.string(),
      fc.constantFrom("0001-01-01", "9999-12-31", "1969-12-31", "2101-01-01", "2024-02-30", ""),
    );
    const range = fc.option(fc.constantFrom("7d", "30d", "90d", "quarter", "year", "custom", "x"));
    fc.assert(
      fc.property(range, fc.option(day), fc.option(day), (r, from, to) => {
        const params: Record<string, string> = {};
        if (r != null) params.range = r;
        if (from != null) params.from = from;
        if (to != null) params.to = to;
        const f = parseDashboardFilters(params, TODAY);
        expect(keepsRule(f.current), JSON.stringify({ params, f })).toBe(true);
        expect(rangeErrors(f.current)).toEqual({});
        // A clamp is reported exactly when the range shown is not the one asked for.
        if (f.clamped) expect(f.clamped.shown).toEqual(f.current);
        if (f.range === "custom" && !f.clamped) expect(f.current).toEqual({ from, to });
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("the complaint list", () => {
  it.each([
    ["1969-12-31", true],
    ["1970-01-01", false],
    ["2100-12-31", false],
    ["2101-01-01", true],
    ["0001-01-01", true],
  ])("from/to %s dropped and named: %s", (day, dropped) => {
    const { filters, invalid } = parseComplaintFilters({ from: day, to: day });
    expect(invalid.includes("from")).toBe(dropped);
    expect(invalid.includes("to")).toBe(dropped);
    expect(filters.from).toBe(dropped ? undefined : day);
  });
});
