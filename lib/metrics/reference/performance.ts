/**
 * Manager dashboard metrics (PRODUCT.md "Metric definitions"): are we keeping up, and where are
 * we slipping? Each function authorises itself (`dashboard:manager`), aggregates in SQL, counts
 * its complaints with `scopeFor` and returns each figure with the `href` of the complaints list
 * behind it (same filters, same set), so the list's count equals the figure.
 *
 * Durations are in hours. Calendar hours are `extract(epoch …) / 3600`. Business hours are
 * computed in SQL by `businessHoursSql` (below): the working windows of every local day between
 * the two instants, in the default SLA policy's time zone, on its working days, minus its
 * holidays — the same arithmetic as lib/business-hours.ts `businessHoursBetween`.
 */
import "server-only";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { getDatabase, queryRows } from "@/db";
import { complaints, playbookSteps, users } from "@/db/schema";
import { requirePermission, type Actor } from "@/lib/auth/guard";
import { drillHref, scopeFor, type DashboardFilters, type DateRange } from "../filters";
import { businessHoursSql, policyTime, type PolicyTime } from "../business-hours-sql";
import { advocate, requiredStepsDone } from "../predicates";
import { setPredicate, type DateBasis, type DrillSet } from "../sets";
import { ageBuckets, ttrBuckets } from "../sets-performance";

const HOURS = (end: SQL) =>
  sql`(extract(epoch from (${end} - ${complaints.receivedAt})) / 3600.0)::float8`;

const num = (v: unknown): number | null => (v == null ? null : Number(v));
const int = (v: unknown): number => Number(v ?? 0);
/** A ratio, or null when the denominator is 0 (never NaN). */
const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

const db = async () => (await getDatabase()).db;

async function run<T extends Record<string, unknown>>(query: SQL): Promise<T[]> {
  const { db } = await getDatabase();
  return queryRows<T>(db, query);
}

// ---------------------------------------------------------------- shared shapes

export interface DurationStats {
  /** Complaints measured. */
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
  medianBusinessHours: number | null;
  p90BusinessHours: number | null;
}

export interface DurationFigure extends LeftOut {
  current: DurationStats;
  previous: DurationStats;
  /** The complaints measured in the current period. */
  href: string;
}

export interface RateStats {
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator, null when there is nothing to divide. */
  rate: number | null;
}

export interface RateFigure {
  current: RateStats;
  previous: RateStats;
  /** The complaints in the numerator (current period). */
  href: string;
  /** The complaints in the denominator (current period). */
  denominatorHref: string;
}

/** A rate over times (SLA met, promise kept): it leaves out complaints whose times were inferred. */
export type TimedRateFigure = RateFigure & LeftOut;

export interface CountFigure {
  current: number;
  previous: number;
  href: string;
}

/**
 * What a time-based figure leaves out: complaints of its period whose resolved/closed times were
 * completed by rule (imports; lib/metrics/predicates.ts `timesInferred`), current period — the
 * previous period's figure leaves its own out the same way.
 */
export interface LeftOut {
  inferredTimesExcluded: number;
  /** Those complaints (the `times-inferred` set on the figure's basis). */
  inferredTimesHref: string;
}

/** The drill-down of `LeftOut` on a basis (`angry`: only the angry ones). */
export function leftOutHref(f: DashboardFilters, basis: DateBasis, angryOnly = false): string {
  return drillHref(f, {
    basis,
    set: "times-inferred",
    ...(angryOnly ? { extra: { arg: "angry" } } : {}),
  });
}

/** `LeftOut` from the raw rows: the `times-inferred` set on the basis, current period. */
async function leftOut(
  actor: Actor,
  f: DashboardFilters,
  basis: DateBasis,
  angryOnly = false,
): Promise<LeftOut> {
  const extra = angryOnly ? { extra: { arg: "angry" } } : {};
  return {
    inferredTimesExcluded: await countOf(
      scopeFor(actor, f, { basis, set: "times-inferred", ...extra }),
    ),
    inferredTimesHref: leftOutHref(f, basis, angryOnly),
  };
}

/** Median and p90 of a duration from receipt to `end`, calendar and business hours. */
async function durationStats(
  actor: Actor,
  policy: PolicyTime | null,
  end: SQL,
  where: SQL,
): Promise<DurationStats> {
  const bh = businessHoursSql(actor.orgId, policy, sql`${complaints.receivedAt}`, end);
  const [row] = await run<Record<string, unknown>>(sql`
    select count(*)::int as n,
      percentile_cont(0.5) within group (order by t.h) as median,
      percentile_cont(0.9) within group (order by t.h) as p90,
      percentile_cont(0.5) within group (order by t.bh) as bmedian,
      percentile_cont(0.9) within group (order by t.bh) as bp90
    from (select ${HOURS(end)} as h, ${bh} as bh from ${complaints} where ${where}) t`);
  return {
    count: int(row?.n),
    medianHours: num(row?.median),
    p90Hours: num(row?.p90),
    medianBusinessHours: num(row?.bmedian),
    p90BusinessHours: num(row?.bp90),
  };
}

/** Complaints counted by two scopes in one pass (both are full list WHEREs). */
async function rateStats(numerator: SQL, denominator: SQL): Promise<RateStats> {
  const [row] = await run<Record<string, unknown>>(sql`
    select count(*) filter (where ${numerator})::int as n, count(*) filter (where ${denominator})::int as d
    from ${complaints} where (${numerator}) or (${denominator})`);
  const n = int(row?.n);
  const d = int(row?.d);
  return { numerator: n, denominator: d, rate: ratio(n, d) };
}

async function countOf(where: SQL): Promise<number> {
  const [row] = await run<{ n: unknown }>(
    sql`select count(*)::int as n from ${complaints} where ${where}`,
  );
  return int(row?.n);
}

function rateFigure(
  actor: Actor,
  f: DashboardFilters,
  basis: DateBasis,
  numeratorSet: DrillSet,
  denominatorSet: DrillSet,
): Promise<RateFigure> {
  const at = (range: DateRange) =>
    rateStats(
      scopeFor(actor, f, { range, basis, set: numeratorSet }),
      scopeFor(actor, f, { range, basis, set: denominatorSet }),
    );
  return Promise.all([at(f.current), at(f.previous)]).then(([current, previous]) => ({
    current,
    previous,
    href: drillHref(f, { basis, set: numeratorSet }),
    denominatorHref: drillHref(f, { basis, set: denominatorSet }),
  }));
}

/** No date range: the figure is a snapshot of now (open, overdue, backlog). */
const allTime = { from: undefined, to: undefined };

// ---------------------------------------------------------------- open and overdue

/**
 * Open complaints (status new or in progress) now — a snapshot, whatever the period; the
 * dimension filters apply. Previous: open at the end of the previous period, reconstructed from
 * received/resolved/closed timestamps (set `perf-open-at`).
 */
export async function openComplaints(f: DashboardFilters): Promise<CountFigure> {
  const actor = await requirePermission("dashboard:manager");
  const [current, previous] = await Promise.all([
    countOf(scopeFor(actor, f, { set: "open", extra: allTime })),
    countOf(scopeFor(actor, f, { set: "perf-open-at", extra: { ...allTime, arg: f.previous.to } })),
  ]);
  return { current, previous, href: drillHref(f, { set: "open", extra: allTime }) };
}

/**
 * Overdue: open now and past the SLA due at (set `overdue`). Previous: open and past due at the
 * end of the previous period (set `perf-overdue-at`).
 */
export async function overdueComplaints(f: DashboardFilters): Promise<CountFigure> {
  const actor = await requirePermission("dashboard:manager");
  const [current, previous] = await Promise.all([
    countOf(scopeFor(actor, f, { set: "overdue", extra: allTime })),
    countOf(
      scopeFor(actor, f, { set: "perf-overdue-at", extra: { ...allTime, arg: f.previous.to } }),
    ),
  ]);
  return { current, previous, href: drillHref(f, { set: "overdue", extra: allTime }) };
}

export interface BacklogBucket {
  key: string;
  label: string;
  /** Open complaints of this age. */
  open: number;
  /** …of which past their SLA due. */
  overdue: number;
  /** …of which not past it (or without an SLA). */
  onTrack: number;
  href: string;
  overdueHref: string;
  onTrackHref: string;
}

/** Open complaints now by age (now − received at, calendar days), split overdue / on track. */
export async function backlogByAge(f: DashboardFilters): Promise<BacklogBucket[]> {
  const actor = await requirePermission("dashboard:manager");
  const scope = (arg: string) =>
    scopeFor(actor, f, { set: "perf-age", extra: { ...allTime, arg } });
  const fields = ageBuckets.flatMap((b, i) => [
    sql`count(*) filter (where ${scope(b.key)})::int as ${sql.raw(`a${i}`)}`,
    sql`count(*) filter (where ${scope(`${b.key}:overdue`)})::int as ${sql.raw(`o${i}`)}`,
    sql`count(*) filter (where ${scope(`${b.key}:ontrack`)})::int as ${sql.raw(`t${i}`)}`,
  ]);
  const [row] = await run<Record<string, unknown>>(
    sql`select ${sql.join(fields, sql`, `)} from ${complaints} where ${scopeFor(actor, f, { set: "open", extra: allTime })}`,
  );
  const href = (arg: string) => drillHref(f, { set: "perf-age", extra: { ...allTime, arg } });
  return ageBuckets.map((b, i) => ({
    key: b.key,
    label: b.label,
    open: int(row?.[`a${i}`]),
    overdue: int(row?.[`o${i}`]),
    onTrack: int(row?.[`t${i}`]),
    href: href(b.key),
    overdueHref: href(`${b.key}:overdue`),
    onTrackHref: href(`${b.key}:ontrack`),
  }));
}

// ---------------------------------------------------------------- response and resolution times

export interface FirstResponseFigure extends DurationFigure {
  /** Received in the period without a first response yet (not in the percentiles). */
  awaiting: { current: number; href: string };
}

/**
 * First response time: first response at − received at, calendar and business hours, median and
 * p90. Choice: over complaints received in the period that have a first response; those still
 * waiting are left out of the percentiles and counted in `awaiting`.
 */
export async function firstResponseTime(f: DashboardFilters): Promise<FirstResponseFigure> {
  const actor = await requirePermission("dashboard:manager");
  const policy = await policyTime(await db(), actor.orgId);
  const end = sql`${complaints.firstResponseAt}`;
  const at = (range: DateRange) =>
    durationStats(actor, policy, end, scopeFor(actor, f, { range, set: "perf-responded" }));
  const [current, previous, awaiting, left] = await Promise.all([
    at(f.current),
    at(f.previous),
    countOf(scopeFor(actor, f, { set: "perf-awaiting-response" })),
    leftOut(actor, f, "received"),
  ]);
  return {
    current,
    previous,
    href: drillHref(f, { set: "perf-responded" }),
    awaiting: { current: awaiting, href: drillHref(f, { set: "perf-awaiting-response" }) },
    ...left,
  };
}

/**
 * Time to resolution: resolved at − received at over complaints resolved in the period (date
 * basis `resolved`), calendar and business hours, median and p90. Open complaints show their age
 * instead (`backlogByAge`).
 */
export async function timeToResolution(f: DashboardFilters): Promise<DurationFigure> {
  const actor = await requirePermission("dashboard:manager");
  const policy = await policyTime(await db(), actor.orgId);
  const end = sql`${complaints.resolvedAt}`;
  const at = (range: DateRange) =>
    durationStats(
      actor,
      policy,
      end,
      scopeFor(actor, f, { range, basis: "resolved", set: "resolved" }),
    );
  const [current, previous, left] = await Promise.all([
    at(f.current),
    at(f.previous),
    leftOut(actor, f, "resolved"),
  ]);
  return {
    current,
    previous,
    href: drillHref(f, { basis: "resolved", set: "resolved" }),
    ...left,
  };
}

export interface TtrWeek {
  /** Monday of the ISO week (UTC), YYYY-MM-DD. */
  week: string;
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
  medianBusinessHours: number | null;
  p90BusinessHours: number | null;
  href: string;
}

const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);

/**
 * Weekly time to resolution: complaints resolved in the period, by the ISO week (Monday, UTC) of
 * their resolution; median and p90, calendar and business hours. Weeks cut by the period's ends
 * cover only their days inside it (and their drill-down lists exactly those days).
 */
export async function ttrTrend(f: DashboardFilters): Promise<TtrWeek[]> {
  const actor = await requirePermission("dashboard:manager");
  const policy = await policyTime(await db(), actor.orgId);
  const end = sql`${complaints.resolvedAt}`;
  const bh = businessHoursSql(actor.orgId, policy, sql`${complaints.receivedAt}`, end);
  const rows = await run<Record<string, unknown>>(sql`
    select t.week, count(*)::int as n,
      percentile_cont(0.5) within group (order by t.h) as median,
      percentile_cont(0.9) within group (order by t.h) as p90,
      percentile_cont(0.5) within group (order by t.bh) as bmedian,
      percentile_cont(0.9) within group (order by t.bh) as bp90
    from (select to_char(date_trunc('week', ${complaints.resolvedAt} at time zone 'UTC'), 'YYYY-MM-DD') as week,
            ${HOURS(end)} as h, ${bh} as bh
          from ${complaints} where ${scopeFor(actor, f, { basis: "resolved", set: "resolved" })}) t
    group by t.week order by t.week`);
  const byWeek = new Map(rows.map((r) => [String(r.week), r]));
  // Every week of the period, empty ones included, so the line shows gaps honestly.
  const weeks: TtrWeek[] = [];
  const first = dayMs(f.current.from);
  const monday = first - ((new Date(first).getUTCDay() + 6) % 7) * DAY;
  for (let w = monday; w <= dayMs(f.current.to); w += 7 * DAY) {
    const week = isoDay(w);
    const r = byWeek.get(week);
    const range = {
      from: isoDay(Math.max(w, first)),
      to: isoDay(Math.min(w + 6 * DAY, dayMs(f.current.to))),
    };
    weeks.push({
      week,
      count: int(r?.n),
      medianHours: num(r?.median),
      p90Hours: num(r?.p90),
      medianBusinessHours: num(r?.bmedian),
      p90BusinessHours: num(r?.bp90),
      href: drillHref(f, { range, basis: "resolved", set: "resolved" }),
    });
  }
  return weeks;
}

export interface HistogramBin {
  key: string;
  label: string;
  count: number;
  href: string;
}

/** Complaints resolved in the period by calendar time to resolution (buckets in sets-performance.ts). */
export async function ttrHistogram(f: DashboardFilters): Promise<HistogramBin[]> {
  const actor = await requirePermission("dashboard:manager");
  const scope = (arg: string) =>
    scopeFor(actor, f, { basis: "resolved", set: "perf-ttr", extra: { arg } });
  const fields = ttrBuckets.map(
    (b, i) => sql`count(*) filter (where ${scope(b.key)})::int as ${sql.raw(`b${i}`)}`,
  );
  const [row] = await run<Record<string, unknown>>(
    sql`select ${sql.join(fields, sql`, `)} from ${complaints} where ${scopeFor(actor, f, { basis: "resolved", set: "resolved" })}`,
  );
  return ttrBuckets.map((b, i) => ({
    key: b.key,
    label: b.label,
    count: int(row?.[`b${i}`]),
    href: drillHref(f, { basis: "resolved", set: "perf-ttr", extra: { arg: b.key } }),
  }));
}

// ---------------------------------------------------------------- rates

/** SLA met: resolved at ≤ SLA due at, over complaints resolved in the period that have an SLA due. */
export async function slaMet(f: DashboardFilters): Promise<TimedRateFigure> {
  const actor = await requirePermission("dashboard:manager");
  const [rate, left] = await Promise.all([
    rateFigure(actor, f, "resolved", "sla-met", "sla-counted"),
    leftOut(actor, f, "resolved"),
  ]);
  return { ...rate, ...left };
}

/** Promise kept: resolved at ≤ promised by, over complaints resolved in the period with a promise. */
export async function promiseKept(f: DashboardFilters): Promise<TimedRateFigure> {
  const actor = await requirePermission("dashboard:manager");
  const [rate, left] = await Promise.all([
    rateFigure(actor, f, "resolved", "promise-kept", "promise-made"),
    leftOut(actor, f, "resolved"),
  ]);
  return { ...rate, ...left };
}

/**
 * Reopen rate: complaints reopened after resolution ÷ complaints resolved. Choice: over
 * complaints received in the period (a reopened complaint loses its resolved at, so a
 * resolved-date basis would miss the very complaints it counts): reopened at least once ÷
 * resolved at least once (resolved now, or reopened).
 */
export async function reopenRate(f: DashboardFilters): Promise<RateFigure> {
  const actor = await requirePermission("dashboard:manager");
  return rateFigure(actor, f, "received", "reopened", "perf-ever-resolved");
}

export interface ClosedLoopFigure extends RateFigure, LeftOut {
  /** The policy's window in hours. */
  windowHours: number;
  /** Median calendar (and business) hours to the first contact, over angry complaints contacted. */
  timeToContact: DurationStats;
  previousTimeToContact: DurationStats;
  timeToContactHref: string;
}

/**
 * Closed-loop rate: angry complaints received in the period with a first contact (first
 * response) within the policy's `closedLoopHours` calendar hours of receipt ÷ angry complaints
 * received in the period. Choice: angry complaints still inside their window and not yet
 * contacted count in the denominator (they are not yet a closed loop). Also the median time to
 * contact over the angry complaints that were contacted.
 */
export async function closedLoop(f: DashboardFilters): Promise<ClosedLoopFigure> {
  const actor = await requirePermission("dashboard:manager");
  const policy = await policyTime(await db(), actor.orgId);
  const end = sql`${complaints.firstResponseAt}`;
  const contact = (range: DateRange) =>
    durationStats(actor, policy, end, scopeFor(actor, f, { range, set: "perf-angry-contacted" }));
  const [rate, timeToContact, previousTimeToContact, left] = await Promise.all([
    rateFigure(actor, f, "received", "perf-closed-loop", "perf-angry-timed"),
    contact(f.current),
    contact(f.previous),
    leftOut(actor, f, "received", true),
  ]);
  return {
    ...rate,
    ...left,
    windowHours: policy?.closedLoopHours ?? 48,
    timeToContact,
    previousTimeToContact,
    timeToContactHref: drillHref(f, { set: "perf-angry-contacted" }),
  };
}

// ---------------------------------------------------------------- playbook adherence

export interface AdherenceStats {
  /** Complaints measured (resolved in the period). */
  complaints: number;
  /** Required, active playbook steps. */
  requiredSteps: number;
  /** Required steps done, summed over the complaints. */
  stepsDone: number;
  /** stepsDone ÷ (complaints × requiredSteps). */
  stepShare: number | null;
  /** Complaints with every required step done. */
  complete: number;
  /** complete ÷ complaints. */
  completeShare: number | null;
}

export interface AdherenceFigure extends LeftOut {
  current: AdherenceStats;
  previous: AdherenceStats;
  /** The complaints measured. */
  href: string;
  /** The complaints with every required step. */
  completeHref: string;
}

async function adherenceStats(actor: Actor, f: DashboardFilters, range: DateRange) {
  const measured = scopeFor(actor, f, { range, basis: "resolved", set: "resolved" });
  const complete = scopeFor(actor, f, { range, basis: "resolved", set: "perf-all-steps" });
  const [row] = await run<Record<string, unknown>>(sql`
    select count(*)::int as n, coalesce(sum(${requiredStepsDone}), 0)::int as done,
      count(*) filter (where ${complete})::int as complete,
      (select count(*)::int from playbook_steps ps where ps.org_id = ${actor.orgId}::uuid and ps.required and ps.active) as required
    from ${complaints} where ${measured}`);
  const n = int(row?.n);
  const required = int(row?.required);
  const done = int(row?.done);
  const full = int(row?.complete);
  return {
    complaints: n,
    requiredSteps: required,
    stepsDone: done,
    stepShare: ratio(done, n * required),
    complete: full,
    completeShare: required > 0 ? ratio(full, n) : null,
  };
}

/**
 * Playbook adherence: share of required steps done, and share of complaints with every required
 * step. Choices: over complaints resolved in the period (open ones are still in progress);
 * "required" means required and active in the playbook now; optional steps never count.
 */
export async function playbookAdherence(f: DashboardFilters): Promise<AdherenceFigure> {
  const actor = await requirePermission("dashboard:manager");
  const [current, previous, left] = await Promise.all([
    adherenceStats(actor, f, f.current),
    adherenceStats(actor, f, f.previous),
    leftOut(actor, f, "resolved"),
  ]);
  return {
    ...left,
    current,
    previous,
    href: drillHref(f, { basis: "resolved", set: "resolved" }),
    completeHref: drillHref(f, { basis: "resolved", set: "perf-all-steps" }),
  };
}

export interface StepAdherence {
  stepId: string;
  key: string;
  name: string;
  required: boolean;
  /** Complaints resolved in the period with the step done. */
  done: number;
  /** Complaints resolved in the period. */
  complaints: number;
  share: number | null;
  href: string;
}

/** Adherence by playbook step (active steps, in playbook order), over complaints resolved in the period. */
export async function adherenceBySteps(f: DashboardFilters): Promise<StepAdherence[]> {
  const actor = await requirePermission("dashboard:manager");
  const { db } = await getDatabase();
  const steps = await db
    .select({
      id: playbookSteps.id,
      key: playbookSteps.key,
      name: playbookSteps.name,
      required: playbookSteps.required,
    })
    .from(playbookSteps)
    .where(and(eq(playbookSteps.orgId, actor.orgId), eq(playbookSteps.active, true)))
    .orderBy(asc(playbookSteps.position));
  const measured = scopeFor(actor, f, { basis: "resolved", set: "resolved" });
  const scope = (id: string) =>
    scopeFor(actor, f, { basis: "resolved", set: "perf-step", extra: { arg: id } });
  const fields = [
    sql`count(*)::int as n`,
    ...steps.map((s, i) => sql`count(*) filter (where ${scope(s.id)})::int as ${sql.raw(`s${i}`)}`),
  ];
  const [row] = await run<Record<string, unknown>>(
    sql`select ${sql.join(fields, sql`, `)} from ${complaints} where ${measured}`,
  );
  const n = int(row?.n);
  return steps.map((s, i) => {
    const done = int(row?.[`s${i}`]);
    return {
      stepId: s.id,
      key: s.key,
      name: s.name,
      required: s.required,
      done,
      complaints: n,
      share: ratio(done, n),
      href: drillHref(f, { basis: "resolved", set: "perf-step", extra: { arg: s.id } }),
    };
  });
}

// ---------------------------------------------------------------- remedy cost

export interface CurrencyCost {
  currency: string;
  /** Sum of delivered remedy costs, minor units of `currency`. */
  costMinor: number;
  previousCostMinor: number;
  /** Complaints with a costed remedy delivered in the period in this currency. */
  complaints: number;
  href: string;
}

export interface RemedyCostFigure {
  /** One entry per currency, largest first; amounts are never added across currencies. */
  byCurrency: CurrencyCost[];
  /** All complaints with a costed remedy delivered in the period. */
  complaints: number;
  href: string;
}

/**
 * Recovery (remedy) cost: the sum of delivered remedy costs, per currency (never converted or
 * added across currencies). Choices: remedies delivered in the period (by delivered at, UTC),
 * on complaints matching the dimension filters whenever received; remedies of unknown cost are
 * left out.
 */
export async function remedyCost(f: DashboardFilters): Promise<RemedyCostFigure> {
  const actor = await requirePermission("dashboard:manager");
  const arg = (range: DateRange, currency?: string) =>
    `${range.from}..${range.to}${currency ? `..${currency}` : ""}`;
  const at = (range: DateRange) => {
    const start = `${range.from}T00:00:00.000Z`;
    const end = new Date(dayMs(range.to) + DAY).toISOString();
    return run<Record<string, unknown>>(sql`
      select r.currency, sum(r.cost_minor)::text as cost, count(distinct r.complaint_id)::int as n
      from remedies r join ${complaints} on ${complaints.orgId} = r.org_id and ${complaints.id} = r.complaint_id
      where ${scopeFor(actor, f, { set: "perf-remedy-cost", extra: { ...allTime, arg: arg(range) } })}
        and r.delivered_at >= ${start}::timestamptz and r.delivered_at < ${end}::timestamptz and r.cost_minor is not null
      group by r.currency`);
  };
  const [current, previous, total] = await Promise.all([
    at(f.current),
    at(f.previous),
    countOf(
      scopeFor(actor, f, { set: "perf-remedy-cost", extra: { ...allTime, arg: arg(f.current) } }),
    ),
  ]);
  return remedyCostFigure(
    f,
    current.map((r) => ({ currency: String(r.currency), cost: r.cost, n: int(r.n) })),
    previous.map((r) => ({ currency: String(r.currency), cost: r.cost })),
    total,
  );
}

/**
 * The recovery-cost figure from per-currency sums of the current and previous period (cost in
 * minor units, `n` complaints) and the current period's complaints in any currency; each
 * currency's drill-down names it. Shared by the rollup and the reference implementations.
 */
export function remedyCostFigure(
  f: DashboardFilters,
  current: { currency: string; cost: unknown; n: number }[],
  previous: { currency: string; cost: unknown }[],
  total: number,
): RemedyCostFigure {
  const arg = (range: DateRange, currency?: string) =>
    `${range.from}..${range.to}${currency ? `..${currency}` : ""}`;
  const prev = new Map(previous.map((r) => [r.currency, Number(r.cost)]));
  const cur = new Map(current.map((r) => [r.currency, r]));
  const currencies = new Set([...cur.keys(), ...prev.keys()]);
  const byCurrency = [...currencies]
    .map((currency) => ({
      currency,
      costMinor: Number(cur.get(currency)?.cost ?? 0),
      previousCostMinor: prev.get(currency) ?? 0,
      complaints: cur.get(currency)?.n ?? 0,
      href: drillHref(f, {
        set: "perf-remedy-cost",
        extra: { ...allTime, arg: arg(f.current, currency) },
      }),
    }))
    .sort((a, b) => b.costMinor - a.costMinor || a.currency.localeCompare(b.currency));
  return {
    byCurrency,
    complaints: total,
    href: drillHref(f, { set: "perf-remedy-cost", extra: { ...allTime, arg: arg(f.current) } }),
  };
}

// ---------------------------------------------------------------- per agent

export interface AgentRow {
  /** The owner's user id, or "none" for unassigned complaints. */
  ownerId: string;
  name: string;
  /** Complaints received in the period. */
  volume: number;
  volumeHref: string;
  /** Complaints resolved in the period, and their median calendar hours to resolution. */
  resolved: number;
  medianResolutionHours: number | null;
  resolvedHref: string;
  /** SLA met ÷ resolved with an SLA, over complaints resolved in the period. */
  slaMet: number;
  slaCounted: number;
  slaRate: number | null;
  slaHref: string;
  /** Share of required steps done over complaints resolved in the period. */
  adherence: number | null;
  /** Angry complaints closed in the period that became advocates ÷ angry complaints closed. */
  angryClosed: number;
  advocates: number;
  conversion: number | null;
  conversionHref: string;
}

/**
 * The per-agent table: for each owner (and "unassigned"), volume (received in the period),
 * median time to resolution and SLA met % (resolved in the period), playbook adherence (share of
 * required steps done, resolved in the period) and angry→advocate conversion (among angry
 * complaints closed in the period). Rows sorted by volume; the page may re-sort.
 */
export async function agentTable(f: DashboardFilters): Promise<AgentRow[]> {
  const actor = await requirePermission("dashboard:manager");
  const { db } = await getDatabase();
  const owner = sql`coalesce(${complaints.ownerId}::text, 'none')`;
  const [received, resolved, closed, people, required] = await Promise.all([
    run<Record<string, unknown>>(
      sql`select ${owner} as owner, count(*)::int as n from ${complaints} where ${scopeFor(actor, f)} group by 1`,
    ),
    run<Record<string, unknown>>(sql`
      select ${owner} as owner, count(*)::int as n,
        percentile_cont(0.5) within group (order by ${HOURS(sql`${complaints.resolvedAt}`)}) as median,
        count(*) filter (where ${setPredicate("sla-met", undefined)})::int as met,
        count(*) filter (where ${setPredicate("sla-counted", undefined)})::int as counted,
        coalesce(sum(${requiredStepsDone}), 0)::int as done
      from ${complaints} where ${scopeFor(actor, f, { basis: "resolved", set: "resolved" })} group by 1`),
    run<Record<string, unknown>>(sql`
      select ${owner} as owner, count(*)::int as n, count(*) filter (where ${advocate})::int as adv
      from ${complaints} where ${scopeFor(actor, f, { basis: "closed", set: "angry" })} group by 1`),
    db.select({ id: users.id, name: users.name }).from(users).where(eq(users.orgId, actor.orgId)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(playbookSteps)
      .where(
        and(
          eq(playbookSteps.orgId, actor.orgId),
          eq(playbookSteps.required, true),
          eq(playbookSteps.active, true),
        ),
      ),
  ]);
  const requiredSteps = int(required[0]?.n);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const rec = new Map(received.map((r) => [String(r.owner), r]));
  const res = new Map(resolved.map((r) => [String(r.owner), r]));
  const clo = new Map(closed.map((r) => [String(r.owner), r]));
  const owners = new Set([...rec.keys(), ...res.keys(), ...clo.keys()]);
  return [...owners]
    .map((ownerId): AgentRow => {
      const extra = { owner: ownerId };
      const r = res.get(ownerId);
      const c = clo.get(ownerId);
      const resolvedN = int(r?.n);
      const met = int(r?.met);
      const counted = int(r?.counted);
      const angryClosed = int(c?.n);
      const advocates = int(c?.adv);
      return {
        ownerId,
        name: ownerId === "none" ? "Unassigned" : (names.get(ownerId) ?? "Unknown user"),
        volume: int(rec.get(ownerId)?.n),
        volumeHref: drillHref(f, { extra }),
        resolved: resolvedN,
        medianResolutionHours: num(r?.median),
        resolvedHref: drillHref(f, { basis: "resolved", set: "resolved", extra }),
        slaMet: met,
        slaCounted: counted,
        slaRate: ratio(met, counted),
        slaHref: drillHref(f, { basis: "resolved", set: "sla-met", extra }),
        adherence: ratio(int(r?.done), resolvedN * requiredSteps),
        angryClosed,
        advocates,
        conversion: ratio(advocates, angryClosed),
        conversionHref: drillHref(f, { basis: "closed", set: "angry-advocate", extra }),
      };
    })
    .sort((a, b) => b.volume - a.volume || a.name.localeCompare(b.name));
}

// ---------------------------------------------------------------- throughput

export interface ThroughputFigure {
  received: CountFigure;
  resolved: CountFigure & LeftOut;
}

/**
 * Are we keeping up? Complaints received in the period vs complaints resolved in the period
 * (whenever received). More resolved than received means the backlog shrinks.
 */
export async function throughput(f: DashboardFilters): Promise<ThroughputFigure> {
  const actor = await requirePermission("dashboard:manager");
  const resolvedIn = (range: DateRange) =>
    countOf(scopeFor(actor, f, { range, basis: "resolved", set: "resolved" }));
  const [rc, rp, sc, sp, left] = await Promise.all([
    countOf(scopeFor(actor, f)),
    countOf(scopeFor(actor, f, { range: f.previous })),
    resolvedIn(f.current),
    resolvedIn(f.previous),
    leftOut(actor, f, "resolved"),
  ]);
  return {
    received: { current: rc, previous: rp, href: drillHref(f) },
    resolved: {
      current: sc,
      previous: sp,
      href: drillHref(f, { basis: "resolved", set: "resolved" }),
      ...left,
    },
  };
}
