/**
 * Executive metrics (PRODUCT.md "Metric definitions"): does recovery keep customers, make
 * advocates, and pay for itself? Each function authorises itself (`dashboard:executive`) and reads
 * the rollups — complaint rollups, factor rollups (remedy kinds), money rollups (cost, revenue) —
 * or the complaint facts when the scope needs them (lib/rollups/read.ts), and returns each figure
 * with the `href` of the complaints list behind it (same filters, same set), so the list's count
 * equals the figure. lib/metrics/reference/retention.ts computes every figure from the raw rows;
 * the tests hold the two equal.
 *
 * Retention at N days counts a complaint only once N days have passed since its receipt, which
 * moves with the clock: every such figure reads through lib/rollups/read-eligible.ts (eligible
 * rollup days plus the boundary day from the facts).
 *
 * The retention of customers WITHOUT complaints (`others`) reads the customer baseline
 * (lib/rollups/customer-baseline.ts), and so does the NPS of customers without a complaint in the
 * range (`noComplaint`).
 */
import "server-only";
import { cache } from "react";
import { getDatabase } from "@/db";
import { remedyKinds } from "@/db/schema";
import { remedyKindLabel } from "@/lib/labels";
import type { Actor } from "@/lib/auth/guard";
import type { Operation } from "@/lib/permissions";
import { baselineRetention, baselineScores } from "@/lib/rollups/customer-baseline";
import {
  factsWhere,
  figureScope,
  inferredTimesExcluded,
  sums,
  sumsBy,
  type FigureScope,
} from "@/lib/rollups/read";
import { eligibleSums } from "@/lib/rollups/read-eligible";
import {
  factFactorCounts,
  factFactors,
  factorSums,
  hasFactorSlice,
} from "@/lib/rollups/read-factors";
import { moneyByMonth, type MoneyMonth } from "@/lib/rollups/read-money";
import type { DashboardFilters, DateRange } from "./filters";
import * as reference from "./reference/retention";
import {
  executive,
  hrefOf,
  monthWithin,
  retentionDays,
  ttrLabels,
  type ConversionTile,
  type CustomerRate,
  type CurrencyCost,
  type FunnelStep,
  type KeyedRate,
  type MonthRate,
  type NpsFigure,
  type NpsResult,
  type Rate,
  type RecoveryCell,
  type Retention90Tile,
  type RetentionDays,
  type RetentionRow,
  type RoiFigure,
  type RoiMonth,
  type RoiResult,
  type SetRef,
} from "./reference/retention";
import type { LeftOut } from "./reference/performance";
import type { DateBasis } from "./sets";
import {
  funnelStages,
  setArg,
  severityGroups,
  ttrBuckets,
  type FunnelStage,
} from "./sets-retention";

export {
  countSets,
  executive,
  hrefOf,
  monthWithin,
  referenceDates,
  retentionDays,
  ttrLabels,
} from "./reference/retention";
export type {
  ConversionTile,
  CurrencyCost,
  CustomerRate,
  FunnelStep,
  KeyedRate,
  MonthRate,
  NpsFigure,
  NpsResult,
  Rate,
  RecoveryCell,
  Retention90Tile,
  RetentionDays,
  RetentionRow,
  RoiFigure,
  RoiMonth,
  RoiResult,
  SetRef,
} from "./reference/retention";

const ratio = (k: number, n: number) => (n > 0 ? k / n : null);

/** The actor (authorised for the executive dashboard) and the scope of the filters. */
async function executiveScope(
  f: DashboardFilters,
  permission: Operation = "dashboard:executive",
): Promise<{ actor: Actor; scope: FigureScope }> {
  const { actor } = await executive(permission);
  return { actor, scope: await figureScope(actor, f) };
}

/** A rate of k ⊆ n with the drill-downs of both sets (as the reference's `rates`). */
function rateOf(
  f: DashboardFilters,
  basis: DateBasis,
  n: number,
  k: number,
  refs: { n: SetRef; k: SetRef },
  range?: DateRange,
): Rate {
  return {
    n,
    k,
    rate: ratio(k, n),
    href: hrefOf(f, basis, refs.n, range),
    kHref: hrefOf(f, basis, refs.k, range),
  };
}

// ---------------------------------------------------------------- angry → advocate

const ANGRY: SetRef = { set: "angry" };
const ADVOCATE: SetRef = { set: "angry-advocate" };
const CONVERSION = { n: ANGRY, k: ADVOCATE };

/** Angry → advocate conversion among angry complaints CLOSED in the range, and the previous period. */
export async function getConversion(f: DashboardFilters): Promise<ConversionTile> {
  const { scope } = await executiveScope(f);
  const names = ["angry", "angry_advocate"];
  const [current, previous, inferred] = await Promise.all([
    sums(scope, "closed", f.current, names),
    sums(scope, "closed", f.previous, names),
    inferredTimesExcluded(scope, "closed", f.current, "angry"),
  ]);
  return {
    inferredTimesExcluded: inferred,
    inferredTimesHref: hrefOf(f, "closed", { set: "times-inferred", arg: "angry" }),
    ...rateOf(f, "closed", current.angry!, current.angry_advocate!, CONVERSION),
    previous: rateOf(
      f,
      "closed",
      previous.angry!,
      previous.angry_advocate!,
      CONVERSION,
      f.previous,
    ),
  };
}

/**
 * Angry complaints closed in the period whose times were inferred: what conversion, its trend,
 * funnel and splits (closed basis) leave out.
 */
export async function inferredAngryClosedLeftOut(f: DashboardFilters): Promise<LeftOut> {
  const { scope } = await executiveScope(f);
  return {
    inferredTimesExcluded: await inferredTimesExcluded(scope, "closed", f.current, "angry"),
    inferredTimesHref: hrefOf(f, "closed", { set: "times-inferred", arg: "angry" }),
  };
}

/** Conversion by UTC month of closing (months with angry complaints; drill-downs clipped to the range). */
export async function getConversionByMonth(f: DashboardFilters): Promise<MonthRate[]> {
  const { scope } = await executiveScope(f);
  const rows = await sumsBy(scope, "closed", f.current, ["angry", "angry_advocate"], "month");
  return rows
    .filter((r) => r.angry! > 0)
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
    .map((r) => ({
      month: r.group,
      ...rateOf(
        f,
        "closed",
        r.angry!,
        r.angry_advocate!,
        CONVERSION,
        monthWithin(r.group, f.current),
      ),
    }));
}

const funnelLabels: Record<FunnelStage, string> = {
  angry: "Angry",
  contacted: "Contacted within the closed-loop window",
  remedied: "Remedied",
  "followed-up": "Followed up",
  advocate: "Advocate",
};
const funnelMeasures: Record<FunnelStage, string> = {
  angry: "angry",
  contacted: "funnel_contacted",
  remedied: "funnel_remedied",
  "followed-up": "funnel_followed_up",
  advocate: "funnel_advocate",
};

/** The cumulative angry → advocate funnel over angry complaints closed in the range. */
export async function getFunnel(f: DashboardFilters): Promise<FunnelStep[]> {
  const { scope } = await executiveScope(f);
  const s = await sums(
    scope,
    "closed",
    f.current,
    funnelStages.map((stage) => funnelMeasures[stage]),
  );
  const angry = s.angry ?? 0;
  return funnelStages.map((stage) => {
    const value = s[funnelMeasures[stage]]!;
    return {
      stage,
      label: funnelLabels[stage],
      value,
      share: ratio(value, angry),
      href: hrefOf(f, "closed", { set: "funnel-stage", arg: stage }),
    };
  });
}

/**
 * Conversion by delivered remedy kind (a complaint with two kinds counts under both): the factor
 * rollups with no filter or one, else the facts. Kinds with no angry complaint are left out.
 */
export async function getConversionByRemedyKind(f: DashboardFilters): Promise<KeyedRate[]> {
  const { scope } = await executiveScope(f);
  const factors = remedyKinds.map((k) => factFactors.remedy(k));
  const counts = hasFactorSlice(scope)
    ? await factorSums(scope, "closed", f.current, factors)
    : await factFactorCounts(factsWhere(scope, "closed", f.current), factors);
  return remedyKinds
    .map((kind, i) => ({
      ...rateOf(f, "closed", counts[i]!.angry, counts[i]!.angry_advocate, {
        n: { set: "remedy-kind", arg: setArg(kind, { measure: "angry" }) },
        k: { set: "remedy-kind", arg: setArg(kind, { measure: "advocate" }) },
      }),
      key: kind,
      label: remedyKindLabel[kind],
    }))
    .filter((r) => r.n > 0);
}

/** Conversion by time-to-resolution bucket (fast ≤ 48 calendar hours / slow / not resolved). */
export async function getConversionByTtrBucket(f: DashboardFilters): Promise<KeyedRate[]> {
  const { scope } = await executiveScope(f);
  const s = await sums(
    scope,
    "closed",
    f.current,
    ttrBuckets.flatMap((b) => [`angry_${b}`, `angry_advocate_${b}`]),
  );
  return ttrBuckets.map((b) => ({
    ...rateOf(f, "closed", s[`angry_${b}`]!, s[`angry_advocate_${b}`]!, {
      n: { set: "ttr-bucket", arg: setArg(b, { measure: "angry" }) },
      k: { set: "ttr-bucket", arg: setArg(b, { measure: "advocate" }) },
    }),
    key: b,
    label: ttrLabels[b],
  }));
}

// ---------------------------------------------------------------- retention

const retentionRef = (days: number, kind: "e" | "r"): SetRef => ({
  set: "retention",
  arg: setArg("all", { measure: `${kind}${days}` }),
});
const retentionRefs = (days: number) => ({
  n: retentionRef(days, "e"),
  k: retentionRef(days, "r"),
});

/** Complainants' retention at N days: complaints received in the range with N days passed (n), retained (k). */
async function complainantRetention(
  f: DashboardFilters,
  scope: FigureScope,
  days: number,
  range?: DateRange,
): Promise<Rate> {
  const s = await eligibleSums(scope, range ?? f.current, days, ["complaints", `retained${days}`]);
  return rateOf(f, "received", s.complaints!, s[`retained${days}`]!, retentionRefs(days), range);
}

/**
 * Retention of customers without complaints at 30/90/180 days over the range's reference month
 * starts (reference `othersRetentionAll`), from the customer baseline sums.
 */
const othersRetention = cache(async function othersRetention(
  actor: Actor,
  range: DateRange,
): Promise<Record<RetentionDays, CustomerRate>> {
  const { db } = await getDatabase();
  const sums = await baselineRetention(db, actor.orgId, reference.referenceDates(range));
  const out = {} as Record<RetentionDays, CustomerRate>;
  for (const days of retentionDays) {
    const { n, k } = sums[days];
    out[days] = { n, k, rate: n === 0 ? null : k / n };
  }
  return out;
});

/**
 * Retention at 30/90/180 days of complaints received in the range (each complaint once, counted
 * once N days have passed), beside customers without complaints (the customer baseline).
 */
export async function getRetention(f: DashboardFilters): Promise<RetentionRow[]> {
  const { actor, scope } = await executiveScope(f);
  const [complainants, others] = await Promise.all([
    Promise.all(retentionDays.map((days) => complainantRetention(f, scope, days))),
    othersRetention(actor, f.current),
  ]);
  return retentionDays.map((days, i) => ({
    days,
    complainants: complainants[i]!,
    others: others[days],
  }));
}

/** The headline tile: 90-day retention of complainants vs customers without complaints, with the previous period. */
export async function getRetention90(f: DashboardFilters): Promise<Retention90Tile> {
  const { actor, scope } = await executiveScope(f);
  const [cur, prev, oCur, oPrev] = await Promise.all([
    complainantRetention(f, scope, 90),
    complainantRetention(f, scope, 90, f.previous),
    othersRetention(actor, f.current),
    othersRetention(actor, f.previous),
  ]);
  return {
    complainants: cur,
    others: oCur[90],
    previous: { complainants: prev, others: oPrev[90] },
  };
}

/** 90-day retention of complaints received in the range: fast / slow / not resolved × minor / major. */
export async function getRetentionByRecovery(f: DashboardFilters): Promise<RecoveryCell[]> {
  const { scope } = await executiveScope(f);
  const cells = severityGroups.flatMap((group) => ttrBuckets.map((bucket) => ({ bucket, group })));
  const s = await eligibleSums(
    scope,
    f.current,
    90,
    cells.flatMap((c) => [`${c.bucket}_${c.group}`, `${c.bucket}_${c.group}_retained90`]),
  );
  return cells.map((c) => ({
    ...c,
    ...rateOf(
      f,
      "received",
      s[`${c.bucket}_${c.group}`]!,
      s[`${c.bucket}_${c.group}_retained90`]!,
      {
        n: { set: "recovery-cell", arg: setArg(`${c.bucket}.${c.group}`, { measure: "e90" }) },
        k: { set: "recovery-cell", arg: setArg(`${c.bucket}.${c.group}`, { measure: "r90" }) },
      },
    ),
  }));
}

// ---------------------------------------------------------------- cost and ROI

/**
 * Recovery cost: delivered remedy costs (cost known) on complaints RECEIVED in the range, one total
 * per currency, with the complaints behind it. Largest first.
 */
export async function getRecoveryCost(
  f: DashboardFilters,
  range: DateRange = f.current,
): Promise<CurrencyCost[]> {
  const { scope } = await executiveScope(f);
  const months = await moneyByMonth(scope, range);
  const by = new Map<string, CurrencyCost>();
  for (const m of months) {
    if (m.costedComplaints <= 0) continue;
    let v = by.get(m.currency);
    if (!v) {
      v = {
        currency: m.currency,
        costMinor: 0,
        complaints: 0,
        href: hrefOf(f, "received", { set: "remedy-currency", arg: m.currency }, range),
      };
      by.set(m.currency, v);
    }
    v.costMinor += m.costMinor;
    v.complaints += m.costedComplaints;
  }
  return [...by.values()].sort(
    (a, b) => b.costMinor - a.costMinor || (a.currency < b.currency ? -1 : 1),
  );
}

/**
 * Recovery ROI per currency: 365-day revenue of complaints retained at 90 days ÷ their delivered
 * remedy cost, both over complaints received in the range whose 90 days have passed; months of
 * receipt for the chart (see the reference for the choices).
 */
export const getRecoveryRoi = cache(async function getRecoveryRoi(
  f: DashboardFilters,
): Promise<RoiResult> {
  const { scope } = await executiveScope(f);
  const [cur, prev, retained] = await Promise.all([
    moneyByMonth(scope, f.current, { eligibleDays: 90 }),
    moneyByMonth(scope, f.previous, { eligibleDays: 90 }),
    eligibleSums(scope, f.current, 90, ["retained90"]),
  ]);
  // As the reference: currencies in the order cost lines, then revenue lines, first name them.
  const totals = (data: MoneyMonth[]) => {
    const by = new Map<string, RoiFigure & { n: number }>();
    const get = (c: string) => {
      let v = by.get(c);
      if (!v) by.set(c, (v = { currency: c, costMinor: 0, revenueMinor: 0, roi: null, n: 0 }));
      return v;
    };
    for (const r of data) {
      if (r.costedComplaints <= 0) continue;
      const v = get(r.currency);
      v.costMinor += r.costMinor;
      v.n += r.costedComplaints;
    }
    for (const r of data) if (r.hasRevenue) get(r.currency).revenueMinor += r.revenueMinor;
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
    for (const r of cur) {
      if (r.currency !== currency || !(r.costedComplaints > 0 || r.hasRevenue)) continue;
      let v = months.get(r.month);
      if (!v) {
        v = {
          month: r.month,
          currency,
          costMinor: 0,
          revenueMinor: 0,
          roi: null,
          href: hrefOf(
            f,
            "received",
            { set: "remedy-currency", arg: currency },
            monthWithin(r.month, f.current),
          ),
        };
        months.set(r.month, v);
      }
      if (r.costedComplaints > 0) v.costMinor += r.costMinor;
      if (r.hasRevenue) v.revenueMinor += r.revenueMinor;
    }
    for (const v of months.values()) v.roi = v.costMinor > 0 ? v.revenueMinor / v.costMinor : null;
  }
  return {
    currency,
    current: currency ? strip(curTotals.get(currency)) : null,
    previous: currency ? strip(prevTotals.get(currency)) : null,
    byCurrency: [...curTotals.values()].map((v) => strip(v)!),
    byMonth: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
    href: hrefOf(f, "received", retentionRef(90, "r")),
    retained: retained.retained90 ?? 0,
  };
});

// ---------------------------------------------------------------- NPS

const npsOf = (n: number, promoters: number, detractors: number) =>
  n > 0 ? (100 * (promoters - detractors)) / n : null;

/** NPS of customers without a complaint received in the range (their survey and review scores). */
async function noComplaintNps(actor: Actor, range: DateRange): Promise<NpsFigure> {
  const { db } = await getDatabase();
  const s = await baselineScores(db, actor.orgId, range);
  return {
    n: s.responses,
    promoters: s.promoters,
    detractors: s.detractors,
    nps: npsOf(s.responses, s.promoters, s.detractors),
    href: null,
  };
}

/**
 * NPS before (intake) vs after (outcome, else the latest done follow-up) over complaints received
 * in the range; customers without a complaint in the range from the customer baseline.
 */
export async function getNps(f: DashboardFilters): Promise<NpsResult> {
  const { actor, scope } = await executiveScope(f);
  const names = [
    "nps_before",
    "nps_before_promoters",
    "nps_before_detractors",
    "nps_after",
    "nps_after_promoters",
    "nps_after_detractors",
  ];
  const figure = (
    s: Record<string, number>,
    side: "before" | "after",
    range: DateRange,
  ): NpsFigure => {
    const n = s[`nps_${side}`]!;
    const promoters = s[`nps_${side}_promoters`]!;
    const detractors = s[`nps_${side}_detractors`]!;
    return {
      n,
      promoters,
      detractors,
      nps: npsOf(n, promoters, detractors),
      href: hrefOf(f, "received", { set: side === "before" ? "nps-before" : "nps-after" }, range),
    };
  };
  const [cur, prev, noComplaint] = await Promise.all([
    sums(scope, "received", f.current, names),
    sums(scope, "received", f.previous, names),
    noComplaintNps(actor, f.current),
  ]);
  return {
    before: figure(cur, "before", f.current),
    after: figure(cur, "after", f.current),
    noComplaint,
    previousAfter: figure(prev, "after", f.previous),
  };
}
