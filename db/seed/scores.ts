/** Customer scores in the demo data: NPS and sentiment, with and without a complaint. */
import type { Random } from "./random";
import type { Handling } from "./recovery";

/** NPS from a latent recovery score. */
function npsFromScore(z: number): number {
  const cuts = [1.6, 1.0, 0.6, 0.2, -0.2, -0.6, -1.0, -1.4, -1.8, -2.3];
  for (let i = 0; i < cuts.length; i++) if (z >= cuts[i]!) return 10 - i;
  return 0;
}

export function sentimentFromNps(rng: Random, nps: number): number {
  if (nps >= 9) return rng.bernoulli(0.7) ? 5 : 4;
  if (nps >= 7) return rng.bernoulli(0.6) ? 4 : 3;
  if (nps >= 5) return rng.bernoulli(0.6) ? 3 : 2;
  return rng.bernoulli(0.6) ? 1 : 2;
}

/** Survey score of a customer with no complaint: NPS about +20. */
export function baselineScore(rng: Random): number {
  const band = rng.weightedIndex([42, 36, 22]);
  if (band === 0) return rng.bernoulli(0.55) ? 9 : 10;
  if (band === 1) return rng.bernoulli(0.5) ? 7 : 8;
  return rng.weighted([0, 1, 2, 3, 4, 5, 6], [0.5, 0.5, 1, 1.5, 2, 3, 3.5]);
}

/** What shapes a complainant's final score: how the recovery went, and whether they stayed. */
export interface RecoveryFactors {
  handling: Handling;
  /** Share of the required playbook steps done. */
  adherence: number;
  /** 1 full remedy, 0.4 apology only, 0 nothing delivered. */
  remedyDelivered: number;
  remedyDeclined: boolean;
  /** Null when no date was promised. */
  promiseKept: boolean | null;
  wow: boolean;
  reopenCount: number;
  angry: boolean;
  major: boolean;
  retained: boolean;
}

/** The customer's NPS after the recovery (a latent score plus noise). */
export function recoveryNps(rng: Random, f: RecoveryFactors): number {
  let z = f.handling === "fast" ? 1.0 : f.handling === "slow" ? 0 : -0.5;
  z += 1.2 * (f.adherence - 0.75);
  z += f.remedyDelivered > 0 ? 0.5 * f.remedyDelivered : f.remedyDeclined ? -0.2 : -0.3;
  z += f.promiseKept === null ? 0 : f.promiseKept ? 0.4 : -0.6;
  z += f.wow ? 0.4 : 0;
  z -= f.reopenCount > 0 ? 0.5 : 0;
  z -= (f.angry ? 0.3 : 0) + (f.major ? 0.2 : 0);
  z += f.retained ? 0.3 : -1.0;
  return npsFromScore(z + rng.normal(0, 0.9));
}
