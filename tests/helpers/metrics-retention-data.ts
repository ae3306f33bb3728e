/**
 * A small hand-built dataset for the retention metrics: complaints with steps, remedies in two
 * currencies, follow-ups, outcomes, advocacy signals, and customer activity (purchases, renewals,
 * cancellations, surveys, reviews) for complainants and for customers without complaints.
 * The test computes every expected figure from these same specs in plain TypeScript.
 */
import type { Db } from "@/db/client";
import {
  advocacySignals,
  complaints,
  complaintSteps,
  customerActivities,
  customers,
  followUps,
  outcomes,
  activityKinds,
  remedies,
  type RemedyKind,
  type Severity,
} from "@/db/schema";
import { playbookStepIds } from "./complaint-fixtures";
import { rebuildRollups } from "@/lib/rollups/rebuild";

type ActivityKind = (typeof activityKinds)[number];
const H = 3600_000;
export const at = (iso: string) => new Date(iso);
const plus = (d: Date, hours: number) => new Date(d.getTime() + hours * H);

export interface RemedySpec {
  kind: RemedyKind;
  cost: number | null;
  currency: string;
  delivered: boolean;
}

export interface ComplaintSpec {
  key: string;
  customer: string;
  receivedAt: Date;
  severity: Severity;
  sentiment: number | null;
  nps: number | null;
  /** Hours after receipt, or null. */
  firstResponseH: number | null;
  resolvedH: number | null;
  closedAt: Date | null;
  promisedH: number | null;
  steps: string[];
  remedies: RemedySpec[];
  followUps: { done: boolean; nps: number | null; doneAt?: Date }[];
  outcomeNps: number | null;
  advocacy: { kind: "referral" | "positive_review" | "testimonial"; at: Date }[];
}

export interface ActivitySpec {
  customer: string;
  kind: ActivityKind;
  at: Date;
  amount: number;
  currency: string;
  score: number | null;
}

export const customerKeys = ["A", "B", "C", "D", "E", "F", "G", "H", "I"] as const;

export const complaintSpecs: ComplaintSpec[] = [
  {
    key: "c1",
    customer: "A",
    receivedAt: at("2025-03-03T10:00:00Z"),
    severity: "minor",
    sentiment: 1,
    nps: null,
    firstResponseH: 2,
    resolvedH: 20,
    closedAt: at("2025-03-05T10:00:00Z"),
    promisedH: 24,
    steps: ["listen", "apologize"],
    remedies: [{ kind: "refund", cost: 5000, currency: "USD", delivered: true }],
    followUps: [{ done: true, nps: 9 }],
    outcomeNps: 10,
    advocacy: [],
  },
  {
    key: "c2",
    customer: "B",
    receivedAt: at("2025-03-10T09:00:00Z"),
    severity: "major",
    sentiment: null,
    nps: 3,
    firstResponseH: 60,
    resolvedH: 100,
    closedAt: at("2025-03-20T09:00:00Z"),
    promisedH: null,
    steps: ["listen"],
    remedies: [{ kind: "credit", cost: 2000, currency: "EUR", delivered: true }],
    followUps: [],
    outcomeNps: 5,
    advocacy: [],
  },
  {
    key: "c3",
    customer: "C",
    receivedAt: at("2025-04-02T15:00:00Z"),
    severity: "critical",
    sentiment: 2,
    nps: null,
    firstResponseH: 1,
    resolvedH: null,
    closedAt: null,
    promisedH: null,
    steps: [],
    remedies: [{ kind: "coupon", cost: 1000, currency: "USD", delivered: false }],
    followUps: [{ done: false, nps: null }],
    outcomeNps: null,
    advocacy: [],
  },
  {
    key: "c4",
    customer: "D",
    receivedAt: at("2025-04-15T12:00:00Z"),
    severity: "moderate",
    sentiment: 4,
    nps: 8,
    firstResponseH: 3,
    resolvedH: 30,
    closedAt: at("2025-04-18T12:00:00Z"),
    promisedH: 20,
    steps: ["listen", "empathize"],
    remedies: [{ kind: "apology_only", cost: 0, currency: "USD", delivered: true }],
    followUps: [],
    outcomeNps: 9,
    advocacy: [],
  },
  {
    key: "c5",
    customer: "A",
    receivedAt: at("2025-05-20T08:00:00Z"),
    severity: "major",
    sentiment: 2,
    nps: 2,
    firstResponseH: 10,
    resolvedH: 40,
    closedAt: at("2025-05-25T08:00:00Z"),
    promisedH: null,
    steps: ["listen", "empathize"],
    remedies: [
      { kind: "refund", cost: 3000, currency: "USD", delivered: true },
      { kind: "gift", cost: null, currency: "USD", delivered: true },
    ],
    followUps: [{ done: true, nps: null }],
    outcomeNps: null,
    advocacy: [{ kind: "referral", at: at("2025-06-10T00:00:00Z") }],
  },
  {
    key: "c6",
    customer: "E",
    receivedAt: at("2025-02-10T10:00:00Z"),
    severity: "minor",
    sentiment: 1,
    nps: 0,
    firstResponseH: 5,
    resolvedH: 10,
    closedAt: at("2025-02-20T10:00:00Z"),
    promisedH: null,
    steps: ["listen"],
    remedies: [{ kind: "refund", cost: 700, currency: "USD", delivered: true }],
    followUps: [],
    outcomeNps: 3,
    advocacy: [],
  },
  {
    key: "c7",
    customer: "F",
    receivedAt: at("2025-05-05T10:00:00Z"),
    severity: "minor",
    sentiment: 1,
    nps: null,
    firstResponseH: 30,
    resolvedH: 47,
    closedAt: at("2025-06-10T10:00:00Z"),
    promisedH: null,
    steps: [],
    remedies: [{ kind: "replacement", cost: 1500, currency: "USD", delivered: true }],
    followUps: [
      { done: true, nps: 4, doneAt: at("2025-05-10T10:00:00Z") },
      { done: true, nps: 10, doneAt: at("2025-05-20T10:00:00Z") },
    ],
    outcomeNps: null,
    // Before the complaint: not an advocacy signal "after the complaint".
    advocacy: [{ kind: "positive_review", at: at("2025-05-01T00:00:00Z") }],
  },
  {
    key: "c8",
    customer: "F",
    receivedAt: at("2025-04-25T00:00:00Z"),
    severity: "minor",
    sentiment: 1,
    nps: 6,
    firstResponseH: 30,
    resolvedH: 50,
    closedAt: at("2025-04-30T00:00:00Z"),
    promisedH: 72,
    steps: ["listen", "apologize", "empathize"],
    remedies: [],
    followUps: [{ done: true, nps: 8 }],
    outcomeNps: 9,
    advocacy: [],
  },
];

export const activitySpecs: ActivitySpec[] = [
  // A: retained after c1 (30/90/180) and after c5 (90/180: renewal 42 days later).
  {
    customer: "A",
    kind: "purchase",
    at: at("2025-04-01T10:00:00Z"),
    amount: 10000,
    currency: "USD",
    score: null,
  },
  {
    customer: "A",
    kind: "renewal",
    at: at("2025-07-01T10:00:00Z"),
    amount: 5000,
    currency: "USD",
    score: null,
  },
  {
    customer: "A",
    kind: "review",
    at: at("2025-04-10T10:00:00Z"),
    amount: 0,
    currency: "USD",
    score: 2,
  },
  // B: cancelled before buying again → not retained after c2.
  {
    customer: "B",
    kind: "cancellation",
    at: at("2025-03-15T10:00:00Z"),
    amount: 0,
    currency: "EUR",
    score: null,
  },
  {
    customer: "B",
    kind: "purchase",
    at: at("2025-04-20T10:00:00Z"),
    amount: 3000,
    currency: "EUR",
    score: null,
  },
  // C: renewal 152 days after c3 → retained at 180 only.
  {
    customer: "C",
    kind: "renewal",
    at: at("2025-09-01T10:00:00Z"),
    amount: 20000,
    currency: "USD",
    score: null,
  },
  // D: purchase 16 days after c4, plus one in EUR (revenue stays per currency).
  {
    customer: "D",
    kind: "purchase",
    at: at("2025-05-01T10:00:00Z"),
    amount: 4000,
    currency: "USD",
    score: null,
  },
  {
    customer: "D",
    kind: "purchase",
    at: at("2025-06-01T10:00:00Z"),
    amount: 900,
    currency: "EUR",
    score: null,
  },
  // E: complained in February; a passive survey in range (no complaint received in range).
  {
    customer: "E",
    kind: "survey",
    at: at("2025-03-15T10:00:00Z"),
    amount: 0,
    currency: "USD",
    score: 8,
  },
  // F: nothing bought → not retained.
  // G, H: customers without complaints.
  {
    customer: "G",
    kind: "purchase",
    at: at("2025-01-15T10:00:00Z"),
    amount: 1000,
    currency: "USD",
    score: null,
  },
  {
    customer: "G",
    kind: "purchase",
    at: at("2025-03-20T10:00:00Z"),
    amount: 1000,
    currency: "USD",
    score: null,
  },
  {
    customer: "G",
    kind: "survey",
    at: at("2025-04-10T10:00:00Z"),
    amount: 0,
    currency: "USD",
    score: 10,
  },
  {
    customer: "H",
    kind: "purchase",
    at: at("2025-02-01T10:00:00Z"),
    amount: 800,
    currency: "USD",
    score: null,
  },
  {
    customer: "H",
    kind: "cancellation",
    at: at("2025-03-10T10:00:00Z"),
    amount: 0,
    currency: "USD",
    score: null,
  },
  {
    customer: "H",
    kind: "purchase",
    at: at("2025-04-05T10:00:00Z"),
    amount: 800,
    currency: "USD",
    score: null,
  },
  {
    customer: "H",
    kind: "review",
    at: at("2025-05-05T10:00:00Z"),
    amount: 0,
    currency: "USD",
    score: 4,
  },
  // I: no activity at all → never "active", not in the comparison group.
];

export interface RetentionData {
  customerIds: Record<string, string>;
  complaintIds: Record<string, string>;
  stepIds: Record<string, string>;
}

export async function insertRetentionData(db: Db, orgId: string): Promise<RetentionData> {
  const stepIds = await playbookStepIds(db, orgId);
  const customerIds: Record<string, string> = {};
  for (const key of customerKeys) {
    const [row] = await db
      .insert(customers)
      .values({ orgId, name: `Customer ${key}` })
      .returning({ id: customers.id });
    customerIds[key] = row!.id;
  }
  const complaintIds: Record<string, string> = {};
  for (const c of complaintSpecs) {
    const resolvedAt = c.resolvedH === null ? null : plus(c.receivedAt, c.resolvedH);
    const [row] = await db
      .insert(complaints)
      .values({
        orgId,
        customerId: customerIds[c.customer]!,
        receivedAt: c.receivedAt,
        channel: "phone",
        severity: c.severity,
        summary: `Complaint ${c.key}`,
        intakeSentiment: c.sentiment,
        intakeNps: c.nps,
        status: c.closedAt ? "closed" : resolvedAt ? "resolved" : "in_progress",
        firstResponseAt: c.firstResponseH === null ? null : plus(c.receivedAt, c.firstResponseH),
        resolvedAt,
        closedAt: c.closedAt,
        promisedBy: c.promisedH === null ? null : plus(c.receivedAt, c.promisedH),
      })
      .returning({ id: complaints.id });
    const id = row!.id;
    complaintIds[c.key] = id;
    for (const [i, step] of c.steps.entries()) {
      await db.insert(complaintSteps).values({
        orgId,
        complaintId: id,
        stepId: stepIds[step]!,
        doneAt: plus(c.receivedAt, i + 1),
      });
    }
    for (const r of c.remedies) {
      await db.insert(remedies).values({
        orgId,
        complaintId: id,
        kind: r.kind,
        costMinor: r.cost,
        currency: r.currency,
        offeredAt: plus(c.receivedAt, 1),
        decision: "accepted",
        deliveredAt: r.delivered ? plus(c.receivedAt, 2) : null,
      });
    }
    for (const fu of c.followUps) {
      await db.insert(followUps).values({
        orgId,
        complaintId: id,
        dueAt: plus(c.receivedAt, 72),
        doneAt: fu.done ? (fu.doneAt ?? plus(c.receivedAt, 72)) : null,
        nps: fu.nps,
      });
    }
    if (c.outcomeNps !== null) {
      await db.insert(outcomes).values({
        orgId,
        complaintId: id,
        finalNps: c.outcomeNps,
        recordedAt: c.closedAt ?? plus(c.receivedAt, 100),
      });
    }
    for (const s of c.advocacy) {
      await db
        .insert(advocacySignals)
        .values({ orgId, complaintId: id, kind: s.kind, occurredAt: s.at });
    }
  }
  for (const a of activitySpecs) {
    await db.insert(customerActivities).values({
      orgId,
      customerId: customerIds[a.customer]!,
      kind: a.kind,
      occurredAt: a.at,
      amountMinor: a.amount,
      currency: a.currency,
      score: a.score,
    });
  }
  // Rows written straight to the tables, as an import would: their facts and rollups follow.
  await rebuildRollups(db, orgId);
  return { customerIds, complaintIds, stepIds };
}
