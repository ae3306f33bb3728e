import { expect } from "vitest";

/**
 * Deep equality of two metric results, where numbers that are not whole may differ by 1 %
 * relative (percentiles from histograms) — every count, share and link must be equal.
 */
export function expectSameFigures(got: unknown, want: unknown, where: string): void {
  const walk = (g: unknown, w: unknown, path: string) => {
    if (
      typeof w === "number" &&
      typeof g === "number" &&
      (!Number.isInteger(w) || !Number.isInteger(g))
    ) {
      const tolerance = Math.max(Math.abs(w) * 0.01, 1e-9);
      if (Math.abs(g - w) > tolerance)
        expect.fail(`${where} ${path}: ${g} is not within 1 % of ${w}`);
      return;
    }
    if (w && typeof w === "object" && g && typeof g === "object") {
      const keys = new Set([...Object.keys(w), ...Object.keys(g)]);
      for (const k of keys)
        walk((g as Record<string, unknown>)[k], (w as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    if (g !== w) expect.fail(`${where} ${path}: ${JSON.stringify(g)} ≠ ${JSON.stringify(w)}`);
  };
  walk(got, want, "");
}
