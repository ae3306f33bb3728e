/**
 * Reading figures from the rollups and facts. A figure names its date basis, its range and the
 * measures it sums; `figureScope` decides where they come from: the daily rollups when at most
 * one dimension is filtered (a few hundred rows for any range), else the complaint facts of the
 * filtered complaints (two filters leave few of them). Both give the same sums: the rollups are
 * the facts summed (lib/rollups/maintain.ts), and the facts are the list's own predicates.
 */
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDatabase, queryRows } from "@/db";
import type { Actor } from "@/lib/auth/guard";
import type { DashboardFilters, DateRange } from "@/lib/metrics/filters";
import {
  basisColumn,
  dimensionColumn,
  rollupDimensions,
  rollupMeasures,
  type RollupBasis,
  type RollupDimension,
} from "./measures";

type Dimension = Exclude<RollupDimension, "none">;

export interface FigureScope {
  orgId: string;
  /** Filtered dimensions: the fact column and the accepted values (null: "none"). */
  conditions: { dimension: Dimension; values: (string | null)[] }[];
  /** The rollup slice that serves this scope (dimension index and keys), or null: use the facts. */
  rollup: { dim: number; keys: string[] } | null;
}

const DAY = 86_400_000;
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + DAY).toISOString();
const startOf = (d: string) => `${d}T00:00:00.000Z`;

/** The scope of a dashboard's filters for this actor ("me" is the actor; a product includes its sub-products). */
export async function figureScope(actor: Actor, f: DashboardFilters): Promise<FigureScope> {
  const d = f.dimensions;
  const conditions: FigureScope["conditions"] = [];
  const noneOr = (v: string) => (v === "none" ? null : v);
  if (d.team) conditions.push({ dimension: "team", values: [noneOr(d.team)] });
  if (d.owner)
    conditions.push({
      dimension: "owner",
      values: [d.owner === "me" ? actor.userId : noneOr(d.owner)],
    });
  if (d.channel) conditions.push({ dimension: "channel", values: [d.channel] });
  if (d.severity) conditions.push({ dimension: "severity", values: [d.severity] });
  if (d.product) {
    const { db } = await getDatabase();
    const children = await queryRows<{ id: string }>(
      db,
      sql`select id from products where org_id = ${actor.orgId} and parent_id = ${d.product}`,
    );
    conditions.push({ dimension: "product", values: [d.product, ...children.map((c) => c.id)] });
  }
  if (d.rootCause) conditions.push({ dimension: "rootCause", values: [noneOr(d.rootCause)] });
  const only = conditions[0];
  const rollup =
    conditions.length === 0
      ? { dim: 0, keys: [""] }
      : conditions.length === 1 && only
        ? {
            dim: rollupDimensions.indexOf(only.dimension),
            keys: only.values.map((v) => v ?? "none"),
          }
        : null;
  return { orgId: actor.orgId, conditions, rollup };
}

const textArray = (values: readonly string[]) =>
  sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, "")}"`).join(",")}}`}::text[]`;

/** The WHERE over complaint facts `d` for a scope, a basis and a range (UTC days, inclusive). */
export function factsWhere(scope: FigureScope, basis: RollupBasis, range?: DateRange): SQL {
  const parts: SQL[] = [sql`d.org_id = ${scope.orgId}`];
  if (range) {
    const column = sql.raw(`d.${basisColumn[basis]}`);
    parts.push(
      sql`${column} >= ${startOf(range.from)}::timestamptz and ${column} < ${nextDay(range.to)}::timestamptz`,
    );
  }
  for (const c of scope.conditions) {
    const column = sql.raw(`d.${dimensionColumn[c.dimension]}`);
    const values = c.values.filter((v): v is string => v !== null);
    const hasNone = values.length < c.values.length;
    const alternatives: SQL[] = [];
    if (values.length) alternatives.push(sql`${column}::text = any(${textArray(values)})`);
    if (hasNone) alternatives.push(sql`${column} is null`);
    parts.push(sql`(${sql.join(alternatives, sql` or `)})`);
  }
  return sql.join(parts, sql` and `);
}

const measureExpr = new Map(rollupMeasures);

export type Sums = Record<string, number>;

/** Sums of rollup measures over a range: from the rollups, or the facts when the scope needs them. */
export async function sums(
  scope: FigureScope,
  basis: RollupBasis,
  range: DateRange,
  names: readonly string[],
): Promise<Sums> {
  const [row] = await sumsBy(scope, basis, range, names, null);
  return row ?? Object.fromEntries(names.map((n) => [n, 0]));
}

export type Grouping = "week" | "month" | "owner" | null;

/** Sums grouped by ISO week (Monday, UTC), UTC month, or owner ("none" when unassigned); `group` holds the key. */
export async function sumsBy(
  scope: FigureScope,
  basis: RollupBasis,
  range: DateRange,
  names: readonly string[],
  grouping: Grouping,
): Promise<(Sums & { group: string })[]> {
  const { db } = await getDatabase();
  const basisIndex = ["received", "resolved", "closed"].indexOf(basis);
  const ownerFromRollup = grouping === "owner" && scope.rollup && [0, 2].includes(scope.rollup.dim);
  let rows: Record<string, unknown>[];
  if (scope.rollup && (grouping !== "owner" || ownerFromRollup)) {
    const dim = ownerFromRollup ? 2 : scope.rollup.dim;
    const keys = ownerFromRollup && scope.rollup.dim === 0 ? null : scope.rollup.keys;
    const group =
      grouping === "week"
        ? sql`to_char(date_trunc('week', day), 'YYYY-MM-DD')`
        : grouping === "month"
          ? sql`to_char(day, 'YYYY-MM')`
          : grouping === "owner"
            ? sql`key`
            : sql`''`;
    const fields = names.map((n) => sql`coalesce(sum(${sql.raw(n)}), 0)::float8 as ${sql.raw(n)}`);
    rows = await queryRows(
      db,
      sql`select ${group} as "group", ${sql.join(fields, sql`, `)} from complaint_rollups
        where org_id = ${scope.orgId} and basis = ${basisIndex} and dim = ${dim}
          ${keys ? sql`and key = any(${textArray(keys)})` : sql``}
          and day >= ${range.from}::date and day <= ${range.to}::date
        group by 1`,
    );
  } else {
    const column = sql.raw(`d.${basisColumn[basis]}`);
    const group =
      grouping === "week"
        ? sql`to_char(date_trunc('week', ${column} at time zone 'UTC'), 'YYYY-MM-DD')`
        : grouping === "month"
          ? sql`to_char(${column} at time zone 'UTC', 'YYYY-MM')`
          : grouping === "owner"
            ? sql`coalesce(d.owner_id::text, 'none')`
            : sql`''`;
    const fields = names.map(
      (n) => sql`coalesce(sum(${sql.raw(measureExpr.get(n) ?? "0")}), 0)::float8 as ${sql.raw(n)}`,
    );
    rows = await queryRows(
      db,
      sql`select ${group} as "group", ${sql.join(fields, sql`, `)} from complaint_facts d
        where ${factsWhere(scope, basis, range)} group by 1`,
    );
  }
  return rows.map((r) => {
    const out: Sums & { group: string } = { group: String(r.group) } as Sums & { group: string };
    for (const n of names) out[n] = Number(r[n] ?? 0);
    return out;
  });
}

export interface Percentiles {
  count: number;
  median: number | null;
  p90: number | null;
  businessMedian: number | null;
  businessP90: number | null;
}

/**
 * Median and p90 (percentile_cont, exact) of a fact column and its business-hours twin over the
 * scope's complaints on `basis` in `range` that satisfy `where` (SQL over the fact row `d`),
 * optionally grouped by week, month or owner.
 */
export async function percentilesBy(
  scope: FigureScope,
  basis: RollupBasis,
  range: DateRange,
  where: string,
  columns: [calendar: string, business: string],
  grouping: Grouping,
): Promise<(Percentiles & { group: string })[]> {
  const { db } = await getDatabase();
  const column = sql.raw(`d.${basisColumn[basis]}`);
  const group =
    grouping === "week"
      ? sql`to_char(date_trunc('week', ${column} at time zone 'UTC'), 'YYYY-MM-DD')`
      : grouping === "month"
        ? sql`to_char(${column} at time zone 'UTC', 'YYYY-MM')`
        : grouping === "owner"
          ? sql`coalesce(d.owner_id::text, 'none')`
          : sql`''`;
  const [cal, bus] = columns.map((c) => sql.raw(`d.${c}`)) as [SQL, SQL];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${group} as "group", count(*)::int as n,
      percentile_cont(0.5) within group (order by ${cal}) as median,
      percentile_cont(0.9) within group (order by ${cal}) as p90,
      percentile_cont(0.5) within group (order by ${bus}) as bmedian,
      percentile_cont(0.9) within group (order by ${bus}) as bp90
      from complaint_facts d where ${factsWhere(scope, basis, range)} and ${sql.raw(where)} group by 1`,
  );
  const num = (v: unknown) => (v == null ? null : Number(v));
  return rows.map((r) => ({
    group: String(r.group),
    count: Number(r.n ?? 0),
    median: num(r.median),
    p90: num(r.p90),
    businessMedian: num(r.bmedian),
    businessP90: num(r.bp90),
  }));
}

/** Ungrouped `percentilesBy`. */
export async function percentiles(
  scope: FigureScope,
  basis: RollupBasis,
  range: DateRange,
  where: string,
  columns: [string, string],
): Promise<Percentiles> {
  const [row] = await percentilesBy(scope, basis, range, where, columns, null);
  return row ?? { count: 0, median: null, p90: null, businessMedian: null, businessP90: null };
}
