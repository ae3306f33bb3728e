/**
 * Issue #11's acceptance, rehearsed: a dataset whose figures are computed independently in plain
 * TypeScript (tests/helpers/independent-dataset.ts, tests/helpers/independent-figures.ts) is
 * loaded into a fresh organisation through the archive format (path A), and into another through
 * the complaint CSV importer plus the REST API for what a CSV row cannot hold (path B: extra
 * remedies and their decisions, follow-ups with NPS, resolution and closing at their times,
 * customer activity). Every figure — first response median and p90, time to resolution,
 * angry→advocate conversion, recovery cost by delivery date and by receipt, NPS before / after /
 * without a complaint, retention at 30/90/180 days — read from /api/v1/metrics must equal the
 * independent figure, for several periods and their previous periods. On both engines.
 */
import { Readable } from "node:stream";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as activityRoute from "@/app/api/v1/customer-activities/route";
import * as complaintRoute from "@/app/api/v1/complaints/[id]/route";
import * as completionRoute from "@/app/api/v1/complaints/[id]/follow-ups/[followUpId]/completion/route";
import * as followUpRoute from "@/app/api/v1/complaints/[id]/follow-ups/route";
import * as decisionRoute from "@/app/api/v1/complaints/[id]/remedies/[remedyId]/decision/route";
import * as deliveryRoute from "@/app/api/v1/complaints/[id]/remedies/[remedyId]/delivery/route";
import * as remedyRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import * as statusRoute from "@/app/api/v1/complaints/[id]/status/route";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import { queryRows } from "@/db/client";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, importRejections } from "@/db/schema";
import { createArchiveRun, importArchive } from "@/lib/archive/import";
import { importFile } from "@/lib/import/file";
import { call, issueToken } from "../helpers/api-client";
import { csvFiles } from "../helpers/csv-files";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import {
  archiveLines,
  buildDataset,
  complaintCsv,
  major,
  csvApiGaps,
  needsApi,
  rowRemedy,
  signalsAfter,
  type DComplaint,
  type Dataset,
} from "../helpers/independent-dataset";
import {
  advocate,
  angry,
  computeFigures,
  type Durations,
  type Figures,
  type Range,
} from "../helpers/independent-figures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const DATA: Dataset = buildDataset();

/** The whole history; a quarter-ish; half a month whose edges two complaints sit on. */
const PERIODS: Range[] = [
  { from: "2025-01-01", to: "2025-06-30" },
  { from: "2025-02-01", to: "2025-04-30" },
  { from: "2025-03-01", to: "2025-03-15" },
];

type Handler = Parameters<typeof call>[0];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
type Json = any;

/** Reads every figure the issue names from /api/v1/metrics, in the independent figures' shape. */
async function apiFigures(token: string, period: Range): Promise<Figures> {
  const get = async (name: string): Promise<Json> => {
    const reply = await call(metricRoute.GET, "GET", `/metrics/${name}`, {
      token,
      params: { name },
      query: { range: "custom", ...period },
    });
    expect(reply.status, `${name}: ${JSON.stringify(reply.body)}`).toBe(200);
    return reply.body.data;
  };
  const [fr, ttr, conv, cost, recovery, nps, retention, r90] = await Promise.all(
    [
      "first-response-time",
      "time-to-resolution",
      "conversion",
      "remedy-cost",
      "recovery-cost",
      "nps",
      "retention",
      "retention-90",
    ].map(get),
  );
  const dur = (d: Json): Durations => ({
    count: d.count,
    medianHours: d.medianHours,
    p90Hours: d.p90Hours,
    medianBusinessHours: d.medianBusinessHours,
    p90BusinessHours: d.p90BusinessHours,
  });
  const rate = (r: Json) => ({ n: r.n, k: r.k, rate: r.rate });
  const score = (x: Json) => ({
    n: x.n,
    promoters: x.promoters,
    detractors: x.detractors,
    nps: x.nps,
  });
  return {
    firstResponse: {
      current: dur(fr.current),
      previous: dur(fr.previous),
      awaiting: fr.awaiting.current,
    },
    timeToResolution: { current: dur(ttr.current), previous: dur(ttr.previous) },
    conversion: { current: rate(conv), previous: rate(conv.previous) },
    remedyCost: {
      byCurrency: cost.byCurrency.map((c: Json) => ({
        currency: c.currency,
        costMinor: c.costMinor,
        previousCostMinor: c.previousCostMinor,
        complaints: c.complaints,
      })),
      complaints: cost.complaints,
    },
    recoveryCost: recovery.map((c: Json) => ({
      currency: c.currency,
      costMinor: c.costMinor,
      complaints: c.complaints,
    })),
    nps: {
      before: score(nps.before),
      after: score(nps.after),
      noComplaint: score(nps.noComplaint),
      previousAfter: score(nps.previousAfter),
    },
    retention: retention.map((row: Json) => ({
      days: row.days,
      complainants: rate(row.complainants),
      others: rate(row.others),
    })),
    retention90: {
      complainants: rate(r90.complainants),
      others: rate(r90.others),
      previous: {
        complainants: rate(r90.previous.complainants),
        others: rate(r90.previous.others),
      },
    },
  };
}

/** Percentiles to 1e-9 relative; counts exactly. */
function expectDurations(got: Durations, want: Durations, label: string) {
  expect(got.count, `${label}: count`).toBe(want.count);
  for (const key of [
    "medianHours",
    "p90Hours",
    "medianBusinessHours",
    "p90BusinessHours",
  ] as const) {
    const [g, w] = [got[key], want[key]];
    if (w === null) {
      expect(g, `${label}: ${key}`).toBeNull();
      continue;
    }
    expect(g, `${label}: ${key}`).not.toBeNull();
    expect(Math.abs(g! - w), `${label}: ${key} ${g} ≠ ${w}`).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(w)),
    );
  }
}

function expectFigures(got: Figures, want: Figures, label: string) {
  expectDurations(got.firstResponse.current, want.firstResponse.current, `${label} first response`);
  expectDurations(
    got.firstResponse.previous,
    want.firstResponse.previous,
    `${label} first response (previous period)`,
  );
  expect(got.firstResponse.awaiting, `${label} awaiting a first response`).toBe(
    want.firstResponse.awaiting,
  );
  expectDurations(
    got.timeToResolution.current,
    want.timeToResolution.current,
    `${label} time to resolution`,
  );
  expectDurations(
    got.timeToResolution.previous,
    want.timeToResolution.previous,
    `${label} time to resolution (previous period)`,
  );
  expect(got.conversion, `${label} angry→advocate conversion`).toEqual(want.conversion);
  expect(got.remedyCost, `${label} recovery cost by delivery date`).toEqual(want.remedyCost);
  expect(got.recoveryCost, `${label} recovery cost of complaints received`).toEqual(
    want.recoveryCost,
  );
  expect(got.nps.before, `${label} NPS before`).toEqual(want.nps.before);
  expect(got.nps.after, `${label} NPS after`).toEqual(want.nps.after);
  expect(got.nps.noComplaint, `${label} NPS without a complaint`).toEqual(want.nps.noComplaint);
  expect(got.nps.previousAfter, `${label} NPS after (previous period)`).toEqual(
    want.nps.previousAfter,
  );
  expect(got.retention, `${label} retention at 30/90/180 days`).toEqual(want.retention);
  expect(got.retention90, `${label} retention at 90 days`).toEqual(want.retention90);
}

describe("the independent dataset", () => {
  it("is deterministic and exercises every rule the figures depend on", () => {
    expect(JSON.stringify(buildDataset())).toBe(JSON.stringify(DATA));
    const cs = DATA.complaints;
    const customers = new Set(cs.map((c) => c.customer));
    expect(cs.length).toBe(150);
    expect(customers.size).toBeGreaterThanOrEqual(45);
    expect(DATA.customers.length).toBeGreaterThan(customers.size);
    // Times to the second, not round; every time in order and in the past.
    expect(cs.filter((c) => c.receivedAt.getUTCSeconds() !== 0).length).toBeGreaterThan(140);
    for (const c of cs) {
      const times = [c.receivedAt, c.firstResponseAt, c.resolvedAt, c.closedAt].filter(
        (t): t is Date => t !== null,
      );
      for (let i = 1; i < times.length; i++)
        expect(times[i]!.getTime(), c.ref).toBeGreaterThanOrEqual(times[i - 1]!.getTime());
      expect(times.at(-1)!.getTime()).toBeLessThan(Date.UTC(2025, 11, 31));
    }
    const count = (p: (c: DComplaint) => boolean) => cs.filter(p).length;
    expect(count((c) => c.status === "new")).toBeGreaterThan(0);
    expect(count((c) => c.status === "in_progress")).toBeGreaterThan(0);
    expect(count((c) => c.status === "resolved")).toBeGreaterThan(5);
    expect(count((c) => c.firstResponseAt === null && c.status !== "new")).toBeGreaterThan(0);
    expect(count((c) => angry(c) && c.closedAt !== null)).toBeGreaterThan(20);
    expect(count((c) => angry(c) && c.closedAt !== null && advocate(c))).toBeGreaterThan(3);
    // Signals before the complaint (they make no advocate) and after it.
    expect(count((c) => c.signals.length > signalsAfter(c).length)).toBeGreaterThan(0);
    expect(
      count((c) => angry(c) && c.closedAt !== null && !advocate(c) && c.signals.length > 0),
    ).toBeGreaterThan(0);
    expect(count((c) => signalsAfter(c).length > 0 && c.outcome?.finalNps == null)).toBeGreaterThan(
      0,
    );
    // Outcomes without an NPS whose follow-up gives the NPS after.
    expect(
      count(
        (c) => c.outcome?.finalNps == null && c.followUps.some((f) => f.doneAt && f.nps !== null),
      ),
    ).toBeGreaterThan(0);
    const remedies = cs.flatMap((c) => c.remedies);
    expect(new Set(remedies.map((r) => r.currency))).toEqual(new Set(["USD", "EUR"]));
    expect(remedies.filter((r) => r.deliveredAt && r.costMinor === null).length).toBeGreaterThan(0);
    // Some of unknown cost are not a complaint's first remedy.
    expect(count((c) => rowRemedy(c) > 0)).toBeGreaterThan(0);
    const months = new Set(
      remedies.filter((r) => r.deliveredAt).map((r) => r.deliveredAt!.toISOString().slice(0, 7)),
    );
    expect(months.size).toBeGreaterThanOrEqual(5);
    // Deliveries on the midnight that starts and the one that ends a period.
    const deliveries = new Set(remedies.map((r) => r.deliveredAt?.toISOString()));
    expect(deliveries.has("2025-03-01T00:00:00.000Z")).toBe(true);
    expect(deliveries.has("2025-03-16T00:00:00.000Z")).toBe(true);
    // The retention edges' customers have one complaint each.
    for (const c of cs.slice(0, 4))
      expect(cs.filter((o) => o.customer === c.customer).length, c.ref).toBe(1);
    expect(count(needsApi)).toBeGreaterThan(20);
    // Retention varies.
    const figures = computeFigures(DATA, PERIODS[0]!, Date.now());
    for (const row of figures.retention) {
      expect(row.complainants.k, `retention ${row.days}`).toBeGreaterThan(0);
      expect(row.complainants.k, `retention ${row.days}`).toBeLessThan(row.complainants.n);
      expect(row.others.n, `others ${row.days}`).toBeGreaterThan(0);
    }
    expect(figures.nps.noComplaint.n).toBeGreaterThan(0);
    expect(figures.firstResponse.awaiting).toBeGreaterThan(0);
  });
});

describe.each(engines)("the independent dataset on $name", (engine) => {
  let handle: DatabaseHandle;
  let archiveOrg: TestOrg;
  let csvOrg: TestOrg;
  const rateLimit = process.env.TURNAROUND_API_RATE_LIMIT;

  beforeAll(async () => {
    process.env.TURNAROUND_API_RATE_LIMIT = "1000000";
    handle = await engine.open();
    useDatabase(handle);
    archiveOrg = await createTestOrg(handle.db, "Independent archive");
    csvOrg = await createTestOrg(handle.db, "Independent CSV");
  });
  afterAll(async () => {
    if (rateLimit === undefined) delete process.env.TURNAROUND_API_RATE_LIMIT;
    else process.env.TURNAROUND_API_RATE_LIMIT = rateLimit;
    await handle.close();
  });

  const rejectionsOf = async (org: TestOrg, runId: string) =>
    handle.db
      .select({
        line: importRejections.lineNumber,
        field: importRejections.field,
        reason: importRejections.reason,
      })
      .from(importRejections)
      .where(and(eq(importRejections.orgId, org.orgId), eq(importRejections.runId, runId)))
      .orderBy(asc(importRejections.position));

  /** What an organisation holds, counted, to say what a path failed to load. */
  async function loaded(org: TestOrg) {
    const [row] = await queryRows<Record<string, number>>(
      handle.db,
      sql`select
        (select count(*)::int from complaints where org_id = ${org.orgId}) as complaints,
        (select count(*)::int from customers where org_id = ${org.orgId}) as customers,
        (select count(*)::int from remedies where org_id = ${org.orgId}) as remedies,
        (select count(*)::int from remedies where org_id = ${org.orgId} and delivered_at is not null) as delivered,
        (select count(*)::int from follow_ups where org_id = ${org.orgId}) as "followUps",
        (select count(*)::int from follow_ups where org_id = ${org.orgId} and done_at is not null) as "followUpsDone",
        (select count(*)::int from customer_activities where org_id = ${org.orgId}) as activities`,
    );
    return row!;
  }
  const expectedCounts = {
    complaints: DATA.complaints.length,
    customers: DATA.customers.length,
    remedies: DATA.complaints.flatMap((c) => c.remedies).length,
    delivered: DATA.complaints.flatMap((c) => c.remedies).filter((r) => r.deliveredAt).length,
    followUps: DATA.complaints.flatMap((c) => c.followUps).length,
    followUpsDone: DATA.complaints.flatMap((c) => c.followUps).filter((f) => f.doneAt).length,
    activities: DATA.activities.length,
  };

  describe("path A: the archive", () => {
    let token: string;

    it("imports every line into a fresh organisation", async () => {
      actAs(archiveOrg.users.admin);
      const run = await createArchiveRun({ fileName: "independent.jsonl", mode: "skip" });
      if (!run.ok) throw new Error(`run refused: ${JSON.stringify(run)}`);
      const result = await importArchive(run.data.runId, Readable.from(archiveLines(DATA)));
      if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result)}`);
      const rejected = await rejectionsOf(archiveOrg, run.data.runId);
      expect(rejected, "archive lines rejected").toEqual([]);
      expect(result.data.status, result.data.message ?? "").toBe("completed");
      expect(await loaded(archiveOrg)).toEqual(expectedCounts);
      token = await issueToken(handle.db, archiveOrg, "read");
    }, 300_000);

    it.each(PERIODS)("answers every figure of $from…$to as computed independently", async (p) => {
      expect(token, "the archive was not imported").toBeDefined();
      const want = computeFigures(DATA, p, Date.now());
      expectFigures(await apiFigures(token, p), want, `archive ${p.from}…${p.to}`);
    });
  });

  describe("path B: the complaint CSV, then the REST API", () => {
    let token: string;

    it("can carry every record of the dataset", () => {
      expect(csvApiGaps(DATA), "what CSV + API cannot carry").toEqual([]);
    });

    it("imports the CSV and completes through the API what a row cannot hold", async () => {
      actAs(csvOrg.users.admin);
      const file = csvFiles("independent-dataset")("complaints.csv", complaintCsv(DATA));
      const imported = await importFile({ file, mode: "skip" });
      if (!imported.ok) throw new Error(`CSV import refused: ${JSON.stringify(imported)}`);
      const rejected = await rejectionsOf(csvOrg, imported.data.runId);
      expect(rejected, "CSV rows rejected").toEqual([]);
      expect(imported.data.status, imported.data.message ?? "").toBe("completed");
      expect(imported.data.rowsCreated).toBe(DATA.complaints.length);

      const write = await issueToken(handle.db, csvOrg, "write");
      const rows = await handle.db
        .select({ id: complaints.id, ref: complaints.externalRef, version: complaints.version })
        .from(complaints)
        .where(eq(complaints.orgId, csvOrg.orgId));
      const ids = new Map(rows.map((r) => [r.ref!, r.id]));
      const versions = new Map(rows.map((r) => [r.id, r.version]));

      const post = async (
        c: DComplaint,
        route: { POST: Handler },
        what: string,
        body: Record<string, unknown>,
        params: Record<string, string> = {},
      ): Promise<Json> => {
        const id = ids.get(c.ref)!;
        const reply = await call(route.POST, "POST", `/complaints/${id}/${what}`, {
          token: write,
          params: { id, ...params },
          body: { version: versions.get(id), ...body },
        });
        if (reply.status >= 300)
          throw new Error(`${c.ref} ${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
        versions.set(id, reply.body.data.version);
        return reply.body.data;
      };
      const iso = (d: Date) => d.toISOString();

      for (const c of DATA.complaints.filter(needsApi)) {
        const id = ids.get(c.ref)!;
        // The row's remedy was imported pending or delivered; a decision without delivery is
        // the API's.
        const row = rowRemedy(c);
        const first = c.remedies[row];
        if (first && !first.deliveredAt && first.decidedAt) {
          const detail = await call(complaintRoute.GET, "GET", `/complaints/${id}`, {
            token: write,
            params: { id },
          });
          const remedyId = detail.body.data.remedies[0].id as string;
          await post(
            c,
            decisionRoute,
            "decision",
            {
              decision: first.decision,
              at: iso(first.decidedAt),
            },
            { remedyId },
          );
        }
        for (const r of c.remedies.filter((_, i) => i !== row)) {
          // An unknown cost cannot be said here (the cost defaults to 0): the row carries the
          // delivered one, and csvApiGaps names a second.
          const offered = await post(c, remedyRoute, "remedies", {
            kind: r.kind,
            ...(r.costMinor === null ? {} : { cost: major(r.costMinor) }),
            currency: r.currency,
            at: iso(r.offeredAt),
          });
          if (r.decidedAt)
            await post(
              c,
              decisionRoute,
              "decision",
              { decision: r.decision, at: iso(r.decidedAt) },
              { remedyId: offered.id },
            );
          if (r.deliveredAt)
            await post(
              c,
              deliveryRoute,
              "delivery",
              { at: iso(r.deliveredAt) },
              {
                remedyId: offered.id,
              },
            );
        }
        for (const f of c.followUps) {
          const scheduled = await post(c, followUpRoute, "follow-ups", { dueAt: iso(f.dueAt) });
          if (f.doneAt)
            await post(
              c,
              completionRoute,
              "completion",
              {
                channel: f.channel,
                ...(f.nps === null ? {} : { nps: f.nps }),
                ...(f.sentiment === null ? {} : { sentiment: f.sentiment }),
                at: iso(f.doneAt),
              },
              { followUpId: scheduled.id },
            );
        }
        if (c.resolvedAt) {
          const delivered = c.remedies.some((r) => r.deliveredAt);
          await post(c, statusRoute, "status", {
            to: "resolved",
            at: iso(c.resolvedAt),
            ...(delivered ? {} : { noRemedyReason: "Recorded in the source system." }),
          });
        }
        if (c.closedAt) {
          const outcome = c.outcome !== null || signalsAfter(c).length > 0;
          await post(c, statusRoute, "status", {
            to: "closed",
            at: iso(c.closedAt),
            ...(outcome ? {} : { customerUnreachable: true }),
          });
        }
      }

      const names = new Map(DATA.customers.map((c) => [c.ref, c.name]));
      for (const a of DATA.activities) {
        const reply = await call(activityRoute.POST, "POST", "/customer-activities", {
          token: write,
          body: {
            customerRef: a.customer,
            customerName: names.get(a.customer),
            kind: a.kind,
            occurredAt: iso(a.occurredAt),
            amount: major(a.amountMinor),
            currency: a.currency,
            ...(a.score === null ? {} : { score: a.score }),
            externalRef: a.ref,
          },
        });
        if (reply.status !== 201)
          throw new Error(`activity ${a.ref}: ${reply.status} ${JSON.stringify(reply.body)}`);
      }

      expect(await loaded(csvOrg)).toEqual(expectedCounts);
      // Every complaint's times as the dataset has them.
      const stored = await handle.db
        .select({
          ref: complaints.externalRef,
          status: complaints.status,
          firstResponseAt: complaints.firstResponseAt,
          resolvedAt: complaints.resolvedAt,
          closedAt: complaints.closedAt,
        })
        .from(complaints)
        .where(eq(complaints.orgId, csvOrg.orgId))
        .orderBy(asc(complaints.externalRef));
      expect(stored).toEqual(
        [...DATA.complaints]
          .sort((a, b) => (a.ref < b.ref ? -1 : 1))
          .map((c) => ({
            ref: c.ref,
            status: c.status,
            firstResponseAt: c.firstResponseAt,
            resolvedAt: c.resolvedAt,
            closedAt: c.closedAt,
          })),
      );
      token = await issueToken(handle.db, csvOrg, "read");
    }, 600_000);

    it.each(PERIODS)("answers every figure of $from…$to as computed independently", async (p) => {
      expect(token, "the CSV + API load did not finish").toBeDefined();
      const want = computeFigures(DATA, p, Date.now());
      expectFigures(await apiFigures(token, p), want, `CSV + API ${p.from}…${p.to}`);
    });
  });
});
