/**
 * The record of a demo complaint as of the anchor: its status, its words, the complaint row and
 * the rows of whatever had happened by then, its creation event and, once closed, its outcome.
 */
import type * as s from "../schema";
import { DAY, MIN, toLocal } from "./calendar";
import { ANGRY_CLOSERS, CALM_CLOSERS, NO_REMEDY_REASONS, WEEKDAYS } from "./complaint-texts";
import { DEMO_ORG_ID } from "./constants";
import type { CustomerCtx } from "./customers";
import { fill, money } from "./helpers";
import type { Intake } from "./intake";
import type { Random } from "./random";
import { sentimentFromNps } from "./scores";
import type { StepLog } from "./steps";
import type { CauseRow, ComplaintFacts, Insert, Rows, World } from "./world";

/** Everything planned for a complaint, some of it possibly after the anchor. */
export interface HandledComplaint {
  intake: Intake;
  firstResponse: number;
  steps: StepLog;
  resolved: number | null;
  reopenCount: number;
  promisedBy: number | null;
  closed: number | null;
  unreachable: boolean;
  remedies: Insert<typeof s.remedies>[];
  followUps: Insert<typeof s.followUps>[];
  updates: Insert<typeof s.customerUpdates>[];
  retained: boolean;
  latentNps: number;
}

/** Adds the complaint's rows to `rows`; returns what its customer's activity depends on. */
export function recordComplaint(
  w: World,
  rng: Random,
  customer: CustomerCtx,
  cause: CauseRow,
  h: HandledComplaint,
  rows: Rows,
): ComplaintFacts {
  const anchor = w.anchor;
  const { id, channel, received, severity, angry, intakeSentiment, intakeNps } = h.intake;
  const { teamKey, owner, productKey, productName } = h.intake;
  const { firstResponse, steps, resolved, reopenCount, promisedBy, closed, unreachable } = h;
  const { remedies: remedyRows, followUps: followRows, updates: updateRows } = h;
  const { retained, latentNps } = h;

  // Status as of the anchor.
  const responded = firstResponse <= anchor;
  const resolvedNow = resolved !== null && resolved <= anchor ? resolved : null;
  const closedNow =
    responded && closed !== null && closed <= anchor && (resolved === null || resolvedNow !== null)
      ? closed
      : null;
  const status = !responded
    ? "new"
    : closedNow !== null
      ? "closed"
      : resolvedNow !== null
        ? "resolved"
        : "in_progress";

  // Words: the customer's story, the summary, the paraphrase.
  const slots = {
    product: productName,
    amount: money(Math.round(rng.lognormal(4200, 0.6) / 100) * 100),
    days: String(rng.int(3, 21)),
    weekday: WEEKDAYS[(new Date(toLocal(received)).getUTCDay() + 7 - rng.int(1, 6)) % 7]!,
    order: `#HL-${rng.int(100000, 999999)}`,
  };
  const story =
    `${fill(rng.pick(cause.stories), slots)} ${rng.pick(angry ? ANGRY_CLOSERS : CALM_CLOSERS)}`.trim();
  const assignCause = resolvedNow !== null && rng.bernoulli(0.85);
  const createdAt = received + (channel === "web" ? 0 : rng.range(1, 4) * MIN);
  const updatedAt = Math.min(
    anchor,
    Math.max(createdAt, closedNow ?? resolvedNow ?? (responded ? steps.cursor : createdAt)),
  );

  rows.complaints.push({
    orgId: DEMO_ORG_ID,
    id,
    customerId: customer.id,
    receivedAt: new Date(received),
    channel,
    productId: w.productIds.get(productKey) ?? null,
    teamId: w.teamIds[teamKey],
    ownerId: owner.id,
    severity,
    summary: fill(rng.pick(cause.summaries), slots).slice(0, 300),
    story,
    paraphrase: steps.done.has("validate")
      ? `What bothered you is that ${fill(cause.paraphrase, slots)}. Is that correct?`
      : null,
    intakeSentiment,
    intakeNps,
    status,
    slaDueAt: new Date(w.calendar.addHours(received, w.slaDueHours[severity])),
    promisedBy: responded && promisedBy !== null ? new Date(promisedBy) : null,
    firstResponseAt: responded ? new Date(firstResponse) : null,
    resolvedAt: resolvedNow !== null ? new Date(resolvedNow) : null,
    closedAt: closedNow !== null ? new Date(closedNow) : null,
    reopenCount: resolvedNow !== null ? reopenCount : 0,
    noRemedyReason:
      remedyRows.length === 0 && closedNow !== null && resolvedNow !== null && rng.bernoulli(0.6)
        ? rng.pick(NO_REMEDY_REASONS)
        : null,
    customerUnreachable: closedNow !== null && resolvedNow === null && unreachable,
    rootCauseId: assignCause ? cause.id : null,
    fiveWhys: assignCause && rng.bernoulli(0.3) ? cause.whys : null,
    regulatedIssueId: null,
    timelyResponse: null,
    externalRef: null,
    version: 1,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
  });
  if (responded) {
    rows.complaintSteps.push(...steps.rows);
    rows.remedies.push(...remedyRows);
    rows.followUps.push(...followRows);
    rows.customerUpdates.push(...updateRows);
  }
  rows.auditEvents.push({
    orgId: DEMO_ORG_ID,
    id: rng.uuid(),
    occurredAt: new Date(createdAt),
    actorKind: channel === "web" ? "system" : "user",
    actorId: channel === "web" ? null : owner.id,
    entity: "complaint",
    entityId: id,
    complaintId: id,
    action: "complaint.created",
    before: null,
    after: { status: "new", severity, channel },
  });

  const outcome: Insert<typeof s.outcomes> | null =
    closedNow !== null
      ? {
          orgId: DEMO_ORG_ID,
          complaintId: id,
          finalNps: rng.bernoulli(0.85) ? latentNps : null,
          finalSentiment: rng.bernoulli(0.9) ? sentimentFromNps(rng, latentNps) : null,
          churnedAt: null,
          recordedAt: new Date(closedNow),
          recordedBy: owner.id,
        }
      : null;
  if (outcome && outcome.finalNps === null && outcome.finalSentiment === null)
    outcome.finalNps = latentNps;
  if (outcome) rows.outcomes.push(outcome);

  // A churner cancels some weeks after complaining (after the resolution, if any).
  const cancelAt = retained
    ? null
    : Math.max(
        received + rng.range(5, 70) * DAY,
        Math.min(resolved ?? 0, received + 80 * DAY) + DAY,
      );
  return {
    id,
    received,
    closed: closedNow,
    retained,
    cancelAt: cancelAt === null ? null : Math.min(cancelAt, received + 85 * DAY),
    latentNps,
    outcome,
  };
}
