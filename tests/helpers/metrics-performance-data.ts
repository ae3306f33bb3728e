/**
 * A small hand-built dataset for the recovery-performance metrics. The org's default policy is
 * America/New_York, Monday–Friday 09:00–17:00 (UTC−5 in January: 14:00–22:00 UTC), and this
 * helper adds the holiday Monday 2025-01-20. The current period is 2025-01-13 … 2025-01-26 (two
 * ISO weeks), the previous 2024-12-30 … 2025-01-12. A few complaints are open "now" (relative to
 * the test's clock) for the backlog. Tests compute every expected figure from `perfSpecs` in plain
 * TypeScript.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  complaintSteps,
  holidays,
  playbookSteps,
  remedies,
  slaPolicies,
  type ComplaintStatus,
} from "@/db/schema";
import type { TestOrg } from "./fixtures";
import { insertComplaint, insertCustomer, insertOutcome } from "./complaints";
import { rebuildRollups } from "@/lib/rollups/rebuild";

export const HOLIDAY = "2025-01-20";
export const REQUIRED_STEPS = [
  "listen",
  "validate",
  "empathize",
  "apologize",
  "involve",
  "remedy",
  "commit",
  "thank",
  "follow_up",
] as const;

export interface PerfRemedy {
  costMinor: number | null;
  currency: string;
  deliveredAt: string | null;
}

export interface PerfSpec {
  key: string;
  receivedAt: string;
  firstResponseAt?: string | null;
  resolvedAt?: string | null;
  closedAt?: string | null;
  status: ComplaintStatus;
  slaDueAt?: string | null;
  promisedBy?: string | null;
  sentiment?: number | null;
  nps?: number | null;
  owner: "agent" | "manager" | null;
  reopenCount?: number;
  steps?: readonly string[];
  remedies?: PerfRemedy[];
  outcomeNps?: number | null;
}

const HOUR = 3_600_000;
/** An instant relative to `now`, for the complaints open "now". */
const ago = (now: number, hours: number) => new Date(now - hours * HOUR).toISOString();

/** The dataset; `now` places the open backlog. */
export function perfSpecs(now: number): PerfSpec[] {
  return [
    // Fri 15:00 local → first response Tue 10:00 (weekend + holiday between), resolved Wed 16:00.
    {
      key: "c1",
      receivedAt: "2025-01-17T20:00:00Z",
      firstResponseAt: "2025-01-21T15:00:00Z",
      resolvedAt: "2025-01-22T21:00:00Z",
      closedAt: null,
      status: "resolved",
      slaDueAt: "2025-01-22T20:00:00Z",
      promisedBy: "2025-01-23T00:00:00Z",
      sentiment: 1,
      owner: "agent",
      steps: REQUIRED_STEPS,
      remedies: [
        { costMinor: 1000, currency: "USD", deliveredAt: "2025-01-22T10:00:00Z" },
        { costMinor: 500, currency: "EUR", deliveredAt: "2025-01-22T11:00:00Z" },
        { costMinor: 9999, currency: "USD", deliveredAt: null },
        { costMinor: null, currency: "USD", deliveredAt: "2025-01-22T12:00:00Z" },
      ],
    },
    // Angry (NPS 3), contacted in 1 h, resolved in 24 h (tie with c3), promise broken, advocate.
    {
      key: "c2",
      receivedAt: "2025-01-14T15:00:00Z",
      firstResponseAt: "2025-01-14T16:00:00Z",
      resolvedAt: "2025-01-15T15:00:00Z",
      closedAt: "2025-01-16T10:00:00Z",
      status: "closed",
      slaDueAt: "2025-01-16T15:00:00Z",
      promisedBy: "2025-01-15T12:00:00Z",
      nps: 3,
      owner: "agent",
      steps: ["listen", "validate"],
      outcomeNps: 10,
    },
    {
      key: "c3",
      receivedAt: "2025-01-15T15:00:00Z",
      firstResponseAt: "2025-01-15T17:00:00Z",
      resolvedAt: "2025-01-16T15:00:00Z",
      closedAt: "2025-01-17T10:00:00Z",
      status: "closed",
      slaDueAt: "2025-01-17T15:00:00Z",
      sentiment: 4,
      owner: "manager",
      steps: [...REQUIRED_STEPS, "wow"],
      remedies: [{ costMinor: 250, currency: "USD", deliveredAt: "2025-01-16T15:00:00Z" }],
    },
    // Angry, never contacted, still open and overdue.
    {
      key: "c4",
      receivedAt: "2025-01-23T14:00:00Z",
      status: "in_progress",
      slaDueAt: "2025-01-24T14:00:00Z",
      sentiment: 2,
      owner: "manager",
    },
    // Received on the holiday, resolved then reopened (resolved at cleared), unassigned.
    {
      key: "c5",
      receivedAt: "2025-01-20T15:00:00Z",
      firstResponseAt: "2025-01-22T15:00:00Z",
      status: "in_progress",
      nps: 8,
      owner: null,
      reopenCount: 1,
    },
    // Angry, first contact after 49 h (outside the 48 h loop), resolved on a Sunday, not an advocate.
    {
      key: "c6",
      receivedAt: "2025-01-24T15:00:00Z",
      firstResponseAt: "2025-01-26T16:00:00Z",
      resolvedAt: "2025-01-26T17:00:00Z",
      closedAt: "2025-01-26T18:00:00Z",
      status: "closed",
      slaDueAt: "2025-01-25T00:00:00Z",
      promisedBy: "2025-01-27T00:00:00Z",
      sentiment: 1,
      owner: "agent",
      outcomeNps: 7,
    },
    // Previous period.
    {
      key: "p1",
      receivedAt: "2025-01-06T15:00:00Z",
      firstResponseAt: "2025-01-06T18:00:00Z",
      resolvedAt: "2025-01-08T15:00:00Z",
      closedAt: "2025-01-09T15:00:00Z",
      status: "closed",
      slaDueAt: "2025-01-09T15:00:00Z",
      sentiment: 2,
      owner: "agent",
      steps: REQUIRED_STEPS,
      remedies: [{ costMinor: 300, currency: "USD", deliveredAt: "2025-01-08T15:00:00Z" }],
    },
    {
      key: "p2",
      receivedAt: "2025-01-07T15:00:00Z",
      firstResponseAt: "2025-01-07T15:30:00Z",
      resolvedAt: "2025-01-10T15:00:00Z",
      status: "resolved",
      slaDueAt: "2025-01-09T15:00:00Z",
      sentiment: 3,
      owner: "manager",
      steps: ["listen"],
    },
    // Received in the previous period, resolved in the current one.
    {
      key: "p3",
      receivedAt: "2025-01-10T15:00:00Z",
      firstResponseAt: "2025-01-10T16:00:00Z",
      resolvedAt: "2025-01-13T15:00:00Z",
      status: "resolved",
      slaDueAt: "2025-01-14T15:00:00Z",
      sentiment: 5,
      owner: "agent",
    },
    // Open and overdue at the end of the previous period, resolved in the current one.
    {
      key: "p4",
      receivedAt: "2025-01-02T15:00:00Z",
      firstResponseAt: "2025-01-02T16:00:00Z",
      resolvedAt: "2025-01-15T15:00:00Z",
      status: "resolved",
      slaDueAt: "2025-01-05T15:00:00Z",
      sentiment: 4,
      owner: "manager",
      steps: REQUIRED_STEPS,
    },
    // Across the change to summer time (Sun 2025-03-09): Fri 14:00 EST → Tue 10:00 EDT.
    {
      key: "d1",
      receivedAt: "2025-03-07T19:00:00Z",
      firstResponseAt: "2025-03-07T20:00:00Z",
      resolvedAt: "2025-03-11T14:00:00Z",
      status: "resolved",
      sentiment: 4,
      owner: null,
    },
    // Open now: a fresh one on track, one five days old and overdue.
    {
      key: "o1",
      receivedAt: ago(now, 2),
      status: "new",
      slaDueAt: ago(now, -240),
      sentiment: 3,
      owner: "agent",
    },
    {
      key: "o2",
      receivedAt: ago(now, 5 * 24),
      firstResponseAt: ago(now, 5 * 24 - 1),
      status: "in_progress",
      slaDueAt: ago(now, 24),
      sentiment: 3,
      owner: "agent",
    },
  ];
}

export interface PerfData {
  specs: PerfSpec[];
  ids: Record<string, string>;
  stepIds: Record<string, string>;
  owners: { agent: string; manager: string };
}

const d = (v: string | null | undefined) => (v ? new Date(v) : null);

export async function insertPerformanceData(db: Db, org: TestOrg, now: number): Promise<PerfData> {
  const { orgId } = org;
  const [policy] = await db
    .select({ id: slaPolicies.id })
    .from(slaPolicies)
    .where(eq(slaPolicies.orgId, orgId));
  await db.insert(holidays).values({ orgId, policyId: policy!.id, day: HOLIDAY, name: "Holiday" });
  const steps = await db
    .select({ id: playbookSteps.id, key: playbookSteps.key })
    .from(playbookSteps)
    .where(eq(playbookSteps.orgId, orgId));
  const stepIds = Object.fromEntries(steps.map((s) => [s.key, s.id]));
  const owners = { agent: org.users.agent.userId, manager: org.users.manager.userId };
  const customerId = await insertCustomer(db, orgId);
  const specs = perfSpecs(now);
  const ids: Record<string, string> = {};
  for (const s of specs) {
    const row = await insertComplaint(db, orgId, {
      customerId,
      receivedAt: new Date(s.receivedAt),
      firstResponseAt: d(s.firstResponseAt),
      resolvedAt: d(s.resolvedAt),
      closedAt: d(s.closedAt),
      status: s.status,
      slaDueAt: d(s.slaDueAt),
      promisedBy: d(s.promisedBy),
      intakeSentiment: s.sentiment ?? null,
      intakeNps: s.nps ?? null,
      ownerId: s.owner ? owners[s.owner] : null,
      reopenCount: s.reopenCount ?? 0,
      summary: `Complaint ${s.key}`,
    });
    ids[s.key] = row.id;
    for (const key of s.steps ?? []) {
      await db.insert(complaintSteps).values({
        orgId,
        complaintId: row.id,
        stepId: stepIds[key]!,
        doneAt: new Date(s.receivedAt),
      });
    }
    for (const r of s.remedies ?? []) {
      await db.insert(remedies).values({
        orgId,
        complaintId: row.id,
        kind: "refund",
        costMinor: r.costMinor,
        currency: r.currency,
        offeredAt: new Date(s.receivedAt),
        decision: "accepted",
        deliveredAt: d(r.deliveredAt),
      });
    }
    if (s.outcomeNps != null) await insertOutcome(db, orgId, row.id, { finalNps: s.outcomeNps });
  }
  // Rows written straight to the tables, as an import would: their facts and rollups follow.
  await rebuildRollups(db, orgId);
  return { specs, ids, stepIds, owners };
}
