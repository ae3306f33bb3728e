/**
 * The playbook steps an agent records on a demo complaint: a log that keeps steps in order and
 * never past the anchor, the steps at first contact, and the closing ones.
 */
import { DEFAULT_PLAYBOOK, type PlaybookStepKey } from "../defaults";
import type * as s from "../schema";
import { HOUR, MIN } from "./calendar";
import { STEP_NOTES } from "./complaint-texts";
import { DEMO_ORG_ID } from "./constants";
import type { Random } from "./random";
import type { ProfileDef } from "./staff";
import type { Insert, World } from "./world";

const REQUIRED_STEPS = DEFAULT_PLAYBOOK.filter((p) => p.required).length;

export class StepLog {
  readonly rows: Insert<typeof s.complaintSteps>[] = [];
  /** The steps recorded so far. */
  readonly done = new Set<PlaybookStepKey>();
  /** When the agent is free for the next step. */
  cursor: number;
  private firstStep = true;

  constructor(
    private readonly w: World,
    private readonly rng: Random,
    private readonly complaintId: string,
    private readonly ownerId: string,
    private readonly firstResponse: number,
  ) {
    this.cursor = firstResponse;
  }

  /** Records a step at `at` or after the previous one; false (nothing recorded) past the anchor. */
  record(key: PlaybookStepKey, at: number): boolean {
    const rng = this.rng;
    const t = Math.max(at, this.cursor);
    if (t > this.w.anchor) return false;
    const notes = STEP_NOTES[key];
    this.rows.push({
      orgId: DEMO_ORG_ID,
      id: rng.uuid(),
      complaintId: this.complaintId,
      stepId: this.w.stepIds[key],
      doneBy: this.ownerId,
      doneAt: new Date(this.firstStep ? this.firstResponse : t),
      note: notes && rng.bernoulli(0.06) ? rng.pick(notes) : null,
    });
    this.firstStep = false;
    this.cursor = t + rng.range(1, 4) * MIN;
    this.done.add(key);
    return true;
  }

  /** Share of the required steps done (the optional Wow does not count). */
  adherence(): number {
    let requiredDone = 0;
    for (const key of this.done) if (key !== "wow") requiredDone++;
    return requiredDone / REQUIRED_STEPS;
  }
}

/** Listen, validate, empathize, apologize, involve: each skipped at the agent's rate. */
export function openingSteps(rng: Random, steps: StepLog, profile: ProfileDef): void {
  for (const key of ["listen", "validate", "empathize", "apologize", "involve"] as const) {
    if (!rng.bernoulli(profile.skip[key] ?? 0)) steps.record(key, steps.cursor);
  }
}

/** Thank on resolution, follow up when the first follow-up is done, and now and then a Wow. */
export function closingSteps(
  w: World,
  rng: Random,
  steps: StepLog,
  profile: ProfileDef,
  resolved: number | null,
  followDoneAt: number | null,
  remedyDelivered: number,
): void {
  const anchor = w.anchor;
  if (resolved !== null && resolved <= anchor && !rng.bernoulli(profile.skip.thank ?? 0))
    steps.record("thank", resolved);
  if (followDoneAt !== null) steps.record("follow_up", followDoneAt);
  if (
    resolved !== null &&
    resolved <= anchor &&
    rng.bernoulli(profile.wow * (remedyDelivered > 0 ? 1 : 0.5))
  ) {
    steps.record("wow", (followDoneAt ?? resolved) + rng.range(0.5, 3) * HOUR);
  }
}
