/**
 * Customer activity in the demo data (purchases, renewals, cancellations, surveys, referrals and
 * reviews) shaped so that retention and NPS follow how each complaint was handled.
 */
import * as s from "../schema";
import { DAY } from "./calendar";
import { DEMO_ORG_ID } from "./constants";
import type { Segment } from "./customers";
import { clamp } from "./helpers";
import type { Random } from "./random";
import { baselineScore } from "./scores";
import type { ComplaintFacts, Insert, Rows, World } from "./world";

const SEGMENT_ACTIVITY: Record<
  Segment,
  { gapDays: number; kind: "purchase" | "renewal"; medianCents: number }
> = {
  consumer: { gapDays: 150, kind: "purchase", medianCents: 8000 },
  "small business": { gapDays: 91, kind: "renewal", medianCents: 48000 },
  enterprise: { gapDays: 91, kind: "renewal", medianCents: 600000 },
};

/**
 * Purchases and renewals around the customer's complaints: a regular rhythm, a purchase inside
 * 90 days after every complaint the customer stayed through, and a cancellation (then silence)
 * after the one they left over. Customers without complaints mostly stay and answer surveys.
 */
export function generateActivities(
  w: World,
  rng: Random,
  customer: Insert<typeof s.customers>,
  facts: ComplaintFacts[],
  rows: Rows,
): void {
  const anchor = w.anchor;
  const spec = SEGMENT_ACTIVITY[customer.segment as Segment];
  const amount = rng.lognormal(spec.medianCents, 0.5);
  const activities: Insert<typeof s.customerActivities>[] = [];
  const add = (
    kind: Insert<typeof s.customerActivities>["kind"],
    at: number,
    amountMinor: number,
    score: number | null = null,
    note: string | null = null,
  ) => {
    activities.push({
      orgId: DEMO_ORG_ID,
      id: rng.uuid(),
      customerId: customer.id!,
      kind,
      occurredAt: new Date(Math.round(at / 1000) * 1000),
      amountMinor,
      currency: "USD",
      score,
      externalRef: null,
      note,
      createdAt: new Date(Math.round(at / 1000) * 1000),
    });
  };
  const priceOf = () =>
    Math.max(
      100,
      Math.round((spec.kind === "renewal" ? amount : rng.lognormal(spec.medianCents, 0.6)) / 100) *
        100,
    );

  const first = facts[0];
  const last = facts[facts.length - 1];
  const from = first ? first.received - 365 * DAY : w.start - 30 * DAY;
  const churn = last && !last.retained ? last : null;
  let until = first ? Math.min(anchor, last!.received + 365 * DAY) : anchor;
  let quietCancel: number | null = null;
  if (!first && rng.bernoulli(0.1)) quietCancel = rng.range(w.start, anchor);
  if (churn) until = churn.received;
  if (quietCancel !== null) until = quietCancel;

  // The regular rhythm.
  const purchases: number[] = [];
  for (let t = from + rng.range(0, spec.gapDays) * DAY; t <= until;) {
    purchases.push(t);
    t +=
      (spec.kind === "renewal"
        ? spec.gapDays + rng.range(-5, 5)
        : rng.exponential(spec.gapDays - 15) + 15) * DAY;
  }
  // Stayed through a complaint: buy again within 90 days.
  for (const f of facts) {
    if (!f.retained) continue;
    const end = Math.min(f.received + 90 * DAY, anchor, until);
    if (end <= f.received) continue;
    if (!purchases.some((t) => t > f.received && t <= end))
      purchases.push(f.received + rng.range(0.15, 1) * (end - f.received));
  }
  for (const t of purchases)
    if (t <= anchor)
      add(spec.kind === "renewal" && rng.bernoulli(0.85) ? "renewal" : "purchase", t, priceOf());

  if (churn && churn.cancelAt !== null && churn.cancelAt <= anchor) {
    add("cancellation", churn.cancelAt, 0, null, "Cancelled after complaint");
    if (churn.outcome) churn.outcome.churnedAt = new Date(Math.round(churn.cancelAt / 1000) * 1000);
  }
  if (quietCancel !== null)
    add(
      "cancellation",
      quietCancel,
      0,
      null,
      rng.pick(["Moved out of area", "Switched provider", "No longer needed"]),
    );

  // Surveys: a baseline score before, a recovery-shaped score after.
  if (!first) {
    const n = rng.weightedIndex([55, 35, 10]);
    for (let i = 0; i < n; i++)
      add("survey", rng.range(w.start, quietCancel ?? anchor), 0, baselineScore(rng));
  } else {
    if (rng.bernoulli(0.2)) {
      const t = first.received - rng.range(30, 300) * DAY;
      if (t > w.start - 180 * DAY) add("survey", t, 0, baselineScore(rng));
    }
    for (const f of facts) {
      if (f.closed === null || !rng.bernoulli(0.4)) continue;
      const t = f.closed + rng.range(7, 45) * DAY;
      if (t <= anchor && (f.cancelAt === null || t < f.cancelAt))
        add("survey", t, 0, clamp(f.latentNps + rng.int(-1, 1), 0, 10));
    }
  }

  // Advocacy after a good recovery.
  for (const f of facts) {
    if (f.closed === null || !f.retained) continue;
    const promoter = f.latentNps >= 9;
    if (!rng.bernoulli(promoter ? 0.35 : f.latentNps >= 7 ? 0.06 : 0)) continue;
    const kind = promoter ? rng.weighted(s.advocacyKinds, [30, 35, 10, 25]) : "repeat_purchase";
    let at = f.closed + rng.range(3, 60) * DAY;
    if (kind === "repeat_purchase") {
      const next = purchases.filter((t) => t > f.closed! && t <= anchor).sort((x, y) => x - y)[0];
      if (next === undefined) continue;
      at = next;
    }
    if (at > anchor) continue;
    rows.advocacySignals.push({
      orgId: DEMO_ORG_ID,
      id: rng.uuid(),
      complaintId: f.id,
      kind,
      occurredAt: new Date(Math.round(at / 1000) * 1000),
      note: null,
    });
    if (kind === "referral") add("referral", at, 0, null, "Referred a friend");
    if (kind === "positive_review")
      add("review", at, 0, rng.bernoulli(0.6) ? 10 : 9, "Positive review after recovery");
  }

  let spent = 0;
  let earliest = first ? first.received : anchor;
  for (const act of activities) {
    spent += act.amountMinor ?? 0;
    earliest = Math.min(earliest, act.occurredAt.getTime());
  }
  customer.lifetimeValueMinor = Math.round(spent * rng.range(1, 2.2));
  customer.createdAt = new Date(Math.round((earliest - rng.range(1, 400) * DAY) / 1000) * 1000);
  rows.customerActivities.push(...activities);
}
