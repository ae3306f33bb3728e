/**
 * Named complaint sets behind the recovery-performance figures (see sets.ts). Each reads one
 * `complaints` row plus correlated subqueries keyed by its org and id, so it composes with every
 * list filter. Keys start with `perf-`; an unreadable `arg` matches nothing (never everything).
 */
import { sql, type SQL } from "drizzle-orm";
import { complaints } from "@/db/schema";
import {
  angry,
  closedLoopHoursSql,
  contactedInLoop,
  open,
  timesKnown,
  unownedHistory,
} from "./predicates";

const none = sql`false`;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/** Calendar hours from receipt to an instant. */
const hoursFromReceipt = (end: SQL) =>
  sql`(extract(epoch from (${end} - ${complaints.receivedAt})) / 3600.0)`;

export { closedLoopHoursSql, contactedInLoop };

/** Open-age buckets (calendar days since receipt), for "backlog by age". Upper bound exclusive. */
export const ageBuckets = [
  { key: "lt1d", label: "< 1 d", fromDays: 0, toDays: 1 },
  { key: "1-3d", label: "1–3 d", fromDays: 1, toDays: 3 },
  { key: "3-7d", label: "3–7 d", fromDays: 3, toDays: 7 },
  { key: "7-14d", label: "1–2 wk", fromDays: 7, toDays: 14 },
  { key: "14-30d", label: "2–4 wk", fromDays: 14, toDays: 30 },
  { key: "30-90d", label: "1–3 mo", fromDays: 30, toDays: 90 },
  { key: "gt90d", label: "> 3 mo", fromDays: 90, toDays: null },
] as const;

/** Time-to-resolution histogram buckets (calendar hours from receipt to resolution). Upper bound exclusive. */
export const ttrBuckets = [
  { key: "lt4h", label: "< 4 h", fromHours: 0, toHours: 4 },
  { key: "4-8h", label: "4–8 h", fromHours: 4, toHours: 8 },
  { key: "8-24h", label: "8–24 h", fromHours: 8, toHours: 24 },
  { key: "1-2d", label: "1–2 d", fromHours: 24, toHours: 48 },
  { key: "2-3d", label: "2–3 d", fromHours: 48, toHours: 72 },
  { key: "3-5d", label: "3–5 d", fromHours: 72, toHours: 120 },
  { key: "5-7d", label: "5–7 d", fromHours: 120, toHours: 168 },
  { key: "7-14d", label: "1–2 wk", fromHours: 168, toHours: 336 },
  { key: "14-30d", label: "2–4 wk", fromHours: 336, toHours: 720 },
  { key: "gt30d", label: "> 30 d", fromHours: 720, toHours: null },
] as const;

function between(value: SQL, from: number, to: number | null): SQL {
  return to == null ? sql`(${value} >= ${from})` : sql`(${value} >= ${from} and ${value} < ${to})`;
}

/** Past its SLA due now. */
export const overdueNow = sql`(${complaints.slaDueAt} is not null and ${complaints.slaDueAt} < now())`;

/**
 * Age now (now − received at) in [fromDays, toDays), as comparisons of the receipt time with
 * `now() − N hours`: the same instants as hours-from-receipt bounds, without per-row arithmetic
 * (the backlog reads every open complaint: 25 ms → a few at 1M).
 */
function ageInBucket(bucket: (typeof ageBuckets)[number]): SQL {
  const ago = (days: number) => sql.raw(`(now() - interval '${days * 24} hours')`);
  const atLeast = sql`${complaints.receivedAt} <= ${ago(bucket.fromDays)}`;
  return bucket.toDays == null
    ? sql`(${atLeast})`
    : sql`(${atLeast} and ${complaints.receivedAt} > ${ago(bucket.toDays)})`;
}

/** The index in `ageBuckets` of a complaint's age now (null when received in the future). */
export function ageBucketIndex(): SQL {
  const whens = ageBuckets.map((b, i) => sql`when ${ageInBucket(b)} then ${sql.raw(String(i))}`);
  return sql`(case ${sql.join(whens, sql` `)} end)`;
}

/**
 * Open now, and its age (now − received at) in the bucket. Arg `<bucket>` or `<bucket>:overdue`
 * (also past its SLA due) or `<bucket>:ontrack` (not past it, or without an SLA).
 */
export function openAgeBucket(arg: string): SQL {
  const [key, part] = arg.split(":");
  const bucket = ageBuckets.find((b) => b.key === key);
  if (!bucket || (part !== undefined && part !== "overdue" && part !== "ontrack")) return none;
  const range = ageInBucket(bucket);
  const overdue = overdueNow;
  const split =
    part === "overdue"
      ? sql` and ${overdue}`
      : part === "ontrack"
        ? sql` and not ${overdue}`
        : sql``;
  return sql`(${open} and ${range}${split})`;
}

/** Resolved, with a calendar time to resolution in the bucket. */
export function ttrBucket(key: string): SQL {
  const bucket = ttrBuckets.find((b) => b.key === key);
  if (!bucket) return none;
  return sql`(${complaints.resolvedAt} is not null and ${timesKnown} and ${between(hoursFromReceipt(sql`${complaints.resolvedAt}`), bucket.fromHours, bucket.toHours)})`;
}

/** The first instant after the UTC day `arg` (YYYY-MM-DD), or null when unreadable. */
function endOfDay(arg: string): string | null {
  if (!isoDay.test(arg)) return null;
  const t = Date.parse(`${arg}T00:00:00Z`);
  if (Number.isNaN(t)) return null;
  return new Date(t + 86_400_000).toISOString();
}

/**
 * Open at the end of UTC day `arg`: received by then and not resolved (nor closed) by then.
 * Reconstructed from timestamps: a complaint reopened later counts from its latest resolution.
 * Used for "open" and "overdue" in the previous period (the current figures use status, now).
 * Never unowned history (as `open`), nor a complaint whose times were inferred (its day unknown).
 */
export function openAt(arg: string): SQL {
  const end = endOfDay(arg);
  if (!end) return none;
  return sql`(${timesKnown} and not ${unownedHistory} and ${complaints.receivedAt} < ${end}::timestamptz and (${complaints.resolvedAt} is null or ${complaints.resolvedAt} >= ${end}::timestamptz) and (${complaints.closedAt} is null or ${complaints.closedAt} >= ${end}::timestamptz))`;
}

/** Open at the end of UTC day `arg` and past its SLA due by then. */
export function overdueAt(arg: string): SQL {
  const end = endOfDay(arg);
  if (!end) return none;
  return sql`(${openAt(arg)} and ${complaints.slaDueAt} < ${end}::timestamptz)`;
}

/**
 * Every required, active playbook step done. Vacuously true when the playbook has no required
 * step (then the adherence shares are reported as null, not 100 %).
 */
export const allRequiredSteps = sql`not exists (select 1 from playbook_steps ps where ps.org_id = ${complaints.orgId} and ps.required and ps.active and not exists (select 1 from complaint_steps cs where cs.org_id = ps.org_id and cs.complaint_id = ${complaints.id} and cs.step_id = ps.id))`;

/** A given playbook step (by id) done on the complaint. */
export function stepDoneOn(stepId: string): SQL {
  if (!guid.test(stepId)) return none;
  return sql`exists (select 1 from complaint_steps cs where cs.org_id = ${complaints.orgId} and cs.complaint_id = ${complaints.id} and cs.step_id = ${stepId}::uuid)`;
}

/**
 * Some remedy of the complaint with a known cost delivered on UTC days `from..to`, optionally in
 * one currency: arg `YYYY-MM-DD..YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD..EUR`.
 */
export function remedyDeliveredBetween(arg: string): SQL {
  const [from, to, currency] = arg.split("..");
  const end = to ? endOfDay(to) : null;
  if (!from || !isoDay.test(from) || !end) return none;
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) return none;
  const inCurrency = currency ? sql` and r.currency = ${currency}` : sql``;
  return sql`exists (select 1 from remedies r where r.org_id = ${complaints.orgId} and r.complaint_id = ${complaints.id} and r.delivered_at >= ${`${from}T00:00:00.000Z`}::timestamptz and r.delivered_at < ${end}::timestamptz and r.cost_minor is not null${inCurrency})`;
}

export const performanceSets = {
  "perf-responded": {
    label: "With a first response",
    predicate: sql`(${complaints.firstResponseAt} is not null and ${timesKnown})`,
  },
  "perf-awaiting-response": {
    label: "Awaiting a first response",
    predicate: sql`(${complaints.firstResponseAt} is null and ${timesKnown})`,
  },
  "perf-angry-timed": {
    label: "Angry, times known",
    predicate: sql`(${angry} and ${timesKnown})`,
  },
  "perf-closed-loop": {
    label: "Angry, contacted within the closed-loop window",
    predicate: sql`(${angry} and ${contactedInLoop})`,
  },
  "perf-angry-contacted": {
    label: "Angry, with a first contact",
    predicate: sql`(${angry} and ${complaints.firstResponseAt} is not null and ${timesKnown})`,
  },
  "perf-ever-resolved": {
    label: "Resolved at least once",
    predicate: sql`(${complaints.resolvedAt} is not null or ${complaints.reopenCount} > 0)`,
  },
  "perf-all-steps": {
    label: "Resolved with every required playbook step",
    predicate: sql`(${complaints.resolvedAt} is not null and ${allRequiredSteps})`,
  },
  "perf-step": {
    label: "Resolved with the playbook step done",
    predicate: (arg: string) => sql`(${complaints.resolvedAt} is not null and ${stepDoneOn(arg)})`,
  },
  "perf-age": { label: "Open, in the age bucket", predicate: openAgeBucket },
  "perf-ttr": { label: "Resolved, time to resolution in the bucket", predicate: ttrBucket },
  "perf-open-at": { label: "Open at the end of the day", predicate: openAt },
  "perf-overdue-at": { label: "Overdue at the end of the day", predicate: overdueAt },
  "perf-remedy-cost": {
    label: "With a costed remedy delivered in the period",
    predicate: remedyDeliveredBetween,
  },
} satisfies Record<string, { label: string; predicate: SQL | ((arg: string) => SQL) }>;
