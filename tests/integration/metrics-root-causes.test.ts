import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { countComplaints, filtersFrom } from "@/lib/complaints/list";
import { parseDashboardFilters } from "@/lib/metrics/filters";
import {
  correctiveActionsReport,
  repeatComplaints,
  rootCauseHeatMap,
  rootCausePareto,
  rootCauseTrend,
} from "@/lib/metrics/root-causes";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import {
  caSpecs,
  insertRootCauseData,
  rcSpecs,
  type CauseKey,
  type RcData,
  type RcSpec,
} from "../helpers/metrics-root-causes-data";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

/** requirePermission's refusal: Next's forbidden() (the 403 page), not just any error. */
const FORBIDDEN = { digest: "NEXT_HTTP_ERROR_FALLBACK;403" };
// As next.config.ts's experimental.authInterrupts does (without it forbidden() throws a plain
// "experimental" Error, which any-error assertions took for the refusal).
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

const DAY = 86_400_000;
const custom = (from: string, to: string) =>
  parseDashboardFilters({ range: "custom", from, to }, new Date("2025-06-01T00:00:00Z"));
const Q1 = custom("2025-01-01", "2025-03-31");
const dayOf = (iso: string) => iso.slice(0, 10);
const inRange = (s: RcSpec, from: string, to: string) =>
  dayOf(s.receivedAt) >= from && dayOf(s.receivedAt) <= to;
const name = (k: CauseKey) => `Cause ${k}`;

// ---- independent expectations, in plain TypeScript over rcSpecs
function expectedPareto(from: string, to: string, basis: "count" | "cost") {
  const per = new Map<CauseKey, { value: number; n: number }>();
  for (const s of rcSpecs) {
    if (!s.cause || !inRange(s, from, to)) continue;
    const usd = (s.remedies ?? []).filter(
      (r) => r.delivered && r.costMinor !== null && r.currency === "USD",
    );
    const value = basis === "count" ? 1 : usd.reduce((t, r) => t + r.costMinor!, 0);
    const n = basis === "count" ? 1 : usd.length > 0 ? 1 : 0;
    const e = per.get(s.cause) ?? { value: 0, n: 0 };
    per.set(s.cause, { value: e.value + value, n: e.n + n });
  }
  const bars = [...per.entries()]
    .filter(([, v]) => v.value > 0)
    .sort((a, b) => b[1].value - a[1].value || name(a[0]).localeCompare(name(b[0])));
  const total = bars.reduce((t, [, v]) => t + v.value, 0);
  let running = 0;
  return bars.map(([cause, v]) => {
    const before = running;
    running += v.value;
    return {
      cause,
      value: v.value,
      complaints: v.n,
      cumulative: running / total,
      vital: before / total < 0.8,
    };
  });
}

function isRepeat(s: RcSpec): boolean {
  if (!s.cause) return false;
  const received = Date.parse(s.receivedAt);
  return rcSpecs.some(
    (p) =>
      p !== s &&
      p.customer === s.customer &&
      p.cause === s.cause &&
      Date.parse(p.receivedAt) < received &&
      p.resolvedAt !== null &&
      Date.parse(p.resolvedAt) <= received &&
      Date.parse(p.resolvedAt) >= received - 90 * DAY,
  );
}

const topLevel = (p: RcSpec["product"]) => (p === "P1a" ? "P1" : p);

async function drillCount(href: string): Promise<number> {
  return countComplaints(filtersFrom(new URL(href, "http://x").searchParams));
}

describe.each(engines)("root-cause metrics on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let data: RcData;
  const causeKey = (id: string) =>
    (Object.entries(data.causes).find(([, v]) => v === id)?.[0] ?? "?") as CauseKey;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Root causes");
    data = await insertRootCauseData(handle.db, org.orgId);
    actAs(org.users.quality);
  });
  afterAll(async () => {
    await handle.close();
  });

  it("Pareto by count: descending, cumulative share, vital few up to the first reaching 80 %", async () => {
    const pareto = await rootCausePareto(Q1, "count");
    const expected = expectedPareto("2025-01-01", "2025-03-31", "count");
    expect(pareto.bars.map((b) => causeKey(b.rootCauseId))).toEqual(expected.map((e) => e.cause));
    pareto.bars.forEach((b, i) => {
      expect(b.value).toBe(expected[i]!.value);
      expect(b.complaints).toBe(expected[i]!.value);
      expect(b.cumulative).toBeCloseTo(expected[i]!.cumulative, 10);
      expect(b.vital).toBe(expected[i]!.vital);
    });
    expect(pareto.total).toBe(expected.reduce((t, e) => t + e.value, 0));
    // A 4, B 3, then the tie C 1 / D 1 ordered by name; C crosses 80 %, so it is the last vital one.
    expect(pareto.bars.map((b) => b.vital)).toEqual([true, true, true, false]);
    const unassigned = rcSpecs.filter(
      (s) => !s.cause && inRange(s, "2025-01-01", "2025-03-31"),
    ).length;
    expect(pareto.unassigned.count).toBe(unassigned);
  });

  it("Pareto by cost: delivered, known costs in the org currency; other currencies apart", async () => {
    const pareto = await rootCausePareto(Q1, "cost");
    const expected = expectedPareto("2025-01-01", "2025-03-31", "cost");
    expect(pareto.currency).toBe("USD");
    expect(pareto.bars.map((b) => causeKey(b.rootCauseId))).toEqual(expected.map((e) => e.cause));
    pareto.bars.forEach((b, i) => {
      expect(b.value).toBe(expected[i]!.value);
      expect(b.complaints).toBe(expected[i]!.complaints);
      expect(b.cumulative).toBeCloseTo(expected[i]!.cumulative, 10);
      expect(b.vital).toBe(expected[i]!.vital);
    });
    const eur = rcSpecs
      .filter((s) => s.cause && inRange(s, "2025-01-01", "2025-03-31"))
      .flatMap((s) => s.remedies ?? [])
      .filter((r) => r.delivered && r.currency === "EUR")
      .reduce((t, r) => t + (r.costMinor ?? 0), 0);
    expect(pareto.otherCurrencies).toEqual([{ currency: "EUR", costMinor: eur }]);
  });

  it("empty range gives empty figures, not NaN; a single complaint is 100 % and vital", async () => {
    const empty = custom("2023-01-01", "2023-01-31");
    const pareto = await rootCausePareto(empty, "count");
    expect(pareto).toMatchObject({ total: 0, bars: [], unassigned: { count: 0 } });
    expect((await rootCausePareto(empty, "cost")).bars).toEqual([]);
    const trend = await rootCauseTrend(empty);
    expect(trend.causes).toEqual([]);
    expect(trend.months).toHaveLength(1);
    expect((await rootCauseHeatMap(empty)).cells).toEqual([]);
    expect(await repeatComplaints(empty)).toMatchObject({ count: 0, previous: 0, byCause: [] });

    const single = await rootCausePareto(custom("2025-03-20", "2025-03-20"), "count");
    expect(single.bars).toHaveLength(1);
    expect(single.bars[0]).toMatchObject({ value: 1, cumulative: 1, vital: true });
    expect(causeKey(single.bars[0]!.rootCauseId)).toBe("D");
  });

  it("trend: monthly counts of the top causes, every month present", async () => {
    const trend = await rootCauseTrend(Q1, 2);
    expect(trend.causes.map((c) => causeKey(c.id))).toEqual(["A", "B"]);
    expect(trend.months.map((m) => m.month)).toEqual(["2025-01", "2025-02", "2025-03"]);
    for (const m of trend.months)
      for (const c of trend.causes) {
        const expected = rcSpecs.filter(
          (s) => s.cause === causeKey(c.id) && s.receivedAt.startsWith(m.month),
        ).length;
        expect(m.counts[c.id]).toBe(expected);
      }
  });

  it("heat map by product groups sub-products under their parent; by channel too", async () => {
    const heat = await rootCauseHeatMap(Q1, "product");
    const expected = new Map<string, number>();
    for (const s of rcSpecs)
      if (s.cause && s.product && inRange(s, "2025-01-01", "2025-03-31")) {
        const k = `${s.cause}|${topLevel(s.product)}`;
        expected.set(k, (expected.get(k) ?? 0) + 1);
      }
    const productKey = (id: string) => Object.entries(data.products).find(([, v]) => v === id)![0];
    const actual = new Map(
      heat.cells.map((c) => [`${causeKey(c.row)}|${productKey(c.column)}`, c.value]),
    );
    expect(actual).toEqual(expected);
    expect(heat.columns.map((c) => c.label).sort()).toEqual(["Billing portal", "Router"]);

    const byChannel = await rootCauseHeatMap(Q1, "channel");
    const expectedChannel = new Map<string, number>();
    for (const s of rcSpecs)
      if (s.cause && inRange(s, "2025-01-01", "2025-03-31")) {
        const k = `${s.cause}|${s.channel}`;
        expectedChannel.set(k, (expectedChannel.get(k) ?? 0) + 1);
      }
    expect(
      new Map(byChannel.cells.map((c) => [`${causeKey(c.row)}|${c.column}`, c.value])),
    ).toEqual(expectedChannel);
  });

  it("repeat complaints: same customer, same cause, within 90 days of the last resolution", async () => {
    const repeats = await repeatComplaints(Q1);
    const expected = rcSpecs.filter((s) => inRange(s, "2025-01-01", "2025-03-31") && isRepeat(s));
    expect(repeats.count).toBe(expected.length);
    expect(expected.map((s) => s.key).sort()).toEqual(["c02", "c07"]);
    expect(repeats.previous).toBe(
      rcSpecs.filter((s) => inRange(s, Q1.previous.from, Q1.previous.to) && isRepeat(s)).length,
    );
    expect(repeats.byCause.map((r) => [causeKey(r.rootCauseId), r.count]).sort()).toEqual([
      ["A", 1],
      ["B", 1],
    ]);
  });

  it("corrective actions: recurrence before/after over the cause's window, effectiveness, share verified effective", async () => {
    const weeksOf: Record<CauseKey, number> = { A: 8, B: 4, C: 8, D: 8 };
    const report = await correctiveActionsReport(Q1, new Date("2025-06-01T00:00:00Z"));
    expect(report.actions).toHaveLength(caSpecs.length);
    for (const spec of caSpecs) {
      const row = report.actions.find((a) => a.id === data.actions[spec.key])!;
      if (!spec.doneAt) {
        expect(row.recurrence).toBeNull();
        continue;
      }
      const n = weeksOf[spec.cause];
      const done = Date.parse(`${spec.doneAt}T00:00:00Z`);
      const count = (from: number, to: number) =>
        rcSpecs.filter((s) => {
          const t = Date.parse(`${dayOf(s.receivedAt)}T00:00:00Z`);
          return s.cause === spec.cause && t >= from && t < to;
        }).length;
      const before = count(done - n * 7 * DAY, done);
      const after = count(done, done + n * 7 * DAY);
      expect(row.recurrence).toMatchObject({
        weeks: n,
        measurable: true,
        before: { count: before, perWeek: before / n },
        after: { count: after, perWeek: after / n },
      });
      expect(row.recurrence!.effectiveness).toBeCloseTo(1 - after / before, 10);
    }
    // ca1 (verified, 3 → 1) is effective; ca2 (done, 1 → 1) is not verified.
    expect(report).toMatchObject({
      measurable: 2,
      verifiedEffective: 1,
      verifiedEffectiveShare: 0.5,
    });

    const early = await correctiveActionsReport(Q1, new Date("2025-03-20T00:00:00Z"));
    const ca2 = early.actions.find((a) => a.id === data.actions.ca2)!;
    expect(ca2.recurrence).toMatchObject({ measurable: false, effectiveness: null });
    expect(early.measurable).toBe(1);
  });

  it("drill-down: every figure's list counts exactly its complaints", async () => {
    const checks: [string, number][] = [];
    for (const basis of ["count", "cost"] as const) {
      const p = await rootCausePareto(Q1, basis);
      for (const b of p.bars) checks.push([b.href, b.complaints]);
      checks.push([p.unassigned.href, p.unassigned.count]);
    }
    const trend = await rootCauseTrend(Q1);
    for (const pt of trend.points) checks.push([pt.href, pt.count]);
    for (const axis of ["product", "channel"] as const)
      for (const c of (await rootCauseHeatMap(Q1, axis)).cells) checks.push([c.href, c.value]);
    // Filtered to a sub-product, the heat map's column is that sub-product, not its parent.
    for (const product of [data.products.P1a, data.products.P1]) {
      const narrowed = parseDashboardFilters(
        { range: "custom", from: "2025-01-01", to: "2025-03-31", product },
        new Date("2025-06-01T00:00:00Z"),
      );
      const cells = (await rootCauseHeatMap(narrowed, "product")).cells;
      expect(cells.length).toBeGreaterThan(0);
      for (const c of cells) checks.push([c.href, c.value]);
    }
    const repeats = await repeatComplaints(Q1);
    checks.push([repeats.href, repeats.count]);
    for (const r of repeats.byCause) checks.push([r.href, r.count]);
    const report = await correctiveActionsReport(Q1, new Date("2025-06-01T00:00:00Z"));
    for (const a of report.actions)
      if (a.recurrence)
        checks.push(
          [a.recurrence.before.href, a.recurrence.before.count],
          [a.recurrence.after.href, a.recurrence.after.count],
        );
    expect(checks.length).toBeGreaterThan(20);
    for (const [href, n] of checks)
      expect({ href, n: await drillCount(href) }).toEqual({ href, n });
  });

  it("only quality and admin may read it, and only their organisation's data", async () => {
    for (const role of ["agent", "manager", "executive"] as const) {
      actAs(org.users[role]);
      await expect(rootCausePareto(Q1)).rejects.toMatchObject(FORBIDDEN);
      await expect(correctiveActionsReport(Q1)).rejects.toMatchObject(FORBIDDEN);
    }
    const other = await createTestOrg(handle.db, "Other");
    actAs(other.users.quality);
    expect((await rootCausePareto(Q1)).bars).toEqual([]);
    expect((await correctiveActionsReport(Q1)).actions).toEqual([]);
    expect((await repeatComplaints(Q1)).count).toBe(0);
    actAs(org.users.admin);
    expect((await rootCausePareto(Q1)).bars.length).toBeGreaterThan(0);
    actAs(org.users.quality);
  });
});
