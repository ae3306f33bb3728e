import { describe, expect, it, vi } from "vitest";
import {
  dashboardSearchParams,
  drillHref,
  listFiltersFor,
  parseDashboardFilters,
  presetRange,
  previousRange,
} from "@/lib/metrics/filters";

// filters.ts reaches the auth module through the complaints list; keep next-auth out of unit tests.
vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const TODAY = new Date("2026-11-23T15:30:00Z");
const days = (r: { from: string; to: string }) =>
  Math.round((Date.parse(r.to) - Date.parse(r.from)) / 86_400_000) + 1;

describe("dashboard filters", () => {
  it("presets: last 7/30/90 days include today; quarter starts on its first day; year is 12 months", () => {
    expect(presetRange("7d", TODAY)).toEqual({ from: "2026-11-17", to: "2026-11-23" });
    expect(presetRange("30d", TODAY)).toEqual({ from: "2026-10-25", to: "2026-11-23" });
    expect(presetRange("90d", TODAY)).toEqual({ from: "2026-08-26", to: "2026-11-23" });
    expect(presetRange("quarter", TODAY)).toEqual({ from: "2026-10-01", to: "2026-11-23" });
    expect(presetRange("year", TODAY)).toEqual({ from: "2025-11-24", to: "2026-11-23" });
    expect(presetRange("quarter", new Date("2026-01-01T00:00:00Z"))).toEqual({
      from: "2026-01-01",
      to: "2026-01-01",
    });
  });

  it("the previous period has the same length and ends the day before", () => {
    for (const preset of ["7d", "30d", "90d", "quarter", "year"] as const) {
      const current = presetRange(preset, TODAY);
      const previous = previousRange(current);
      expect(days(previous)).toBe(days(current));
      expect(Date.parse(current.from) - Date.parse(previous.to)).toBe(86_400_000);
    }
    // Across a leap day and a year boundary.
    expect(previousRange({ from: "2024-03-01", to: "2024-03-10" })).toEqual({
      from: "2024-02-20",
      to: "2024-02-29",
    });
    expect(previousRange({ from: "2025-01-01", to: "2025-01-01" })).toEqual({
      from: "2024-12-31",
      to: "2024-12-31",
    });
  });

  it("parses presets and custom ranges from the URL", () => {
    const f = parseDashboardFilters({ range: "30d" }, TODAY);
    expect(f.range).toBe("30d");
    expect(f.current).toEqual({ from: "2026-10-25", to: "2026-11-23" });
    expect(f.previous).toEqual({ from: "2026-09-25", to: "2026-10-24" });

    const c = parseDashboardFilters(
      { range: "custom", from: "2025-01-13", to: "2025-01-26" },
      TODAY,
    );
    expect(c.range).toBe("custom");
    expect(c.current).toEqual({ from: "2025-01-13", to: "2025-01-26" });
    expect(c.previous).toEqual({ from: "2024-12-30", to: "2025-01-12" });

    // Dates without a preset mean a custom range.
    const implicit = parseDashboardFilters(
      new URLSearchParams("from=2025-02-01&to=2025-02-28"),
      TODAY,
    );
    expect(implicit.range).toBe("custom");
    expect(implicit.current).toEqual({ from: "2025-02-01", to: "2025-02-28" });
  });

  it("bad parameters fall back to the default (last 90 days) instead of failing", () => {
    const fallback = presetRange("90d", TODAY);
    for (const params of [
      { range: "forever" },
      { range: "custom" },
      { range: "custom", from: "2025-13-01", to: "2025-03-01" },
      { range: "custom", from: "2025-03-10", to: "2025-03-01" },
      { range: "custom", from: "yesterday", to: "2025-03-01" },
      { from: "2025-01-01" },
    ]) {
      const f = parseDashboardFilters(params, TODAY);
      expect({ params, range: f.range, current: f.current }).toEqual({
        params,
        range: "90d",
        current: fallback,
      });
    }
    // A bad dimension is dropped; the good ones stay.
    const f = parseDashboardFilters({ channel: "pigeon", severity: "major" }, TODAY);
    expect(f.dimensions.channel).toBeUndefined();
    expect(f.dimensions.severity).toBe("major");
  });

  it("falls back to the default for an impossible custom day", () => {
    const f = parseDashboardFilters(
      { range: "custom", from: "2025-02-30", to: "2025-03-10" },
      TODAY,
    );
    expect(f.range).toBe("90d");
  });

  it("keeps dimensions, and round-trips through the URL", () => {
    const f = parseDashboardFilters(
      { range: "custom", from: "2025-01-13", to: "2025-01-26", channel: "email", team: "none" },
      TODAY,
    );
    expect(f.dimensions).toMatchObject({ channel: "email", team: "none" });
    const again = parseDashboardFilters(dashboardSearchParams(f), TODAY);
    expect(again).toEqual(f);
    expect(dashboardSearchParams(parseDashboardFilters({}, TODAY)).toString()).toBe("");
  });

  it("drill-downs carry the dimensions, the range on its basis, and the set", () => {
    const f = parseDashboardFilters(
      { range: "custom", from: "2025-01-13", to: "2025-01-26", severity: "major" },
      TODAY,
    );
    const list = listFiltersFor(f, { basis: "resolved", set: "sla-met" });
    expect(list).toMatchObject({
      from: "2025-01-13",
      to: "2025-01-26",
      basis: "resolved",
      set: "sla-met",
      severity: "major",
    });
    const href = new URL(drillHref(f, { basis: "resolved", set: "sla-met" }), "http://x");
    expect(href.pathname).toBe("/complaints");
    expect(Object.fromEntries(href.searchParams)).toMatchObject({
      from: "2025-01-13",
      to: "2025-01-26",
      basis: "resolved",
      set: "sla-met",
      severity: "major",
    });
  });
});
