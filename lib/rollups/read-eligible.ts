/**
 * Retention counts move with time: a complaint counts for retention at N days only once N days
 * have passed since it was received (`retentionEligible` in lib/metrics/sets-retention.ts:
 * `received_at + N days <= now()`), while its facts (`retained30/90/180`, revenue) do not depend
 * on the clock. So an eligible figure reads, in ONE statement (one `now()`):
 * - the received-basis rollup days whose whole day is eligible — the day's end plus N days has
 *   passed (`wholeDayEligible`), so every complaint received that day is;
 * - plus, from the facts, the eligible complaints of the other days in the range (`boundaryWhere`):
 *   only the day (two around a daylight-saving change) that `now() − N days` falls in can hold
 *   any, and an index-friendly lower bound keeps the scan to those days.
 * With no rollup for the scope (two or more dimension filters), the facts answer alone
 * (`eligibleWhere`). Every retention figure (complaint rollups, factor rollups, money rollups)
 * goes through these three conditions.
 */
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDatabase, queryRows } from "@/db";
import type { DateRange } from "@/lib/metrics/filters";
import { rollupMeasures } from "./measures";
import { factsWhere, textArray, type FigureScope, type Sums } from "./read";

const interval = (days: number) => sql.raw(`interval '${Math.trunc(days)} days'`);

/** Condition over a received-basis rollup row's `day`: every complaint received that day is eligible at N days. */
export function wholeDayEligible(days: number): SQL {
  return sql`((((day + 1)::timestamp) at time zone 'UTC') + ${interval(days)} <= now())`;
}

/** Every eligible complaint of the scope received in the range (facts `d`): the list's own rule. */
export function eligibleWhere(scope: FigureScope, range: DateRange, days: number): SQL {
  return sql`${factsWhere(scope, "received", range)} and d.received_at + ${interval(days)} <= now()`;
}

/**
 * The eligible complaints (facts `d`) of the scope received in the range whose day is NOT
 * whole-day eligible — what the rollup days of `wholeDayEligible` leave out. Such a complaint was
 * received after `now() − N days − 1 day` and (being eligible) by `now() − N days`; the looser
 * bounds on `received_at` (safe across a daylight-saving change) are there for the index.
 */
export function boundaryWhere(scope: FigureScope, range: DateRange, days: number): SQL {
  const n = interval(days);
  return sql`${eligibleWhere(scope, range, days)}
    and d.received_at > now() - ${n} - interval '2 days' and d.received_at < now() - ${n} + interval '1 day'
    and not (((((d.received_at at time zone 'UTC')::date + 1)::timestamp) at time zone 'UTC') + ${n} <= now())`;
}

/** The rollup slice of a scope (dimension and keys) as a condition, for complaint and money rollups. */
export function sliceWhere(scope: FigureScope): SQL {
  if (!scope.rollup) throw new Error("This scope has no rollup slice: read the facts.");
  return sql`org_id = ${scope.orgId} and dim = ${scope.rollup.dim} and key = any(${textArray(scope.rollup.keys)})`;
}

const measureExpr = new Map(rollupMeasures);

/**
 * Sums of complaint-rollup measures over the complaints received in `range` that are eligible at
 * `days` days (e.g. `["complaints", "retained90"]` at 90: the retention denominator and numerator).
 */
export async function eligibleSums(
  scope: FigureScope,
  range: DateRange,
  days: number,
  names: readonly string[],
): Promise<Sums> {
  const { db } = await getDatabase();
  const factFields = (alias: (n: string) => SQL) =>
    sql.join(
      names.map((n) => {
        const expr = measureExpr.get(n);
        if (!expr) throw new Error(`Unknown rollup measure ${n}`);
        return sql`coalesce(sum(${sql.raw(expr)}), 0)::float8 as ${alias(n)}`;
      }),
      sql`, `,
    );
  const outer = sql.join(
    names.map((n) => sql`coalesce(sum(${sql.raw(n)}), 0)::float8 as ${sql.raw(n)}`),
    sql`, `,
  );
  const query = scope.rollup
    ? sql`select ${outer} from (
        select ${sql.join(
          names.map((n) => sql`coalesce(sum(${sql.raw(n)}), 0)::float8 as ${sql.raw(n)}`),
          sql`, `,
        )} from complaint_rollups
          where ${sliceWhere(scope)} and basis = 0
            and day >= ${range.from}::date and day <= ${range.to}::date and ${wholeDayEligible(days)}
        union all
        select ${factFields((n) => sql.raw(n))} from complaint_facts d where ${boundaryWhere(scope, range, days)}
      ) t`
    : sql`select ${factFields((n) => sql.raw(n))} from complaint_facts d where ${eligibleWhere(scope, range, days)}`;
  const [row] = await queryRows<Record<string, unknown>>(db, query);
  return Object.fromEntries(names.map((n) => [n, Number(row?.[n] ?? 0)]));
}
