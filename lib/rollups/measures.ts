/**
 * What a complaint adds to a daily rollup row: each measure is an expression over one fact row
 * (alias `d`). A rollup row holds the sums; a figure reads the sums of the days in its range.
 */
import { ttrBuckets } from "@/lib/metrics/sets-performance";

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

const bucketExpr = (from: number, to: number | null) =>
  to == null
    ? `(d.resolved_at is not null and d.resolution_hours >= ${from})`
    : `(d.resolved_at is not null and d.resolution_hours >= ${from} and d.resolution_hours < ${to})`;

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
];

/** Bump when a fact or measure definition changes: organisations are rebuilt on next use. */
export const ROLLUP_VERSION = 1;
