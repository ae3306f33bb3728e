/**
 * The executive dashboard and the "does the playbook work?" panel read the rollups
 * (lib/metrics/retention.ts, playbook-effect.ts). After any sequence of writes through the real
 * commands (intake, playbook steps, remedies offered and delivered with costs in two currencies,
 * promises, follow-ups, outcomes, status changes with reopen, reassignment, root causes, customer
 * purchases, renewals — some of 0 — cancellations and reviews), every executive figure and its
 * drill-down links equal the raw-row reference (lib/metrics/reference), for no, one and two
 * dimension filters over 90 days and 2 years, before and after a rebuild. Complaints are received
 * around 30, 90 and 180 days ago often enough that a day straddling "N days have passed" is hit.
 */
import fc from "fast-check";
import { expectRollupsExact, rebuilds } from "../helpers/rollup-checks";
import { topUpWrites } from "../helpers/top-up";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, useDatabase, type DatabaseHandle } from "@/db";
import { complaints, customers, type ComplaintStatus } from "@/db/schema";
import * as commands from "@/lib/complaints/commands";
import { recordComplaint } from "@/lib/complaints/intake";
import { recordCustomerActivity } from "@/lib/customers/activity";
import { parseDashboardFilters, type DashboardFilters } from "@/lib/metrics/filters";
import * as fastEffect from "@/lib/metrics/playbook-effect";
import * as fast from "@/lib/metrics/retention";
import * as referenceEffect from "@/lib/metrics/reference/playbook-effect";
import * as reference from "@/lib/metrics/reference/retention";
import { engines } from "../helpers/db";
import { createOutsider, createRootCause, playbookStepIds } from "../helpers/complaint-fixtures";
import { insertProduct } from "../helpers/complaints";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { historyWrite, markHistory } from "../helpers/history-flags";
import { actAs } from "../helpers/session";
import { expectSameFigures } from "../helpers/same-figures";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const channels = ["phone", "email", "chat", "web"] as const;
const severities = ["minor", "moderate", "major", "critical"] as const;
const remedyKinds = ["refund", "credit", "apology_only", "gift"] as const;

// Often around 30, 90 and 180 days ago: the days where retention eligibility splits (and where
// activity and complaints then fall on the same day: the NPS-without-complaint boundary).
const daysAgo = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 800 }), weight: 2 },
  { arbitrary: fc.constantFrom(29, 30, 31, 89, 90, 91, 179, 180, 181), weight: 1 },
);

/** One write, with its random choices; `pick` indexes wrap around what exists. */
const intake = fc.record({
  kind: fc.constant("intake" as const),
  customer: fc.nat(5),
  daysAgo,
  hour: fc.nat(23),
  channel: fc.constantFrom(...channels),
  severity: fc.constantFrom(...severities),
  sentiment: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  nps: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  team: fc.nat(2),
  product: fc.nat(3),
  promiseDays: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
});
const write = fc.oneof(
  { arbitrary: intake, weight: 5 },
  fc.record({ kind: fc.constant("step" as const), pick: fc.nat(), step: fc.nat(9) }),
  fc.record({
    kind: fc.constant("remedy" as const),
    pick: fc.nat(),
    remedy: fc.constantFrom(...remedyKinds),
    cost: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: undefined }),
    currency: fc.constantFrom("USD", "EUR"),
    deliver: fc.boolean(),
  }),
  // Closing drives every conversion figure (closed basis): resolve and close more often.
  { arbitrary: fc.record({ kind: fc.constant("resolve" as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("close" as const), pick: fc.nat() }), weight: 2 },
  fc.record({ kind: fc.constant("reopen" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("outcome" as const),
    pick: fc.nat(),
    nps: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    referral: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("followUp" as const), pick: fc.nat(), nps: fc.nat(10) }),
  fc.record({ kind: fc.constant("reassign" as const), pick: fc.nat(), team: fc.nat(2) }),
  // History marked as the importer marks it: times completed by rule, imported, unowned.
  historyWrite,
  fc.record({ kind: fc.constant("rootCause" as const), pick: fc.nat(), cause: fc.nat(1) }),
  {
    arbitrary: fc.record({
      kind: fc.constant("activity" as const),
      // Customers 6–9 never complain: the comparison group of "customers without complaints".
      customer: fc.nat(9),
      daysAgo,
      hour: fc.nat(23),
      // Or a few hours either side of an existing complaint's receipt, for that complaint's customer.
      near: fc.option(fc.record({ pick: fc.nat(), hours: fc.integer({ min: -2, max: 2 }) }), {
        nil: undefined,
      }),
      activity: fc.constantFrom("purchase", "renewal", "cancellation", "review", "review"),
      score: fc.nat(10),
      // Free renewals (0) too: a retained complaint's revenue of 0 still names its currency and month.
      amount: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 900 })),
      currency: fc.constantFrom("USD", "USD", "EUR"),
    }),
    weight: 3,
  },
);
type Write = typeof write extends fc.Arbitrary<infer T> ? T : never;

describe.each(engines)(
  "executive figures from the rollups equal the raw rows after any writes, on $name",
  (engine) => {
    let handle: DatabaseHandle;
    let org: TestOrg;
    let teams: { teamId: string; ownerId: string }[];
    let productIds: string[];
    let causeIds: string[];
    let customerIds: string[];
    let stepIds: string[];
    let seq = 0;
    /** Successful writes per kind. */
    const done: Record<string, number> = {};
    const tally = (kind: string, result: { ok: boolean }) => {
      if (result.ok) done[kind] = (done[kind] ?? 0) + 1;
      else done[kind] ??= 0;
    };

    beforeAll(async () => {
      handle = await engine.open();
      useDatabase(handle);
      org = await createTestOrg(handle.db, "Executive rollups");
      const other = await createOutsider(handle.db, org);
      teams = [
        { teamId: org.teamId, ownerId: org.users.agent.userId },
        { teamId: org.teamId, ownerId: org.users.manager.userId },
        { teamId: other.teamId, ownerId: other.userId },
      ];
      const parent = await insertProduct(handle.db, org.orgId, "Broadband");
      productIds = [
        parent,
        await insertProduct(handle.db, org.orgId, "Fibre", parent),
        await insertProduct(handle.db, org.orgId, "Mobile"),
      ];
      causeIds = [
        await createRootCause(handle.db, org.orgId, "Late dispatch"),
        await createRootCause(handle.db, org.orgId, "Billing error"),
      ];
      customerIds = [];
      for (let i = 0; i < 10; i++) {
        const [c] = await handle.db
          .insert(customers)
          .values({ orgId: org.orgId, name: `Customer ${i}`, externalRef: `CUST-${i}` })
          .returning({ id: customers.id });
        customerIds.push(c!.id);
      }
      stepIds = Object.values(await playbookStepIds(handle.db, org.orgId));
      actAs(org.users.admin);
      // A purchase history for customers 6–9 (every 50–80 days), so that some of them are active
      // and retained at the reference months until random cancellations and writes move them.
      for (let i = 6; i < 10; i++)
        for (let daysAgo = 760; daysAgo > 0; daysAgo -= 50 + 10 * (i - 6)) {
          const recorded = await recordCustomerActivity({
            customerRef: `CUST-${i}`,
            kind: "purchase",
            occurredAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
            amount: "100",
            currency: "USD",
          });
          expect(recorded.ok).toBe(true);
        }
      // …and survey scores from them: responses of customers who never complain.
      for (let i = 6; i < 10; i++) {
        const recorded = await recordCustomerActivity({
          customerRef: `CUST-${i}`,
          kind: "review",
          occurredAt: new Date(Date.now() - (20 + 40 * i) * 86_400_000).toISOString(),
          score: [10, 2, 8, 9][i - 6],
        });
        expect(recorded.ok).toBe(true);
      }
    });
    afterAll(async () => {
      await handle.close();
    });

    /** The pick-th complaint (wrapping), among those in a status the write can apply to. */
    async function complaintAt(pick: number, statuses?: ComplaintStatus[]) {
      const rows = await handle.db
        .select({ id: complaints.id, version: complaints.version, status: complaints.status })
        .from(complaints)
        .where(
          and(
            eq(complaints.orgId, org.orgId),
            statuses ? inArray(complaints.status, statuses) : undefined,
          ),
        )
        .orderBy(complaints.createdAt, complaints.id);
      return rows.length ? rows[pick % rows.length]! : null;
    }
    const applicable: Partial<Record<Write["kind"], ComplaintStatus[]>> = {
      resolve: ["new", "in_progress"],
      close: ["resolved"],
      reopen: ["resolved", "closed"],
    };

    async function apply(w: Write): Promise<void> {
      const day = 86_400_000;
      if (w.kind === "intake") {
        const received = new Date(Date.now() - w.daysAgo * day - w.hour * 3_600_000);
        const team = teams[w.team]!;
        const recorded = await recordComplaint({
          idempotencyKey: crypto.randomUUID(),
          customerId: customerIds[w.customer],
          receivedAt: received.toISOString(),
          channel: w.channel,
          severity: w.severity,
          summary: `Complaint ${++seq}`,
          story: "The story in the customer's words.",
          intakeSentiment: w.sentiment ?? (w.nps === undefined ? 2 : undefined),
          intakeNps: w.nps,
          teamId: team.teamId,
          ownerId: team.ownerId,
          productId: productIds[w.product % productIds.length],
          promisedBy: w.promiseDays
            ? new Date(received.getTime() + w.promiseDays * day).toISOString()
            : undefined,
        });
        tally("intake", recorded);
        return;
      }
      if (w.kind === "activity") {
        let customerRef = `CUST-${w.customer}`;
        let occurredAt = new Date(Date.now() - w.daysAgo * day - w.hour * 3_600_000);
        const near = w.near ? await complaintAt(w.near.pick) : null;
        if (w.near && near) {
          const [c] = await handle.db
            .select({ at: complaints.receivedAt, ref: customers.externalRef })
            .from(complaints)
            .innerJoin(customers, eq(customers.id, complaints.customerId))
            .where(eq(complaints.id, near.id));
          const at = c!.at.getTime() + w.near.hours * 3_600_000;
          if (at <= Date.now()) {
            customerRef = c!.ref!;
            occurredAt = new Date(at);
          }
        }
        const recorded = await recordCustomerActivity({
          customerRef,
          kind: w.activity,
          occurredAt: occurredAt.toISOString(),
          amount: String(w.amount),
          currency: w.currency,
          score: w.activity === "review" ? w.score : undefined,
        });
        tally("activity", recorded);
        return;
      }
      const c = await complaintAt(w.pick, applicable[w.kind]);
      if (!c) return;
      const ref = { complaintId: c.id, version: c.version };
      switch (w.kind) {
        case "history":
          await markHistory(handle.db, org.orgId, c.id, w);
          tally("history", { ok: true });
          return;
        case "step":
          tally(
            "step",
            await commands.recordStep({ ...ref, stepId: stepIds[w.step % stepIds.length] }),
          );
          return;
        case "remedy": {
          const offered = await commands.offerRemedy({
            ...ref,
            kind: w.remedy,
            cost: w.cost === undefined ? "" : String(w.cost / 100),
            currency: w.currency,
          });
          tally("remedy", offered);
          if (w.deliver && offered.ok) {
            const { id: remedyId, version } = offered.data;
            const delivered = await commands.deliverRemedy({
              complaintId: c.id,
              version,
              remedyId,
            });
            tally("deliver", delivered);
            // A delivery with a cost: the money figures are not vacuous.
            if (w.cost !== undefined) tally("deliverCosted", delivered);
          }
          return;
        }
        case "resolve":
          tally(
            "resolve",
            await commands.changeStatus({ ...ref, to: "resolved", noRemedyReason: "Goodwill" }),
          );
          return;
        case "close":
          tally(
            "close",
            await commands.changeStatus({ ...ref, to: "closed", customerUnreachable: "on" }),
          );
          return;
        case "reopen":
          tally("reopen", await commands.changeStatus({ ...ref, to: "reopen" }));
          return;
        case "outcome":
          const outcome = await commands.recordOutcome({
            ...ref,
            finalSentiment: w.nps === undefined ? 4 : undefined,
            finalNps: w.nps,
            signals: w.referral ? ["referral"] : [],
          });
          tally("outcome", outcome);
          return;
        case "followUp": {
          const scheduled = await commands.scheduleFollowUp({ ...ref, preset: "tomorrow" });
          tally("followUp", scheduled);
          if (scheduled.ok) {
            const { id: followUpId, version } = scheduled.data;
            const completed = await commands.completeFollowUp({
              complaintId: c.id,
              version,
              followUpId,
              channel: "phone",
              nps: w.nps,
            });
            tally("completeFollowUp", completed);
          }
          return;
        }
        case "reassign": {
          const team = teams[w.team]!;
          tally(
            "reassign",
            await commands.assignComplaint({ ...ref, ownerId: team.ownerId, teamId: team.teamId }),
          );
          return;
        }
        case "rootCause":
          tally(
            "rootCause",
            await commands.setRootCause({ ...ref, rootCauseId: causeIds[w.cause] }),
          );
          return;
      }
    }

    /**
     * Filter sets: none and one dimension (rollups), two of team/channel/severity (cell rollups),
     * owner + severity (facts); 90 days and 2 years.
     */
    function filterSets(): DashboardFilters[] {
      const today = new Date();
      const twoYears = {
        range: "custom",
        from: new Date(today.getTime() - 729 * 86_400_000).toISOString().slice(0, 10),
        to: today.toISOString().slice(0, 10),
      };
      return [
        parseDashboardFilters({}, today),
        parseDashboardFilters({ ...twoYears }, today),
        parseDashboardFilters({ ...twoYears, team: teams[2]!.teamId }, today),
        parseDashboardFilters({ ...twoYears, product: productIds[0]! }, today),
        parseDashboardFilters({ ...twoYears, team: org.teamId, channel: "email" }, today),
        // Team left open: every team's cells, and the "no team" cell.
        parseDashboardFilters({ channel: "phone", severity: "minor" }, today),
        parseDashboardFilters(
          { range: "year", owner: teams[0]!.ownerId, severity: "major" },
          today,
        ),
      ];
    }

    const executiveMetrics = [
      "getConversion",
      "getConversionByMonth",
      "getFunnel",
      "getConversionByRemedyKind",
      "getConversionByTtrBucket",
      "getRetention",
      "getRetention90",
      "getRetentionByRecovery",
      "getRecoveryCost",
      "getRecoveryRoi",
      "getNps",
    ] as const;

    type Metric = (f: DashboardFilters) => Promise<unknown>;
    async function expectFiguresEqualReference(): Promise<void> {
      actAs(org.users.executive);
      try {
        for (const f of filterSets()) {
          const where = `${JSON.stringify(f.dimensions)} ${f.current.from}`;
          for (const name of executiveMetrics) {
            const [got, want] = await Promise.all([
              (fast[name] as Metric)(f),
              (reference[name] as Metric)(f),
            ]);
            expectSameFigures(got, want, `${name} ${where}`);
          }
          const [got, want] = await Promise.all([
            fastEffect.getPlaybookEffect(f),
            referenceEffect.getPlaybookEffect(f),
          ]);
          expectSameFigures(got, want, `getPlaybookEffect ${where}`);
        }
      } finally {
        actAs(org.users.admin);
      }
    }

    it("facts, rollups and every executive figure equal the raw rows after random write sequences", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 8 }), async (writes) => {
          for (const w of writes) await apply(w);
          await expectRollupsExact(handle.db, org.orgId);
          await expectFiguresEqualReference();
        }),
        { numRuns: 40 },
      );
      // Not vacuous: every kind of write went through at least once (topped up from a fixed
      // sample when the random sequences never completed one), and the figures still agree.
      done.deliverCosted ??= 0;
      await topUpWrites(write, done, apply, {
        deliver: "remedy",
        deliverCosted: "remedy",
        completeFollowUp: "followUp",
      });
      await expectRollupsExact(handle.db, org.orgId);
      await expectFiguresEqualReference();
      for (const kind of Object.keys(done)) expect(done[kind], kind).toBeGreaterThan(0);
      const [state] = await queryRows<Record<string, number>>(
        handle.db,
        sql`select count(*)::int as n, count(resolved_at)::int as resolved, count(closed_at)::int as closed,
        count(*) filter (where reopen_count > 0)::int as reopened, count(root_cause_id)::int as caused,
        count(*) filter (where received_at between now() - interval '91 days' and now() - interval '89 days')::int as near90
        from complaints where org_id = ${org.orgId}`,
      );
      // Intake is about a quarter of the writes (~40 of ~180 over 40 runs, fewer when fast-check
      // favours short sequences): "more than 30" failed about one run in fifty (30 once in CI).
      // Ten still says the figures were compared over many complaints, and never fails by chance.
      expect(state!.n).toBeGreaterThanOrEqual(10);
      // End states that writes cannot undo (a status can be reopened, a root cause not removed).
      expect(state!.caused).toBeGreaterThan(0);
      const [money] = await queryRows<Record<string, number>>(
        handle.db,
        sql`select count(*) filter (where delivered_costs <> '{}'::jsonb)::int as costed,
        count(*) filter (where retained90 and revenue365 <> '{}'::jsonb)::int as revenue
        from complaint_facts where org_id = ${org.orgId}`,
      );
      expect(money!.costed).toBeGreaterThan(0);
      // Customers without complaints were counted (and retained) at some reference month.
      const [baseline] = await queryRows<Record<string, number>>(
        handle.db,
        sql`select coalesce(sum(e90), 0)::int as eligible, coalesce(sum(k90), 0)::int as kept
        from customer_baseline_rollups where org_id = ${org.orgId}`,
      );
      expect(baseline!.eligible).toBeGreaterThan(0);
      expect(baseline!.kept).toBeGreaterThan(0);
      // Scores of customers with complaints before and after them, and of customers with none.
      const [scores] = await queryRows<Record<string, number>>(
        handle.db,
        sql`select count(*) filter (where prev_day = '-infinity' and next_day = 'infinity')::int as alone,
        count(*) filter (where prev_day <> '-infinity')::int as after, count(*) filter (where next_day <> 'infinity')::int as before
        from customer_score_rollups where org_id = ${org.orgId} and responses > 0`,
      );
      expect(scores).toEqual({
        alone: expect.any(Number),
        after: expect.any(Number),
        before: expect.any(Number),
      });
      for (const [k, n] of Object.entries(scores!)) expect(n, k).toBeGreaterThan(0);
    }, 600_000);

    it.each(rebuilds)(
      "a rebuild %s changes no figure",
      async (_, rebuild) => {
        await rebuild(handle.db, org.orgId);
        await expectRollupsExact(handle.db, org.orgId);
        await expectFiguresEqualReference();
      },
      300_000,
    );
  },
);
