/**
 * Named sets of complaints behind the figures: each metric counts complaints with one of these
 * predicates, and its drill-down opens the list with `?set=<key>`, which applies the very same
 * predicate — so the list's count always equals the figure clicked.
 *
 * Each predicate reads only the `complaints` row (and correlated subqueries keyed by its org and
 * id), so it composes with every list filter.
 */
import { sql, type SQL } from "drizzle-orm";
import { complaints } from "@/db/schema";
import {
  advocate,
  angry,
  followedUp,
  open,
  remedyDelivered,
  resolved,
  timesInferred,
  timesKnown,
} from "./predicates";
import { performanceSets } from "./sets-performance";
import { retentionSets } from "./sets-retention";
import { rootCauseSets } from "./sets-root-causes";

export interface DrillSetDefinition {
  label: string;
  /** A fixed predicate, or one taking the list's `arg` parameter (a step id, a remedy kind, a bucket). */
  predicate: SQL | ((arg: string) => SQL);
}

/** The predicate of a set for a list request (`arg` feeds parametric sets). */
export function setPredicate(set: DrillSet, arg: string | undefined): SQL {
  const { predicate } = drillSets[set] as DrillSetDefinition;
  return typeof predicate === "function" ? predicate(arg ?? "") : predicate;
}

export const drillSets = {
  open: { label: "Open", predicate: open },
  resolved: { label: "Resolved", predicate: resolved },
  unresolved: { label: "Not resolved", predicate: sql`${complaints.resolvedAt} is null` },
  responded: {
    label: "With a first response",
    predicate: sql`(${complaints.firstResponseAt} is not null and ${timesKnown})`,
  },
  angry: { label: "Angry at intake", predicate: angry },
  advocate: { label: "Became advocates", predicate: advocate },
  "angry-advocate": { label: "Angry → advocate", predicate: sql`(${angry} and ${advocate})` },
  "sla-met": {
    label: "Resolved within SLA",
    predicate: sql`(${complaints.slaDueAt} is not null and ${complaints.resolvedAt} <= ${complaints.slaDueAt})`,
  },
  "sla-missed": {
    label: "Resolved after SLA",
    predicate: sql`(${complaints.slaDueAt} is not null and ${complaints.resolvedAt} > ${complaints.slaDueAt})`,
  },
  "sla-counted": {
    label: "Resolved with an SLA",
    predicate: sql`(${complaints.slaDueAt} is not null and ${resolved})`,
  },
  "promise-made": {
    label: "Resolved with a promise",
    predicate: sql`(${complaints.promisedBy} is not null and ${resolved})`,
  },
  "promise-kept": {
    label: "Promise kept",
    predicate: sql`(${complaints.promisedBy} is not null and ${complaints.resolvedAt} <= ${complaints.promisedBy})`,
  },
  "promise-broken": {
    label: "Promise broken",
    predicate: sql`(${complaints.promisedBy} is not null and ${complaints.resolvedAt} > ${complaints.promisedBy})`,
  },
  overdue: {
    label: "Open past SLA",
    predicate: sql`(${open} and ${complaints.slaDueAt} < now())`,
  },
  reopened: { label: "Reopened", predicate: sql`${complaints.reopenCount} > 0` },
  "remedy-delivered": { label: "With a delivered remedy", predicate: remedyDelivered },
  "followed-up": { label: "Followed up", predicate: followedUp },
  /**
   * What a time-based figure leaves out: times completed by rule (arg `angry`: the angry ones).
   * The one set a resolved or closed date basis still finds them with, by their inferred times
   * (see `knownTimesOnly`).
   */
  "times-inferred": {
    label: "Times completed by rule (left out)",
    predicate: (arg: string) =>
      arg === ""
        ? timesInferred
        : arg === "angry"
          ? sql`(${timesInferred} and ${angry})`
          : sql`false`,
  },
  ...performanceSets,
  ...rootCauseSets,
  ...retentionSets,
} satisfies Record<string, DrillSetDefinition>;

export type DrillSet = keyof typeof drillSets;
export const drillSetKeys = Object.keys(drillSets) as [DrillSet, ...DrillSet[]];

/** Which timestamp a date range filters on: metrics "over complaints resolved in the range" use `resolved`. */
export const dateBases = ["received", "resolved", "closed"] as const;
export type DateBasis = (typeof dateBases)[number];

/**
 * A complaint whose resolved/closed times were inferred is on no resolved or closed day: the list
 * adds this condition to a resolved or closed date basis (except for the `times-inferred` set,
 * which lists what such a figure leaves out), as the rollups leave it out of those bases.
 */
export function knownTimesOnly(basis: DateBasis, set: DrillSet | undefined): SQL | undefined {
  return basis === "received" || set === "times-inferred" ? undefined : timesKnown;
}

export const dateBasisColumn = {
  received: complaints.receivedAt,
  resolved: complaints.resolvedAt,
  closed: complaints.closedAt,
} as const;
