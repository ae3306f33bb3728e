/**
 * Percentiles from histogram buckets (lib/rollups/histogram.ts): read from only the buckets around
 * the percentile's rank (what the database sends), they equal the ones read from every bucket;
 * and both stay within 1 % of percentile_cont over the raw values.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentileOf, percentileOfRuns, type Cumulative } from "@/lib/rollups/histogram";

/** The bucket of a value, as bucketSql computes it in SQL. */
function bucketOf(v: number): number {
  const index = (x: number) =>
    Math.min(
      32000,
      Math.max(1, 1 + Math.floor(Math.log(x / (1 / 3_600_000_000)) / Math.log(1.019))),
    );
  return v === 0 ? 0 : v > 0 ? index(v) : -index(-v);
}

function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return sorted[lo]! + (position - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The runs the SQL keeps: buckets whose ranks meet [floor(p(t−1)) − 1, ceil(p(t−1)) + 1]. */
function runsAround(histogram: Map<number, number>): Cumulative {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((t, [, n]) => t + n, 0);
  const windows = [0.5, 0.9].map((p) => [
    Math.floor(p * (total - 1)) - 1,
    Math.ceil(p * (total - 1)) + 1,
  ]);
  let cum = 0;
  const runs: Cumulative["runs"] = [];
  for (const [bucket, n] of buckets) {
    cum += n;
    if (windows.some(([lo, hi]) => cum - n <= hi! && cum > lo!)) runs.push({ bucket, n, cum });
  }
  return { total, runs };
}

const durations = fc.array(
  fc.oneof(fc.double({ min: 0.001, max: 5_000, noNaN: true }), fc.constantFrom(0, 1, 24, 48, 72)),
  { minLength: 1, maxLength: 400 },
);

describe("histogram percentiles", () => {
  it("from the buckets around the rank equal those from every bucket", () => {
    fc.assert(
      fc.property(durations, (values) => {
        const histogram = new Map<number, number>();
        for (const v of values) histogram.set(bucketOf(v), (histogram.get(bucketOf(v)) ?? 0) + 1);
        const runs = runsAround(histogram);
        for (const p of [0.5, 0.9])
          expect(percentileOfRuns(runs, p)).toBe(percentileOf(histogram, p));
      }),
      { numRuns: 300 },
    );
  });

  it("are within 1 % of percentile_cont over the raw values", () => {
    fc.assert(
      fc.property(durations, (values) => {
        const histogram = new Map<number, number>();
        for (const v of values) histogram.set(bucketOf(v), (histogram.get(bucketOf(v)) ?? 0) + 1);
        for (const p of [0.5, 0.9]) {
          const exact = percentileCont(values, p);
          const approx = percentileOf(histogram, p)!;
          expect(Math.abs(approx - exact)).toBeLessThanOrEqual(0.01 * Math.abs(exact) + 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("an empty histogram has no percentile", () => {
    expect(percentileOfRuns({ total: 0, runs: [] }, 0.5)).toBeNull();
    expect(percentileOf(new Map(), 0.5)).toBeNull();
  });
});
