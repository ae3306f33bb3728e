/**
 * Issue #11, point 4 (metrics): a complaint whose resolved/closed times were completed by rule
 * (`times_inferred`) counts in no time-based figure, and each such figure says how many it left
 * out; history imported without an owner (`imported`, no owner) is never open, overdue or in a
 * backlog. A seeded dataset with both kinds; every expectation is worked out here in plain
 * TypeScript from the rows the test wrote, on several filter shapes (no filter and one filter:
 * the rollups; two cell filters: the cells; owner + channel: the facts), and each figure's
 * drill-down list counts exactly what the figure counts.
 */
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, customers, type Channel, type ComplaintStatus } from "@/db/schema";
import { countComplaints, filtersFrom } from "@/lib/complaints/list";
import {
  parseDashboardFilters,
  type DashboardFilters,
  type DateRange,
} from "@/lib/metrics/filters";
import {
  backlogByAge,
  closedLoop,
  firstResponseTime,
  openComplaints,
  overdueComplaints,
  playbookAdherence,
  promiseKept,
  slaMet,
  throughput,
  timeToResolution,
  ttrHistogram,
} from "@/lib/metrics/performance";
import {
  getConversion,
  getConversionByTtrBucket,
  getRetentionByRecovery,
} from "@/lib/metrics/retention";
import { FAST_HOURS } from "@/lib/metrics/sets-retention";
import { ttrBuckets } from "@/lib/metrics/sets-performance";
import { refreshComplaintFacts } from "@/lib/rollups/maintain";
import { call, issueToken } from "../helpers/api-client";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const HOUR = 3_600_000;
const PREV: DateRange = { from: "2025-02-17", to: "2025-03-02" };
const CUR: DateRange = { from: "2025-03-03", to: "2025-03-16" };
const START = Date.parse(`${PREV.from}T00:00:00Z`);
const SPAN_HOURS = 28 * 24;

interface Spec {
  key: string;
  receivedAt: number;
  status: ComplaintStatus;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  slaDueAt: number | null;
  promisedBy: number | null;
  channel: Channel;
  severity: "minor" | "major";
  sentiment: number;
  owner: "agent" | "manager" | null;
  timesInferred: boolean;
  imported: boolean;
}

/** A small seeded PRNG (mulberry32): the same dataset on every run and engine. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dataset(n: number): Spec[] {
  const r = prng(20251104);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const specs: Spec[] = [];
  for (let i = 0; i < n; i++) {
    const receivedAt = START + Math.floor(r() * SPAN_HOURS * 60) * 60_000;
    const kind = pick(["open", "open", "resolved", "closed", "closed"] as const);
    const resolvedAt = kind === "open" ? null : receivedAt + (1 + r() * 300) * HOUR;
    const closedAt = kind === "closed" ? resolvedAt! + r() * 72 * HOUR : null;
    let firstResponseAt: number | null = r() < 0.7 ? receivedAt + (0.5 + r() * 90) * HOUR : null;
    if (firstResponseAt !== null && resolvedAt !== null && firstResponseAt > resolvedAt)
      firstResponseAt = resolvedAt;
    const status: ComplaintStatus =
      kind === "open" ? (firstResponseAt ? "in_progress" : "new") : kind;
    // Times completed by rule: a fifth of the settled complaints (imported from an archive).
    const timesInferred = kind !== "open" && r() < 0.25;
    // Unowned history: a fifth of the open ones; a few more imported open ones keep an owner.
    const unownedHistory = kind === "open" && r() < 0.25;
    const importedOwned = kind === "open" && !unownedHistory && r() < 0.2;
    specs.push({
      key: `c${i}`,
      receivedAt,
      status,
      firstResponseAt,
      resolvedAt,
      closedAt,
      slaDueAt: r() < 0.75 ? receivedAt + 48 * HOUR : null,
      promisedBy: r() < 0.4 ? receivedAt + (24 + r() * 200) * HOUR : null,
      channel: pick(["phone", "email"] as const),
      severity: pick(["minor", "major"] as const),
      sentiment: 1 + Math.floor(r() * 5),
      owner: unownedHistory ? null : pick(["agent", "agent", "manager", null] as const),
      timesInferred,
      imported: timesInferred || unownedHistory || importedOwned,
    });
  }
  return specs;
}

// ---------------------------------------------------------------- the expectations, in plain TypeScript

const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const inRange = (t: number | null, range: DateRange) =>
  t !== null && dayOf(t) >= range.from && dayOf(t) <= range.to;
const hoursOf = (s: Spec, t: number) => (t - s.receivedAt) / HOUR;
const isAngry = (s: Spec) => s.sentiment <= 2;
const isOpen = (s: Spec) =>
  (s.status === "new" || s.status === "in_progress") && !(s.imported && s.owner === null);
const endOf = (day: string) => Date.parse(`${day}T00:00:00Z`) + 24 * HOUR;

function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const pos = p * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}

interface Shape {
  name: string;
  query: Record<string, string>;
  matches: (s: Spec, org: TestOrg) => boolean;
}

const ownerId = (s: Spec, org: TestOrg) => (s.owner ? org.users[s.owner].userId : null);

const shapes: Shape[] = [
  { name: "no filter (rollups)", query: {}, matches: () => true },
  {
    name: "one channel (rollups)",
    query: { channel: "email" },
    matches: (s) => s.channel === "email",
  },
  {
    name: "channel and severity (cells)",
    query: { channel: "phone", severity: "major" },
    matches: (s) => s.channel === "phone" && s.severity === "major",
  },
  {
    name: "owner and channel (pair rollups, facts for what they lack)",
    query: { owner: "AGENT", channel: "phone" },
    matches: (s, org) => ownerId(s, org) === org.users.agent.userId && s.channel === "phone",
  },
  {
    name: "unassigned and severity (facts)",
    query: { owner: "none", severity: "minor", team: "TEAM" },
    matches: (s) => s.owner === null && s.severity === "minor",
  },
];

function expected(all: Spec[], range: DateRange, previousEnd: string) {
  const known = all.filter((s) => !s.timesInferred);
  const inferred = all.filter((s) => s.timesInferred);
  const received = known.filter((s) => inRange(s.receivedAt, range));
  const resolved = known.filter((s) => inRange(s.resolvedAt, range));
  const closed = known.filter((s) => inRange(s.closedAt, range));
  const responded = received.filter((s) => s.firstResponseAt !== null);
  const angryReceived = received.filter(isAngry);
  const ttr = resolved.map((s) => hoursOf(s, s.resolvedAt!));
  const fr = responded.map((s) => hoursOf(s, s.firstResponseAt!));
  const end = endOf(previousEnd);
  const openAt = (s: Spec) =>
    !s.timesInferred &&
    !(s.imported && s.owner === null) &&
    s.receivedAt < end &&
    (s.resolvedAt === null || s.resolvedAt >= end) &&
    (s.closedAt === null || s.closedAt >= end);
  const now = Date.now();
  const recoveryOf = (s: Spec) =>
    s.resolvedAt === null ? "unresolved" : hoursOf(s, s.resolvedAt) <= FAST_HOURS ? "fast" : "slow";
  return {
    resolution: { count: ttr.length, median: percentile(ttr, 0.5), p90: percentile(ttr, 0.9) },
    ttrBins: ttrBuckets.map(
      (b) => ttr.filter((h) => h >= b.fromHours && (b.toHours === null || h < b.toHours)).length,
    ),
    firstResponse: { count: fr.length, median: percentile(fr, 0.5), p90: percentile(fr, 0.9) },
    awaiting: received.filter((s) => s.firstResponseAt === null).length,
    sla: {
      n: resolved.filter((s) => s.slaDueAt !== null && s.resolvedAt! <= s.slaDueAt).length,
      d: resolved.filter((s) => s.slaDueAt !== null).length,
    },
    promise: {
      n: resolved.filter((s) => s.promisedBy !== null && s.resolvedAt! <= s.promisedBy).length,
      d: resolved.filter((s) => s.promisedBy !== null).length,
    },
    loop: {
      n: angryReceived.filter(
        (s) => s.firstResponseAt !== null && hoursOf(s, s.firstResponseAt) <= 48,
      ).length,
      d: angryReceived.length,
    },
    resolvedCount: resolved.length,
    conversionAngry: closed.filter(isAngry).length,
    conversionByTtr: (["fast", "slow", "unresolved"] as const).map(
      (b) => closed.filter((s) => isAngry(s) && recoveryOf(s) === b).length,
    ),
    recovery: (["minor", "major"] as const).flatMap((g) =>
      (["fast", "slow", "unresolved"] as const).map(
        (b) =>
          received.filter(
            (s) => s.severity === g && recoveryOf(s) === b && s.receivedAt + 90 * 24 * HOUR <= now,
          ).length,
      ),
    ),
    leftOut: {
      received: inferred.filter((s) => inRange(s.receivedAt, range)).length,
      receivedAngry: inferred.filter((s) => isAngry(s) && inRange(s.receivedAt, range)).length,
      resolved: inferred.filter((s) => inRange(s.resolvedAt, range)).length,
      closedAngry: inferred.filter((s) => isAngry(s) && inRange(s.closedAt, range)).length,
    },
    open: all.filter(isOpen).length,
    overdue: all.filter((s) => isOpen(s) && s.slaDueAt !== null && s.slaDueAt < now).length,
    openAtPreviousEnd: all.filter(openAt).length,
    overdueAtPreviousEnd: all.filter((s) => openAt(s) && s.slaDueAt !== null && s.slaDueAt < end)
      .length,
  };
}

async function drillCount(href: string): Promise<number> {
  return countComplaints(filtersFrom(new URL(href, "http://x").searchParams));
}

const close = (actual: number | null, wanted: number | null) => {
  if (wanted === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(wanted, 6);
};

describe.each(engines)("time figures without inferred times, on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  const specs = dataset(160);
  const ids = new Map<string, string>();

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Inferred times");
    const [customer] = await handle.db
      .insert(customers)
      .values({ orgId: org.orgId, name: "Archive customer" })
      .returning({ id: customers.id });
    const at = (t: number | null) => (t === null ? null : new Date(t));
    const rows = await handle.db
      .insert(complaints)
      .values(
        specs.map((s) => ({
          orgId: org.orgId,
          customerId: customer!.id,
          receivedAt: new Date(s.receivedAt),
          channel: s.channel,
          severity: s.severity,
          summary: s.key,
          status: s.status,
          firstResponseAt: at(s.firstResponseAt),
          resolvedAt: at(s.resolvedAt),
          closedAt: at(s.closedAt),
          slaDueAt: at(s.slaDueAt),
          promisedBy: at(s.promisedBy),
          intakeSentiment: s.sentiment,
          teamId: org.teamId,
          ownerId: ownerId(s, org),
        })),
      )
      .returning({ id: complaints.id, summary: complaints.summary });
    for (const r of rows) ids.set(r.summary, r.id);
    // Facts and rollups of the complaints as recorded live, then the flags set as the importer
    // sets them, and the facts refreshed (as every write does).
    await refreshComplaintFacts(handle.db, org.orgId, [...ids.values()]);
    const flagged = (p: (s: Spec) => boolean) => specs.filter(p).map((s) => ids.get(s.key)!);
    await handle.db
      .update(complaints)
      .set({ timesInferred: true })
      .where(
        inArray(
          complaints.id,
          flagged((s) => s.timesInferred),
        ),
      );
    await handle.db
      .update(complaints)
      .set({ imported: true })
      .where(
        inArray(
          complaints.id,
          flagged((s) => s.imported),
        ),
      );
    await refreshComplaintFacts(handle.db, org.orgId, [...ids.values()]);
    actAs(org.users.admin);
  });
  afterAll(async () => {
    await handle.close();
  });

  it("the dataset holds both kinds, in both periods", () => {
    const e = expected(specs, CUR, PREV.to);
    expect(e.leftOut.resolved).toBeGreaterThan(3);
    expect(e.leftOut.received).toBeGreaterThan(3);
    expect(e.leftOut.closedAngry).toBeGreaterThan(0);
    expect(specs.filter((s) => s.imported && s.owner === null).length).toBeGreaterThan(3);
    expect(expected(specs, PREV, PREV.to).leftOut.resolved).toBeGreaterThan(0);
  });

  for (const shape of shapes) {
    describe(shape.name, () => {
      let f: DashboardFilters;
      let E: ReturnType<typeof expected>;
      let EP: ReturnType<typeof expected>;
      beforeAll(() => {
        const query: Record<string, string> = { range: "custom", from: CUR.from, to: CUR.to };
        for (const [k, v] of Object.entries(shape.query))
          query[k] = v === "AGENT" ? org.users.agent.userId : v === "TEAM" ? org.teamId : v;
        f = parseDashboardFilters(query);
        const mine = specs.filter((s) => shape.matches(s, org));
        E = expected(mine, CUR, PREV.to);
        EP = expected(mine, PREV, PREV.to);
      });

      it("time to resolution, its histogram and the Resolved tile leave them out and count them", async () => {
        const ttr = await timeToResolution(f);
        expect(ttr.current.count).toBe(E.resolution.count);
        close(ttr.current.medianHours, E.resolution.median);
        close(ttr.current.p90Hours, E.resolution.p90);
        expect(ttr.previous.count).toBe(EP.resolution.count);
        close(ttr.previous.medianHours, EP.resolution.median);
        expect(ttr.inferredTimesExcluded).toBe(E.leftOut.resolved);
        expect(await drillCount(ttr.href)).toBe(E.resolution.count);
        expect(await drillCount(ttr.inferredTimesHref)).toBe(E.leftOut.resolved);

        const bins = await ttrHistogram(f);
        expect(bins.map((b) => b.count)).toEqual(E.ttrBins);
        for (const b of bins) expect(await drillCount(b.href)).toBe(b.count);

        const t = await throughput(f);
        expect(t.resolved.current).toBe(E.resolvedCount);
        expect(t.resolved.previous).toBe(EP.resolvedCount);
        expect(t.resolved.inferredTimesExcluded).toBe(E.leftOut.resolved);
        expect(await drillCount(t.resolved.href)).toBe(E.resolvedCount);

        const adherence = await playbookAdherence(f);
        expect(adherence.current.complaints).toBe(E.resolvedCount);
        expect(adherence.inferredTimesExcluded).toBe(E.leftOut.resolved);
      });

      it("first response time and its awaiting count", async () => {
        const fr = await firstResponseTime(f);
        expect(fr.current.count).toBe(E.firstResponse.count);
        close(fr.current.medianHours, E.firstResponse.median);
        close(fr.current.p90Hours, E.firstResponse.p90);
        expect(fr.previous.count).toBe(EP.firstResponse.count);
        expect(fr.awaiting.current).toBe(E.awaiting);
        expect(fr.inferredTimesExcluded).toBe(E.leftOut.received);
        expect(await drillCount(fr.href)).toBe(E.firstResponse.count);
        expect(await drillCount(fr.awaiting.href)).toBe(E.awaiting);
        expect(await drillCount(fr.inferredTimesHref)).toBe(E.leftOut.received);
      });

      it("SLA met, promise kept and the closed loop", async () => {
        const sla = await slaMet(f);
        expect([sla.current.numerator, sla.current.denominator]).toEqual([E.sla.n, E.sla.d]);
        expect([sla.previous.numerator, sla.previous.denominator]).toEqual([EP.sla.n, EP.sla.d]);
        expect(sla.inferredTimesExcluded).toBe(E.leftOut.resolved);
        expect(await drillCount(sla.href)).toBe(E.sla.n);
        expect(await drillCount(sla.denominatorHref)).toBe(E.sla.d);

        const promise = await promiseKept(f);
        expect([promise.current.numerator, promise.current.denominator]).toEqual([
          E.promise.n,
          E.promise.d,
        ]);
        expect(promise.inferredTimesExcluded).toBe(E.leftOut.resolved);
        expect(await drillCount(promise.href)).toBe(E.promise.n);
        expect(await drillCount(promise.denominatorHref)).toBe(E.promise.d);

        const loop = await closedLoop(f);
        expect(loop.windowHours).toBe(48);
        expect([loop.current.numerator, loop.current.denominator]).toEqual([E.loop.n, E.loop.d]);
        expect([loop.previous.numerator, loop.previous.denominator]).toEqual([
          EP.loop.n,
          EP.loop.d,
        ]);
        expect(loop.inferredTimesExcluded).toBe(E.leftOut.receivedAngry);
        expect(await drillCount(loop.href)).toBe(E.loop.n);
        expect(await drillCount(loop.denominatorHref)).toBe(E.loop.d);
        expect(await drillCount(loop.inferredTimesHref)).toBe(E.leftOut.receivedAngry);
      });

      it("conversion, by speed of resolution, and retention by recovery", async () => {
        const conversion = await getConversion(f);
        expect(conversion.n).toBe(E.conversionAngry);
        expect(conversion.previous.n).toBe(EP.conversionAngry);
        expect(conversion.inferredTimesExcluded).toBe(E.leftOut.closedAngry);
        expect(await drillCount(conversion.href)).toBe(E.conversionAngry);
        expect(await drillCount(conversion.inferredTimesHref)).toBe(E.leftOut.closedAngry);

        const byTtr = await getConversionByTtrBucket(f);
        expect(byTtr.map((b) => b.n)).toEqual(E.conversionByTtr);
        for (const b of byTtr) expect(await drillCount(b.href)).toBe(b.n);

        const recovery = await getRetentionByRecovery(f);
        expect(recovery.map((c) => c.n)).toEqual(E.recovery);
        for (const c of recovery) expect(await drillCount(c.href)).toBe(c.n);
      });

      it("open, overdue and the backlog leave out unowned history, now and at the previous period's end", async () => {
        const open = await openComplaints(f);
        expect(open.current).toBe(E.open);
        expect(open.previous).toBe(E.openAtPreviousEnd);
        expect(await drillCount(open.href)).toBe(E.open);

        const overdue = await overdueComplaints(f);
        expect(overdue.current).toBe(E.overdue);
        expect(overdue.previous).toBe(E.overdueAtPreviousEnd);
        expect(await drillCount(overdue.href)).toBe(E.overdue);

        const backlog = await backlogByAge(f);
        expect(backlog.reduce((t, b) => t + b.open, 0)).toBe(E.open);
        expect(backlog.reduce((t, b) => t + b.overdue, 0)).toBe(E.overdue);
        for (const b of backlog) {
          expect(await drillCount(b.href)).toBe(b.open);
          expect(await drillCount(b.overdueHref)).toBe(b.overdue);
        }
      });
    });
  }

  it("an owner given to unowned history makes it open (and overdue) again; inferred times cleared count again", async () => {
    const f = parseDashboardFilters({ range: "custom", from: CUR.from, to: CUR.to });
    const before = await openComplaints(f);
    const history = specs.find((s) => s.imported && s.owner === null)!;
    const id = ids.get(history.key)!;
    await handle.db
      .update(complaints)
      .set({ ownerId: org.users.agent.userId })
      .where(eq(complaints.id, id));
    await refreshComplaintFacts(handle.db, org.orgId, [id]);
    expect((await openComplaints(f)).current).toBe(before.current + 1);

    const ttrBefore = await timeToResolution(f);
    const inferred = specs.find((s) => s.timesInferred && inRange(s.resolvedAt, CUR))!;
    const inferredId = ids.get(inferred.key)!;
    await handle.db
      .update(complaints)
      .set({ timesInferred: false })
      .where(eq(complaints.id, inferredId));
    await refreshComplaintFacts(handle.db, org.orgId, [inferredId]);
    const ttrAfter = await timeToResolution(f);
    expect(ttrAfter.current.count).toBe(ttrBefore.current.count + 1);
    expect(ttrAfter.inferredTimesExcluded).toBe(ttrBefore.inferredTimesExcluded - 1);
    // Back as it was, for the API test below.
    await handle.db
      .update(complaints)
      .set({ timesInferred: true })
      .where(eq(complaints.id, inferredId));
    await refreshComplaintFacts(handle.db, org.orgId, [inferredId]);
  });

  it("the API answer carries the count: in the figure, and beside a list-valued figure", async () => {
    const read = await issueToken(handle.db, org, "read");
    const E = expected(specs, CUR, PREV.to);
    const query = { range: "custom", from: CUR.from, to: CUR.to };
    const get = (name: string) =>
      call(metricRoute.GET, "GET", `/metrics/${name}`, { token: read, params: { name }, query });
    const ttr = await get("time-to-resolution");
    expect(ttr.status).toBe(200);
    expect(ttr.body.data.inferredTimesExcluded).toBe(E.leftOut.resolved);
    const sla = await get("sla-met");
    expect(sla.body.data.inferredTimesExcluded).toBe(E.leftOut.resolved);
    const fr = await get("first-response-time");
    expect(fr.body.data.inferredTimesExcluded).toBe(E.leftOut.received);
    const trend = await get("ttr-trend");
    expect(trend.status).toBe(200);
    expect(Array.isArray(trend.body.data)).toBe(true);
    expect(trend.body.inferredTimesExcluded).toBe(E.leftOut.resolved);
    const byTtr = await get("conversion-by-ttr");
    expect(byTtr.body.inferredTimesExcluded).toBe(E.leftOut.closedAngry);
    // A figure that reads no time carries nothing of the kind.
    const reopen = await get("reopen-rate");
    expect(reopen.body.inferredTimesExcluded).toBeUndefined();
  });
});
