/**
 * The figures of the independent dataset (tests/helpers/independent-dataset.ts), computed from its
 * records alone in plain TypeScript — no database, nothing from lib/. Each follows PRODUCT.md's
 * definition with the rules the metric documents:
 *
 * - a range is inclusive UTC days: [from 00:00, to + 1 day 00:00);
 * - the previous period is the same number of days ending the day before `from`;
 * - percentiles are percentile_cont's: linear interpolation at p × (n − 1) of the sorted values;
 * - business hours: the overlap with each local working day's window (WORKING_TIME below);
 * - first response: complaints RECEIVED in the range that have one (hours = first response −
 *   received); those without are "awaiting";
 * - time to resolution: complaints RESOLVED in the range (hours = resolved − received);
 * - angry: intake sentiment ≤ 2 or intake NPS 0–6; advocate: outcome NPS 9–10 or any advocacy
 *   signal at or after receipt; conversion = advocates ÷ angry among angry complaints CLOSED in
 *   the range;
 * - recovery cost by delivery date: remedies DELIVERED in the range with a known cost, summed per
 *   currency (never across), with the complaints behind each; and by receipt: delivered remedies
 *   with a known cost of complaints RECEIVED in the range;
 * - NPS (% promoters 9–10 − % detractors 0–6) of complaints received in the range: before =
 *   intake NPS; after = outcome NPS, else the latest done follow-up's NPS; without a complaint =
 *   survey/review scores in the range of customers with no complaint received in the range;
 * - retained at N days: a purchase or renewal in (received, received + N days] with no
 *   cancellation after receipt and before it; counted only where N days have passed. Customers
 *   without complaints: per month start d in the range (at most six), customers active in the
 *   365 days before d with no complaint from d − 365 days to d + N days, the same rule from d.
 */
import type { DActivity, DComplaint, Dataset } from "./independent-dataset";

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface Range {
  from: string;
  to: string;
}

const dayStart = (d: string) => Date.parse(`${d}T00:00:00Z`);
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const within = (t: number, r: Range) => t >= dayStart(r.from) && t < dayStart(r.to) + DAY;

export function previousOf(r: Range): Range {
  const days = Math.round((dayStart(r.to) - dayStart(r.from)) / DAY) + 1;
  const to = dayStart(r.from) - DAY;
  return { from: isoDay(to - (days - 1) * DAY), to: isoDay(to) };
}

/** percentile_cont(p) of the values. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * The working time of the organisations the test loads into (tests/helpers/fixtures.ts
 * createTestOrg: the default policy in New York): Monday–Friday, 09:00–17:00 local, no holidays.
 */
export const WORKING_TIME = {
  timezone: "America/New_York",
  /** getUTCDay() of the local date: 1 = Monday … 5 = Friday. */
  days: [1, 2, 3, 4, 5],
  startMinute: 9 * 60,
  endMinute: 17 * 60,
};

const wallClock = new Intl.DateTimeFormat("en-US", {
  timeZone: WORKING_TIME.timezone,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** The local wall clock at instant t, as if it were UTC (ms), from the runtime's tz data. */
function localAsUtc(t: number): number {
  const parts = Object.fromEntries(
    wallClock.formatToParts(new Date(t)).map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
}

/** The instant of a local wall-clock time (never in a summer-time gap: 09:00 and 17:00). */
function instantOfLocal(localUtc: number): number {
  const second = Math.floor(localUtc / 1000) * 1000;
  let t = localUtc - (localAsUtc(second) - second);
  t = localUtc - (localAsUtc(t) - Math.floor(t / 1000) * 1000);
  return t;
}

/** Working hours between two instants: the overlap with every local working day's window. */
export function businessHours(from: number, to: number): number {
  if (to <= from) return 0;
  const first = localAsUtc(from);
  const last = localAsUtc(to);
  let total = 0;
  for (let day = first - (first % DAY); day <= last; day += DAY) {
    if (!WORKING_TIME.days.includes(new Date(day).getUTCDay())) continue;
    const start = instantOfLocal(day + WORKING_TIME.startMinute * 60_000);
    const end = instantOfLocal(day + WORKING_TIME.endMinute * 60_000);
    total += Math.max(0, Math.min(end, to) - Math.max(start, from));
  }
  return total / HOUR;
}

export interface Durations {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
  medianBusinessHours: number | null;
  p90BusinessHours: number | null;
}

const durations = (spans: [number, number][]): Durations => {
  const hours = spans.map(([a, b]) => (b - a) / HOUR);
  const business = spans.map(([a, b]) => businessHours(a, b));
  return {
    count: spans.length,
    medianHours: percentileCont(hours, 0.5),
    p90Hours: percentileCont(hours, 0.9),
    medianBusinessHours: percentileCont(business, 0.5),
    p90BusinessHours: percentileCont(business, 0.9),
  };
};

export interface RateFigure {
  n: number;
  k: number;
  rate: number | null;
}

const rate = (k: number, n: number): RateFigure => ({ n, k, rate: n > 0 ? k / n : null });

export interface NpsFigure {
  n: number;
  promoters: number;
  detractors: number;
  nps: number | null;
}

function npsOf(scores: number[]): NpsFigure {
  const n = scores.length;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  return { n, promoters, detractors, nps: n > 0 ? (100 * (promoters - detractors)) / n : null };
}

export interface CurrencyCost {
  currency: string;
  costMinor: number;
  complaints: number;
}

export interface Figures {
  firstResponse: { current: Durations; previous: Durations; awaiting: number };
  timeToResolution: { current: Durations; previous: Durations };
  conversion: { current: RateFigure; previous: RateFigure };
  /** Remedies delivered in the range (manager "remedy-cost"). */
  remedyCost: {
    byCurrency: (CurrencyCost & { previousCostMinor: number })[];
    complaints: number;
  };
  /** Delivered remedies of complaints received in the range (executive "recovery-cost"). */
  recoveryCost: CurrencyCost[];
  nps: { before: NpsFigure; after: NpsFigure; noComplaint: NpsFigure; previousAfter: NpsFigure };
  retention: { days: number; complainants: RateFigure; others: RateFigure }[];
  retention90: {
    complainants: RateFigure;
    others: RateFigure;
    previous: { complainants: RateFigure; others: RateFigure };
  };
}

export const angry = (c: DComplaint) =>
  (c.intakeSentiment !== null && c.intakeSentiment <= 2) ||
  (c.intakeNps !== null && c.intakeNps >= 0 && c.intakeNps <= 6);

export const advocate = (c: DComplaint) =>
  (c.outcome?.finalNps != null && c.outcome.finalNps >= 9) ||
  c.signals.some((s) => s.occurredAt.getTime() >= c.receivedAt.getTime());

/** The NPS after recovery: the outcome's, else the latest done follow-up's. */
export function npsAfter(c: DComplaint): number | null {
  if (c.outcome?.finalNps != null) return c.outcome.finalNps;
  const done = c.followUps
    .filter((f) => f.doneAt !== null && f.nps !== null)
    .sort((a, b) => b.doneAt!.getTime() - a.doneAt!.getTime());
  return done[0]?.nps ?? null;
}

const isBuy = (a: DActivity) => a.kind === "purchase" || a.kind === "renewal";

/** Bought in (from, from + N days] with no cancellation after `from` and before the purchase. */
function boughtWithin(mine: DActivity[], from: number, days: number): boolean {
  const end = from + days * DAY;
  return mine.some(
    (p) =>
      isBuy(p) &&
      p.occurredAt.getTime() > from &&
      p.occurredAt.getTime() <= end &&
      !mine.some(
        (x) =>
          x.kind === "cancellation" &&
          x.occurredAt.getTime() > from &&
          x.occurredAt.getTime() < p.occurredAt.getTime(),
      ),
  );
}

/** Month starts in the range (the first day of `from`'s month when none), at most six. */
export function referenceDates(r: Range): string[] {
  const from = new Date(dayStart(r.from));
  const out: string[] = [];
  const y = from.getUTCFullYear();
  let m = from.getUTCMonth() + (from.getUTCDate() === 1 ? 0 : 1);
  for (;;) {
    const t = Date.UTC(y, m, 1);
    if (isoDay(t) > r.to) break;
    out.push(isoDay(t));
    m += 1;
  }
  if (out.length === 0) return [isoDay(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1))];
  const step = Math.ceil(out.length / 6);
  return out.filter((_, i) => i % step === 0);
}

export function computeFigures(data: Dataset, r: Range, now: number): Figures {
  const prev = previousOf(r);
  const byCustomer = new Map<string, DActivity[]>();
  for (const a of data.activities) {
    const list = byCustomer.get(a.customer) ?? [];
    list.push(a);
    byCustomer.set(a.customer, list);
  }
  const activitiesOf = (customer: string) => byCustomer.get(customer) ?? [];
  const received = (range: Range) =>
    data.complaints.filter((c) => within(c.receivedAt.getTime(), range));
  const span = (from: Date, to: Date): [number, number] => [from.getTime(), to.getTime()];

  const firstResponse = (range: Range) =>
    durations(
      received(range)
        .filter((c) => c.firstResponseAt !== null)
        .map((c) => span(c.receivedAt, c.firstResponseAt!)),
    );
  const resolution = (range: Range) =>
    durations(
      data.complaints
        .filter((c) => c.resolvedAt !== null && within(c.resolvedAt.getTime(), range))
        .map((c) => span(c.receivedAt, c.resolvedAt!)),
    );
  const conversion = (range: Range) => {
    const angryClosed = data.complaints.filter(
      (c) => c.closedAt !== null && within(c.closedAt.getTime(), range) && angry(c),
    );
    return rate(angryClosed.filter(advocate).length, angryClosed.length);
  };

  const deliveredCost = (range: Range) => {
    const sums = new Map<string, { cost: number; complaints: Set<string> }>();
    const all = new Set<string>();
    for (const c of data.complaints)
      for (const m of c.remedies) {
        if (m.deliveredAt === null || m.costMinor === null) continue;
        if (!within(m.deliveredAt.getTime(), range)) continue;
        const s = sums.get(m.currency) ?? { cost: 0, complaints: new Set<string>() };
        s.cost += m.costMinor;
        s.complaints.add(c.ref);
        sums.set(m.currency, s);
        all.add(c.ref);
      }
    return { sums, all };
  };
  const cur = deliveredCost(r);
  const before = deliveredCost(prev);
  const currencies = new Set([...cur.sums.keys(), ...before.sums.keys()]);
  const byCost = (a: CurrencyCost, b: CurrencyCost) =>
    b.costMinor - a.costMinor || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0);
  const remedyCost = {
    byCurrency: [...currencies]
      .map((currency) => ({
        currency,
        costMinor: cur.sums.get(currency)?.cost ?? 0,
        previousCostMinor: before.sums.get(currency)?.cost ?? 0,
        complaints: cur.sums.get(currency)?.complaints.size ?? 0,
      }))
      .sort(byCost),
    complaints: cur.all.size,
  };

  const recovery = new Map<string, { cost: number; complaints: Set<string> }>();
  for (const c of received(r))
    for (const m of c.remedies) {
      if (m.deliveredAt === null || m.costMinor === null) continue;
      const s = recovery.get(m.currency) ?? { cost: 0, complaints: new Set<string>() };
      s.cost += m.costMinor;
      s.complaints.add(c.ref);
      recovery.set(m.currency, s);
    }
  const recoveryCost = [...recovery.entries()]
    .map(([currency, s]) => ({ currency, costMinor: s.cost, complaints: s.complaints.size }))
    .sort(byCost);

  const npsAfterIn = (range: Range) =>
    npsOf(
      received(range)
        .map(npsAfter)
        .filter((v): v is number => v !== null),
    );
  const complainedInRange = new Set(received(r).map((c) => c.customer));
  const nps = {
    before: npsOf(
      received(r)
        .map((c) => c.intakeNps)
        .filter((v): v is number => v !== null),
    ),
    after: npsAfterIn(r),
    noComplaint: npsOf(
      data.activities
        .filter(
          (a) =>
            (a.kind === "survey" || a.kind === "review") &&
            a.score !== null &&
            within(a.occurredAt.getTime(), r) &&
            !complainedInRange.has(a.customer),
        )
        .map((a) => a.score!),
    ),
    previousAfter: npsAfterIn(prev),
  };

  const complainants = (range: Range, days: number) => {
    const eligible = received(range).filter((c) => c.receivedAt.getTime() + days * DAY <= now);
    const kept = eligible.filter((c) =>
      boughtWithin(activitiesOf(c.customer), c.receivedAt.getTime(), days),
    );
    return rate(kept.length, eligible.length);
  };
  const others = (range: Range, days: number) => {
    let n = 0;
    let k = 0;
    for (const day of referenceDates(range)) {
      const d = dayStart(day);
      for (const customer of data.customers) {
        const mine = activitiesOf(customer.ref);
        const active = mine.some(
          (a) => isBuy(a) && a.occurredAt.getTime() >= d - 365 * DAY && a.occurredAt.getTime() < d,
        );
        if (!active) continue;
        const complaints = data.complaints
          .filter((c) => c.customer === customer.ref && c.receivedAt.getTime() >= d - 365 * DAY)
          .map((c) => c.receivedAt.getTime());
        const firstComplaint = complaints.length ? Math.min(...complaints) : null;
        const end = d + days * DAY;
        if (end > now || (firstComplaint !== null && firstComplaint <= end)) continue;
        n += 1;
        const buys = mine.filter((a) => isBuy(a) && a.occurredAt.getTime() > d);
        const cancels = mine.filter((a) => a.kind === "cancellation" && a.occurredAt.getTime() > d);
        const firstBuy = buys.length ? Math.min(...buys.map((a) => a.occurredAt.getTime())) : null;
        const firstCancel = cancels.length
          ? Math.min(...cancels.map((a) => a.occurredAt.getTime()))
          : null;
        if (
          firstBuy !== null &&
          firstBuy <= end &&
          (firstCancel === null || firstCancel >= firstBuy)
        )
          k += 1;
      }
    }
    return rate(k, n);
  };

  return {
    firstResponse: {
      current: firstResponse(r),
      previous: firstResponse(prev),
      awaiting: received(r).filter((c) => c.firstResponseAt === null).length,
    },
    timeToResolution: { current: resolution(r), previous: resolution(prev) },
    conversion: { current: conversion(r), previous: conversion(prev) },
    remedyCost,
    recoveryCost,
    nps,
    retention: [30, 90, 180].map((days) => ({
      days,
      complainants: complainants(r, days),
      others: others(r, days),
    })),
    retention90: {
      complainants: complainants(r, 90),
      others: others(r, 90),
      previous: { complainants: complainants(prev, 90), others: others(prev, 90) },
    },
  };
}
