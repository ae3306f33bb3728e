/**
 * Manager dashboard metrics (PRODUCT.md "Metric definitions"): are we keeping up, and where are
 * we slipping? Each function authorises itself (`dashboard:manager`) and reads the rollups (or
 * the complaint facts when two or more dimensions are filtered: lib/rollups/read.ts), and returns
 * each figure with the `href` of the complaints list behind it (same filters, same set), so the
 * list's count equals the figure. lib/metrics/reference/performance.ts computes every figure from
 * the raw rows; the tests hold the two equal.
 *
 * Durations are in hours, calendar and business (the default SLA policy's working hours and
 * holidays), decided per complaint when its facts are computed.
 */
import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDatabase, queryRows } from "@/db";
import { playbookSteps, users } from "@/db/schema";
import { requirePermission, type Actor } from "@/lib/auth/guard";
import {
  factsWhere,
  figureScope,
  inferredTimesExcluded,
  openAtEndOf,
  overdueAtEndOf,
  percentiles,
  percentilesBy,
  sums,
  sumsBy,
  type FigureScope,
  textArray,
  type Percentiles,
} from "@/lib/rollups/read";
import type { RollupBasis } from "@/lib/rollups/measures";
import {
  ALL_FACTS,
  factFactorCounts,
  factFactors,
  factorSums,
  hasFactorSlice,
} from "@/lib/rollups/read-factors";
import { policyTime } from "./business-hours-sql";
import { drillHref, scopeFor, type DashboardFilters, type DateRange } from "./filters";
import type {
  BacklogBucket,
  CountFigure,
  RemedyCostFigure,
  AdherenceFigure,
  AdherenceStats,
  AgentRow,
  ClosedLoopFigure,
  DurationFigure,
  DurationStats,
  FirstResponseFigure,
  HistogramBin,
  LeftOut,
  RateFigure,
  StepAdherence,
  ThroughputFigure,
  TimedRateFigure,
  TtrWeek,
} from "./reference/performance";
import { leftOutHref, remedyCostFigure } from "./reference/performance";
import { ageBucketIndex, ageBuckets, overdueNow, ttrBuckets } from "./sets-performance";

export type {
  AdherenceFigure,
  AdherenceStats,
  AgentRow,
  BacklogBucket,
  ClosedLoopFigure,
  CountFigure,
  CurrencyCost,
  DurationFigure,
  DurationStats,
  FirstResponseFigure,
  HistogramBin,
  LeftOut,
  RateFigure,
  RateStats,
  RemedyCostFigure,
  StepAdherence,
  ThroughputFigure,
  TimedRateFigure,
  TtrWeek,
} from "./reference/performance";

/** A ratio, or null when the denominator is 0 (never NaN). */
const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

const durations = (p: Percentiles): DurationStats => ({
  count: p.count,
  medianHours: p.median,
  p90Hours: p.p90,
  medianBusinessHours: p.businessMedian,
  p90BusinessHours: p.businessP90,
});

/**
 * What a time-based figure on `basis` leaves out in the current period: complaints whose times
 * were inferred (the rollups' "left out" bases), all of them or only the angry ones.
 */
async function leftOut(
  scope: FigureScope,
  f: DashboardFilters,
  basis: RollupBasis,
  angryOnly = false,
): Promise<LeftOut> {
  return {
    inferredTimesExcluded: await inferredTimesExcluded(
      scope,
      basis,
      f.current,
      angryOnly ? "angry" : "complaints",
    ),
    inferredTimesHref: leftOutHref(f, basis, angryOnly),
  };
}

/**
 * How many complaints whose times were inferred the figures on `basis` leave out in the current
 * period (for the charts whose answer is a list: the trend, histogram, per step, per agent).
 */
export async function inferredTimesLeftOut(
  f: DashboardFilters,
  basis: RollupBasis,
): Promise<LeftOut> {
  const { scope } = await manager(f);
  return leftOut(scope, f, basis);
}

async function manager(f: DashboardFilters): Promise<{ actor: Actor; scope: FigureScope }> {
  const actor = await requirePermission("dashboard:manager");
  return { actor, scope: await figureScope(actor, f) };
}

/** A rate of two rollup measures on one basis, current and previous period. */
async function rateFigure(
  scope: FigureScope,
  f: DashboardFilters,
  basis: RollupBasis,
  [numerator, denominator]: [string, string],
  hrefs: { set: Parameters<typeof drillHref>[1]; denominatorSet: Parameters<typeof drillHref>[1] },
): Promise<RateFigure> {
  const at = async (range: DateRange) => {
    const s = await sums(scope, basis, range, [numerator, denominator]);
    return {
      numerator: s[numerator]!,
      denominator: s[denominator]!,
      rate: ratio(s[numerator]!, s[denominator]!),
    };
  };
  const [current, previous] = await Promise.all([at(f.current), at(f.previous)]);
  return {
    current,
    previous,
    href: drillHref(f, hrefs.set),
    denominatorHref: drillHref(f, hrefs.denominatorSet),
  };
}

// ---------------------------------------------------------------- open and overdue (snapshots of now)

/**
 * Open complaints now (status new or in progress: few, read through the status index); previous:
 * open at the end of the previous period, reconstructed from received/resolved/closed (rollups).
 */
export async function openComplaints(f: DashboardFilters): Promise<CountFigure> {
  return snapshotNow(f, "open", openAtEndOf);
}

/** No date range: the figure is a snapshot of now. */
const allTime = { from: undefined, to: undefined };

async function countNow(
  actor: Actor,
  f: DashboardFilters,
  set: "open" | "overdue",
): Promise<number> {
  const { db } = await getDatabase();
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from complaints where ${scopeFor(actor, f, { set, extra: allTime })}`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Open now and past the SLA due (few: through the status index); previous: open and past due at
 * the end of the previous period (rollups: "overdue from" minus "overdue until").
 */
export async function overdueComplaints(f: DashboardFilters): Promise<CountFigure> {
  return snapshotNow(f, "overdue", overdueAtEndOf);
}

/** A count of now (the set, through the status index) beside the previous period's end (rollups). */
async function snapshotNow(
  f: DashboardFilters,
  set: "open" | "overdue",
  atEndOf: (scope: FigureScope, day: string) => Promise<number>,
): Promise<CountFigure> {
  const { actor, scope } = await manager(f);
  const [current, previous] = await Promise.all([
    countNow(actor, f, set),
    atEndOf(scope, f.previous.to),
  ]);
  return { current, previous, href: drillHref(f, { set, extra: allTime }) };
}

/**
 * Open complaints now by age, split overdue / on track: one pass over the open complaints
 * (status index), grouped by age bucket and overdue.
 */
export async function backlogByAge(f: DashboardFilters): Promise<BacklogBucket[]> {
  const { actor } = await manager(f);
  const { db } = await getDatabase();
  const rows = await queryRows<{ bucket: number; overdue: boolean; n: number }>(
    db,
    sql`select ${ageBucketIndex()} as bucket, ${overdueNow} as overdue, count(*)::int as n
      from complaints where ${scopeFor(actor, f, { set: "open", extra: allTime })}
      group by 1, 2`,
  );
  const href = (arg: string) => drillHref(f, { set: "perf-age", extra: { ...allTime, arg } });
  return ageBuckets.map((b, i) => {
    const of = (overdue: boolean) =>
      rows
        .filter((r) => r.bucket !== null && Number(r.bucket) === i && r.overdue === overdue)
        .reduce((t, r) => t + Number(r.n), 0);
    const overdue = of(true);
    const onTrack = of(false);
    return {
      key: b.key,
      label: b.label,
      open: overdue + onTrack,
      overdue,
      onTrack,
      href: href(b.key),
      overdueHref: href(`${b.key}:overdue`),
      onTrackHref: href(`${b.key}:ontrack`),
    };
  });
}

// ---------------------------------------------------------------- response and resolution times

/**
 * First response time over complaints received in the period with a first response (median and
 * p90, calendar and business hours); those still waiting are counted in `awaiting`.
 */
export async function firstResponseTime(f: DashboardFilters): Promise<FirstResponseFigure> {
  const { scope } = await manager(f);
  const at = (range: DateRange) => percentiles(scope, "firstResponse", range);
  const [current, previous, counts, left] = await Promise.all([
    at(f.current),
    at(f.previous),
    sums(scope, "received", f.current, ["complaints", "responded"]),
    leftOut(scope, f, "received"),
  ]);
  return {
    current: durations(current),
    previous: durations(previous),
    href: drillHref(f, { set: "perf-responded" }),
    awaiting: {
      // Those whose times were inferred are neither responded to nor awaiting: left out.
      current: counts.complaints! - counts.responded! - left.inferredTimesExcluded,
      href: drillHref(f, { set: "perf-awaiting-response" }),
    },
    ...left,
  };
}

/** Time to resolution over complaints resolved in the period (median and p90, calendar and business). */
export async function timeToResolution(f: DashboardFilters): Promise<DurationFigure> {
  const { scope } = await manager(f);
  const at = (range: DateRange) => percentiles(scope, "resolution", range);
  const [current, previous, left] = await Promise.all([
    at(f.current),
    at(f.previous),
    leftOut(scope, f, "resolved"),
  ]);
  return {
    current: durations(current),
    previous: durations(previous),
    href: drillHref(f, { basis: "resolved", set: "resolved" }),
    ...left,
  };
}

const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** Weekly time to resolution (ISO weeks, Monday UTC) over complaints resolved in the period. */
export async function ttrTrend(f: DashboardFilters): Promise<TtrWeek[]> {
  const { scope } = await manager(f);
  const rows = await percentilesBy(scope, "resolution", f.current, "week");
  const byWeek = new Map(rows.map((r) => [r.group, r]));
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
      count: r?.count ?? 0,
      medianHours: r?.median ?? null,
      p90Hours: r?.p90 ?? null,
      medianBusinessHours: r?.businessMedian ?? null,
      p90BusinessHours: r?.businessP90 ?? null,
      href: drillHref(f, { range, basis: "resolved", set: "resolved" }),
    });
  }
  return weeks;
}

/** Complaints resolved in the period by calendar time to resolution. */
export async function ttrHistogram(f: DashboardFilters): Promise<HistogramBin[]> {
  const { scope } = await manager(f);
  const names = ttrBuckets.map((_, i) => `ttr${i}`);
  const s = await sums(scope, "resolved", f.current, names);
  return ttrBuckets.map((b, i) => ({
    key: b.key,
    label: b.label,
    count: s[`ttr${i}`]!,
    href: drillHref(f, { basis: "resolved", set: "perf-ttr", extra: { arg: b.key } }),
  }));
}

// ---------------------------------------------------------------- rates

/** SLA met: resolved at ≤ SLA due at, over complaints resolved in the period that have an SLA due. */
export async function slaMet(f: DashboardFilters): Promise<TimedRateFigure> {
  const { scope } = await manager(f);
  const [rate, left] = await Promise.all([
    rateFigure(scope, f, "resolved", ["sla_met", "sla_counted"], {
      set: { basis: "resolved", set: "sla-met" },
      denominatorSet: { basis: "resolved", set: "sla-counted" },
    }),
    leftOut(scope, f, "resolved"),
  ]);
  return { ...rate, ...left };
}

/** Promise kept: resolved at ≤ promised by, over complaints resolved in the period with a promise. */
export async function promiseKept(f: DashboardFilters): Promise<TimedRateFigure> {
  const { scope } = await manager(f);
  const [rate, left] = await Promise.all([
    rateFigure(scope, f, "resolved", ["promise_kept", "promise_made"], {
      set: { basis: "resolved", set: "promise-kept" },
      denominatorSet: { basis: "resolved", set: "promise-made" },
    }),
    leftOut(scope, f, "resolved"),
  ]);
  return { ...rate, ...left };
}

/** Reopen rate over complaints received in the period: reopened ÷ resolved at least once. */
export async function reopenRate(f: DashboardFilters): Promise<RateFigure> {
  const { scope } = await manager(f);
  return rateFigure(scope, f, "received", ["reopened", "ever_resolved"], {
    set: { set: "reopened" },
    denominatorSet: { set: "perf-ever-resolved" },
  });
}

/**
 * Closed-loop rate: angry complaints received in the period first contacted within the policy's
 * window ÷ angry complaints received in the period whose times are known (those inferred by rule
 * are left out: the angry ones on the "left out" basis are taken from the denominator); and the
 * time to that contact.
 */
export async function closedLoop(f: DashboardFilters): Promise<ClosedLoopFigure> {
  const { actor, scope } = await manager(f);
  const contact = (range: DateRange) => percentiles(scope, "timeToContact", range);
  const { db } = await getDatabase();
  const rateAt = async (range: DateRange) => {
    const [s, inferredAngry] = await Promise.all([
      sums(scope, "received", range, ["angry_contacted_in_loop", "angry"]),
      inferredTimesExcluded(scope, "received", range, "angry"),
    ]);
    const numerator = s.angry_contacted_in_loop!;
    const denominator = s.angry! - inferredAngry;
    return { numerator, denominator, rate: ratio(numerator, denominator) };
  };
  const [current, previous, timeToContact, previousTimeToContact, policy, left] = await Promise.all(
    [
      rateAt(f.current),
      rateAt(f.previous),
      contact(f.current),
      contact(f.previous),
      policyTime(db, actor.orgId),
      leftOut(scope, f, "received", true),
    ],
  );
  return {
    current,
    previous,
    href: drillHref(f, { set: "perf-closed-loop" }),
    denominatorHref: drillHref(f, { set: "perf-angry-timed" }),
    ...left,
    windowHours: policy?.closedLoopHours ?? 48,
    timeToContact: durations(timeToContact),
    previousTimeToContact: durations(previousTimeToContact),
    timeToContactHref: drillHref(f, { set: "perf-angry-contacted" }),
  };
}

// ---------------------------------------------------------------- playbook adherence

async function requiredStepCount(orgId: string): Promise<number> {
  const { db } = await getDatabase();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(playbookSteps)
    .where(
      and(
        eq(playbookSteps.orgId, orgId),
        eq(playbookSteps.required, true),
        eq(playbookSteps.active, true),
      ),
    );
  return Number(row?.n ?? 0);
}

/** Playbook adherence over complaints resolved in the period (required, active steps). */
export async function playbookAdherence(f: DashboardFilters): Promise<AdherenceFigure> {
  const { actor, scope } = await manager(f);
  const required = await requiredStepCount(actor.orgId);
  const at = async (range: DateRange): Promise<AdherenceStats> => {
    const s = await sums(scope, "resolved", range, [
      "resolved",
      "required_steps_done",
      "resolved_all_steps",
    ]);
    const n = s.resolved!;
    const done = s.required_steps_done!;
    const full = s.resolved_all_steps!;
    return {
      complaints: n,
      requiredSteps: required,
      stepsDone: done,
      stepShare: ratio(done, n * required),
      complete: full,
      completeShare: required > 0 ? ratio(full, n) : null,
    };
  };
  const [current, previous, left] = await Promise.all([
    at(f.current),
    at(f.previous),
    leftOut(scope, f, "resolved"),
  ]);
  return {
    ...left,
    current,
    previous,
    href: drillHref(f, { basis: "resolved", set: "resolved" }),
    completeHref: drillHref(f, { basis: "resolved", set: "perf-all-steps" }),
  };
}

/** Adherence by playbook step (active steps, in playbook order), over complaints resolved in the period. */
export async function adherenceBySteps(f: DashboardFilters): Promise<StepAdherence[]> {
  const { actor, scope } = await manager(f);
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
  let row: Record<string, unknown> | undefined;
  if (hasFactorSlice(scope)) {
    // The factor rollups hold each step's resolved complaints per day (and per dimension).
    const [total, perStep] = await Promise.all([
      sums(scope, "resolved", f.current, ["resolved"]),
      factorSums(
        scope,
        "resolved",
        f.current,
        steps.map((s) => factFactors.step(s.id)),
      ),
    ]);
    row = { n: total.resolved };
    steps.forEach((_, i) => (row![`s${i}`] = perStep[i]!.complaints));
  } else {
    const counts = await factFactorCounts(factsWhere(scope, "resolved", f.current), [
      ...steps.map((s) => factFactors.step(s.id)),
      ALL_FACTS,
    ]);
    row = { n: counts.at(-1)!.complaints };
    steps.forEach((s, i) => (row![`s${i}`] = counts[i]!.complaints));
  }
  const n = Number(row?.n ?? 0);
  return steps.map((s, i) => {
    const done = Number(row?.[`s${i}`] ?? 0);
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

/**
 * Recovery (remedy) cost: the sum of delivered remedy costs per currency (never added across
 * currencies), over remedies delivered in the period (UTC days) on complaints matching the
 * dimension filters whenever received; remedies of unknown cost are left out. A complaint with
 * deliveries on several days counts once: the remedy rollups count each complaint on its first
 * delivery day in the range (previous delivery day before it); with two dimension filters, the
 * remedies' delivery index joined to the facts.
 */
export async function remedyCost(f: DashboardFilters): Promise<RemedyCostFigure> {
  const { scope } = await manager(f);
  const { db } = await getDatabase();
  const filtered = scope.conditions.length > 0;
  const rollup = scope.rollup;
  const at = (range: DateRange) =>
    rollup
      ? // currency '' rows count complaints with a delivery in any currency (the total).
        queryRows<{ currency: string | null; cost: string; n: number }>(
          db,
          sql`select nullif(currency, '') as currency, sum(cost_minor)::text as cost,
            coalesce(sum(complaints) filter (where prev_day < ${range.from}::date), 0)::int as n
          from remedy_rollups
          where org_id = ${scope.orgId} and dim = ${rollup.dim} and key = any(${textArray(rollup.keys)})
            and day between ${range.from}::date and ${range.to}::date
          group by currency having sum(complaints) <> 0`,
        )
      : queryRows<{ currency: string | null; cost: string; n: number }>(
          db,
          sql`select r.currency, sum(r.cost_minor)::text as cost, count(distinct r.complaint_id)::int as n
        from remedies r ${filtered ? sql`join complaint_facts d on d.org_id = r.org_id and d.complaint_id = r.complaint_id` : sql``}
        where r.org_id = ${scope.orgId} and r.delivered_at >= ${`${range.from}T00:00:00.000Z`}::timestamptz
          and r.delivered_at < ${new Date(dayMs(range.to) + DAY).toISOString()}::timestamptz
          and r.cost_minor is not null ${filtered ? sql`and ${factsWhere(scope, "received")}` : sql``}
        group by grouping sets ((r.currency), ())`,
        );
  const [current, previous] = await Promise.all([at(f.current), at(f.previous)]);
  const perCurrency = <T extends { currency: string | null }>(rows: T[]) =>
    rows.flatMap((r) => (r.currency === null ? [] : [{ ...r, currency: r.currency }]));
  return remedyCostFigure(
    f,
    perCurrency(current).map((r) => ({ ...r, n: Number(r.n) })),
    perCurrency(previous),
    Number(current.find((r) => r.currency === null)?.n ?? 0),
  );
}

// ---------------------------------------------------------------- per agent

/**
 * The per-agent table: for each owner (and "unassigned"), volume (received in the period),
 * median time to resolution and SLA met % (resolved in the period), playbook adherence and
 * angry→advocate conversion (angry complaints closed in the period). Sorted by volume.
 */
export async function agentTable(f: DashboardFilters): Promise<AgentRow[]> {
  const { actor, scope } = await manager(f);
  const { db } = await getDatabase();
  const [received, resolved, medians, closed, people, requiredSteps] = await Promise.all([
    sumsBy(scope, "received", f.current, ["complaints"], "owner"),
    sumsBy(
      scope,
      "resolved",
      f.current,
      ["resolved", "sla_met", "sla_counted", "required_steps_done"],
      "owner",
    ),
    percentilesBy(scope, "resolution", f.current, "owner"),
    sumsBy(scope, "closed", f.current, ["angry", "angry_advocate"], "owner"),
    db.select({ id: users.id, name: users.name }).from(users).where(eq(users.orgId, actor.orgId)),
    requiredStepCount(actor.orgId),
  ]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const rec = new Map(received.map((r) => [r.group, r]));
  const res = new Map(resolved.map((r) => [r.group, r]));
  const med = new Map(medians.map((r) => [r.group, r]));
  const clo = new Map(closed.map((r) => [r.group, r]));
  // Owners with something in the period (rollup rows of zero sums are left out).
  const owners = new Set(
    [
      ...received.filter((r) => r.complaints),
      ...resolved.filter((r) => r.resolved),
      ...closed.filter((r) => r.angry),
    ].map((r) => r.group),
  );
  return [...owners]
    .map((ownerId): AgentRow => {
      const extra = { owner: ownerId };
      const r = res.get(ownerId);
      const c = clo.get(ownerId);
      const resolvedN = r?.resolved ?? 0;
      const met = r?.sla_met ?? 0;
      const counted = r?.sla_counted ?? 0;
      const angryClosed = c?.angry ?? 0;
      const advocates = c?.angry_advocate ?? 0;
      return {
        ownerId,
        name: ownerId === "none" ? "Unassigned" : (names.get(ownerId) ?? "Unknown user"),
        volume: rec.get(ownerId)?.complaints ?? 0,
        volumeHref: drillHref(f, { extra }),
        resolved: resolvedN,
        medianResolutionHours: med.get(ownerId)?.median ?? null,
        resolvedHref: drillHref(f, { basis: "resolved", set: "resolved", extra }),
        slaMet: met,
        slaCounted: counted,
        slaRate: ratio(met, counted),
        slaHref: drillHref(f, { basis: "resolved", set: "sla-met", extra }),
        adherence: ratio(r?.required_steps_done ?? 0, resolvedN * requiredSteps),
        angryClosed,
        advocates,
        conversion: ratio(advocates, angryClosed),
        conversionHref: drillHref(f, { basis: "closed", set: "angry-advocate", extra }),
      };
    })
    .sort((a, b) => b.volume - a.volume || a.name.localeCompare(b.name));
}

// ---------------------------------------------------------------- throughput

/** Complaints received in the period vs complaints resolved in the period (whenever received). */
export async function throughput(f: DashboardFilters): Promise<ThroughputFigure> {
  const { scope } = await manager(f);
  const [rc, rp, sc, sp, left] = await Promise.all([
    sums(scope, "received", f.current, ["complaints"]),
    sums(scope, "received", f.previous, ["complaints"]),
    sums(scope, "resolved", f.current, ["resolved"]),
    sums(scope, "resolved", f.previous, ["resolved"]),
    leftOut(scope, f, "resolved"),
  ]);
  return {
    received: { current: rc.complaints!, previous: rp.complaints!, href: drillHref(f) },
    resolved: {
      current: sc.resolved!,
      previous: sp.resolved!,
      href: drillHref(f, { basis: "resolved", set: "resolved" }),
      ...left,
    },
  };
}
