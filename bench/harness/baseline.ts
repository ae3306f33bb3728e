/**
 * The naive baseline: five classic dashboard queries over the raw complaints rows, run directly
 * through postgres.js on the same data in the same run. What a dashboard costs with no
 * pre-aggregation at all, to compare ours with.
 */
import type { Query } from "./data";
import { median } from "./stats";

export interface BaselineResult {
  range: string;
  from: string;
  to: string;
  runs: number;
  /** Median of the five queries run one after another. */
  median: number;
  /** Median per query, same order as `queries`. */
  perQuery: Record<string, number>;
}

const queries: Record<string, string> = {
  "count by status": `
    select status, count(*) from complaints
     where org_id = $1 and received_at >= $2 and received_at < $3
     group by status`,
  "count and mean time to resolution by day": `
    select date_trunc('day', received_at) as day, count(*),
           avg(extract(epoch from resolved_at - received_at)) / 3600 as hours
      from complaints
     where org_id = $1 and received_at >= $2 and received_at < $3
     group by 1 order by 1`,
  "median and p90 time to resolution": `
    select percentile_cont(0.5) within group (order by extract(epoch from resolved_at - received_at)),
           percentile_cont(0.9) within group (order by extract(epoch from resolved_at - received_at))
      from complaints
     where org_id = $1 and received_at >= $2 and received_at < $3 and resolved_at is not null`,
  "SLA met rate": `
    select avg(case when resolved_at <= sla_due_at then 1.0 else 0.0 end)
      from complaints
     where org_id = $1 and received_at >= $2 and received_at < $3
       and resolved_at is not null and sla_due_at is not null`,
  "count by root cause": `
    select root_cause_id, count(*) from complaints
     where org_id = $1 and received_at >= $2 and received_at < $3
     group by root_cause_id order by 2 desc`,
};

export const baselineQueryNames = Object.keys(queries);

/** `from`/`to` are inclusive UTC days, as the dashboards take them. */
export async function runBaseline(
  query: Query,
  orgId: string,
  range: string,
  from: string,
  to: string,
  runs: number,
): Promise<BaselineResult> {
  const start = `${from}T00:00:00Z`;
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
  const totals: number[] = [];
  const per: Record<string, number[]> = Object.fromEntries(baselineQueryNames.map((n) => [n, []]));
  // One warm-up, so every run reads from a warm cache as the dashboards' runs do.
  for (let run = -1; run < runs; run++) {
    let sum = 0;
    for (const [name, text] of Object.entries(queries)) {
      const t0 = performance.now();
      await query(text, [orgId, start, end]);
      const took = performance.now() - t0;
      sum += took;
      if (run >= 0) per[name]!.push(took);
    }
    if (run >= 0) totals.push(sum);
  }
  return {
    range,
    from,
    to,
    runs,
    median: median(totals),
    perQuery: Object.fromEntries(baselineQueryNames.map((n) => [n, median(per[n]!)])),
  };
}
