/**
 * What the set-based generator needs from the demo, computed once in JS and handed to PostgreSQL
 * as constant arrays: the demo's reference ids (from insertReferenceData's World), its weighted
 * tables as quantile arrays (entry j of a table of size Q is the item at cumulative weight
 * (j + ½)/Q, so `arr[1 + floor(u·Q)]` draws from the distribution), the business calendar of
 * the demo SLA policy, and the demo's text templates.
 */
import { DEFAULT_PLAYBOOK, DEFAULT_SLA_TARGETS } from "../../db/defaults";
import { remedyKinds } from "../../db/schema";
import {
  CLOSE_MIN,
  DAY,
  MIN,
  OPEN_MIN,
  SEASON,
  WEEKDAY,
  toLocal,
  toUtc,
} from "../../db/seed/calendar";
import {
  ANGRY_CLOSERS,
  CALM_CLOSERS,
  FOLLOW_UP_NOTES,
  NO_REMEDY_REASONS,
  REMEDY_TEXT,
  STEP_NOTES,
  UPDATE_MESSAGES,
  WEEKDAYS,
} from "../../db/seed/complaint-texts";
import { REMEDY_KINDS, REMEDY_MEDIAN_CENTS, SEVERITY_KEYS } from "../../db/seed/distributions";
import { BUSINESS_A, BUSINESS_B, BUSINESS_C, FIRST_NAMES, LAST_NAMES } from "../../db/seed/names";
import { PROFILES, STAFF, TEAMS, type Profile } from "../../db/seed/staff";
import { CATEGORIES, PRODUCTS } from "../../db/seed/taxonomy";
import type { World } from "../../db/seed/world";

/** Months of complaints before the anchor (the demo has 18; benchmarks want two years). */
export const SPAN_MONTHS = 24;
export const Q_DAY = 32_768;
export const Q_CAUSE = 8_192;
export const Q_SMALL = 1_024;

export const PROFILE_KEYS: Profile[] = ["diligent", "average", "rushed"];
export const STEP_KEYS = DEFAULT_PLAYBOOK.map((p) => p.key);

export interface Params {
  /** Epoch seconds of the anchor ("today") and of the first day of complaints. */
  anchor: number;
  start: number;
  days: number;
  dayQ: number[];
  /** Sorted day indexes (from `start`) at which a fix takes effect; era = how many have passed. */
  eraFixDays: number[];
  /** Per era, Q_CAUSE cause numbers (1-based). */
  causeQ: number[];
  causeIds: string[];
  causeFixDay: number[];
  causeDrop: number[];
  causeCategory: number[];
  causeTilt: number[];
  causeWhys: string[];
  causeParaphrase: string[];
  /** Per cause, 3 summaries and 3 stories (repeated when fewer). */
  causeSummaries: string[];
  causeStories: string[];
  /** Per cause, Q_SMALL product numbers (1-based, sub-products included). */
  productQ: number[];
  productIds: string[];
  productNames: string[];
  /** Per team (east, west, esc, billing), Q_SMALL agent numbers (1-based). */
  agentQ: number[];
  agentIds: string[];
  agentProfile: number[];
  /** Per category, Q_SMALL remedy-kind numbers (1-based in remedyKinds). */
  remedyQ: number[];
  remedyMedian: number[];
  remedyText: string[];
  teamIds: string[];
  stepIds: string[];
  /** Business calendar: local day numbers (days since 1970 in New York time). */
  calDay0: number;
  /** calWdk[d] = number (1-based) of the first working day on or after local day calDay0 + d − 1. */
  calWdk: number[];
  /** calWday[k] = local-day index (as in calWdk) of working day k; calWopen[k] its opening, UTC s. */
  calWday: number[];
  calWopen: number[];
  slaHours: number[];
  texts: Record<string, string[]>;
  stepNotes: string[][];
}

function quantiles(weights: number[], size: number): number[] {
  const total = weights.reduce((a, b) => a + Math.max(0, b), 0);
  const out: number[] = [];
  let i = 0;
  let cum = Math.max(0, weights[0] ?? 0);
  for (let j = 0; j < size; j++) {
    const x = ((j + 0.5) / size) * total;
    while (x >= cum && i < weights.length - 1) cum += Math.max(0, weights[++i] ?? 0);
    out.push(i + 1);
  }
  return out;
}

const three = (xs: string[]) => [0, 1, 2].map((i) => xs[i % xs.length]!);

export function buildParams(w: World, holidayDays: Set<number>): Params {
  const anchorMs = w.anchor;
  const a = new Date(anchorMs);
  const startMs = Date.UTC(a.getUTCFullYear(), a.getUTCMonth() - SPAN_MONTHS, a.getUTCDate());
  const days = Math.round((anchorMs - startMs) / DAY);
  const shift = Math.round((w.start - startMs) / DAY);

  const causes = w.causes;
  const fixDay = causes.map((c) => (Number.isFinite(c.fixDay) ? c.fixDay + shift : 1e6));
  const eraFixDays = [...new Set(fixDay.filter((d, i) => d < 1e6 && causes[i]!.drop > 0))].sort(
    (x, y) => x - y,
  );
  const causeQ: number[] = [];
  for (let era = 0; era <= eraFixDays.length; era++) {
    const passed = (i: number) =>
      causes[i]!.drop > 0 && era > 0 && fixDay[i]! <= eraFixDays[era - 1]!;
    causeQ.push(
      ...quantiles(
        causes.map((c, i) => c.weight * (passed(i) ? 1 - c.drop : 1)),
        Q_CAUSE,
      ),
    );
  }
  // Day intensity as in the demo (season × weekday × growth × causes still in force).
  const dayWeights: number[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(startMs + d * DAY);
    const causeTotal = causes.reduce(
      (sum, c, i) => sum + c.weight * (d >= fixDay[i]! ? 1 - c.drop : 1),
      0,
    );
    dayWeights.push(
      SEASON[date.getUTCMonth()]! *
        WEEKDAY[date.getUTCDay()]! *
        (0.68 + (0.9 * d) / days) *
        causeTotal,
    );
  }
  const dayQ = quantiles(dayWeights, Q_DAY).map((i) => i - 1);

  // Products: the demo picks a product by the cause's weights, then a sub-product 75 % of the time.
  const productKeys: string[] = [];
  const productNames: string[] = [];
  for (const p of PRODUCTS) {
    productKeys.push(p.key);
    productNames.push(p.name);
    for (const sub of p.subs) {
      productKeys.push(`${p.key}/${sub}`);
      productNames.push(sub);
    }
  }
  const productQ: number[] = [];
  for (const c of causes) {
    const weights = productKeys.map(() => 0);
    const products = PRODUCTS.filter((p) => c.products.includes(p.key));
    for (const p of products) {
      const parent = productKeys.indexOf(p.key);
      if (p.subs.length === 0) weights[parent] = p.weight;
      else {
        weights[parent] = p.weight * 0.25;
        for (const sub of p.subs)
          weights[productKeys.indexOf(`${p.key}/${sub}`)] = (p.weight * 0.75) / p.subs.length;
      }
    }
    productQ.push(...quantiles(weights, Q_SMALL));
  }

  const agents = TEAMS.flatMap((t) => w.agentTables[t.key].items);
  const agentIds = [...new Set(agents.map((x) => x.id))];
  const agentProfile = agentIds.map((id) => {
    const row = agents.find((x) => x.id === id)!;
    return PROFILE_KEYS.indexOf(row.profile ?? "average") + 1;
  });
  const agentQ: number[] = [];
  for (const t of TEAMS) {
    const table = w.agentTables[t.key];
    agentQ.push(
      ...quantiles(
        table.items.map((x) => x.load ?? 1),
        Q_SMALL,
      ).map((i) => agentIds.indexOf(table.items[i - 1]!.id) + 1),
    );
  }

  const remedyQ: number[] = [];
  for (const cat of CATEGORIES) {
    const kinds = REMEDY_KINDS[cat.key];
    remedyQ.push(
      ...quantiles(
        kinds.map((k) => k[1]),
        Q_SMALL,
      ).map((i) => remedyKinds.indexOf(kinds[i - 1]![0]) + 1),
    );
  }

  // Business calendar, New York 09:00–17:00 on working days (as the demo policy), in local days.
  const calDay0 = Math.floor(toLocal(startMs - 60 * DAY) / DAY);
  const calDay1 = Math.floor(toLocal(anchorMs + 500 * DAY) / DAY);
  const calWday: number[] = [];
  const calWopen: number[] = [];
  for (let d = calDay0; d <= calDay1 + 40; d++) {
    const isoDow = ((d + 3) % 7) + 1;
    if (isoDow <= 5 && !holidayDays.has(d)) {
      calWday.push(d - calDay0 + 1);
      calWopen.push(toUtc(d * DAY + OPEN_MIN * MIN) / 1000);
    }
  }
  const calWdk: number[] = [];
  for (let d = calDay0, k = 0; d <= calDay1; d++) {
    while (calWday[k]! < d - calDay0 + 1) k++;
    calWdk.push(k + 1);
  }
  if (CLOSE_MIN - OPEN_MIN !== 480) throw new Error("the calendar assumes an 8-hour working day");

  return {
    anchor: anchorMs / 1000,
    start: startMs / 1000,
    days,
    dayQ,
    eraFixDays,
    causeQ,
    causeIds: causes.map((c) => c.id),
    causeFixDay: fixDay.map((d) => Math.min(d, 1e6)),
    causeDrop: causes.map((c) => c.drop),
    causeCategory: causes.map((c) => CATEGORIES.findIndex((x) => x.key === c.category) + 1),
    causeTilt: causes.map((c) => c.tilt ?? 0),
    causeWhys: causes.map((c) => c.whys),
    causeParaphrase: causes.map((c) => c.paraphrase),
    causeSummaries: causes.flatMap((c) => three(c.summaries)),
    causeStories: causes.flatMap((c) => three(c.stories)),
    productQ,
    productIds: productKeys.map((k) => w.productIds.get(k)!),
    productNames,
    agentQ,
    agentIds,
    agentProfile,
    remedyQ,
    remedyMedian: remedyKinds.map((k) => REMEDY_MEDIAN_CENTS[k]),
    remedyText: remedyKinds.map((k) => REMEDY_TEXT[k]),
    teamIds: TEAMS.map((t) => w.teamIds[t.key]),
    stepIds: STEP_KEYS.map((k) => w.stepIds[k]),
    calDay0,
    calWdk,
    calWday,
    calWopen,
    slaHours: SEVERITY_KEYS.map((s) => DEFAULT_SLA_TARGETS[s].resolution),
    texts: {
      weekdays: WEEKDAYS,
      angryClosers: ANGRY_CLOSERS,
      calmClosers: CALM_CLOSERS,
      noRemedy: NO_REMEDY_REASONS,
      updates: UPDATE_MESSAGES,
      fuGood: FOLLOW_UP_NOTES.good,
      fuMid: FOLLOW_UP_NOTES.mid,
      fuBad: FOLLOW_UP_NOTES.bad,
      first: FIRST_NAMES,
      last: LAST_NAMES,
      bizA: BUSINESS_A,
      bizB: BUSINESS_B,
      bizC: BUSINESS_C,
    },
    stepNotes: STEP_KEYS.map((k) => STEP_NOTES[k] ?? []),
  };
}

/** Per profile (diligent, average, rushed): the demo's agent behaviour. */
export const profileArrays = () => {
  const p = PROFILE_KEYS.map((k) => PROFILES[k]);
  const skip = (key: (typeof STEP_KEYS)[number]) => p.map((x) => x.skip[key] ?? 0);
  return {
    skip: Object.fromEntries(STEP_KEYS.map((k) => [k, skip(k)])) as Record<
      (typeof STEP_KEYS)[number],
      number[]
    >,
    wow: p.map((x) => x.wow),
    followUp: p.map((x) => x.followUp),
    speed: p.map((x) => x.speed),
    responseFactor: p.map((x) => x.responseFactor),
    promiseKept: p.map((x) => x.promiseKept),
  };
};

/** Staff count, for the summary. */
export const staffCount = STAFF.length;
