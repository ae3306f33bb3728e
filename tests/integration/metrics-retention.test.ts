import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { remedyKinds } from "@/db/schema";
import { countComplaints, filtersFrom } from "@/lib/complaints/list";
import { parseDashboardFilters, type DashboardFilters } from "@/lib/metrics/filters";
import { getPlaybookEffect } from "@/lib/metrics/playbook-effect";
import {
  getConversion,
  getConversionByMonth,
  getConversionByRemedyKind,
  getConversionByTtrBucket,
  getFunnel,
  getNps,
  getRecoveryCost,
  getRecoveryRoi,
  getRetention,
  getRetention90,
  getRetentionByRecovery,
  referenceDates,
} from "@/lib/metrics/retention";
import { wilson } from "@/lib/metrics/wilson";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import {
  activitySpecs,
  complaintSpecs,
  insertRetentionData,
  type ComplaintSpec,
  type RetentionData,
} from "../helpers/metrics-retention-data";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

/** requirePermission's refusal: Next's forbidden() (the 403 page), not just any error. */
const FORBIDDEN = { digest: "NEXT_HTTP_ERROR_FALLBACK;403" };
// As next.config.ts's experimental.authInterrupts does (without it forbidden() throws a plain
// "experimental" Error, which any-error assertions took for the refusal).
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

// ---------------------------------------------------------------- the expectations, in plain TS

const H = 3600_000;
const DAY = 24 * H;
const RANGE = { from: "2025-03-01", to: "2025-05-31" };
const PREV = { from: "2024-11-30", to: "2025-02-28" };
const start = (d: string) => Date.parse(`${d}T00:00:00Z`);
const inRange = (t: Date | null, r: { from: string; to: string }) =>
  t !== null && t.getTime() >= start(r.from) && t.getTime() < start(r.to) + DAY;

const isAngry = (c: ComplaintSpec) =>
  (c.sentiment !== null && c.sentiment <= 2) || (c.nps !== null && c.nps <= 6);
const isAdvocate = (c: ComplaintSpec) =>
  (c.outcomeNps !== null && c.outcomeNps >= 9) ||
  c.advocacy.some((s) => s.at.getTime() >= c.receivedAt.getTime());
const contacted = (c: ComplaintSpec) => c.firstResponseH !== null && c.firstResponseH <= 48;
const remedied = (c: ComplaintSpec) => c.remedies.some((r) => r.delivered);
const followed = (c: ComplaintSpec) => c.followUps.some((f) => f.done);
const resolvedAt = (c: ComplaintSpec) =>
  c.resolvedH === null ? null : new Date(c.receivedAt.getTime() + c.resolvedH * H);
const bucket = (c: ComplaintSpec) =>
  c.resolvedH === null ? "unresolved" : c.resolvedH <= 48 ? "fast" : "slow";
const group = (c: ComplaintSpec) =>
  c.severity === "minor" || c.severity === "moderate" ? "minor" : "major";

function retainedFrom(customer: string, ref: number, days: number): boolean {
  const acts = activitySpecs.filter((a) => a.customer === customer);
  return acts.some(
    (p) =>
      (p.kind === "purchase" || p.kind === "renewal") &&
      p.at.getTime() > ref &&
      p.at.getTime() <= ref + days * DAY &&
      !acts.some(
        (x) => x.kind === "cancellation" && x.at.getTime() > ref && x.at.getTime() < p.at.getTime(),
      ),
  );
}
const retained = (c: ComplaintSpec, days: number) =>
  retainedFrom(c.customer, c.receivedAt.getTime(), days);

const closedIn = (r = RANGE) => complaintSpecs.filter((c) => inRange(c.closedAt, r));
const receivedIn = (r = RANGE) => complaintSpecs.filter((c) => inRange(c.receivedAt, r));

function npsOf(scores: number[]) {
  if (scores.length === 0) return null;
  const p = scores.filter((s) => s >= 9).length;
  const d = scores.filter((s) => s <= 6).length;
  return (100 * (p - d)) / scores.length;
}
const afterScore = (c: ComplaintSpec): number | null => {
  if (c.outcomeNps !== null) return c.outcomeNps;
  const done = c.followUps
    .filter((f) => f.done && f.nps !== null)
    .sort((a, b) => (b.doneAt?.getTime() ?? 0) - (a.doneAt?.getTime() ?? 0));
  return done[0]?.nps ?? null;
};

// ---------------------------------------------------------------- the test

function filters(params: Record<string, string> = {}): DashboardFilters {
  return parseDashboardFilters({ range: "custom", ...RANGE, ...params });
}

async function listCount(href: string | null): Promise<number> {
  expect(href).toBeTruthy();
  return countComplaints(filtersFrom(new URL(href!, "http://x").searchParams));
}

describe.each(engines)("retention metrics on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let data: RetentionData;
  const f = filters();

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Retention");
    await createTestOrg(handle.db, "Other"); // another org's data must never leak in
    data = await insertRetentionData(handle.db, org.orgId);
    actAs(org.users.executive);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("refuses roles without the executive dashboard", async () => {
    actAs(org.users.agent);
    await expect(getConversion(f)).rejects.toMatchObject(FORBIDDEN);
    actAs(org.users.executive);
  });

  it("angry → advocate conversion over angry complaints closed in the range", async () => {
    const angry = closedIn().filter(isAngry);
    const advocates = angry.filter(isAdvocate);
    const prevAngry = closedIn(PREV).filter(isAngry);
    const tile = await getConversion(f);
    expect(tile.n).toBe(angry.length);
    expect(tile.k).toBe(advocates.length);
    expect(tile.rate).toBeCloseTo(advocates.length / angry.length, 10);
    // Hand check: c1, c2, c5, c8 angry and closed in range; c1, c5, c8 advocates.
    expect([tile.n, tile.k]).toEqual([4, 3]);
    expect(tile.previous.n).toBe(prevAngry.length);
    expect(tile.previous.k).toBe(prevAngry.filter(isAdvocate).length);
    expect(await listCount(tile.href)).toBe(tile.n);
    expect(await listCount(tile.kHref)).toBe(tile.k);
    expect(await listCount(tile.previous.kHref)).toBe(tile.previous.k);
  });

  it("conversion by month, funnel, by remedy kind and by time-to-resolution bucket", async () => {
    const angry = closedIn().filter(isAngry);
    const months = await getConversionByMonth(f);
    const expectedMonths = [...new Set(angry.map((c) => c.closedAt!.toISOString().slice(0, 7)))];
    expect(months.map((m) => m.month)).toEqual(expectedMonths.sort());
    for (const m of months) {
      const set = angry.filter((c) => c.closedAt!.toISOString().startsWith(m.month));
      expect([m.n, m.k]).toEqual([set.length, set.filter(isAdvocate).length]);
      expect(await listCount(m.href)).toBe(m.n);
      expect(await listCount(m.kHref)).toBe(m.k);
    }

    const funnel = await getFunnel(f);
    const stages = [
      angry,
      angry.filter(contacted),
      angry.filter((c) => contacted(c) && remedied(c)),
      angry.filter((c) => contacted(c) && remedied(c) && followed(c)),
      angry.filter((c) => contacted(c) && remedied(c) && followed(c) && isAdvocate(c)),
    ];
    expect(funnel.map((s) => s.value)).toEqual(stages.map((s) => s.length));
    for (const s of funnel) expect(await listCount(s.href)).toBe(s.value);

    const kinds = await getConversionByRemedyKind(f);
    for (const kind of remedyKinds) {
      const set = angry.filter((c) => c.remedies.some((r) => r.kind === kind && r.delivered));
      const row = kinds.find((k) => k.key === kind);
      if (set.length === 0) {
        expect(row).toBeUndefined();
        continue;
      }
      expect([row!.n, row!.k]).toEqual([set.length, set.filter(isAdvocate).length]);
      expect(await listCount(row!.href)).toBe(row!.n);
      expect(await listCount(row!.kHref)).toBe(row!.k);
    }
    expect(kinds.find((k) => k.key === "refund")).toMatchObject({ n: 2, k: 2 });

    const buckets = await getConversionByTtrBucket(f);
    for (const b of buckets) {
      const set = angry.filter((c) => bucket(c) === b.key);
      expect([b.n, b.k]).toEqual([set.length, set.filter(isAdvocate).length]);
      expect(await listCount(b.href)).toBe(b.n);
      expect(await listCount(b.kHref)).toBe(b.k);
    }
  });

  it("retention at 30/90/180 days for complainants and customers without complaints", async () => {
    const rows = await getRetention(f);
    const refs = referenceDates(RANGE);
    expect(refs).toEqual(["2025-03-01", "2025-04-01", "2025-05-01"]);
    for (const row of rows) {
      const set = receivedIn();
      const kept = set.filter((c) => retained(c, row.days));
      expect([row.complainants.n, row.complainants.k]).toEqual([set.length, kept.length]);
      expect(await listCount(row.complainants.href)).toBe(row.complainants.n);
      expect(await listCount(row.complainants.kHref)).toBe(row.complainants.k);

      // Customers without complaints: active in the 365 days before d, no complaint in [d-365, d+N].
      let n = 0;
      let k = 0;
      for (const d of refs.map(start)) {
        for (const cu of ["A", "B", "C", "D", "E", "F", "G", "H", "I"]) {
          const active = activitySpecs.some(
            (a) =>
              a.customer === cu &&
              (a.kind === "purchase" || a.kind === "renewal") &&
              a.at.getTime() >= d - 365 * DAY &&
              a.at.getTime() < d,
          );
          const complained = complaintSpecs.some(
            (c) =>
              c.customer === cu &&
              c.receivedAt.getTime() >= d - 365 * DAY &&
              c.receivedAt.getTime() <= d + row.days * DAY,
          );
          if (!active || complained) continue;
          n++;
          if (retainedFrom(cu, d, row.days)) k++;
        }
      }
      expect([row.others.n, row.others.k]).toEqual([n, k]);
    }
    // Hand check at 90 days: complainants c1 ✓, c2 ✗, c3 ✗, c4 ✓, c5 ✓, c7 ✗, c8 ✗ → 3 / 7;
    // G ×3 (Mar ✓ Apr ✗ May ✗), H ×3 (Mar ✗ (cancelled 03-10), Apr ✓, May ✗) → 2 / 6.
    const r90 = rows.find((r) => r.days === 90)!;
    expect([r90.complainants.k, r90.complainants.n]).toEqual([3, 7]);
    expect([r90.others.k, r90.others.n]).toEqual([2, 6]);

    const tile = await getRetention90(f);
    expect(tile.complainants.rate).toBeCloseTo(3 / 7, 10);
    const prev = receivedIn(PREV);
    expect(tile.previous.complainants.n).toBe(prev.length);
    expect(tile.previous.complainants.k).toBe(prev.filter((c) => retained(c, 90)).length);
  });

  it("retention by recovery: fast / slow / not resolved × minor / major", async () => {
    const cells = await getRetentionByRecovery(f);
    expect(cells).toHaveLength(6);
    for (const cell of cells) {
      const set = receivedIn().filter((c) => bucket(c) === cell.bucket && group(c) === cell.group);
      expect([cell.n, cell.k]).toEqual([set.length, set.filter((c) => retained(c, 90)).length]);
      expect(cell.rate).toBe(set.length ? cell.k / set.length : null);
      expect(await listCount(cell.href)).toBe(cell.n);
      expect(await listCount(cell.kHref)).toBe(cell.k);
    }
    // c1 (minor, 20 h) fast ✓; c4 (moderate, 30 h) fast ✓; c7 (minor, 47 h) fast ✗.
    expect(cells.find((c) => c.bucket === "fast" && c.group === "minor")).toMatchObject({
      n: 3,
      k: 2,
    });
  });

  it("recovery cost per currency, never added across currencies", async () => {
    const costs = await getRecoveryCost(f);
    const expected = new Map<string, { cost: number; n: number }>();
    for (const c of receivedIn()) {
      const costed = c.remedies.filter((r) => r.delivered && r.cost !== null);
      for (const cur of new Set(costed.map((r) => r.currency))) {
        const e = expected.get(cur) ?? { cost: 0, n: 0 };
        e.cost += costed.filter((r) => r.currency === cur).reduce((s, r) => s + r.cost!, 0);
        e.n += 1;
        expected.set(cur, e);
      }
    }
    expect(Object.fromEntries(costs.map((c) => [c.currency, [c.costMinor, c.complaints]]))).toEqual(
      Object.fromEntries([...expected].map(([cur, e]) => [cur, [e.cost, e.n]])),
    );
    // Hand check: USD 5000 + 0 + 3000 + 1500 = 9500 on 4 complaints; EUR 2000 on 1.
    expect(costs.find((c) => c.currency === "USD")?.costMinor).toBe(9500);
    expect(costs.find((c) => c.currency === "EUR")?.costMinor).toBe(2000);
    for (const c of costs) expect(await listCount(c.href)).toBe(c.complaints);
  });

  it("recovery ROI per currency and by month", async () => {
    const roi = await getRecoveryRoi(f);
    const set = receivedIn();
    const revenue = (cur: string, cs: ComplaintSpec[]) =>
      cs
        .filter((c) => retained(c, 90))
        .reduce(
          (s, c) =>
            s +
            activitySpecs
              .filter(
                (a) =>
                  a.customer === c.customer &&
                  a.currency === cur &&
                  (a.kind === "purchase" || a.kind === "renewal") &&
                  a.at.getTime() > c.receivedAt.getTime() &&
                  a.at.getTime() <= c.receivedAt.getTime() + 365 * DAY,
              )
              .reduce((t, a) => t + a.amount, 0),
          0,
        );
    const cost = (cur: string, cs: ComplaintSpec[]) =>
      cs
        .flatMap((c) => c.remedies)
        .filter((r) => r.delivered && r.cost !== null && r.currency === cur)
        .reduce((s, r) => s + r.cost!, 0);
    expect(roi.currency).toBe("USD");
    expect(roi.current?.costMinor).toBe(cost("USD", set));
    expect(roi.current?.revenueMinor).toBe(revenue("USD", set));
    // Hand check: revenue c1 (A: 10000 + 5000) + c4 (D: 4000) + c5 (A: 5000) = 24000 USD; cost 9500.
    expect(roi.current?.revenueMinor).toBe(24000);
    expect(roi.current?.roi).toBeCloseTo(24000 / 9500, 10);
    const eur = roi.byCurrency.find((c) => c.currency === "EUR")!;
    expect([eur.costMinor, eur.revenueMinor]).toEqual([cost("EUR", set), revenue("EUR", set)]);
    expect(eur.revenueMinor).toBe(900);
    for (const m of roi.byMonth) {
      const inMonth = set.filter((c) => c.receivedAt.toISOString().startsWith(m.month));
      expect([m.costMinor, m.revenueMinor]).toEqual([
        cost("USD", inMonth),
        revenue("USD", inMonth),
      ]);
    }
    expect(await listCount(roi.href)).toBe(roi.retained);
    expect(roi.retained).toBe(set.filter((c) => retained(c, 90)).length);
    expect(roi.previous?.costMinor).toBe(cost("USD", receivedIn(PREV)));
  });

  it("NPS before vs after and the recovery paradox", async () => {
    const nps = await getNps(f);
    const set = receivedIn();
    const before = set.map((c) => c.nps).filter((v): v is number => v !== null);
    const after = set.map(afterScore).filter((v): v is number => v !== null);
    expect(nps.before.n).toBe(before.length);
    expect(nps.before.nps).toBeCloseTo(npsOf(before)!, 10);
    expect(nps.after.n).toBe(after.length);
    expect(nps.after.nps).toBeCloseTo(npsOf(after)!, 10);
    // c7's after score is its latest follow-up (10), not the earlier 4.
    expect(after).toContain(10);
    const complainedInRange = new Set(set.map((c) => c.customer));
    const others = activitySpecs
      .filter(
        (a) =>
          (a.kind === "survey" || a.kind === "review") &&
          a.score !== null &&
          inRange(a.at, RANGE) &&
          !complainedInRange.has(a.customer),
      )
      .map((a) => a.score!);
    // Hand check: E 8, G 10, H 4 → (1 − 1) / 3 = 0.
    expect(others).toEqual([8, 10, 4]);
    expect(nps.noComplaint.n).toBe(3);
    expect(nps.noComplaint.nps).toBeCloseTo(npsOf(others)!, 10);
    expect(await listCount(nps.before.href)).toBe(nps.before.n);
    expect(await listCount(nps.after.href)).toBe(nps.after.n);
  });

  it("does the playbook work? with/without, Wilson intervals, drill-downs", async () => {
    const rows = await getPlaybookEffect(f);
    const angry = closedIn().filter(isAngry);
    const eligible = receivedIn();
    const has: Record<string, (c: ComplaintSpec) => boolean> = {
      [`step-${data.stepIds.listen}`]: (c) => c.steps.includes("listen"),
      [`step-${data.stepIds.apologize}`]: (c) => c.steps.includes("apologize"),
      "remedy-refund": (c) => c.remedies.some((r) => r.kind === "refund" && r.delivered),
      "response-h4": (c) => c.firstResponseH !== null && c.firstResponseH <= 4,
      "response-none": (c) => c.firstResponseH === null,
      "promise-kept": (c) => {
        const r = resolvedAt(c);
        return c.promisedH !== null && r !== null && c.resolvedH! <= c.promisedH;
      },
    };
    for (const [key, pred] of Object.entries(has)) {
      const row = rows.find((r) => r.key === key)!;
      expect(row).toBeDefined();
      for (const side of ["with", "without"] as const) {
        const keep = (c: ComplaintSpec) => (side === "with" ? pred(c) : !pred(c));
        const conv = angry.filter(keep);
        const ret = eligible.filter(keep);
        const expectedConv = wilson(conv.filter(isAdvocate).length, conv.length);
        const expectedRet = wilson(ret.filter((c) => retained(c, 90)).length, ret.length);
        expect(row.conversion[side]).toMatchObject(expectedConv);
        expect(row.retention90[side]).toMatchObject(expectedRet);
        expect(await listCount(row.conversion[side].href)).toBe(row.conversion[side].n);
        expect(await listCount(row.conversion[side].kHref)).toBe(row.conversion[side].k);
        expect(await listCount(row.retention90[side].href)).toBe(row.retention90[side].n);
        expect(await listCount(row.retention90[side].kHref)).toBe(row.retention90[side].k);
      }
    }
    // Every figure on the table drills down to its complaints.
    for (const row of rows) {
      expect(await listCount(row.conversion.with.href)).toBe(row.conversion.with.n);
      expect(await listCount(row.retention90.without.kHref)).toBe(row.retention90.without.k);
    }
  });

  it("empty range, no angry complaints and a single complaint give 0 / null, never NaN", async () => {
    const empty = parseDashboardFilters({ range: "custom", from: "2020-01-01", to: "2020-01-31" });
    const conv = await getConversion(empty);
    expect(conv).toMatchObject({ n: 0, k: 0, rate: null });
    expect(await getConversionByMonth(empty)).toEqual([]);
    expect((await getFunnel(empty)).every((s) => s.value === 0 && s.share === null)).toBe(true);
    expect((await getRetention(empty)).every((r) => r.complainants.rate === null)).toBe(true);
    expect((await getRetentionByRecovery(empty)).every((c) => c.rate === null)).toBe(true);
    expect(await getRecoveryCost(empty)).toEqual([]);
    const roi = await getRecoveryRoi(empty);
    expect(roi.current).toBeNull();
    expect(roi.byMonth).toEqual([]);
    const nps = await getNps(empty);
    expect([nps.before.nps, nps.after.nps, nps.noComplaint.nps]).toEqual([null, null, null]);
    const effect = await getPlaybookEffect(empty);
    expect(
      effect.every((r) => r.conversion.with.rate === null && r.conversion.with.low === null),
    ).toBe(true);

    // severity=moderate: only c4, which is not angry.
    const calm = filters({ severity: "moderate" });
    expect(await getConversion(calm)).toMatchObject({ n: 0, k: 0, rate: null });
    expect((await getFunnel(calm))[0]!.value).toBe(0);

    // severity=critical: only c3 (angry, open, never retained at 90 days).
    const single = filters({ severity: "critical" });
    const r = await getRetention(single);
    expect(r.find((x) => x.days === 90)!.complainants).toMatchObject({ n: 1, k: 0, rate: 0 });
    expect(r.find((x) => x.days === 180)!.complainants).toMatchObject({ n: 1, k: 1, rate: 1 });
    const cells = await getRetentionByRecovery(single);
    expect(cells.find((c) => c.bucket === "unresolved" && c.group === "major")).toMatchObject({
      n: 1,
      k: 0,
    });
    expect(await getRecoveryCost(single)).toEqual([]); // its coupon was never delivered
  });
});
