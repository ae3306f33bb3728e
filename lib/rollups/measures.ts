/**
 * What a complaint adds to a daily rollup row: each measure is an expression over one fact row
 * (alias `d`). A rollup row holds the sums; a figure reads the sums of the days in its range.
 */
import { ttrBuckets } from "@/lib/metrics/sets-performance";
import { FAST_HOURS, responseBuckets } from "@/lib/metrics/sets-retention";

/** Date bases: the day a complaint counts on. The index is the rollup's `basis`. */
export const rollupBases = ["received", "resolved", "closed"] as const;
export type RollupBasis = (typeof rollupBases)[number];
export const basisColumn: Record<RollupBasis, string> = {
  received: "received_at",
  resolved: "resolved_at",
  closed: "closed_at",
};

/** Dimensions a dashboard filters on. The index is the rollup's `dim` (0 = no dimension). */
export const rollupDimensions = [
  "none",
  "team",
  "owner",
  "channel",
  "severity",
  "product",
  "rootCause",
] as const;
export type RollupDimension = (typeof rollupDimensions)[number];
export const dimensionColumn: Record<Exclude<RollupDimension, "none">, string> = {
  team: "team_id",
  owner: "owner_id",
  channel: "channel",
  severity: "severity",
  product: "product_id",
  rootCause: "root_cause_id",
};

/**
 * The "cell" dimension (dim 9): key "<team>|<channel>|<severity>" ("none" for no team). Filters on
 * any two or three of team, channel and severity sum the matching cells — a few hundred rows a
 * day at most, where the facts would be scanned for every complaint in the range.
 */
export const CELL_DIM = 9;
export const cellDimensions = ["team", "channel", "severity"] as const;
export type CellDimension = (typeof cellDimensions)[number];
/** The cell key of a complaint row alias `d` (SQL text); stored as the fact column `cell`. */
export const cellKeyOf = (d: string) =>
  `coalesce(${d}.team_id::text, 'none') || '|' || ${d}.channel::text || '|' || ${d}.severity::text`;

/**
 * Pair dimensions: one dimension's values ("group") within each value of another ("filter"), key
 * "<group value>|<filter value>" ("none" for no value), so a dashboard with one filter groups by
 * root cause (Pareto, trend, repeat complaints, heat map) or by owner (the agent table) from the
 * rollups instead of the facts. Root-cause pairs count on the received basis only (what those
 * figures read); owner pairs on received, resolved and closed (`lastBasis`: the highest basis
 * index kept). Dims 7 and 8 were the heat map's first two.
 */
export const pairDimensions = [
  { dim: 7, group: "rootCause", filter: "product", lastBasis: 0 },
  { dim: 8, group: "rootCause", filter: "channel", lastBasis: 0 },
  { dim: 10, group: "rootCause", filter: "team", lastBasis: 0 },
  { dim: 11, group: "rootCause", filter: "owner", lastBasis: 0 },
  { dim: 12, group: "rootCause", filter: "severity", lastBasis: 0 },
  { dim: 13, group: "owner", filter: "team", lastBasis: 2 },
  { dim: 14, group: "owner", filter: "channel", lastBasis: 2 },
  { dim: 15, group: "owner", filter: "severity", lastBasis: 2 },
  { dim: 16, group: "owner", filter: "product", lastBasis: 2 },
  { dim: 17, group: "owner", filter: "rootCause", lastBasis: 2 },
] as const satisfies readonly {
  dim: number;
  group: Exclude<RollupDimension, "none">;
  filter: Exclude<RollupDimension, "none">;
  lastBasis: number;
}[];
export type PairDimension = (typeof pairDimensions)[number];

/** The owner, product and root-cause dimensions, and their prefix in a fact row's `keys`. */
export const keyedDimensions = { owner: "o", product: "p", rootCause: "r" } as const;
export type KeyedDimension = keyof typeof keyedDimensions;
/** The `keys` of a complaint row alias `d` (SQL text): "o:<owner>", "p:<product>", "r:<cause>". */
export const factKeysOf = (d: string) =>
  `array['o:' || coalesce(${d}.owner_id::text, 'none'), 'p:' || coalesce(${d}.product_id::text, 'none'), 'r:' || coalesce(${d}.root_cause_id::text, 'none')]`;

/**
 * Tags in a fact row's `keys` beside the dimension keys, decided by lib/metrics/predicates.ts:
 * the complaint's resolved/closed times were inferred (`timesInferred`: time-based figures leave
 * it out — no resolved or closed day, no durations — and count it on the "left out" bases), and
 * unowned history (`unownedHistory`: never open or overdue at a day's end).
 */
export const INFERRED_TAG = "t:inferred";
export const UNOWNED_HISTORY_TAG = "h:unowned";
/** Whether fact row alias `d` has a tag (SQL text). */
export const hasTag = (d: string, tag: string) => `(${d}.keys @> array['${tag}'])`;
export const inferredOf = (d: string) => hasTag(d, INFERRED_TAG);

/**
 * Resolved within FAST_HOURS calendar hours / later / not resolved (lib/metrics/sets-retention.ts);
 * a complaint whose times were inferred has no resolution hours and is in none of them.
 */
const recovery = {
  fast: `(d.resolution_hours is not null and d.resolution_hours <= ${FAST_HOURS})`,
  slow: `(d.resolution_hours is not null and d.resolution_hours > ${FAST_HOURS})`,
  unresolved: `(d.resolved_at is null and not ${inferredOf("d")})`,
};
const severityGroup = {
  minor: `d.severity in ('minor', 'moderate')`,
  major: `d.severity in ('major', 'critical')`,
};

/**
 * The first-response bucket key of a fact row (as the `response-bucket` set decides it); null when
 * its times were inferred.
 */
export const responseBucketExpr = `(case when ${inferredOf("d")} then null ${responseBuckets
  .map((b) =>
    b.low === null
      ? `when d.first_response_hours is null then '${b.key}'`
      : `when ${b.low === 0 ? "true" : `d.first_response_hours > ${b.low}`} and ${b.high === null ? "true" : `d.first_response_hours <= ${b.high}`} then '${b.key}'`,
  )
  .join(" ")} end)`;

/** Measures of the factor rollups (playbook effect, adherence by step). */
export const factorMeasures: [string, string][] = [
  ["complaints", "1"],
  ["angry", "d.angry::int"],
  ["angry_advocate", "(d.angry and d.advocate)::int"],
  ["retained90", "d.retained90::int"],
];

const bucketExpr = (from: number, to: number | null) =>
  to == null
    ? `(d.resolution_hours is not null and d.resolution_hours >= ${from})`
    : `(d.resolution_hours is not null and d.resolution_hours >= ${from} and d.resolution_hours < ${to})`;

/** complaint_rollups measure column → its value for one fact row `d` (SQL text, no parameters). */
export const rollupMeasures: [string, string][] = [
  ["complaints", "1"],
  ["angry", "d.angry::int"],
  ["advocate", "d.advocate::int"],
  ["angry_advocate", "(d.angry and d.advocate)::int"],
  ["responded", "(d.first_response_hours is not null)::int"],
  ["angry_responded", "(d.angry and d.first_response_hours is not null)::int"],
  ["angry_contacted_in_loop", "(d.angry and d.contacted_in_loop)::int"],
  ["resolved", "(d.resolved_at is not null)::int"],
  ["sla_counted", "d.sla_counted::int"],
  ["sla_met", "d.sla_met::int"],
  ["promise_made", "d.promise_made::int"],
  ["promise_kept", "d.promise_kept::int"],
  ["reopened", "d.reopened::int"],
  ["ever_resolved", "d.ever_resolved::int"],
  [
    "required_steps_done",
    "(case when d.resolved_at is not null then d.required_steps_done else 0 end)",
  ],
  ["resolved_all_steps", "(d.resolved_at is not null and d.all_required_steps)::int"],
  ...ttrBuckets.map((b, i): [string, string] => [
    `ttr${i}`,
    `${bucketExpr(b.fromHours, b.toHours)}::int`,
  ]),
  ["repeat", "d.repeat::int"],
  ["retained30", "d.retained30::int"],
  ["retained90", "d.retained90::int"],
  ["retained180", "d.retained180::int"],
  ["funnel_contacted", "(d.angry and d.contacted_in_loop)::int"],
  ["funnel_remedied", "(d.angry and d.contacted_in_loop and d.remedy_delivered)::int"],
  [
    "funnel_followed_up",
    "(d.angry and d.contacted_in_loop and d.remedy_delivered and d.followed_up)::int",
  ],
  [
    "funnel_advocate",
    "(d.angry and d.contacted_in_loop and d.remedy_delivered and d.followed_up and d.advocate)::int",
  ],
  ...(["fast", "slow", "unresolved"] as const).flatMap((b): [string, string][] => [
    [`angry_${b}`, `(d.angry and ${recovery[b]})::int`],
    [`angry_advocate_${b}`, `(d.angry and d.advocate and ${recovery[b]})::int`],
  ]),
  ...(["minor", "major"] as const).flatMap((g) =>
    (["fast", "slow", "unresolved"] as const).flatMap((b): [string, string][] => [
      [`${b}_${g}`, `(${recovery[b]} and ${severityGroup[g]})::int`],
      [`${b}_${g}_retained90`, `(${recovery[b]} and ${severityGroup[g]} and d.retained90)::int`],
    ]),
  ),
  ["nps_before", "(d.intake_nps is not null)::int"],
  ["nps_before_promoters", "coalesce(d.intake_nps >= 9, false)::int"],
  ["nps_before_detractors", "coalesce(d.intake_nps <= 6, false)::int"],
  ["nps_after", "(d.nps_after is not null)::int"],
  ["nps_after_promoters", "coalesce(d.nps_after >= 9, false)::int"],
  ["nps_after_detractors", "coalesce(d.nps_after <= 6, false)::int"],
];

/** Bump when a fact or measure definition changes: organisations are rebuilt on next use. */
export const ROLLUP_VERSION = 20;
