import fc from "fast-check";

/**
 * Non-vacuity that does not depend on luck: a kind of write that the random sequences tried but
 * never completed (every attempt refused, e.g. a step already recorded) is applied again from a
 * fixed sample of the same generator until one succeeds. `sourceOf` names the write kind behind a
 * tallied sub-action (a delivery is made by a "remedy" write).
 */
export async function topUpWrites<W extends { kind: string }>(
  write: fc.Arbitrary<W>,
  done: Record<string, number>,
  apply: (w: W) => Promise<void>,
  sourceOf: Record<string, string> = {},
): Promise<void> {
  const missing = () =>
    new Set(
      Object.keys(done)
        .filter((k) => !(done[k]! > 0))
        .map((k) => sourceOf[k] ?? k),
    );
  for (const w of fc.sample(write, { numRuns: 2_000, seed: 20_261_205 })) {
    const kinds = missing();
    if (kinds.size === 0) return;
    if (kinds.has(w.kind)) await apply(w);
  }
}
