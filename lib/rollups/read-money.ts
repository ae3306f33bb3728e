/**
 * Reading the money rollups (received basis, per dimension, day and currency: delivered remedy
 * cost, the complaints with such a cost, and the 365-day revenue of complaints retained at 90
 * days — lib/rollups/maintain.ts `moneyLines`), or the facts when the scope has no rollup slice.
 * Currencies are never added together.
 */
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDatabase, queryRows } from "@/db";
import type { DateRange } from "@/lib/metrics/filters";
import { factsWhere, type FigureScope } from "./read";
import { boundaryWhere, eligibleWhere, sliceWhere, wholeDayEligible } from "./read-eligible";

export interface MoneyMonth {
  /** UTC month of receipt, YYYY-MM. */
  month: string;
  currency: string;
  costMinor: number;
  /** Complaints with a delivered, costed remedy in the currency. */
  costedComplaints: number;
  /** 365-day revenue in the currency of the complaints retained at 90 days. */
  revenueMinor: number;
  /** Some retained complaint has revenue in the currency (possibly of 0: free renewals). */
  hasRevenue: boolean;
}

const month = sql`to_char(d.received_at at time zone 'UTC', 'YYYY-MM')`;

/** A fact row's money lines (as `moneyLines` in maintain.ts). */
const factLines = sql`cross join lateral (
    select c.key as currency, c.value::bigint as cost, 1 as costed, 0::bigint as revenue, 0 as revenue_complaints
      from jsonb_each_text(d.delivered_costs) c
    union all select r.key, 0, 0, r.value::bigint, 1
      from jsonb_each_text(d.revenue365) r where d.retained90
  ) m`;

const factMoney = (where: SQL) =>
  sql`select ${month} as month, m.currency, sum(m.cost) as cost, sum(m.costed) as costed,
      sum(m.revenue) as revenue, sum(m.revenue_complaints) as revenue_complaints
    from complaint_facts d ${factLines} where ${where} group by 1, 2`;

/**
 * Money per UTC month of receipt and currency over the scope's complaints received in `range`
 * — only those eligible at `eligibleDays` days when given (read-eligible.ts) — sorted by month
 * and currency. Months and currencies with neither a costed complaint nor revenue are left out.
 * A retained complaint whose revenue in a currency is 0 (free renewals) still shows that
 * currency and month, as the reference does: `revenue_complaints` counts them.
 */
export async function moneyByMonth(
  scope: FigureScope,
  range: DateRange,
  { eligibleDays = null }: { eligibleDays?: number | null } = {},
): Promise<MoneyMonth[]> {
  const { db } = await getDatabase();
  let query: SQL;
  if (scope.rollup) {
    const parts: SQL[] = [
      sql`select to_char(day, 'YYYY-MM') as month, currency, sum(cost_minor) as cost,
          sum(costed_complaints) as costed, sum(retained_revenue_minor) as revenue,
          sum(revenue_complaints) as revenue_complaints
        from money_rollups
        where ${sliceWhere(scope)} and day >= ${range.from}::date and day <= ${range.to}::date
          ${eligibleDays === null ? sql`` : sql`and ${wholeDayEligible(eligibleDays)}`}
        group by 1, 2`,
    ];
    if (eligibleDays !== null) parts.push(factMoney(boundaryWhere(scope, range, eligibleDays)));
    query = sql`select month, currency, sum(cost)::float8 as cost, sum(costed)::float8 as costed,
        sum(revenue)::float8 as revenue, sum(revenue_complaints)::float8 as revenue_complaints
      from (${sql.join(parts, sql` union all `)}) t group by 1, 2`;
  } else {
    const where =
      eligibleDays === null
        ? factsWhere(scope, "received", range)
        : eligibleWhere(scope, range, eligibleDays);
    query = sql`select month, currency, cost::float8 as cost, costed::float8 as costed,
        revenue::float8 as revenue, revenue_complaints::float8 as revenue_complaints from (${factMoney(where)}) t`;
  }
  const rows = await queryRows<Record<string, unknown>>(db, query);
  return rows
    .map((r) => {
      const revenueMinor = Number(r.revenue ?? 0);
      return {
        month: String(r.month),
        currency: String(r.currency),
        costMinor: Number(r.cost ?? 0),
        costedComplaints: Number(r.costed ?? 0),
        revenueMinor,
        hasRevenue: Number(r.revenue_complaints ?? 0) > 0,
      };
    })
    .filter((m) => m.costedComplaints > 0 || m.hasRevenue)
    .sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency));
}
