/**
 * The Wilson score interval for a binomial proportion (successes ÷ n), at 95 % by default.
 * Used by "does the playbook work?" so a rate from a handful of complaints shows how little it
 * says. Pure arithmetic, no server imports: the manager page and tests may use it too.
 */
export interface WilsonInterval {
  /** successes ÷ n, or null when n = 0. */
  rate: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

export function wilson(successes: number, n: number, z = Z95): WilsonInterval {
  if (!Number.isFinite(n) || n <= 0) return { rate: null, low: null, high: null, n: 0 };
  if (successes < 0 || successes > n) throw new RangeError("successes must be within 0..n");
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return {
    rate: p,
    low: Math.max(0, centre - half),
    high: Math.min(1, centre + half),
    n,
  };
}
