import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { businessHoursBetween, type WorkingTime } from "@/lib/business-hours";
import { countComplaints, filtersFrom } from "@/lib/complaints/list";
import { parseDashboardFilters, type DateRange } from "@/lib/metrics/filters";
import {
  adherenceBySteps,
  agentTable,
  backlogByAge,
  closedLoop,
  firstResponseTime,
  openComplaints,
  overdueComplaints,
  playbookAdherence,
  promiseKept,
  remedyCost,
  reopenRate,
  slaMet,
  timeToResolution,
  ttrHistogram,
  ttrTrend,
  type DurationStats,
} from "@/lib/metrics/performance";
import { ageBuckets, ttrBuckets } from "@/lib/metrics/sets-performance";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import {
  HOLIDAY,
  insertPerformanceData,
  REQUIRED_STEPS,
  type PerfData,
  type PerfSpec,
} from "../helpers/metrics-performance-data";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

/** requirePermission's refusal: Next's forbidden() (the 403 page), not just any error. */
const FORBIDDEN = { digest: "NEXT_HTTP_ERROR_FALLBACK;403" };
// As next.config.ts's experimental.authInterrupts does (without it forbidden() throws a plain
// "experimental" Error, which any-error assertions took for the refusal).
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

const HOUR = 3_600_000;
const NOW = Date.now();
const CUR: DateRange = { from: "2025-01-13", to: "2025-01-26" };
const PREV: DateRange = { from: "2024-12-30", to: "2025-01-12" };
const F = parseDashboardFilters({ range: "custom", from: CUR.from, to: CUR.to });
const EMPTY = parseDashboardFilters({ range: "custom", from: "2023-03-01", to: "2023-03-07" });
/** Only c1 is resolved on this day: a single complaint. */
const SINGLE = parseDashboardFilters({ range: "custom", from: "2025-01-22", to: "2025-01-22" });

// ---------------------------------------------------------------- the expectations, in plain TypeScript

const work: WorkingTime = {
  timezone: "America/New_York",
  workingDays: [1, 2, 3, 4, 5],
  workdayStartMinute: 540,
  workdayEndMinute: 1020,
  holidays: new Set([HOLIDAY]),
};
const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);
const inRange = (iso: string | null | undefined, r: DateRange) =>
  iso != null && day(iso) >= r.from && day(iso) <= r.to;
const hours = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / HOUR;
const bhours = (a: string, b: string) => businessHoursBetween(new Date(a), new Date(b), work);
const isAngry = (s: PerfSpec) =>
  (s.sentiment != null && s.sentiment <= 2) || (s.nps != null && s.nps <= 6);
const isAdvocate = (s: PerfSpec) => (s.outcomeNps ?? 0) >= 9;

/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const pos = p * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}

function stats(rows: PerfSpec[], end: (s: PerfSpec) => string): DurationStats {
  const h = rows.map((s) => hours(s.receivedAt, end(s)));
  const b = rows.map((s) => bhours(s.receivedAt, end(s)));
  return {
    count: rows.length,
    medianHours: percentile(h, 0.5),
    p90Hours: percentile(h, 0.9),
    medianBusinessHours: percentile(b, 0.5),
    p90BusinessHours: percentile(b, 0.9),
  };
}

const expectStats = (actual: DurationStats, expected: DurationStats) => {
  expect(actual.count).toBe(expected.count);
  for (const k of ["medianHours", "p90Hours", "medianBusinessHours", "p90BusinessHours"] as const) {
    if (expected[k] == null) expect(actual[k]).toBeNull();
    else expect(actual[k]).toBeCloseTo(expected[k]!, 6);
  }
};

function expected(specs: PerfSpec[], r: DateRange) {
  const received = specs.filter((s) => inRange(s.receivedAt, r));
  const resolved = specs.filter((s) => inRange(s.resolvedAt, r));
  const responded = received.filter((s) => s.firstResponseAt);
  const slaCounted = resolved.filter((s) => s.slaDueAt);
  const promised = resolved.filter((s) => s.promisedBy);
  const angry = received.filter(isAngry);
  const loop = angry.filter(
    (s) => s.firstResponseAt && hours(s.receivedAt, s.firstResponseAt) <= 48,
  );
  const stepsDone = (s: PerfSpec) =>
    (s.steps ?? []).filter((k) => (REQUIRED_STEPS as readonly string[]).includes(k)).length;
  const costs = new Map<string, { cost: number; complaints: Set<string> }>();
  for (const s of specs)
    for (const m of s.remedies ?? [])
      if (m.costMinor != null && inRange(m.deliveredAt, r)) {
        const entry = costs.get(m.currency) ?? { cost: 0, complaints: new Set() };
        entry.cost += m.costMinor;
        entry.complaints.add(s.key);
        costs.set(m.currency, entry);
      }
  return {
    firstResponse: stats(responded, (s) => s.firstResponseAt!),
    awaiting: received.filter((s) => !s.firstResponseAt).length,
    resolution: stats(resolved, (s) => s.resolvedAt!),
    sla: {
      n: slaCounted.filter((s) => Date.parse(s.resolvedAt!) <= Date.parse(s.slaDueAt!)).length,
      d: slaCounted.length,
    },
    promise: {
      n: promised.filter((s) => Date.parse(s.resolvedAt!) <= Date.parse(s.promisedBy!)).length,
      d: promised.length,
    },
    loop: { n: loop.length, d: angry.length },
    contact: stats(
      angry.filter((s) => s.firstResponseAt),
      (s) => s.firstResponseAt!,
    ),
    reopen: {
      n: received.filter((s) => (s.reopenCount ?? 0) > 0).length,
      d: received.filter((s) => s.resolvedAt || (s.reopenCount ?? 0) > 0).length,
    },
    adherence: {
      complaints: resolved.length,
      done: resolved.reduce((t, s) => t + stepsDone(s), 0),
      complete: resolved.filter((s) => stepsDone(s) === REQUIRED_STEPS.length).length,
    },
    costs,
  };
}

const isOpen = (s: PerfSpec) => s.status === "new" || s.status === "in_progress";

async function drillCount(href: string): Promise<number> {
  return countComplaints(filtersFrom(new URL(href, "http://x").searchParams));
}

describe.each(engines)("recovery-performance metrics on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let data: PerfData;
  let E: ReturnType<typeof expected>;
  let EP: ReturnType<typeof expected>;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Performance");
    data = await insertPerformanceData(handle.db, org, NOW);
    E = expected(data.specs, CUR);
    EP = expected(data.specs, PREV);
    actAs(org.users.manager);
  });
  afterAll(async () => {
    await handle.close();
  });

  it("business hours: a span over a weekend and a holiday, checked by hand", () => {
    // c1: Fri 15:00 New York → Tue 10:00 (Sat, Sun, holiday Monday between): 2 h + 1 h.
    expect(bhours("2025-01-17T20:00:00Z", "2025-01-21T15:00:00Z")).toBe(3);
    // …→ Wed 16:00: Fri 2 h + Tue 8 h + Wed 7 h.
    expect(bhours("2025-01-17T20:00:00Z", "2025-01-22T21:00:00Z")).toBe(17);
  });

  it("first response time: calendar and business hours, median and p90", async () => {
    const fr = await firstResponseTime(F);
    expectStats(fr.current, E.firstResponse);
    expectStats(fr.previous, EP.firstResponse);
    expect(fr.awaiting.current).toBe(E.awaiting);
    // c1's 3 business hours (weekend and holiday skipped) are in the set: hand-checked ranks.
    expect(E.firstResponse.count).toBe(5);
  });

  it("time to resolution over complaints resolved in the range, with a tie at the median", async () => {
    const ttr = await timeToResolution(F);
    expectStats(ttr.current, E.resolution);
    expectStats(ttr.previous, EP.resolution);
    // c2 and c3 both took 24 h; the six values are 24, 24, 50, 72, 121, 312.
    expect(ttr.current.medianHours).toBeCloseTo(61, 6);
    expect(ttr.current.p90Hours).toBeCloseTo(121 + 0.5 * (312 - 121), 6);
  });

  it("a single complaint: median = p90 = its own duration", async () => {
    const ttr = await timeToResolution(SINGLE);
    expect(ttr.current.count).toBe(1);
    expect(ttr.current.medianHours).toBeCloseTo(121, 6);
    expect(ttr.current.p90Hours).toBeCloseTo(121, 6);
    expect(ttr.current.medianBusinessHours).toBeCloseTo(17, 6);
  });

  it("business hours in SQL agree across the change to summer time", async () => {
    const f = parseDashboardFilters({ range: "custom", from: "2025-03-11", to: "2025-03-11" });
    const ttr = await timeToResolution(f);
    // Fri 14:00–17:00 EST (3 h) + Mon 8 h + Tue 09:00–10:00 EDT (1 h).
    expect(bhours("2025-03-07T19:00:00Z", "2025-03-11T14:00:00Z")).toBe(12);
    expect(ttr.current.count).toBe(1);
    expect(ttr.current.medianBusinessHours).toBeCloseTo(12, 6);
    expect(ttr.current.medianHours).toBeCloseTo(91, 6);
  });

  it("SLA met, promise kept, closed loop and reopen rates", async () => {
    const [sla, promise, loop, reopen] = await Promise.all([
      slaMet(F),
      promiseKept(F),
      closedLoop(F),
      reopenRate(F),
    ]);
    expect(sla.current).toEqual({
      numerator: E.sla.n,
      denominator: E.sla.d,
      rate: E.sla.n / E.sla.d,
    });
    expect(sla.previous.denominator).toBe(EP.sla.d);
    expect(sla.current.rate).toBeCloseTo(3 / 6, 9);
    expect(promise.current).toEqual({
      numerator: E.promise.n,
      denominator: E.promise.d,
      rate: 2 / 3,
    });
    expect(loop.current).toEqual({ numerator: E.loop.n, denominator: E.loop.d, rate: 1 / 4 });
    expect(loop.previous).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    expect(loop.windowHours).toBe(48);
    expectStats(loop.timeToContact, E.contact);
    expect(reopen.current).toEqual({ numerator: E.reopen.n, denominator: E.reopen.d, rate: 1 / 5 });
  });

  it("playbook adherence: share of required steps, complete complaints, by step", async () => {
    const a = await playbookAdherence(F);
    const n = E.adherence.complaints;
    expect(a.current).toEqual({
      complaints: n,
      requiredSteps: REQUIRED_STEPS.length,
      stepsDone: E.adherence.done,
      stepShare: E.adherence.done / (n * REQUIRED_STEPS.length),
      complete: E.adherence.complete,
      completeShare: E.adherence.complete / n,
    });
    expect(a.current.stepShare).toBeCloseTo(29 / 54, 9);
    const bySteps = await adherenceBySteps(F);
    expect(bySteps.map((s) => s.key)).toEqual([...REQUIRED_STEPS, "wow"]);
    const resolved = data.specs.filter((s) => inRange(s.resolvedAt, CUR));
    for (const s of bySteps) {
      const done = resolved.filter((r) => (r.steps ?? []).includes(s.key)).length;
      expect({ key: s.key, done: s.done, of: s.complaints }).toEqual({
        key: s.key,
        done,
        of: resolved.length,
      });
    }
    expect(bySteps.find((s) => s.key === "wow")?.required).toBe(false);
  });

  it("remedy cost per currency, never added across currencies", async () => {
    const cost = await remedyCost(F);
    expect(cost.byCurrency.map((c) => [c.currency, c.costMinor, c.complaints])).toEqual(
      [...E.costs.entries()]
        .map(([currency, v]) => [currency, v.cost, v.complaints.size] as const)
        .sort((a, b) => b[1] - a[1]),
    );
    expect(cost.byCurrency.map((c) => [c.currency, c.costMinor])).toEqual([
      ["USD", 1250],
      ["EUR", 500],
    ]);
    expect(cost.byCurrency.find((c) => c.currency === "USD")?.previousCostMinor).toBe(300);
    expect(cost.byCurrency.find((c) => c.currency === "EUR")?.previousCostMinor).toBe(0);
    expect(cost.complaints).toBe(2);
  });

  it("open, overdue (now and at the end of the previous period) and backlog by age", async () => {
    const specs = data.specs;
    const [open, overdue, backlog] = await Promise.all([
      openComplaints(F),
      overdueComplaints(F),
      backlogByAge(F),
    ]);
    expect(open.current).toBe(specs.filter(isOpen).length);
    const overdueNow = (s: PerfSpec) => isOpen(s) && !!s.slaDueAt && Date.parse(s.slaDueAt) < NOW;
    expect(overdue.current).toBe(specs.filter(overdueNow).length);
    const prevEnd = Date.parse("2025-01-13T00:00:00Z");
    const openAt = (s: PerfSpec) =>
      Date.parse(s.receivedAt) < prevEnd &&
      (!s.resolvedAt || Date.parse(s.resolvedAt) >= prevEnd) &&
      (!s.closedAt || Date.parse(s.closedAt) >= prevEnd);
    expect(open.previous).toBe(specs.filter(openAt).length);
    expect(overdue.previous).toBe(
      specs.filter((s) => openAt(s) && !!s.slaDueAt && Date.parse(s.slaDueAt) < prevEnd).length,
    );
    expect([open.current, overdue.current, open.previous, overdue.previous]).toEqual([4, 2, 2, 1]);
    for (const b of ageBuckets) {
      const inBucket = specs.filter((s) => {
        const age = (NOW - Date.parse(s.receivedAt)) / HOUR / 24;
        return isOpen(s) && age >= b.fromDays && (b.toDays == null || age < b.toDays);
      });
      const row = backlog.find((r) => r.key === b.key)!;
      expect({ key: b.key, open: row.open, overdue: row.overdue }).toEqual({
        key: b.key,
        open: inBucket.length,
        overdue: inBucket.filter(overdueNow).length,
      });
      expect(row.onTrack + row.overdue).toBe(row.open);
    }
  });

  it("weekly trend and histogram of time to resolution", async () => {
    const trend = await ttrTrend(F);
    expect(trend.map((w) => w.week)).toEqual(["2025-01-13", "2025-01-20"]);
    const weeks: DateRange[] = [
      { from: "2025-01-13", to: "2025-01-19" },
      { from: "2025-01-20", to: "2025-01-26" },
    ];
    trend.forEach((w, i) => {
      const rows = data.specs.filter((s) => inRange(s.resolvedAt, weeks[i]!));
      const e = stats(rows, (s) => s.resolvedAt!);
      expect(w.count).toBe(e.count);
      expect(w.medianHours).toBeCloseTo(e.medianHours!, 6);
      expect(w.p90Hours).toBeCloseTo(e.p90Hours!, 6);
      expect(w.medianBusinessHours).toBeCloseTo(e.medianBusinessHours!, 6);
    });
    const histogram = await ttrHistogram(F);
    const resolved = data.specs.filter((s) => inRange(s.resolvedAt, CUR));
    for (const b of ttrBuckets) {
      const n = resolved.filter((s) => {
        const h = hours(s.receivedAt, s.resolvedAt!);
        return h >= b.fromHours && (b.toHours == null || h < b.toHours);
      }).length;
      expect({ key: b.key, n: histogram.find((h) => h.key === b.key)?.count }).toEqual({
        key: b.key,
        n,
      });
    }
    expect(histogram.reduce((t, h) => t + h.count, 0)).toBe(resolved.length);
  });

  it("the per-agent table", async () => {
    const rows = await agentTable(F);
    const owners = { agent: data.owners.agent, manager: data.owners.manager, none: "none" };
    for (const [key, id] of Object.entries(owners)) {
      const mine = data.specs.filter((s) => (s.owner ?? "none") === key);
      const resolved = mine.filter((s) => inRange(s.resolvedAt, CUR));
      const slaRows = resolved.filter((s) => s.slaDueAt);
      const met = slaRows.filter((s) => Date.parse(s.resolvedAt!) <= Date.parse(s.slaDueAt!));
      const angryClosed = mine.filter((s) => isAngry(s) && inRange(s.closedAt, CUR));
      const row = rows.find((r) => r.ownerId === id)!;
      expect(row.volume).toBe(mine.filter((s) => inRange(s.receivedAt, CUR)).length);
      expect(row.resolved).toBe(resolved.length);
      const median = percentile(
        resolved.map((s) => hours(s.receivedAt, s.resolvedAt!)),
        0.5,
      );
      if (median == null) expect(row.medianResolutionHours).toBeNull();
      else expect(row.medianResolutionHours).toBeCloseTo(median, 6);
      expect([row.slaMet, row.slaCounted]).toEqual([met.length, slaRows.length]);
      expect([row.advocates, row.angryClosed]).toEqual([
        angryClosed.filter(isAdvocate).length,
        angryClosed.length,
      ]);
    }
    const agent = rows.find((r) => r.ownerId === data.owners.agent)!;
    expect(agent.conversion).toBe(1 / 2);
    expect(agent.adherence).toBeCloseTo((9 + 2 + 0 + 0) / (4 * 9), 9);
    expect(rows.find((r) => r.ownerId === "none")?.name).toBe("Unassigned");
  });

  it("an empty range gives null or 0, never NaN", async () => {
    const [fr, ttr, sla, loop, adherence, cost, agents, trend, hist] = await Promise.all([
      firstResponseTime(EMPTY),
      timeToResolution(EMPTY),
      slaMet(EMPTY),
      closedLoop(EMPTY),
      playbookAdherence(EMPTY),
      remedyCost(EMPTY),
      agentTable(EMPTY),
      ttrTrend(EMPTY),
      ttrHistogram(EMPTY),
    ]);
    expect(fr.current).toEqual({
      count: 0,
      medianHours: null,
      p90Hours: null,
      medianBusinessHours: null,
      p90BusinessHours: null,
    });
    expect(ttr.current.medianHours).toBeNull();
    expect(sla.current).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(loop.current.rate).toBeNull();
    expect(loop.timeToContact.medianHours).toBeNull();
    expect(adherence.current.stepShare).toBeNull();
    expect(adherence.current.completeShare).toBeNull();
    expect(cost.byCurrency).toEqual([]);
    expect(agents).toEqual([]);
    expect(trend.every((w) => w.count === 0 && w.medianHours === null)).toBe(true);
    expect(hist.every((h) => h.count === 0)).toBe(true);
  });

  it("no angry complaints: closed-loop rate is null, not 0 or NaN", async () => {
    // Only p3 and p4 (neither angry) were received in this window.
    const f = parseDashboardFilters({ range: "custom", from: "2025-01-02", to: "2025-01-02" });
    const loop = await closedLoop(f);
    expect(loop.current).toEqual({ numerator: 0, denominator: 0, rate: null });
  });

  it("dimension filters narrow every figure (owner)", async () => {
    const f = parseDashboardFilters({
      range: "custom",
      from: CUR.from,
      to: CUR.to,
      owner: data.owners.manager,
    });
    const sla = await slaMet(f);
    // c3 met, p4 missed.
    expect(sla.current).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect((await openComplaints(f)).current).toBe(1);
  });

  it("every figure's drill-down lists exactly the complaints it counts", async () => {
    const [open, overdue, backlog, fr, ttr, sla, promise, loop, reopen, adh, steps, cost] =
      await Promise.all([
        openComplaints(F),
        overdueComplaints(F),
        backlogByAge(F),
        firstResponseTime(F),
        timeToResolution(F),
        slaMet(F),
        promiseKept(F),
        closedLoop(F),
        reopenRate(F),
        playbookAdherence(F),
        adherenceBySteps(F),
        remedyCost(F),
      ]);
    const [agents, trend, hist] = await Promise.all([agentTable(F), ttrTrend(F), ttrHistogram(F)]);
    const checks: [string, number][] = [
      [open.href, open.current],
      [overdue.href, overdue.current],
      [fr.href, fr.current.count],
      [fr.awaiting.href, fr.awaiting.current],
      [ttr.href, ttr.current.count],
      [loop.timeToContactHref, loop.timeToContact.count],
      [adh.href, adh.current.complaints],
      [adh.completeHref, adh.current.complete],
      [cost.href, cost.complaints],
      ...backlog.flatMap((b): [string, number][] => [
        [b.href, b.open],
        [b.overdueHref, b.overdue],
        [b.onTrackHref, b.onTrack],
      ]),
      ...[sla, promise, loop, reopen].flatMap((r): [string, number][] => [
        [r.href, r.current.numerator],
        [r.denominatorHref, r.current.denominator],
      ]),
      ...steps.map((s): [string, number] => [s.href, s.done]),
      ...cost.byCurrency.map((c): [string, number] => [c.href, c.complaints]),
      ...agents.flatMap((a): [string, number][] => [
        [a.volumeHref, a.volume],
        [a.resolvedHref, a.resolved],
        [a.slaHref, a.slaMet],
        [a.conversionHref, a.advocates],
      ]),
      ...trend.map((w): [string, number] => [w.href, w.count]),
      ...hist.map((h): [string, number] => [h.href, h.count]),
    ];
    expect(checks.length).toBeGreaterThan(50);
    for (const [href, n] of checks)
      expect({ href, n: await drillCount(href) }).toEqual({ href, n });
  });

  it("only managers and admins may read it, and only their organisation's data", async () => {
    for (const role of ["agent", "quality", "executive"] as const) {
      actAs(org.users[role]);
      await expect(slaMet(F)).rejects.toMatchObject(FORBIDDEN);
      await expect(agentTable(F)).rejects.toMatchObject(FORBIDDEN);
    }
    const other = await createTestOrg(handle.db, "Other");
    actAs(other.users.manager);
    expect((await timeToResolution(F)).current.count).toBe(0);
    expect((await openComplaints(F)).current).toBe(0);
    expect(await agentTable(F)).toEqual([]);
    actAs(org.users.admin);
    expect((await timeToResolution(F)).current.count).toBe(E.resolution.count);
    actAs(org.users.manager);
  });
});
