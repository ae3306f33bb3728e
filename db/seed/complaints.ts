/**
 * One demo complaint from intake to outcome. The steps run in a fixed order on one PRNG stream,
 * so the same seed gives the same complaint: intake, first response and opening steps,
 * resolution, remedies, commitment, closing, follow-ups and updates, retention and final score.
 */
import { MIN } from "./calendar";
import { recordComplaint } from "./complaint-row";
import type { CustomerCtx } from "./customers";
import { RETENTION } from "./distributions";
import { followUps, progressUpdates, scoreFollowUps } from "./follow-ups";
import { intake } from "./intake";
import type { Random } from "./random";
import { closing, commitment, planHandling, resolution } from "./recovery";
import { offerRemedies } from "./remedies";
import { recoveryNps } from "./scores";
import { closingSteps, openingSteps, StepLog } from "./steps";
import type { CauseRow, ComplaintFacts, Rows, World } from "./world";

export function generateComplaint(
  w: World,
  rng: Random,
  customer: CustomerCtx,
  day: number,
  cause: CauseRow,
  rows: Rows,
): ComplaintFacts {
  const c = intake(w, rng, day, cause);

  // Handling plan (may run past the anchor; cut back to what has happened by then).
  const plan = planHandling(w, rng, c);
  const steps = new StepLog(w, rng, c.id, c.owner.id, plan.firstResponse);
  openingSteps(rng, steps, c.profile);
  const res = resolution(w, rng, c, plan, steps.cursor);
  let resolved = res.resolved;
  const remedies = offerRemedies(w, rng, c, cause, customer.segment, plan, resolved, steps);
  const promisedBy = commitment(rng, steps, c.profile, resolved);
  if (plan.onCall && resolved !== null) resolved = Math.max(resolved, steps.cursor + 2 * MIN);
  const { closed, unreachable } = closing(w, rng, c.received, resolved);
  const follow = followUps(w, rng, c, resolved);
  closingSteps(w, rng, steps, c.profile, resolved, follow.firstDoneAt, remedies.delivered);
  const updates = progressUpdates(w, rng, c, plan.firstResponse, resolved, closed);

  // Retention follows the classic finding; the outcome follows the handling.
  const retained = rng.bernoulli(RETENTION[c.major ? "major" : "minor"][res.handling]);
  const latentNps = recoveryNps(rng, {
    handling: res.handling,
    adherence: steps.adherence(),
    remedyDelivered: remedies.delivered,
    remedyDeclined: remedies.declined,
    promiseKept: promisedBy === null ? null : resolved !== null && resolved <= promisedBy,
    wow: steps.done.has("wow"),
    reopenCount: res.reopenCount,
    angry: c.angry,
    major: c.major,
    retained,
  });
  scoreFollowUps(rng, follow.rows, latentNps);

  return recordComplaint(
    w,
    rng,
    customer,
    cause,
    {
      intake: c,
      firstResponse: plan.firstResponse,
      steps,
      resolved,
      reopenCount: res.reopenCount,
      promisedBy,
      closed,
      unreachable,
      remedies: remedies.rows,
      followUps: follow.rows,
      updates,
      retained,
      latentNps,
    },
    rows,
  );
}
