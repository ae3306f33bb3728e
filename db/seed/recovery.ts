/**
 * The handling of a demo complaint over time: first response, resolution (with the odd reopening),
 * the promised date, and closing. Plans may run past the anchor; the record is cut back later.
 */
import { DAY, HOUR, MIN } from "./calendar";
import { FAST_P, NEVER_RESOLVED_P, RESPONSE_MEDIAN_MIN } from "./distributions";
import { clamp } from "./helpers";
import type { Intake } from "./intake";
import type { Random } from "./random";
import type { ProfileDef } from "./staff";
import type { StepLog } from "./steps";
import type { World } from "./world";

export type Handling = "fast" | "slow" | "none";

export interface HandlingPlan {
  firstResponse: number;
  neverResolved: boolean;
  /** Planned to be resolved within two days. */
  fastPlan: boolean;
  /** Resolved while the customer is still on the line. */
  onCall: boolean;
}

/** The next working moment after t, with a little human delay. */
export function working(w: World, rng: Random, t: number): number {
  const open = w.calendar.nextOpen(t);
  return open === t ? t : open + rng.range(2, 75) * MIN;
}

export function planHandling(w: World, rng: Random, c: Intake): HandlingPlan {
  const { sync, received, severity, profile, channel } = c;
  const firstResponse = sync
    ? received + rng.range(0.5, 8) * MIN
    : working(
        w,
        rng,
        received + rng.lognormal(RESPONSE_MEDIAN_MIN[severity] * profile.responseFactor, 1.1) * MIN,
      );
  const neverResolved = rng.bernoulli(
    NEVER_RESOLVED_P[severity] * (profile.speed < 0 ? 1.4 : profile.speed > 0 ? 0.7 : 1),
  );
  const fastPlan =
    !neverResolved &&
    rng.bernoulli(
      clamp(
        FAST_P[severity] +
          profile.speed +
          (sync ? 0.08 : -0.04) +
          (channel === "letter" ? -0.3 : 0),
        0.05,
        0.95,
      ),
    );
  const onCall = fastPlan && sync && rng.bernoulli(0.4);
  return { firstResponse, neverResolved, fastPlan, onCall };
}

/** The final resolution time (after any reopening), given when the opening steps ended. */
export function resolution(
  w: World,
  rng: Random,
  c: Intake,
  plan: HandlingPlan,
  cursor: number,
): { resolved: number | null; reopenCount: number; handling: Handling } {
  const { received } = c;
  const { firstResponse, neverResolved, fastPlan, onCall } = plan;
  let resolved: number | null = null;
  let reopenCount = 0;
  if (!neverResolved) {
    if (onCall) resolved = cursor + rng.range(8, 25) * MIN;
    else if (fastPlan)
      resolved = working(
        w,
        rng,
        Math.min(received + 46 * HOUR, firstResponse + rng.lognormal(5 * HOUR, 1)),
      );
    else
      resolved = working(
        w,
        rng,
        received + 2 * DAY + Math.min(55 * DAY, rng.lognormal(4.5 * DAY, 0.8)),
      );
    resolved = Math.max(resolved, cursor + 10 * MIN);
    if (rng.bernoulli(0.04)) {
      reopenCount = rng.bernoulli(0.15) ? 2 : 1;
      resolved = working(w, rng, resolved + reopenCount * rng.range(1, 7) * DAY);
    }
  }
  const handling: Handling =
    resolved === null ? "none" : resolved - received <= 48 * HOUR ? "fast" : "slow";
  return { resolved, reopenCount, handling };
}

/** A promised date, mostly kept (never when the agent skips the Commit step). */
export function commitment(
  rng: Random,
  steps: StepLog,
  profile: ProfileDef,
  resolved: number | null,
): number | null {
  let promisedBy: number | null = null;
  const committing = !rng.bernoulli(profile.skip.commit ?? 0);
  if (committing && steps.record("commit", steps.cursor)) {
    if (rng.bernoulli(0.7)) {
      const at = steps.cursor;
      if (resolved === null) promisedBy = at + rng.range(1, 6) * DAY;
      else if (rng.bernoulli(profile.promiseKept)) promisedBy = resolved + rng.range(2, 60) * HOUR;
      else {
        const broken = at + (resolved - at) * rng.range(0.3, 0.85);
        promisedBy = broken > at + HOUR ? broken : resolved + rng.range(2, 24) * HOUR;
      }
    }
  }
  return promisedBy;
}

/** When the case is closed; unresolved cases are mostly closed in the end too. */
export function closing(
  w: World,
  rng: Random,
  received: number,
  resolved: number | null,
): { closed: number | null; unreachable: boolean } {
  const anchor = w.anchor;
  let closed: number | null = null;
  let unreachable = false;
  if (resolved !== null) closed = working(w, rng, resolved + rng.lognormal(2.5 * DAY, 0.7));
  else if (rng.bernoulli(received > anchor - 120 * DAY ? 0.8 : 0.95)) {
    // Most unresolved cases are closed in the end (gave up, unreachable); a few stay open, ageing.
    closed = working(w, rng, received + rng.range(14, 60) * DAY);
    unreachable = rng.bernoulli(0.45);
  }
  return { closed, unreachable };
}
