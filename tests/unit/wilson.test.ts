import { describe, expect, it } from "vitest";
import { wilson } from "@/lib/metrics/wilson";

// Reference values computed by hand from the closed form (and cross-checked against R
// `binom::binom.wilson`): 5/10 → 0.2366–0.7634, 0/10 → 0–0.2775.
describe("wilson", () => {
  it("matches published 95 % intervals", () => {
    const a = wilson(81, 263);
    expect(a.rate).toBeCloseTo(0.30798, 5);
    expect(a.low).toBeCloseTo(0.25529, 4);
    expect(a.high).toBeCloseTo(0.36621, 4);
    const b = wilson(5, 10);
    expect(b.low).toBeCloseTo(0.23659, 4);
    expect(b.high).toBeCloseTo(0.76341, 4);
  });
  it("stays inside 0..1 at the extremes", () => {
    const zero = wilson(0, 10);
    expect(zero.low).toBeCloseTo(0, 10);
    expect(zero.high).toBeCloseTo(0.27753, 4);
    const all = wilson(10, 10);
    expect(all.high).toBeCloseTo(1, 10);
    expect(all.low).toBeCloseTo(0.72247, 4);
    const single = wilson(1, 1);
    expect(single.low).toBeCloseTo(0.20654, 4);
  });
  it("returns nulls, not NaN, for n = 0", () => {
    expect(wilson(0, 0)).toEqual({ rate: null, low: null, high: null, n: 0 });
  });
});
