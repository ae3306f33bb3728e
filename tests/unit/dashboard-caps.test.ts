/**
 * How much of a long list or series a dashboard panel shows (app/_components/dashboard/caps.ts),
 * and what it says about the rest.
 */
import { describe, expect, it } from "vitest";
import {
  MAX_MONTHS,
  MAX_ROWS,
  MAX_WEEKS,
  firstOf,
  lastNote,
  lastOf,
  topNote,
} from "@/app/_components/dashboard/caps";

const n = (count: number) => Array.from({ length: count }, (_, i) => i);

describe("dashboard caps", () => {
  it("a ranked list keeps its top rows and counts the rest", () => {
    expect(firstOf(n(143), MAX_ROWS)).toEqual({ shown: n(20), hidden: 123, total: 143 });
    expect(topNote(firstOf(n(143), MAX_ROWS), "causes")).toBe(" Showing the top 20 of 143 causes.");
    expect(firstOf(n(20), MAX_ROWS)).toEqual({ shown: n(20), hidden: 0, total: 20 });
    expect(topNote(firstOf(n(3), MAX_ROWS), "causes")).toBe("");
  });

  it("a series keeps its most recent points: 5 years of weeks → the last 104", () => {
    const weeks = lastOf(n(262), MAX_WEEKS);
    expect(weeks.shown).toEqual(n(262).slice(158));
    expect(weeks.hidden).toBe(158);
    expect(lastNote(weeks, "weeks")).toBe(
      " Showing the last 104 of 262 weeks; choose a shorter period for earlier ones.",
    );
    expect(lastOf(n(60), MAX_MONTHS).shown).toHaveLength(24);
    expect(lastOf(n(13), MAX_MONTHS)).toEqual({ shown: n(13), hidden: 0, total: 13 });
    expect(lastNote(lastOf([], MAX_MONTHS), "months")).toBe("");
  });
});
