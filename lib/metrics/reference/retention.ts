import "server-only";
import { remedyKindLabel } from "@/lib/labels";
/**
 * Executive metrics: does recovery keep customers, make advocates, and pay for itself?
 * Every complaint count is `count(*) filter (where <set predicate>)` over `scopeFor(...)`, with the
 * predicate taken from the named set its drill-down opens, so a figure equals its list's count.
 */
import { sql, type SQL } from "drizzle-orm";
import { cache } from "react";
import { getDatabase, queryRows, type Db } from "@/db";
import { complaints, remedyKinds } from "@/db/schema";
import { requirePermission, type Actor } from "@/lib/auth/guard";
import type { Operation } from "@/lib/permissions";
import { drillHref, scopeFor, type DashboardFilters, type DateRange } from "../filters";
import type { LeftOut } from "./performance";
import { setPredicate, type DateBasis, type DrillSet } from "../sets";
import {
  funnelStages,
  npsAfter,
  retainedAt,
  retentionEligible,
  setArg,
  severityGroups,
  ttrBuckets,
  type FunnelStage,
  type SeverityGroup,
  type TtrBucket,
} from "../sets-retention";

// ---------------------------------------------------------------- shared plumbing

export interface Rate {
  /** Complaints behind the rate (the denominator), and its drill-down. */
  n: number;
  /** Complaints counted as a success (the numerator), and its drill-down. */
  k: number;
  /** k ÷ n; null when n = 0 (never NaN). */
  rate: number | null;
  href: string;
  kHref: string;
}

export interface SetRef {
  set: DrillSet;
  arg?: string;
}

const ratio = (k: number, n: number) => (n > 0 ? k / n : null);

export async function executive(permission: Operation = "dashboard:executive") {
  const actor = await requirePermission(permission);
  const { db } = await getDatabase();
  return { actor, db };
}

/**
 * Counts several named sets over one scope in a single scan: `count(*) filter (where <set>)`
 * over the same WHERE the list runs for (basis, range), so each equals its drill-down count.
 */
export async function countSets(
  db: Db,
  actor: Actor,
  f: DashboardFilters,
  basis: DateBasis,
  sets: SetRef[],
  range?: DateRange,
): Promise<number[]> {
  if (sets.length === 0) return [];
  const fields = sql.join(
    sets.map(
      (s, i) => sql`count(*) filter (where ${setPredicate(s.set, s.arg)}) as ${sql.raw(`c${i}`)}`,
    ),
    sql`, `,
  );
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${fields} from ${complaints} where ${scopeFor(actor, f, { basis, range })}`,
  );
  return sets.map((_, i) => Number(row?.[`c${i}`] ?? 0));
}

export function hrefOf(f: DashboardFilters, basis: DateBasis, s: SetRef, range?: DateRange) {
  return drillHref(f, { basis, range, set: s.set, extra: s.arg ? { arg: s.arg } : undefined });
}

/** A rate from two sets (k ⊆ n) over one scope. */
async function rates(
  db: Db,
  actor: Actor,
  f: DashboardFilters,
  basis: DateBasis,
  pairs: { n: SetRef; k: SetRef }[],
  range?: DateRange,
): Promise<Rate[]> {
  const counts = await countSets(
    db,
    actor,
    f,
    basis,
    pairs.flatMap((p) => [p.n, p.k]),
    range,
  );
  return pairs.map((p, i) => {
    const n = counts[2 * i]!;
    const k = counts[2 * i + 1]!;
    return {
      n,
      k,
      rate: ratio(k, n),
      href: hrefOf(f, basis, p.n, range),
      kHref: hrefOf(f, basis, p.k, range),
    };
  });
}

const parseDay = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The part of the month `YYYY-MM` that lies inside `range` (for a month's drill-down). */
export function monthWithin(month: string, range: DateRange): DateRange {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const first = iso(Date.UTC(y, m - 1, 1));
  const last = iso(Date.UTC(y, m, 0));
  return { from: first > range.from ? first : range.from, to: last < range.to ? last : range.to };
}

const monthOf = (column: SQL) =>
  sql`to_char(date_trunc('month', ${column} at time zone 'UTC'), 'YYYY-MM')`;

// ---------------------------------------------------------------- angry → advocate

const ANGRY: SetRef = { set: "angry" };
const ADVOCATE: SetRef = { set: "angry-advocate" };

export interface ConversionTile extends Rate, LeftOut {
  previous: Rate;
}

/** Angry complaints closed in the range whose times were inferred: conversion leaves them out. */
const INFERRED_ANGRY: SetRef = { set: "times-inferred", arg: "angry" };

/**
 * Angry → advocate conversion: advocates ÷ angry among angry complaints CLOSED in the range
 * (basis "closed", PRODUCT.md). Angry and advocate are the shared predicates.
 */
export async function getConversion(f: DashboardFilters): Promise<ConversionTile> {
  const { actor, db } = await executive();
  const [current, previous, [inferred]] = await Promise.all([
    rates(db, actor, f, "closed", [{ n: ANGRY, k: ADVOCATE }]),
    rates(db, actor, f, "closed", [{ n: ANGRY, k: ADVOCATE }], f.previous),
    // The set in the list's own WHERE: a closed basis finds inferred times only for this set.
    queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${complaints} where ${scopeFor(actor, f, { basis: "closed", set: INFERRED_ANGRY.set, extra: { arg: INFERRED_ANGRY.arg } })}`,
    ).then((rows) => [Number(rows[0]?.n ?? 0)]),
  ]);
  return {
    ...current[0]!,
    previous: previous[0]!,
    inferredTimesExcluded: inferred!,
    inferredTimesHref: hrefOf(f, "closed", INFERRED_ANGRY),
  };
}

export interface MonthRate extends Rate {
  month: string;
}

/** Conversion by month of closing (UTC months, clipped to the range for the drill-down). */
export async function getConversionByMonth(f: DashboardFilters): Promise<MonthRate[]> {
  const { actor, db } = await executive();
  const rows = await queryRows<{ month: string; n: number | string; k: number | string }>(
    db,
    sql`select ${monthOf(sql`${complaints.closedAt}`)} as month, count(*) as n,
      count(*) filter (where ${setPredicate(ADVOCATE.set, undefined)}) as k
      from ${complaints} where ${scopeFor(actor, f, { basis: "closed", set: ANGRY.set })}
      group by 1 order by 1`,
  );
  return rows.map((r) => {
    const range = monthWithin(r.month, f.current);
    const n = Number(r.n);
    const k = Number(r.k);
    return {
      month: r.month,
      n,
      k,
      rate: ratio(k, n),
      href: hrefOf(f, "closed", ANGRY, range),
      kHref: hrefOf(f, "closed", ADVOCATE, range),
    };
  });
}

export interface FunnelStep {
  stage: FunnelStage;
  label: string;
  value: number;
  /** Share of the angry complaints that reached this stage. */
  share: number | null;
  href: string;
}

const funnelLabels: Record<FunnelStage, string> = {
  angry: "Angry",
  contacted: "Contacted within the closed-loop window",
  remedied: "Remedied",
  "followed-up": "Followed up",
  advocate: "Advocate",
};

/**
 * The angry → advocate funnel over angry complaints closed in the range. Stages are cumulative:
 * contacted (first response within the policy's closedLoopHours) → and a delivered remedy → and a
 * done follow-up → and advocate. The last stage is therefore ≤ the conversion numerator (an
 * advocate who skipped a stage is not in the funnel's last bar).
 */
export async function getFunnel(f: DashboardFilters): Promise<FunnelStep[]> {
  const { actor, db } = await executive();
  const refs = funnelStages.map((stage) => ({ set: "funnel-stage" as const, arg: stage }));
  const counts = await countSets(db, actor, f, "closed", refs);
  const angry = counts[0] ?? 0;
  return funnelStages.map((stage, i) => ({
    stage,
    label: funnelLabels[stage],
    value: counts[i]!,
    share: ratio(counts[i]!, angry),
    href: hrefOf(f, "closed", refs[i]!),
  }));
}

export interface KeyedRate extends Rate {
  key: string;
  label: string;
}

/**
 * Conversion by remedy kind: angry complaints closed in the range with a DELIVERED remedy of the
 * kind (a complaint with two kinds counts under both). Kinds with no complaints are left out.
 */
export async function getConversionByRemedyKind(f: DashboardFilters): Promise<KeyedRate[]> {
  const { actor, db } = await executive();
  const pairs = remedyKinds.map((kind) => ({
    n: { set: "remedy-kind" as const, arg: setArg(kind, { measure: "angry" }) },
    k: { set: "remedy-kind" as const, arg: setArg(kind, { measure: "advocate" }) },
  }));
  const result = await rates(db, actor, f, "closed", pairs);
  return result
    .map((r, i) => ({ ...r, key: remedyKinds[i]!, label: remedyKindLabel[remedyKinds[i]!] }))
    .filter((r) => r.n > 0);
}

export const ttrLabels: Record<TtrBucket, string> = {
  fast: "Fast (≤ 48 h)",
  slow: "Slow (> 48 h)",
  unresolved: "Not resolved",
};

/** Conversion by time-to-resolution bucket (fast ≤ 48 calendar hours / slow / not resolved). */
export async function getConversionByTtrBucket(f: DashboardFilters): Promise<KeyedRate[]> {
  const { actor, db } = await executive();
  const pairs = ttrBuckets.map((b) => ({
    n: { set: "ttr-bucket" as const, arg: setArg(b, { measure: "angry" }) },
    k: { set: "ttr-bucket" as const, arg: setArg(b, { measure: "advocate" }) },
  }));
  const result = await rates(db, actor, f, "closed", pairs);
  return result.map((r, i) => ({ ...r, key: ttrBuckets[i]!, label: ttrLabels[ttrBuckets[i]!] }));
}

// ---------------------------------------------------------------- retention

export const retentionDays = [30, 90, 180] as const;
export type RetentionDays = (typeof retentionDays)[number];

export interface CustomerRate {
  n: number;
  k: number;
  rate: number | null;
}

export interface RetentionRow {
  days: RetentionDays;
  /** Complaints received in the range with N days passed (n) and retained (k). */
  complainants: Rate;
  /** Customer × reference-date pairs without complaints (no drill-down: they are not complaints). */
  others: CustomerRate;
}

/**
 * Reference dates for customers without complaints: the first day of each UTC month inside the
 * range (at most six: every k-th one when the range holds more); the first day of the month the
 * range starts in when it holds no month start (month starts only, so the customer baseline
 * rollups hold every reference date). Random-free and reproducible.
 */
export function referenceDates(range: DateRange): string[] {
  const out: string[] = [];
  const from = new Date(parseDay(range.from));
  let t = Date.UTC(
    from.getUTCFullYear(),
    from.getUTCMonth() + (from.getUTCDate() === 1 ? 0 : 1),
    1,
  );
  while (iso(t) <= range.to) {
    out.push(iso(t));
    const d = new Date(t);
    t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  if (out.length === 0) return [iso(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1))];
  // At most six reference dates (every k-th month start, from the first), so a long range stays
  // cheap; the comparison group is a steady population, so quarterly samples serve as well.
  const step = Math.ceil(out.length / MAX_REFERENCE_DATES);
  return out.filter((_, i) => i % step === 0);
}
const MAX_REFERENCE_DATES = 6;

/**
 * Retention at N days of customers WITHOUT complaints. Population: for each reference date d
 * (see `referenceDates`), each customer of the org who was active (a purchase or renewal in the
 * 365 days before d) and has no complaint received in [d − 365 days, d + N days]. Retained: a
 * purchase or renewal in (d, d + N days] with no cancellation between d and it — the complainant
 * rule with d in place of "received at". Counted only where d + N days has passed. The complaint
 * dimension filters (team, channel, …) cannot apply to customers without complaints.
 */
export const othersRetentionAll = cache(async function othersRetentionAll(
  db: Db,
  actor: Actor,
  range: DateRange,
): Promise<Record<RetentionDays, CustomerRate>> {
  const refs = referenceDates(range);
  const values = sql.join(
    refs.map((d) => sql`(${`${d}T00:00:00Z`}::timestamptz)`),
    sql`, `,
  );
  // Per (reference date, active customer): their first complaint from d − 365 days on, their first
  // purchase/renewal after d and their first cancellation after d. "A purchase in (d, d + N] with
  // no cancellation before it" ⇔ the first purchase after d is within N days and no cancellation
  // precedes it (a later purchase would have the same cancellation before it).
  const per = (days: number) => {
    const n = sql.raw(`interval '${days} days'`);
    const eligible = sql`t.d + ${n} <= now() and (t.first_complaint is null or t.first_complaint > t.d + ${n})`;
    const kept = sql`t.first_buy <= t.d + ${n} and (t.first_cancel is null or t.first_cancel >= t.first_buy)`;
    return sql`count(*) filter (where ${eligible}) as ${sql.raw(`n${days}`)},
      count(*) filter (where ${eligible} and ${kept}) as ${sql.raw(`k${days}`)}`;
  };
  const [row] = await queryRows<Record<string, string | number>>(
    db,
    sql`select ${sql.join(retentionDays.map(per), sql`, `)} from (
      select r.d,
        (select min(c.received_at) from complaints c where c.org_id = cu.org_id and c.customer_id = cu.id
          and c.received_at >= r.d - interval '365 days') as first_complaint,
        (select min(p.occurred_at) from customer_activities p where p.org_id = cu.org_id and p.customer_id = cu.id
          and p.kind in ('purchase', 'renewal') and p.occurred_at > r.d) as first_buy,
        (select min(x.occurred_at) from customer_activities x where x.org_id = cu.org_id and x.customer_id = cu.id
          and x.kind = 'cancellation' and x.occurred_at > r.d) as first_cancel
      from (values ${values}) as r(d) cross join customers cu
      where cu.org_id = ${actor.orgId}
        and exists (select 1 from customer_activities a where a.org_id = cu.org_id and a.customer_id = cu.id
          and a.kind in ('purchase', 'renewal') and a.occurred_at >= r.d - interval '365 days' and a.occurred_at < r.d)
      offset 0) t`,
  );
  const out = {} as Record<RetentionDays, CustomerRate>;
  for (const days of retentionDays) {
    const total = Number(row?.[`n${days}`] ?? 0);
    const kept = Number(row?.[`k${days}`] ?? 0);
    out[days] = { n: total, k: kept, rate: ratio(kept, total) };
  }
  return out;
});

const retentionRef = (days: number, kind: "e" | "r"): SetRef => ({
  set: "retention",
  arg: setArg("all", { measure: `${kind}${days}` }),
});

/**
 * Retention at 30/90/180 days. Complainants: complaints RECEIVED in the range (basis "received"),
 * each counted once (a customer with two complaints counts twice, once per complaint), counted
 * only once N days have passed since receipt (PRODUCT.md "retained at N days").
 */
export async function getRetention(f: DashboardFilters): Promise<RetentionRow[]> {
  const { actor, db } = await executive();
  const [complainants, others] = await Promise.all([
    rates(
      db,
      actor,
      f,
      "received",
      retentionDays.map((d) => ({ n: retentionRef(d, "e"), k: retentionRef(d, "r") })),
    ),
    othersRetentionAll(db, actor, f.current),
  ]);
  return retentionDays.map((days, i) => ({
    days,
    complainants: complainants[i]!,
    others: others[days],
  }));
}

export interface Retention90Tile {
  complainants: Rate;
  others: CustomerRate;
  previous: { complainants: Rate; others: CustomerRate };
}

/** The headline tile: 90-day retention of complainants vs customers without complaints, with the previous period. */
export async function getRetention90(f: DashboardFilters): Promise<Retention90Tile> {
  const { actor, db } = await executive();
  const pair = [{ n: retentionRef(90, "e"), k: retentionRef(90, "r") }];
  const [cur, prev, oCur, oPrev] = await Promise.all([
    rates(db, actor, f, "received", pair),
    rates(db, actor, f, "received", pair, f.previous),
    othersRetentionAll(db, actor, f.current),
    othersRetentionAll(db, actor, f.previous),
  ]);
  return {
    complainants: cur[0]!,
    others: oCur[90],
    previous: { complainants: prev[0]!, others: oPrev[90] },
  };
}

export interface RecoveryCell extends Rate {
  bucket: TtrBucket;
  group: SeverityGroup;
}

/**
 * Retention by recovery: 90-day retention of complaints received in the range, split by
 * fast (resolved ≤ 48 calendar hours after receipt) / slow (resolved later) / not resolved
 * (resolved_at null) × minor (minor, moderate) / major (major, critical).
 */
export async function getRetentionByRecovery(f: DashboardFilters): Promise<RecoveryCell[]> {
  const { actor, db } = await executive();
  const cells = severityGroups.flatMap((group) => ttrBuckets.map((bucket) => ({ bucket, group })));
  const result = await rates(
    db,
    actor,
    f,
    "received",
    cells.map((c) => ({
      n: { set: "recovery-cell", arg: setArg(`${c.bucket}.${c.group}`, { measure: "e90" }) },
      k: { set: "recovery-cell", arg: setArg(`${c.bucket}.${c.group}`, { measure: "r90" }) },
    })),
  );
  return cells.map((c, i) => ({ ...c, ...result[i]! }));
}

// ---------------------------------------------------------------- cost and ROI

export interface CurrencyCost {
  currency: string;
  /** Sum of delivered remedy costs, minor units of `currency`. */
  costMinor: number;
  /** Complaints with a delivered, costed remedy in the currency. */
  complaints: number;
  href: string;
}

/**
 * Recovery cost: the sum of DELIVERED remedy costs (cost known) on complaints RECEIVED in the
 * range, one total per currency — currencies are never added together. Largest first.
 */
export async function getRecoveryCost(
  f: DashboardFilters,
  range: DateRange = f.current,
): Promise<CurrencyCost[]> {
  const { actor, db } = await executive();
  const rows = await queryRows<{ currency: string; cost: string | number; n: string | number }>(
    db,
    sql`select r.currency as currency, sum(r.cost_minor) as cost, count(distinct ${complaints.id}) as n
      from ${complaints} join remedies r on r.org_id = ${complaints.orgId} and r.complaint_id = ${complaints.id}
        and r.delivered_at is not null and r.cost_minor is not null
      where ${scopeFor(actor, f, { basis: "received", range })}
      group by r.currency order by sum(r.cost_minor) desc, r.currency`,
  );
  return rows.map((r) => ({
    currency: r.currency,
    costMinor: Number(r.cost),
    complaints: Number(r.n),
    href: hrefOf(f, "received", { set: "remedy-currency", arg: r.currency }, range),
  }));
}

export interface RoiFigure {
  currency: string;
  costMinor: number;
  revenueMinor: number;
  /** revenue ÷ cost; null when there is no cost. */
  roi: number | null;
}

export interface RoiMonth extends RoiFigure {
  month: string;
  href: string;
}

export interface RoiResult {
  /** The currency the tile and chart show: the one with the largest number of costed complaints. */
  currency: string | null;
  current: RoiFigure | null;
  previous: RoiFigure | null;
  byCurrency: RoiFigure[];
  byMonth: RoiMonth[];
  /** The complaints whose revenue counts (retained at 90 days). */
  href: string;
  retained: number;
}

/**
 * Recovery ROI = revenue from retained complainants in the 365 days after the complaint ÷
 * recovery cost, per currency (never converted or added across currencies).
 * Choices: both sides are over complaints RECEIVED in the range whose 90 days have passed
 * (`retention` e90), so recent complaints do not count cost without a chance of revenue;
 * "retained" = retained at 90 days; revenue = purchases and renewals in the currency in
 * (received at, received at + 365 days], to date; a customer with two complaints counts
 * once per complaint. Months are UTC months of receipt.
 */
export const getRecoveryRoi = cache(async function getRecoveryRoi(
  f: DashboardFilters,
): Promise<RoiResult> {
  const { actor, db } = await executive();
  const eligible = retentionEligible(90);
  const retained = retainedAt(90);
  const run = async (range: DateRange) => {
    const scope = scopeFor(actor, f, { basis: "received", range });
    const [costs, revenue] = await Promise.all([
      queryRows<{ month: string; currency: string; v: string | number; n: string | number }>(
        db,
        sql`select ${monthOf(sql`${complaints.receivedAt}`)} as month, r.currency as currency,
          sum(r.cost_minor) as v, count(distinct ${complaints.id}) as n
          from ${complaints} join remedies r on r.org_id = ${complaints.orgId} and r.complaint_id = ${complaints.id}
            and r.delivered_at is not null and r.cost_minor is not null
          where ${scope} and ${eligible} group by 1, 2`,
      ),
      queryRows<{ month: string; currency: string; v: string | number }>(
        db,
        sql`select ${monthOf(sql`${complaints.receivedAt}`)} as month, a.currency as currency, sum(a.amount_minor) as v
          from ${complaints} join customer_activities a on a.org_id = ${complaints.orgId} and a.customer_id = ${complaints.customerId}
            and a.kind in ('purchase', 'renewal') and a.occurred_at > ${complaints.receivedAt}
            and a.occurred_at <= ${complaints.receivedAt} + interval '365 days'
          where ${scope} and ${retained} group by 1, 2`,
      ),
    ]);
    return { costs, revenue };
  };
  const [cur, prev, retainedCount] = await Promise.all([
    run(f.current),
    run(f.previous),
    countSets(db, actor, f, "received", [retentionRef(90, "r")]),
  ]);
  const totals = (data: Awaited<ReturnType<typeof run>>) => {
    const by = new Map<string, RoiFigure & { n: number }>();
    const get = (c: string) => {
      let v = by.get(c);
      if (!v) by.set(c, (v = { currency: c, costMinor: 0, revenueMinor: 0, roi: null, n: 0 }));
      return v;
    };
    for (const r of data.costs) {
      const v = get(r.currency);
      v.costMinor += Number(r.v);
      v.n += Number(r.n);
    }
    for (const r of data.revenue) get(r.currency).revenueMinor += Number(r.v);
    for (const v of by.values()) v.roi = v.costMinor > 0 ? v.revenueMinor / v.costMinor : null;
    return by;
  };
  const curTotals = totals(cur);
  const prevTotals = totals(prev);
  const currency =
    [...curTotals.values()].sort((a, b) => b.n - a.n || b.costMinor - a.costMinor)[0]?.currency ??
    [...prevTotals.values()].sort((a, b) => b.n - a.n)[0]?.currency ??
    null;
  const strip = (v: (RoiFigure & { n: number }) | undefined): RoiFigure | null =>
    v
      ? { currency: v.currency, costMinor: v.costMinor, revenueMinor: v.revenueMinor, roi: v.roi }
      : null;
  const months = new Map<string, RoiMonth>();
  if (currency) {
    const month = (m: string) => {
      let v = months.get(m);
      if (!v) {
        months.set(
          m,
          (v = {
            month: m,
            currency,
            costMinor: 0,
            revenueMinor: 0,
            roi: null,
            href: hrefOf(
              f,
              "received",
              { set: "remedy-currency", arg: currency },
              monthWithin(m, f.current),
            ),
          }),
        );
      }
      return v;
    };
    for (const r of cur.costs) if (r.currency === currency) month(r.month).costMinor += Number(r.v);
    for (const r of cur.revenue)
      if (r.currency === currency) month(r.month).revenueMinor += Number(r.v);
    for (const v of months.values()) v.roi = v.costMinor > 0 ? v.revenueMinor / v.costMinor : null;
  }
  return {
    currency,
    current: currency ? strip(curTotals.get(currency)) : null,
    previous: currency ? strip(prevTotals.get(currency)) : null,
    byCurrency: [...curTotals.values()].map((v) => strip(v)!),
    byMonth: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
    href: hrefOf(f, "received", retentionRef(90, "r")),
    retained: retainedCount[0] ?? 0,
  };
});

// ---------------------------------------------------------------- NPS

export interface NpsFigure {
  /** Respondents. */
  n: number;
  promoters: number;
  detractors: number;
  /** % promoters − % detractors, −100…+100; null with no respondents. */
  nps: number | null;
  href: string | null;
}

const npsOf = (n: number, promoters: number, detractors: number) =>
  n > 0 ? (100 * (promoters - detractors)) / n : null;

export interface NpsResult {
  before: NpsFigure;
  after: NpsFigure;
  /** Customers with no complaint received in the range: survey/review scores in the range. */
  noComplaint: NpsFigure;
  previousAfter: NpsFigure;
}

/**
 * NPS before vs after, over complaints RECEIVED in the range: before = intake NPS; after = the
 * outcome NPS, else the latest done follow-up's NPS (`npsAfter`). The recovery paradox compares
 * "after" with the NPS of customers who had no complaint received in the range, from their
 * `survey` / `review` activities with a 0–10 score dated in the range (each scored activity is
 * one response; the dimension filters do not apply to them).
 */
export async function getNps(f: DashboardFilters): Promise<NpsResult> {
  const { actor, db } = await executive();
  const run = async (range: DateRange) => {
    const [row] = await queryRows<Record<string, string | number>>(
      db,
      sql`select count(*) filter (where ${complaints.intakeNps} is not null) as bn,
        count(*) filter (where ${complaints.intakeNps} >= 9) as bp,
        count(*) filter (where ${complaints.intakeNps} <= 6) as bd,
        count(*) filter (where a.nps is not null) as an,
        count(*) filter (where a.nps >= 9) as ap,
        count(*) filter (where a.nps <= 6) as ad
        from ${complaints} cross join lateral (select ${npsAfter} as nps) a
        where ${scopeFor(actor, f, { basis: "received", range })}`,
    );
    const v = (k: string) => Number(row?.[k] ?? 0);
    const before: NpsFigure = {
      n: v("bn"),
      promoters: v("bp"),
      detractors: v("bd"),
      nps: npsOf(v("bn"), v("bp"), v("bd")),
      href: hrefOf(f, "received", { set: "nps-before" }, range),
    };
    const after: NpsFigure = {
      n: v("an"),
      promoters: v("ap"),
      detractors: v("ad"),
      nps: npsOf(v("an"), v("ap"), v("ad")),
      href: hrefOf(f, "received", { set: "nps-after" }, range),
    };
    return { before, after };
  };
  const [cur, prev, noComplaint] = await Promise.all([
    run(f.current),
    run(f.previous),
    noComplaintNps(db, actor, f.current),
  ]);
  return {
    before: cur.before,
    after: cur.after,
    noComplaint,
    previousAfter: prev.after,
  };
}

/**
 * NPS of customers with no complaint received in the range: their `survey` / `review` scores
 * dated in the range (each scored activity is one response; the dimension filters do not apply).
 */
export async function noComplaintNps(db: Db, actor: Actor, range: DateRange): Promise<NpsFigure> {
  const from = sql`${`${range.from}T00:00:00Z`}::timestamptz`;
  const to = sql`(${`${range.to}T00:00:00Z`}::timestamptz + interval '1 day')`;
  const [o] = await queryRows<{ n: string | number; p: string | number; d: string | number }>(
    db,
    sql`select count(*) as n, count(*) filter (where a.score >= 9) as p, count(*) filter (where a.score <= 6) as d
      from customer_activities a
      where a.org_id = ${actor.orgId} and a.kind in ('survey', 'review') and a.score is not null
        and a.occurred_at >= ${from} and a.occurred_at < ${to}
        and a.customer_id not in (select c.customer_id from complaints c where c.org_id = ${actor.orgId}
          and c.received_at >= ${from} and c.received_at < ${to})`,
  );
  const on = Number(o?.n ?? 0);
  const op = Number(o?.p ?? 0);
  const od = Number(o?.d ?? 0);
  return { n: on, promoters: op, detractors: od, nps: npsOf(on, op, od), href: null };
}
