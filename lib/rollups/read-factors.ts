/**
 * Reading the factor rollups (playbook steps done, delivered remedy kinds, first-response buckets,
 * promise kept: lib/rollups/maintain.ts `factorLines`). They hold every complaint and each single
 * dimension, so a scope with no filter or one (`hasFactorSlice`) reads them; any other scope counts
 * the same factors over the complaint facts (`factFactorCounts`), with each factor's predicate
 * over the fact row — the row a factor rollup line comes from.
 */
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDatabase, queryRows } from "@/db";
import type { DateRange } from "@/lib/metrics/filters";
import { factorsOfFact } from "./maintain";
import { CELL_DIM, responseBucketExpr, rollupBases, type RollupBasis } from "./measures";
import type { FigureScope } from "./read";
import { boundaryWhere, sliceWhere, wholeDayEligible } from "./read-eligible";
import { isUuid } from "./uuid-array";

/** Measures of a factor rollup row. */
export interface FactorSums {
  complaints: number;
  angry: number;
  angry_advocate: number;
  retained90: number;
}
const factorMeasureNames = ["complaints", "angry", "angry_advocate", "retained90"] as const;
const factMeasure: Record<(typeof factorMeasureNames)[number], string> = {
  complaints: "true",
  angry: "d.angry",
  angry_advocate: "(d.angry and d.advocate)",
  retained90: "d.retained90",
};

/** A factor: its factor-rollup name and its predicate over a fact row `d`. */
export interface FactFactor {
  name: string;
  predicate: SQL;
}

export const factFactors = {
  step: (stepId: string): FactFactor => ({
    name: `step:${stepId}`,
    predicate: isUuid(stepId) ? sql`(${stepId}::uuid = any(d.steps_done))` : sql`false`,
  }),
  remedy: (kind: string): FactFactor => ({
    name: `remedy:${kind}`,
    predicate: sql`(${kind}::text = any(d.delivered_remedy_kinds))`,
  }),
  response: (bucket: string): FactFactor => ({
    name: `response:${bucket}`,
    predicate: sql`(${sql.raw(responseBucketExpr)} = ${bucket}::text)`,
  }),
  promiseKept: (): FactFactor => ({ name: "promise:kept", predicate: sql`d.promise_kept` }),
};

const zero = (): FactorSums => ({ complaints: 0, angry: 0, angry_advocate: 0, retained90: 0 });

/**
 * Per factor (in order), the measures over the facts `d` that `where` selects: one scan, each
 * fact row giving a line per factor it has (as the factor rollups sum them), grouped by factor.
 * `ALL_FACTS` (name "all") counts every row.
 */
export async function factFactorCounts(where: SQL, factors: FactFactor[]): Promise<FactorSums[]> {
  if (factors.length === 0) return [];
  const { db } = await getDatabase();
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select f.factor, ${sql.raw(
      factorMeasureNames
        .map((m) => `count(*) filter (where ${factMeasure[m]})::float8 as ${m}`)
        .join(", "),
    )}
      from complaint_facts d
      cross join lateral (${sql.raw(factorsOfFact)} union all select ${ALL_FACTS.name}) f
      where ${where} and f.factor = any(${factorNames(factors)})
      group by f.factor`,
  );
  return byFactor(factors, rows);
}

/** Every fact row, as a factor (the total next to each factor's count). */
export const ALL_FACTS: FactFactor = { name: "all", predicate: sql`true` };

/** Do the factor rollups hold this scope (no filter, or one dimension; not cells)? */
export function hasFactorSlice(scope: FigureScope): boolean {
  return scope.rollup !== null && scope.rollup.dim !== CELL_DIM;
}

/** Per factor (in order), the factor-rollup sums on `basis` over `range` (`hasFactorSlice` scopes). */
export async function factorSums(
  scope: FigureScope,
  basis: RollupBasis,
  range: DateRange,
  factors: FactFactor[],
): Promise<FactorSums[]> {
  if (factors.length === 0) return [];
  const { db } = await getDatabase();
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select factor, ${sumFields} from factor_rollups
      where ${sliceWhere(scope)} and basis = ${rollupBases.indexOf(basis)}
        and factor = any(${factorNames(factors)})
        and day >= ${range.from}::date and day <= ${range.to}::date
      group by factor`,
  );
  return byFactor(factors, rows);
}

/**
 * Per factor (in order), the factor-rollup sums over the complaints received in `range` that are
 * eligible at `days` days (read-eligible.ts): whole eligible days from the rollups, the boundary
 * from the facts, in one statement (`hasFactorSlice` scopes).
 */
export async function eligibleFactorSums(
  scope: FigureScope,
  range: DateRange,
  days: number,
  factors: FactFactor[],
): Promise<FactorSums[]> {
  if (factors.length === 0) return [];
  const { db } = await getDatabase();
  const boundary = sql.join(
    factors.map(
      (x) =>
        sql`select ${x.name}::text as factor, ${sql.join(
          factorMeasureNames.map(
            (m) => sql`count(*) filter (where ${sql.raw(factMeasure[m])})::float8 as ${sql.raw(m)}`,
          ),
          sql`, `,
        )} from b d where ${x.predicate}`,
    ),
    sql` union all `,
  );
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with b as materialized (select * from complaint_facts d where ${boundaryWhere(scope, range, days)})
      select factor, ${sumFields} from (
        select factor, ${sumFields} from factor_rollups
          where ${sliceWhere(scope)} and basis = 0 and factor = any(${factorNames(factors)})
            and day >= ${range.from}::date and day <= ${range.to}::date and ${wholeDayEligible(days)}
          group by factor
        union all
        select * from (${boundary}) x
      ) t group by factor`,
  );
  return byFactor(factors, rows);
}

const sumFields = sql.raw(
  factorMeasureNames.map((m) => `coalesce(sum(${m}), 0)::float8 as ${m}`).join(", "),
);
const factorNames = (factors: FactFactor[]) =>
  sql`${`{${factors.map((x) => `"${x.name.replace(/["\\]/g, "")}"`).join(",")}}`}::text[]`;

function byFactor(factors: FactFactor[], rows: Record<string, unknown>[]): FactorSums[] {
  const by = new Map(rows.map((r) => [String(r.factor), r]));
  return factors.map((x) => {
    const r = by.get(x.name);
    const out = zero();
    if (r) for (const m of factorMeasureNames) out[m] = Number(r[m] ?? 0);
    return out;
  });
}
