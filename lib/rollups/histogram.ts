/**
 * Duration histograms for percentiles (lib/rollups/read.ts): log buckets 1.9 % wide from one
 * microsecond up, so every value is within 0.95 % of its bucket's representative, and a median or
 * p90 interpolated between two representatives (as percentile_cont interpolates between two
 * values) is within 1 % of the exact one. Zero has its own bucket; negatives mirror positives.
 * Blocks: aligned runs of 1/4/16/64 weeks, and single days (span 0) for a range's days outside
 * whole weeks; each at two levels (fine, and coarse = 32 fine buckets), so a percentile reads a
 * few dozen rows per block and never the complaint facts.
 */
import type { RollupBasis } from "./measures";

/** One microsecond in hours: no two distinct timestamps are closer. */
const VMIN = 1 / 3_600_000_000;
const RATIO = 1.019;

/** The bucket of a duration in hours, in SQL (`expr` is SQL text over the fact row). */
export function bucketSql(expr: string): string {
  const index = (v: string) =>
    `least(32000, greatest(1, 1 + floor(ln(${v} / ${VMIN}) / ln(${RATIO}))::int))`;
  return `(case when ${expr} = 0 then 0 when ${expr} > 0 then ${index(expr)} else -${index(`-(${expr})`)} end)`;
}

/** The value a bucket stands for: the geometric middle of its bounds. */
export function representative(bucket: number): number {
  if (bucket === 0) return 0;
  const v = VMIN * RATIO ** (Math.abs(bucket) - 0.5);
  return bucket < 0 ? -v : v;
}

/** percentile_cont over a histogram (bucket → count): the same interpolation, on representatives. */
export function percentileOf(histogram: Map<number, number>, p: number): number | null {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((t, [, n]) => t + n, 0);
  if (total === 0) return null;
  const position = p * (total - 1);
  const valueAt = (k: number) => {
    let seen = 0;
    for (const [bucket, n] of buckets) {
      seen += n;
      if (k < seen) return representative(bucket);
    }
    return representative(buckets.at(-1)![0]);
  };
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  const low = valueAt(lo);
  return lo === hi ? low : low + (position - lo) * (valueAt(hi) - low);
}

/** Some buckets of a histogram with their cumulative counts, and its total (`percentileOfRuns`). */
export interface Cumulative {
  total: number;
  runs: { bucket: number; n: number; cum: number }[];
}

/**
 * `percentileOf` from only the buckets around the percentile's position: each run holds the
 * values ranked [cum − n, cum). The same interpolation, the same result.
 */
export function percentileOfRuns(histogram: Cumulative, p: number): number | null {
  if (histogram.total <= 0) return null;
  const position = p * (histogram.total - 1);
  const valueAt = (k: number) => {
    const run = histogram.runs.find((r) => r.cum - r.n <= k && k < r.cum);
    if (!run) throw new Error(`No histogram bucket holds rank ${k}`);
    return representative(run.bucket);
  };
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  const low = valueAt(lo);
  return lo === hi ? low : low + (position - lo) * (valueAt(hi) - low);
}

/** Block sizes in weeks: any run of whole weeks is a few aligned blocks. */
export const SPANS = [64, 16, 4, 1] as const;
/** Span 0: one day's block (start = the day), for the days of a range outside whole weeks. */
export const DAY_SPAN = 0;
const EPOCH_MONDAY = Date.UTC(1970, 0, 5);
const WEEK = 7 * 86_400_000;

/** The aligned blocks covering weeks [firstMonday, lastMonday] (YYYY-MM-DD Mondays, inclusive). */
export function blocksOf(
  firstMonday: string,
  lastMonday: string,
): { span: number; start: string }[] {
  let a = Math.round((Date.parse(`${firstMonday}T00:00:00Z`) - EPOCH_MONDAY) / WEEK);
  const b = Math.round((Date.parse(`${lastMonday}T00:00:00Z`) - EPOCH_MONDAY) / WEEK);
  const out: { span: number; start: string }[] = [];
  while (a <= b) {
    const span = SPANS.find((s) => ((a % s) + s) % s === 0 && a + s - 1 <= b)!;
    out.push({ span, start: new Date(EPOCH_MONDAY + a * WEEK).toISOString().slice(0, 10) });
    a += span;
  }
  return out;
}

export interface DurationDefinition {
  basis: RollupBasis;
  /** Which fact rows count (SQL over `d`). */
  where: string;
  /** Calendar and business hours fact columns. */
  columns: [string, string];
  /** Their histogram measures. */
  measures: [number, number];
  /** The rollup measure counting the complaints measured. */
  counted: string;
}

/** The durations the dashboards take percentiles of. */
export const durations = {
  firstResponse: {
    basis: "received",
    where: "d.first_response_hours is not null",
    columns: ["first_response_hours", "first_response_business_hours"],
    measures: [0, 1],
    counted: "responded",
  },
  resolution: {
    basis: "resolved",
    where: "d.resolution_hours is not null",
    columns: ["resolution_hours", "resolution_business_hours"],
    measures: [2, 3],
    counted: "resolved",
  },
  timeToContact: {
    basis: "received",
    where: "d.angry and d.first_response_hours is not null",
    columns: ["first_response_hours", "first_response_business_hours"],
    measures: [4, 5],
    counted: "angry_responded",
  },
} satisfies Record<string, DurationDefinition>;
export type Duration = keyof typeof durations;

/**
 * Two levels per histogram: the fine buckets, and coarse ones of COARSE_WIDTH fine buckets each
 * (`bucket >> 5`), stored as measure + COARSE_MEASURE. A percentile first finds its coarse bucket
 * (a few dozen rows per block), then reads only the fine buckets inside it, instead of every
 * fine bucket of every block (~500 each): same buckets, same result, ~10× fewer rows read.
 */
export const COARSE_SHIFT = 5;
export const COARSE_MEASURE = 16;

/**
 * Histogram lines of fact rows `d` (with `sign`): one per duration measure, level and block span,
 * for every complaint (owner '') and for its owner.
 */
export function histogramLines(source: string): string {
  const parts = Object.values(durations).flatMap((def) =>
    def.columns.map(
      (column, i) =>
        `(${def.measures[i]}, case when ${def.where} then d.${column} end, d.${def.basis === "resolved" ? "resolved_at" : "received_at"})`,
    ),
  );
  return `select d.org_id, lv.measure, sp.span,
      (case when sp.span = ${DAY_SPAN} then w.day
        else w.monday - (((((w.monday - date '1970-01-05') / 7) % sp.span) + sp.span) % sp.span) * 7 end) as start,
      o.owner, lv.bucket, d.sign as complaints
    from ${source} d
    cross join lateral (values ${parts.join(", ")}) as m(measure, v, at)
    cross join lateral (select (m.at at time zone 'UTC')::date as day, date_trunc('week', m.at at time zone 'UTC')::date as monday, ${bucketSql("m.v")} as bucket) w
    cross join lateral (values (m.measure, w.bucket), (m.measure + ${COARSE_MEASURE}, w.bucket >> ${COARSE_SHIFT})) as lv(measure, bucket)
    cross join (values ${[DAY_SPAN, ...SPANS].map((s) => `(${s})`).join(", ")}) as sp(span)
    cross join lateral (values (''), (coalesce(d.owner_id::text, 'none'))) as o(owner)
    where m.v is not null and m.at is not null`;
}
