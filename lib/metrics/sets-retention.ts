/**
 * Named complaint sets behind the retention figures (see sets.ts). Each reads one `complaints`
 * row plus correlated subqueries keyed by its org and id, so it composes with every list filter.
 *
 * Parametric sets take `arg` = `<value>[:without][:<measure>]`:
 * - `<value>` picks the factor level (a step id, a remedy kind, a bucket name, …);
 * - `:without` negates the factor (complaints WITHOUT it — "does the playbook work?");
 * - `<measure>` narrows to the complaints a figure counts: `angry`, `advocate` (angry AND
 *   advocate), `e30|e90|e180` (N days have passed since receipt: counted for retention),
 *   `r30|r90|r180` (retained at N days; implies eligible).
 * So `set=remedy-kind&arg=refund:advocate` lists the angry complaints with a delivered refund that
 * became advocates, and `set=step-done&arg=<stepId>:without:r90` those without the step retained
 * at 90 days. An unreadable value matches nothing (never everything).
 */
import { sql, type SQL } from "drizzle-orm";
import { complaints, remedyKinds } from "@/db/schema";
import {
  advocate,
  angry,
  contactedInLoop,
  followedUp,
  remedyDelivered,
  timesKnown,
} from "./predicates";

const none = sql`false`;

/** "Fast" recovery: resolved within 48 calendar hours of receipt (a fixed, documented cut-off). */
export const FAST_HOURS = 48;

/**
 * Contacted within the closed-loop window: a first response within the default policy's
 * `closedLoopHours` (48 h when the org has no policy) of receipt, in calendar hours.
 */
/** N days have passed since the complaint was received (retention at N days is only counted then). */
export function retentionEligible(days: number): SQL {
  return sql`(${complaints.receivedAt} + ${sql.raw(`interval '${Math.trunc(days)} days'`)} <= now())`;
}

/**
 * Retained at N days: a purchase or renewal in (received at, received at + N days] with no
 * cancellation between the complaint and it (cancellations before the complaint do not count: a
 * customer who cancelled earlier and buys again after the complaint came back). Only eligible
 * complaints (N days passed) can be retained.
 */
export function retainedAt(days: number): SQL {
  return sql`(${retentionEligible(days)} and ${boughtWithin(days)})`;
}

/** A purchase or renewal in (received at, received at + N days] with no cancellation before it. */
export function boughtWithin(days: number): SQL {
  const n = sql.raw(`interval '${Math.trunc(days)} days'`);
  return sql`(exists (select 1 from customer_activities p where p.org_id = ${complaints.orgId} and p.customer_id = ${complaints.customerId} and p.kind in ('purchase', 'renewal') and p.occurred_at > ${complaints.receivedAt} and p.occurred_at <= ${complaints.receivedAt} + ${n} and not exists (select 1 from customer_activities x where x.org_id = p.org_id and x.customer_id = p.customer_id and x.kind = 'cancellation' and x.occurred_at > ${complaints.receivedAt} and x.occurred_at < p.occurred_at)))`;
}

export const ttrBuckets = ["fast", "slow", "unresolved"] as const;
export type TtrBucket = (typeof ttrBuckets)[number];
/**
 * fast: resolved ≤ 48 calendar hours after receipt; slow: resolved later; unresolved: resolved_at
 * null. A complaint whose times were inferred is in none of them (its speed is unknown).
 */
export function ttrBucket(bucket: string): SQL {
  const within = sql`${complaints.resolvedAt} <= ${complaints.receivedAt} + ${sql.raw(`interval '${FAST_HOURS} hours'`)}`;
  switch (bucket) {
    case "fast":
      return sql`(${complaints.resolvedAt} is not null and ${timesKnown} and ${within})`;
    case "slow":
      return sql`(${complaints.resolvedAt} is not null and ${timesKnown} and not (${within}))`;
    case "unresolved":
      return sql`(${complaints.resolvedAt} is null and ${timesKnown})`;
    default:
      return none;
  }
}

export const severityGroups = ["minor", "major"] as const;
export type SeverityGroup = (typeof severityGroups)[number];
/** minor = minor or moderate; major = major or critical. */
export function severityGroup(group: string): SQL {
  if (group === "minor") return sql`(${complaints.severity} in ('minor', 'moderate'))`;
  if (group === "major") return sql`(${complaints.severity} in ('major', 'critical'))`;
  return none;
}

/**
 * First-response-time buckets (calendar hours); `none` = no first response recorded. A complaint
 * whose times were inferred is in none of them.
 */
export const responseBuckets = [
  { key: "h4", label: "≤ 4 h", low: 0, high: 4 },
  { key: "h24", label: "4–24 h", low: 4, high: 24 },
  { key: "h48", label: "24–48 h", low: 24, high: 48 },
  { key: "over48", label: "> 48 h", low: 48, high: null },
  { key: "none", label: "No response", low: null, high: null },
] as const;
export function responseBucket(key: string): SQL {
  const b = responseBuckets.find((r) => r.key === key);
  if (!b) return none;
  if (b.low === null) return sql`(${complaints.firstResponseAt} is null and ${timesKnown})`;
  const elapsed = sql`(${complaints.firstResponseAt} - ${complaints.receivedAt})`;
  const lower = b.low === 0 ? sql`true` : sql`${elapsed} > ${sql.raw(`interval '${b.low} hours'`)}`;
  const upper =
    b.high === null ? sql`true` : sql`${elapsed} <= ${sql.raw(`interval '${b.high} hours'`)}`;
  return sql`(${complaints.firstResponseAt} is not null and ${timesKnown} and ${lower} and ${upper})`;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function stepDone(stepId: string): SQL {
  if (!guid.test(stepId)) return none;
  return sql`exists (select 1 from complaint_steps cs where cs.org_id = ${complaints.orgId} and cs.complaint_id = ${complaints.id} and cs.step_id = ${stepId}::uuid)`;
}

export function remedyKind(kind: string): SQL {
  if (!(remedyKinds as readonly string[]).includes(kind)) return none;
  return sql`exists (select 1 from remedies r where r.org_id = ${complaints.orgId} and r.complaint_id = ${complaints.id} and r.delivered_at is not null and r.kind = ${kind})`;
}

/** Promise kept: a promise was made and the complaint was resolved by it (false, never null, otherwise). */
export const promiseKept = sql`coalesce(${complaints.promisedBy} is not null and ${complaints.resolvedAt} <= ${complaints.promisedBy}, false)`;

/** A delivered remedy with a known cost in this currency (recovery cost and ROI). */
export function remedyCurrency(currency: string): SQL {
  if (!/^[A-Z]{3}$/.test(currency)) return none;
  return sql`exists (select 1 from remedies r where r.org_id = ${complaints.orgId} and r.complaint_id = ${complaints.id} and r.delivered_at is not null and r.cost_minor is not null and r.currency = ${currency})`;
}

/** The complaint's NPS after recovery: the outcome NPS, else the latest done follow-up's NPS. */
export const npsAfter = sql`coalesce((select o.final_nps from outcomes o where o.org_id = ${complaints.orgId} and o.complaint_id = ${complaints.id}), (select fu.nps from follow_ups fu where fu.org_id = ${complaints.orgId} and fu.complaint_id = ${complaints.id} and fu.done_at is not null and fu.nps is not null order by fu.done_at desc limit 1))`;

/** The measure suffix of an arg (see the module comment). */
export function measure(name: string | undefined): SQL | null {
  if (name === undefined) return sql`true`;
  if (name === "angry") return angry;
  if (name === "advocate") return sql`(${angry} and ${advocate})`;
  const m = /^([er])(30|90|180)$/.exec(name);
  if (!m) return null;
  const days = Number(m[2]);
  return m[1] === "e" ? retentionEligible(days) : retainedAt(days);
}

/** Builds `arg` for a parametric set: value, with/without, measure. */
export function setArg(value: string, options: { without?: boolean; measure?: string } = {}) {
  return [value, options.without ? "without" : null, options.measure ?? null]
    .filter((p): p is string => p !== null)
    .join(":");
}

function parametric(factor: (value: string) => SQL, { negatable = true } = {}) {
  return (arg: string): SQL => {
    const [value = "", ...rest] = arg.split(":");
    let without = false;
    if (rest[0] === "without" && negatable) {
      without = true;
      rest.shift();
    }
    if (rest.length > 1) return none;
    const narrowed = measure(rest[0]);
    if (!narrowed) return none;
    const base = factor(value);
    return sql`(${without ? sql`not ${base}` : base} and ${narrowed})`;
  };
}

/** Cumulative funnel stages over angry complaints. */
export const funnelStages = ["angry", "contacted", "remedied", "followed-up", "advocate"] as const;
export type FunnelStage = (typeof funnelStages)[number];
export function funnelStage(stage: string): SQL {
  const index = funnelStages.indexOf(stage as FunnelStage);
  if (index < 0) return none;
  const parts = [angry, contactedInLoop, remedyDelivered, followedUp, advocate].slice(0, index + 1);
  return sql`(${sql.join(parts, sql` and `)})`;
}

/** "fast.minor" etc.: the retention-by-recovery grid cells. */
function recoveryCell(value: string): SQL {
  const [bucket = "", group = ""] = value.split(".");
  return sql`(${ttrBucket(bucket)} and ${severityGroup(group)})`;
}

export const retentionSets = {
  "funnel-stage": {
    label: "Angry → advocate funnel stage",
    predicate: parametric(funnelStage, { negatable: false }),
  },
  "step-done": { label: "Playbook step done", predicate: parametric(stepDone) },
  "remedy-kind": { label: "Delivered remedy of a kind", predicate: parametric(remedyKind) },
  "ttr-bucket": { label: "Time-to-resolution bucket", predicate: parametric(ttrBucket) },
  "response-bucket": { label: "First-response bucket", predicate: parametric(responseBucket) },
  "promise-kept-factor": {
    label: "Promise kept (with / without)",
    predicate: parametric((v) => (v === "yes" ? promiseKept : none)),
  },
  "recovery-cell": {
    label: "Resolved fast / slow / not × minor / major",
    predicate: parametric(recoveryCell),
  },
  retention: {
    label: "Complaints counted for retention",
    predicate: parametric((v) => (v === "all" ? sql`true` : none), { negatable: false }),
  },
  "remedy-currency": {
    label: "Delivered remedy cost in a currency",
    predicate: parametric(remedyCurrency, { negatable: false }),
  },
  "nps-before": {
    label: "With an intake NPS",
    predicate: sql`(${complaints.intakeNps} is not null)`,
  },
  "nps-after": { label: "With an NPS after recovery", predicate: sql`(${npsAfter} is not null)` },
} satisfies Record<string, { label: string; predicate: SQL | ((arg: string) => SQL) }>;
