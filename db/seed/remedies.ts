/**
 * Remedies offered on a demo complaint: kind by root-cause category, cost by kind, severity and
 * segment; accepted or declined (a declined offer is often followed by a second one).
 */
import type * as s from "../schema";
import { DAY, HOUR, MIN } from "./calendar";
import { REMEDY_TEXT } from "./complaint-texts";
import { DEMO_ORG_ID } from "./constants";
import type { Segment } from "./customers";
import { REMEDY_MEDIAN_CENTS, SEVERITY_COST } from "./distributions";
import { fill, money } from "./helpers";
import type { Intake } from "./intake";
import type { Random } from "./random";
import type { HandlingPlan } from "./recovery";
import type { StepLog } from "./steps";
import type { CauseRow, Insert, World } from "./world";

/**
 * The demo organisation's remedy approval limit (the schema's default, in minor units): a demo
 * remedy above it was approved by a manager before anything else happened to it. Decided without
 * the random stream, so every other seeded value stays as it was.
 */
export const DEMO_APPROVAL_LIMIT_MINOR = 100_000;
const APPROVAL_DELAY = 30 * MIN;

export interface RemedyOutcome {
  rows: Insert<typeof s.remedies>[];
  /** 1 full remedy, 0.4 apology only, 0 nothing delivered. */
  delivered: number;
  declined: boolean;
}

/** Offers remedies (and records the Remedy step) for a complaint resolved at `resolved`. */
export function offerRemedies(
  w: World,
  rng: Random,
  c: Intake,
  cause: CauseRow,
  segment: Segment,
  plan: HandlingPlan,
  resolved: number | null,
  steps: StepLog,
): RemedyOutcome {
  const anchor = w.anchor;
  const { id, sync, severity, major, owner, productName } = c;
  const { firstResponse, neverResolved, onCall } = plan;
  const remedyRows: Insert<typeof s.remedies>[] = [];
  let remedyDelivered = 0; // 1 full remedy, 0.4 apology only
  let remedyDeclined = false;
  const wantsRemedy = rng.bernoulli(major ? 0.85 : severity === "moderate" ? 0.76 : 0.7);
  const resolvedOrLater = resolved ?? firstResponse + rng.range(1, 6) * DAY;
  const enterprise = segment === "enterprise" ? 3 : segment === "small business" ? 1.6 : 1;
  const currency = rng.bernoulli(0.05) ? rng.pick(["EUR", "GBP"]) : "USD";
  const offerRemedy = (offered: number, secondTry: boolean) => {
    if (offered > anchor) return;
    const kind = rng.fromTable(cause.remedyTable);
    const cost =
      kind === "apology_only"
        ? 0
        : Math.round(
            rng.lognormal(REMEDY_MEDIAN_CENTS[kind] * SEVERITY_COST[severity] * enterprise, 0.5) /
              100,
          ) * 100;
    const decidedPlan = offered + (sync ? rng.range(1, 10) * MIN : rng.lognormal(6 * HOUR, 1));
    const decided = decidedPlan <= anchor ? decidedPlan : null;
    const decision =
      decided === null
        ? "pending"
        : rng.bernoulli(neverResolved ? 0.55 : secondTry ? 0.93 : 0.86)
          ? "accepted"
          : "declined";
    let delivered: number | null = null;
    if (decision === "accepted" && decided !== null) {
      if (resolved !== null && resolved <= anchor)
        delivered = Math.max(decided, resolved - rng.range(0, 3) * HOUR);
      else if (neverResolved && rng.bernoulli(0.2)) delivered = decided + rng.range(1, 5) * DAY;
      if (delivered !== null && delivered > anchor) delivered = null;
    }
    if (delivered !== null)
      remedyDelivered = Math.max(remedyDelivered, kind === "apology_only" ? 0.4 : 1);
    if (decision === "declined") remedyDeclined = true;
    const approvalNeeded = cost > DEMO_APPROVAL_LIMIT_MINOR;
    const slots = {
      cost: money(cost, currency),
      product: productName,
      pct: String(rng.pick([10, 15, 20, 25])),
    };
    remedyRows.push({
      orgId: DEMO_ORG_ID,
      id: rng.uuid(),
      complaintId: id,
      kind,
      description: fill(REMEDY_TEXT[kind], slots),
      costMinor: cost,
      currency: kind === "apology_only" ? "USD" : currency,
      suggestedByCustomer: rng.bernoulli(0.2),
      offeredAt: new Date(offered),
      offeredBy: owner.id,
      decision,
      decidedAt: decided !== null ? new Date(decided) : null,
      deliveredAt: delivered !== null ? new Date(delivered) : null,
      approvalNeeded,
      // Approved half an hour after the offer; never after its delivery or the anchor.
      approvedAt: approvalNeeded
        ? new Date(Math.min(offered + APPROVAL_DELAY, delivered ?? anchor, anchor))
        : null,
    });
    if (decision === "declined" && !secondTry && rng.bernoulli(0.6))
      offerRemedy(decided! + rng.range(1, 30) * HOUR, true);
  };
  if (wantsRemedy) {
    const remedyAt =
      sync && (onCall || rng.bernoulli(0.5))
        ? steps.cursor
        : Math.max(
            steps.cursor,
            firstResponse + rng.range(0.2, 0.7) * (resolvedOrLater - firstResponse),
          );
    if (remedyAt <= anchor) {
      offerRemedy(remedyAt, false);
      steps.record("remedy", remedyAt);
    }
  }
  return { rows: remedyRows, delivered: remedyDelivered, declined: remedyDeclined };
}
