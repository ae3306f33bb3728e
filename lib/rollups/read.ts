/**
 * Reading figures from the rollups and facts. A figure names its date basis, its range and the
 * measures it sums; `figureScope` decides where they come from: the daily rollups when at most
 * one dimension is filtered, or only team, channel and severity (their cells), else the complaint
 * facts of the filtered complaints, read through the cell and key indexes. Grouped by root cause
 * or owner with one other filter, the pair rollups (measures.ts `pairDimensions`). Both give the same
 * sums: the rollups are the facts summed (lib/rollups/maintain.ts), and the facts are the list's
 * own predicates.
 */
import "server-only";
import { cache } from "react";
import { sql, type SQL } from "drizzle-orm";
import { getDatabase, queryRows } from "@/db";
import type { Actor } from "@/lib/auth/guard";
import type { DashboardFilters, DateRange } from "@/lib/metrics/filters";
import {
  blocksOf,
  COARSE_MEASURE,
  COARSE_SHIFT,
  DAY_SPAN,
  durations,
  percentileOfRuns,
  type Cumulative,
  type Duration,
  type DurationDefinition,
} from "./histogram";
import { INFERRED_BASIS, OVERDUE_FROM_BASIS, OVERDUE_UNTIL_BASIS, SETTLED_BASIS } from "./maintain";
import { channels, severities } from "@/db/schema";
import {
  basisColumn,
  CELL_DIM,
  cellDimensions,
  dimensionColumn,
  INFERRED_TAG,
  inferredOf,
  keyedDimensions,
  pairDimensions,
  type PairDimension,
  rollupDimensions,
  type CellDimension,
  rollupMeasures,
  type RollupBasis,
  type RollupDimension,
  UNOWNED_HISTORY_TAG,
} from "./measures";

type Dimension = Exclude<RollupDimension, "none">;

export interface FigureScope {
  orgId: string;
  /** Filtered dimensions: the fact column and the accepted values (null: "none"). */
  conditions: { dimension: Dimension; values: (string | null)[] }[];
  /** The rollup slice that serves this scope (dimension index and keys), or null: use the facts. */
  rollup: { dim: number; keys: string[] } | null;
  /**
   * The team × channel × severity cells the team, channel and severity conditions accept (null:
   * none of them filtered): the facts are then read through the cell indexes.
   */
  cellKeys: string[] | null;
  /**
   * Two filters that a pair rollup holds (e.g. one product and one root cause): its dimension,
   * keys and last basis — for sums on those bases only (every other figure reads the facts).
   */
  pair: { dim: number; keys: string[]; lastBasis: number } | null;
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
  const cells = conditions.some((c) => isCellDimension(c.dimension))
    ? await cellKeys(actor.orgId, conditions)
    : null;
  const rollup =
    conditions.length === 0
      ? { dim: 0, keys: [""] }
      : conditions.length === 1 && only
        ? {
            dim: rollupDimensions.indexOf(only.dimension),
            keys: only.values.map((v) => v ?? "none"),
          }
        : cells && conditions.every((c) => isCellDimension(c.dimension))
          ? { dim: CELL_DIM, keys: cells }
          : null;
  return { orgId: actor.orgId, conditions, rollup, cellKeys: cells, pair: pairSlice(conditions) };
}

/** The pair rollup rows of exactly two filters, if a pair dimension holds them. */
function pairSlice(conditions: FigureScope["conditions"]): FigureScope["pair"] {
  if (conditions.length !== 2) return null;
  const [a, b] = conditions as [FigureScope["conditions"][0], FigureScope["conditions"][0]];
  for (const [group, filter] of [
    [a, b],
    [b, a],
  ] as const) {
    const pair = pairDimensions.find(
      (p) => p.group === group.dimension && p.filter === filter.dimension,
    );
    if (pair)
      return {
        dim: pair.dim,
        keys: group.values.flatMap((g) =>
          filter.values.map((v) => `${g ?? "none"}|${v ?? "none"}`),
        ),
        lastBasis: pair.lastBasis,
      };
  }
  return null;
}

const isCellDimension = (d: Dimension): d is CellDimension =>
  (cellDimensions as readonly string[]).includes(d);

/** Every cell key the conditions accept (an unfiltered part of the cell: all its values). */
async function cellKeys(orgId: string, conditions: FigureScope["conditions"]): Promise<string[]> {
  const accepted = (dimension: CellDimension) =>
    conditions.find((c) => c.dimension === dimension)?.values.map((v) => v ?? "none");
  const teams = accepted("team") ?? (await teamKeys(orgId));
  const channelKeys = accepted("channel") ?? [...channels];
  const severityKeys = accepted("severity") ?? [...severities];
  return teams.flatMap((t) =>
    channelKeys.flatMap((c) => severityKeys.map((s) => `${t}|${c}|${s}`)),
  );
}

/** The organisation's teams as cell keys, and "none" (no team); once per request. */
const teamKeys = cache(async function teamKeys(orgId: string): Promise<string[]> {
  const { db } = await getDatabase();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id::text as id from teams where org_id = ${orgId}`,
  );
  return [...rows.map((r) => r.id), "none"];
});

export const textArray = (values: readonly string[]) =>
  sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, "")}"`).join(",")}}`}::text[]`;

/**
 * The WHERE over complaint facts `d` for a scope, a basis and a range (UTC days, inclusive). On
 * the resolved and closed bases, only complaints whose times are known — or, with `inferred`,
 * only those whose times were inferred (what a figure leaves out; on any basis).
 */
export function factsWhere(
  scope: FigureScope,
  basis: RollupBasis,
  range?: DateRange,
  inferred = false,
): SQL {
  const parts: SQL[] = [sql`d.org_id = ${scope.orgId}`];
  if (range) {
    const column = sql.raw(`d.${basisColumn[basis]}`);
    parts.push(
      sql`${column} >= ${startOf(range.from)}::timestamptz and ${column} < ${nextDay(range.to)}::timestamptz`,
    );
  }
  if (inferred) parts.push(sql.raw(inferredOf("d")));
  else if (basis !== "received") parts.push(sql.raw(`not ${inferredOf("d")}`));
  // Team, channel and severity: the cells they accept, through the cell indexes.
  if (scope.cellKeys) parts.push(sql`d.cell = any(${textArray(scope.cellKeys)})`);
  // Owner, product, root cause: the facts' keys, through their GIN index.
  for (const c of scope.conditions) {
    if (isCellDimension(c.dimension)) continue;
    const prefix = keyedDimensions[c.dimension];
    parts.push(sql`d.keys && ${textArray(c.values.map((v) => `${prefix}:${v ?? "none"}`))}`);
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

/** A grouping: ISO week (its Monday, UTC), UTC month, or a dimension's value ("none" for null). */
export type Group = "week" | "month" | Dimension;
/** One grouping or none ("owner" is the common case). */
export type Grouping = Group | null;

/**
 * The rollup rows that group this scope by `groups` on a basis (index; money: received), or null
 * (read the facts): a dimension group needs the scope unfiltered, filtered on that dimension, or
 * filtered on one other dimension with a pair rollup for the two (e.g. one product, by owner).
 */
async function rollupDimFor(
  scope: FigureScope,
  groups: Group[],
  basis: number,
  hasPair: (p: PairDimension) => boolean = () => true,
): Promise<{ dim: number; keys: string[] | null } | null> {
  const dims = groups.filter((g): g is Dimension => g !== "week" && g !== "month");
  if (!scope.rollup) {
    // Two filters held by a pair rollup, summed on its bases (grouped by time at most).
    const pair = scope.pair;
    const held = pair && dims.length === 0 && basis <= pair.lastBasis;
    return held && hasPair(pairDimensions.find((p) => p.dim === pair.dim)!)
      ? { dim: pair.dim, keys: pair.keys }
      : null;
  }
  if (dims.length === 0) return { dim: scope.rollup.dim, keys: scope.rollup.keys };
  if (dims.length > 1) return null;
  const group = dims[0]!;
  const dim = rollupDimensions.indexOf(group);
  if (scope.rollup.dim === 0) return { dim, keys: null };
  // Cells group by their own parts (e.g. team + channel filtered, grouped by severity).
  if (scope.rollup.dim === CELL_DIM && isCellDimension(group))
    return { dim: CELL_DIM, keys: scope.rollup.keys };
  if (scope.rollup.dim === dim) return { dim, keys: scope.rollup.keys };
  const filter = rollupDimensions[scope.rollup.dim];
  const pair = pairDimensions.find(
    (p) => p.group === group && p.filter === filter && basis <= p.lastBasis && hasPair(p),
  );
  if (!pair) return null;
  // Every group value (the organisation's owners or causes, and "none") within each filter key.
  const values = await groupValues(scope.orgId, pair.group);
  return {
    dim: pair.dim,
    keys: values.flatMap((v) => scope.rollup!.keys.map((k) => `${v}|${k}`)),
  };
}

/** A pair rollup's group values: the organisation's owners or root causes, and "none"; once per request. */
const groupValues = cache(async function groupValues(
  orgId: string,
  group: PairDimension["group"],
): Promise<string[]> {
  const { db } = await getDatabase();
  const rows = await queryRows<{ id: string }>(
    db,
    group === "owner"
      ? sql`select id::text as id from users where org_id = ${orgId}`
      : sql`select id::text as id from root_causes where org_id = ${orgId}`,
  );
  return [...rows.map((r) => r.id), "none"];
});

function rollupGroupExpr(g: Group, dim: number): SQL {
  if (g === "week") return sql`to_char(date_trunc('week', day), 'YYYY-MM-DD')`;
  if (g === "month") return sql`to_char(day, 'YYYY-MM')`;
  if (dim === CELL_DIM && isCellDimension(g))
    return sql`split_part(key, '|', ${sql.raw(String(cellDimensions.indexOf(g) + 1))})`;
  if (pairDimensions.some((p) => p.dim === dim)) return sql`split_part(key, '|', 1)`;
  return sql`key`;
}

function factGroupExpr(g: Group, basis: RollupBasis): SQL {
  const column = sql.raw(`d.${basisColumn[basis]}`);
  if (g === "week")
    return sql`to_char(date_trunc('week', ${column} at time zone 'UTC'), 'YYYY-MM-DD')`;
  if (g === "month") return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM')`;
  return sql`coalesce(${sql.raw(`d.${dimensionColumn[g]}`)}::text, 'none')`;
}

const groupFields = (exprs: SQL[]) =>
  exprs.length
    ? sql.join(
        exprs.map((e, i) => sql`${e} as ${sql.raw(`g${i}`)}`),
        sql`, `,
      )
    : sql`'' as g0`;
const groupBy = (n: number) =>
  n
    ? sql` group by ${sql.raw(Array.from({ length: n }, (_, i) => String(i + 1)).join(", "))}`
    : sql``;

export type GroupedSums = Sums & { group: string; keys: string[] };

/**
 * Sums grouped by `grouping` (one group, e.g. "owner" or "month") — see `sumsByGroups`.
 * `group` holds the key.
 */
export function sumsBy(
  scope: FigureScope,
  basis: RollupBasis,
  range: DateRange,
  names: readonly string[],
  grouping: Grouping,
): Promise<GroupedSums[]> {
  return sumsByGroups(scope, basis, range, names, grouping ? [grouping] : []);
}

/**
 * Sums over the complaints whose times were inferred, on a basis (their received, or inferred
 * resolved or closed, day) in a range: what a time-based figure on that basis leaves out. From
 * the rollups' "left out" bases (maintain.ts `INFERRED_BASIS`), or the facts.
 */
export async function inferredSums(
  scope: FigureScope,
  basis: RollupBasis,
  range: DateRange,
  names: readonly string[],
): Promise<Sums> {
  const [row] = await sumsByGroups(scope, basis, range, names, [], true);
  return row ?? Object.fromEntries(names.map((n) => [n, 0]));
}

/**
 * How many complaints whose times were inferred a figure on `basis` over `range` leaves out (all,
 * or the angry ones). Several figures of a page ask for the same basis and range: one read per
 * request (React's cache) serves them all.
 */
export async function inferredTimesExcluded(
  scope: FigureScope,
  basis: RollupBasis,
  range: DateRange,
  measure: "complaints" | "angry" = "complaints",
): Promise<number> {
  return (await leftOutCounts(JSON.stringify({ scope, basis, range })))[measure] ?? 0;
}

const leftOutCounts = cache(async function leftOutCounts(key: string): Promise<Sums> {
  const { scope, basis, range } = JSON.parse(key) as {
    scope: FigureScope;
    basis: RollupBasis;
    range: DateRange;
  };
  return inferredSums(scope, basis, range, ["complaints", "angry"]);
});

/** Sums grouped by several groups (e.g. month × root cause); `keys` holds one key per group. */
export async function sumsByGroups(
  scope: FigureScope,
  basis: RollupBasis,
  range: DateRange,
  names: readonly string[],
  groups: Group[],
  inferred = false,
): Promise<GroupedSums[]> {
  const { db } = await getDatabase();
  const basisIndex =
    ["received", "resolved", "closed"].indexOf(basis) + (inferred ? INFERRED_BASIS : 0);
  const slice = await rollupDimFor(scope, groups, basisIndex);
  let rows: Record<string, unknown>[];
  if (slice) {
    const fields = names.map((n) => sql`coalesce(sum(${sql.raw(n)}), 0)::float8 as ${sql.raw(n)}`);
    rows = await queryRows(
      db,
      sql`select ${groupFields(groups.map((g) => rollupGroupExpr(g, slice.dim)))}, ${sql.join(fields, sql`, `)} from complaint_rollups
        where org_id = ${scope.orgId} and basis = ${basisIndex} and dim = ${slice.dim}
          ${slice.keys ? sql`and key = any(${textArray(slice.keys)})` : sql``}
          and day >= ${range.from}::date and day <= ${range.to}::date${groupBy(groups.length)}`,
    );
  } else if (groups.length === 0) {
    // Many figures of one page sum the same scope, basis and range: one facts scan serves them all.
    const all = await allFactSums(JSON.stringify({ scope, basis, range, inferred }));
    rows = [Object.fromEntries(names.map((n) => [n, all[n] ?? 0]))];
  } else {
    const fields = names.map(
      (n) => sql`coalesce(sum(${sql.raw(measureExpr.get(n) ?? "0")}), 0)::float8 as ${sql.raw(n)}`,
    );
    rows = await queryRows(
      db,
      sql`select ${groupFields(groups.map((g) => factGroupExpr(g, basis)))}, ${sql.join(fields, sql`, `)}
        from complaint_facts d where ${factsWhere(scope, basis, range, inferred)}${groupBy(groups.length)}`,
    );
  }
  return rows.map((r) => {
    const keys = groups.map((_, i) => String(r[`g${i}`]));
    const out = { group: keys.join("|"), keys } as GroupedSums;
    for (const n of names) out[n] = Number(r[n] ?? 0);
    return out;
  });
}

/**
 * Every rollup measure summed over the facts of a scope, basis and range (JSON of the three),
 * once per request (React's cache): with two dimension filters, a dashboard's counts and rates
 * share one scan of the facts instead of one each.
 */
const allFactSums = cache(async function allFactSums(key: string): Promise<Sums> {
  const { scope, basis, range, inferred } = JSON.parse(key) as {
    scope: FigureScope;
    basis: RollupBasis;
    range: DateRange;
    inferred: boolean;
  };
  const { db } = await getDatabase();
  const fields = rollupMeasures.map(
    ([n, expr]) => sql`coalesce(sum(${sql.raw(expr)}), 0)::float8 as ${sql.raw(n)}`,
  );
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${sql.join(fields, sql`, `)} from complaint_facts d where ${factsWhere(scope, basis, range, inferred)}`,
  );
  return Object.fromEntries(rollupMeasures.map(([n]) => [n, Number(row?.[n] ?? 0)]));
});

export interface MoneySums {
  keys: string[];
  currency: string;
  costMinor: number;
  costedComplaints: number;
  retainedRevenueMinor: number;
}

/**
 * Money of the complaints received in `range` (delivered remedy cost and the complaints with one,
 * and retained complaints' 365-day revenue), per currency and the groups — never added across
 * currencies. From the money rollups, or the facts when the scope needs them.
 */
export async function moneyBy(
  scope: FigureScope,
  range: DateRange,
  groups: Group[],
): Promise<MoneySums[]> {
  const { db } = await getDatabase();
  // The money rollups keep the root-cause pairs only.
  const slice = await rollupDimFor(scope, groups, 0, (p) => p.group === "rootCause");
  let rows: Record<string, unknown>[];
  if (slice) {
    rows = await queryRows(
      db,
      sql`select ${groupFields(groups.map((g) => rollupGroupExpr(g, slice.dim)))}, currency, sum(cost_minor)::float8 as cost,
          sum(costed_complaints)::float8 as costed, sum(retained_revenue_minor)::float8 as revenue
        from money_rollups
        where org_id = ${scope.orgId} and dim = ${slice.dim}
          ${slice.keys ? sql`and key = any(${textArray(slice.keys)})` : sql``}
          and day >= ${range.from}::date and day <= ${range.to}::date
        group by ${sql.raw(Array.from({ length: groups.length + 1 }, (_, i) => String(i + 1)).join(", "))}`,
    );
  } else {
    rows = await queryRows(
      db,
      sql`select ${groupFields(groups.map((g) => factGroupExpr(g, "received")))}, m.currency,
          sum(m.cost)::float8 as cost, sum(m.costed)::float8 as costed, sum(m.revenue)::float8 as revenue
        from complaint_facts d cross join lateral (
          select c.key as currency, c.value::bigint as cost, 1 as costed, 0::bigint as revenue from jsonb_each_text(d.delivered_costs) c
          union all select r.key, 0, 0, r.value::bigint from jsonb_each_text(d.revenue365) r where d.retained90
        ) m
        where ${factsWhere(scope, "received", range)}
        group by ${sql.raw(Array.from({ length: groups.length + 1 }, (_, i) => String(i + 1)).join(", "))}`,
    );
  }
  return rows
    .map((r) => ({
      keys: groups.map((_, i) => String(r[`g${i}`])),
      currency: String(r.currency),
      costMinor: Number(r.cost ?? 0),
      costedComplaints: Number(r.costed ?? 0),
      retainedRevenueMinor: Number(r.revenue ?? 0),
    }))
    .filter((m) => m.costMinor || m.costedComplaints || m.retainedRevenueMinor);
}

export interface Percentiles {
  count: number;
  median: number | null;
  p90: number | null;
  businessMedian: number | null;
  businessP90: number | null;
}

/** Above this many values, percentiles with no filter come from the histograms (within 1 %). */
let exactPercentileLimit = 25_000;

/** Sets the limit above which percentiles come from histograms (tests and benchmarks: 0 = always). */
export function setExactPercentileLimit(limit: number): void {
  exactPercentileLimit = limit;
}

const none: Percentiles = {
  count: 0,
  median: null,
  p90: null,
  businessMedian: null,
  businessP90: null,
};

const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const mondayOf = (d: string) => addDays(d, -((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7));

const OWNER_DIM = rollupDimensions.indexOf("owner");

/**
 * Median and p90 of a duration (calendar and business hours) over the scope's complaints on the
 * duration's basis in `range`, optionally grouped. With no filter or one owner, from the
 * histograms (week blocks, and day blocks for the range's ends) when there are many values —
 * within 1 % of exact, without sorting every complaint; otherwise exact (percentile_cont over the
 * facts, `factPercentiles`).
 */
export async function percentilesBy(
  scope: FigureScope,
  duration: Duration,
  range: DateRange,
  grouping: Grouping,
): Promise<(Percentiles & { group: string })[]> {
  const def: DurationDefinition = durations[duration];
  const owner =
    scope.rollup?.dim === OWNER_DIM && scope.rollup.keys.length === 1
      ? scope.rollup.keys[0]!
      : null;
  if (
    (scope.rollup?.dim === 0 || owner !== null) &&
    (grouping === null || grouping === "week" || grouping === "owner")
  ) {
    // Exact where cheap: sorting a few thousand values costs less than reading the histograms.
    const counted = await sums(scope, def.basis, range, [def.counted]);
    if ((counted[def.counted] ?? 0) > exactPercentileLimit)
      return histogramPercentiles(scope, def, range, grouping, owner);
  }
  if (grouping !== null && grouping !== "week" && grouping !== "owner")
    throw new Error(`Percentiles are not grouped by ${grouping}.`);
  const all = await factPercentiles(JSON.stringify({ scope, basis: def.basis, range }));
  return all.filter((r) => r.duration === duration && r.grouping === (grouping ?? ""));
}

/**
 * Exact percentiles over the facts of a scope, basis and range, once per request (React's cache):
 * every duration on the basis, for the whole range and, on the resolved basis, per week and per
 * owner too (the resolution trend and the agents' medians) — one scan of the filtered facts,
 * which is what costs, instead of one per figure.
 */
const factPercentiles = cache(async function factPercentiles(
  key: string,
): Promise<(Percentiles & { group: string; duration: Duration; grouping: string })[]> {
  const { scope, basis, range } = JSON.parse(key) as {
    scope: FigureScope;
    basis: RollupBasis;
    range: DateRange;
  };
  const defs = (Object.entries(durations) as [Duration, DurationDefinition][]).filter(
    ([, def]) => def.basis === basis,
  );
  const aggregates = defs.map(([, def], i) => {
    const [cal, bus] = def.columns.map((c) => sql.raw(`d.${c}`)) as [SQL, SQL];
    const where = sql.raw(def.where);
    return sql`count(*) filter (where ${where})::int as ${sql.raw(`n${i}`)},
      percentile_cont(array[0.5, 0.9]) within group (order by ${cal}) filter (where ${where})::text as ${sql.raw(`c${i}`)},
      percentile_cont(array[0.5, 0.9]) within group (order by ${bus}) filter (where ${where})::text as ${sql.raw(`b${i}`)}`;
  });
  const grouped = basis === "resolved";
  const week = factGroupExpr("week", basis);
  const owner = factGroupExpr("owner", basis);
  const { db } = await getDatabase();
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${
      grouped
        ? sql`case when grouping(${week}) = 0 then 'week' when grouping(${owner}) = 0 then 'owner' else '' end as "kind",
          case when grouping(${week}) = 0 then ${week} when grouping(${owner}) = 0 then ${owner} else '' end as "group",`
        : sql`'' as "kind", '' as "group",`
    } ${sql.join(aggregates, sql`, `)}
      from complaint_facts d where ${factsWhere(scope, basis, range)}
        and (${sql.raw(defs.map(([, def]) => `(${def.where})`).join(" or "))})
      ${grouped ? sql`group by grouping sets ((), (${week}), (${owner}))` : sql``}`,
  );
  // percentile_cont(array[…]) as text: "{median,p90}".
  const pair = (v: unknown): [number | null, number | null] => {
    const [a, b] = String(v ?? "")
      .replace(/[{}]/g, "")
      .split(",");
    const num = (x: string | undefined) =>
      x === undefined || x === "" || x === "NULL" ? null : Number(x);
    return [num(a), num(b)];
  };
  return rows.flatMap((r) =>
    defs.flatMap(([duration], i) => {
      const count = Number(r[`n${i}`] ?? 0);
      if (count === 0) return [];
      const [median, p90] = pair(r[`c${i}`]);
      const [businessMedian, businessP90] = pair(r[`b${i}`]);
      return [
        {
          duration,
          grouping: String(r.kind),
          group: String(r.group),
          count,
          median,
          p90,
          businessMedian,
          businessP90,
        },
      ];
    }),
  );
});

/** Ungrouped `percentilesBy`. */
export async function percentiles(
  scope: FigureScope,
  duration: Duration,
  range: DateRange,
): Promise<Percentiles> {
  const [row] = await percentilesBy(scope, duration, range, null);
  return row ?? none;
}

/** `owner`: one owner's histograms (an owner filter), else everyone's ('', or per owner by owner). */
async function histogramPercentiles(
  scope: FigureScope,
  def: DurationDefinition,
  range: DateRange,
  grouping: "week" | "owner" | null,
  owner: string | null,
): Promise<(Percentiles & { group: string })[]> {
  const weekly = grouping === "week";
  const byOwner = grouping === "owner";
  const { db } = await getDatabase();
  // Whole weeks come from week blocks; the days before the first and after the last whole
  // week from day blocks (span 0). Each block is tagged with its group's week for a trend.
  const firstMonday =
    mondayOf(range.from) === range.from ? range.from : addDays(mondayOf(range.from), 7);
  const lastMonday = addDays(mondayOf(addDays(range.to, 1)), -7);
  const whole = firstMonday <= lastMonday;
  const edgeDays: string[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) {
    if (!whole || d < firstMonday || d > addDays(lastMonday, 6)) edgeDays.push(d);
  }
  const weekBlocks = whole
    ? weekly
      ? weeksBetween(firstMonday, lastMonday).map((start) => ({ span: 1, start }))
      : blocksOf(firstMonday, lastMonday)
    : [];
  const blocks = [
    ...weekBlocks.map((b) => ({ ...b, week: b.start })),
    ...edgeDays.map((start) => ({ span: DAY_SPAN, start, week: mondayOf(start) })),
  ];
  if (!blocks.length) return [];
  const [mCal, mBus] = def.measures;
  // The blocks as rows, sent once and inlined where used (not materialized: the planner keeps
  // seeing the values and probes the histogram index); a trend's group is the block's week (a
  // date: the sorts for the cumulative counts then compare integers).
  const blockRows = sql`values ${sql.join(
    blocks.map((b) => sql`(${b.span}::smallint, ${b.start}::date, ${b.week}::date)`),
    sql`, `,
  )}`;
  const group = weekly ? sql`b.week` : byOwner ? sql`h.owner::text` : sql`''::text`;
  const shift = sql.raw(String(COARSE_SHIFT));
  const fineInCoarse = sql.raw(String((1 << COARSE_SHIFT) - 1));
  // Ranks [lo − 1, hi + 1] around each percentile's position (percentile_cont interpolates
  // between ranks lo and hi): a run of buckets is kept when it overlaps one of them.
  const aroundRanks = (c: string) =>
    sql.raw(
      [0.5, 0.9]
        .map(
          (p) =>
            `(${c}.cum - ${c}.n <= ceil(${p} * (${c}.total - 1)) + 1 and ${c}.cum > floor(${p} * (${c}.total - 1)) - 1)`,
        )
        .join(" or "),
    );
  // 1. The coarse buckets of every block, with cumulative counts per group: those holding the
  //    ranks are the targets. 2. From each target, a probe per block into the fine buckets
  //    inside it; their cumulative counts continue from the target's start. Only a few dozen
  //    rows per block leave the index, instead of every fine bucket (~500 a block).
  const rows = await queryRows<{
    measure: number;
    week: string;
    bucket: number;
    n: number;
    cum: number;
    total: number;
  }>(
    db,
    sql`with blocks (span, start, week) as not materialized (${blockRows}),
      coarse as (
        select h.measure - ${sql.raw(String(COARSE_MEASURE))} as measure, ${group} as grp, h.bucket::int as cb,
          sum(h.complaints)::float8 as n
        from blocks b
        join duration_histograms h on h.org_id = ${scope.orgId}
          and h.measure in (${mCal + COARSE_MEASURE}::smallint, ${mBus + COARSE_MEASURE}::smallint)
          and h.span = b.span and h.start = b.start and ${owner !== null ? sql`h.owner = ${owner}` : byOwner ? sql`h.owner <> ''` : sql`h.owner = ''`}
        group by 1, 2, 3 having sum(h.complaints) > 0),
      targets as (
        select c.measure, c.grp, c.cb, c.cum - c.n as before, c.total from (
          select k.*, sum(k.n) over (partition by k.measure, k.grp order by k.cb) as cum,
            sum(k.n) over (partition by k.measure, k.grp) as total
          from coarse k) c
        where ${aroundRanks("c")}),
      fine as (
        select t.measure, t.grp, t.cb, t.before, t.total, h.bucket::int as bucket,
          sum(h.complaints)::float8 as n
        from targets t
        join blocks b on ${weekly ? sql`b.week = t.grp` : sql`true`}
        cross join lateral (select h.bucket, h.complaints from duration_histograms h
          where h.org_id = ${scope.orgId} and h.measure = t.measure::smallint
            and h.span = b.span and h.start = b.start and ${byOwner ? sql`h.owner = t.grp` : sql`h.owner = ${owner ?? ""}`}
            and h.bucket between t.cb << ${shift} and (t.cb << ${shift}) + ${fineInCoarse}) h
        group by 1, 2, 3, 4, 5, 6 having sum(h.complaints) > 0)
    select f.measure, f.grp::text as week, f.bucket, f.n, f.cum, f.total from (
      select f.*, f.before + sum(f.n) over (partition by f.measure, f.grp, f.cb order by f.bucket) as cum
      from fine f) f
    where ${aroundRanks("f")}`,
  );
  const byGroup = new Map<string, [Cumulative, Cumulative]>();
  for (const r of rows) {
    const key = String(r.week);
    let pair = byGroup.get(key);
    if (!pair)
      byGroup.set(
        key,
        (pair = [
          { total: 0, runs: [] },
          { total: 0, runs: [] },
        ]),
      );
    const side = pair[Number(r.measure) === mCal ? 0 : 1];
    side.total = Number(r.total);
    side.runs.push({ bucket: Number(r.bucket), n: Number(r.n), cum: Number(r.cum) });
  }
  return [...byGroup.entries()]
    .map(([group, [cal, bus]]) => ({
      group,
      count: cal.total,
      median: percentileOfRuns(cal, 0.5),
      p90: percentileOfRuns(cal, 0.9),
      businessMedian: percentileOfRuns(bus, 0.5),
      businessP90: percentileOfRuns(bus, 0.9),
    }))
    .filter((p) => p.count > 0);
}

function weeksBetween(firstMonday: string, lastMonday: string): string[] {
  const out: string[] = [];
  for (let w = firstMonday; w <= lastMonday; w = addDays(w, 7)) out.push(w);
  return out;
}

/**
 * Complaints open at the end of UTC day `day`: received by then and neither resolved nor closed
 * by then (the `perf-open-at` set) — received before minus settled before, from the rollups; from
 * the facts when the scope needs them.
 */
export async function openAtEndOf(scope: FigureScope, day: string): Promise<number> {
  const end = nextDay(day);
  return atEndOf(
    scope,
    day,
    [0, SETTLED_BASIS],
    sql`d.received_at < ${end}::timestamptz
        and (d.resolved_at is null or d.resolved_at >= ${end}::timestamptz)
        and (d.closed_at is null or d.closed_at >= ${end}::timestamptz)`,
  );
}

/**
 * Complaints overdue at the end of UTC day `day`: open then and past their SLA due by then (the
 * `perf-overdue-at` set) — "overdue from" minus "overdue until" days up to it, from the rollups;
 * from the facts when the scope needs them.
 */
export async function overdueAtEndOf(scope: FigureScope, day: string): Promise<number> {
  const end = nextDay(day);
  return atEndOf(
    scope,
    day,
    [OVERDUE_FROM_BASIS, OVERDUE_UNTIL_BASIS],
    sql`d.received_at < ${end}::timestamptz
        and (d.resolved_at is null or d.resolved_at >= ${end}::timestamptz)
        and (d.closed_at is null or d.closed_at >= ${end}::timestamptz)
        and d.sla_due_at < ${end}::timestamptz`,
  );
}

/** Σ days ≤ `day` of basis `plus` − basis `minus` (rollups), or a count of the facts `where` selects. */
async function atEndOf(
  scope: FigureScope,
  day: string,
  [plus, minus]: [number, number],
  where: SQL,
): Promise<number> {
  const { db } = await getDatabase();
  if (scope.rollup) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select (coalesce(sum(complaints) filter (where basis = ${plus}), 0)
          - coalesce(sum(complaints) filter (where basis = ${minus}), 0))::float8 as n
        from complaint_rollups
        where org_id = ${scope.orgId} and basis in (${plus}, ${minus}) and dim = ${scope.rollup.dim}
          and key = any(${textArray(scope.rollup.keys)}) and day <= ${day}::date`,
    );
    return Number(row?.n ?? 0);
  }
  // Never open at a day's end: unowned history, times inferred (as the settled basis decides).
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::float8 as n from complaint_facts d
      where ${factsWhere(scope, "received")} and ${where}
        and not (d.keys && array[${sql.raw(`'${INFERRED_TAG}', '${UNOWNED_HISTORY_TAG}'`)}])`,
  );
  return Number(row?.n ?? 0);
}
