/**
 * Retention of customers WITHOUT complaints (the executive's comparison group), kept like the
 * complaint rollups: per customer, the months at which they count and how (customer_baseline_facts),
 * summed per month (customer_baseline_rollups), both moved by new − old inside every write that can
 * change them (a complaint received, customer activity). The reference is
 * lib/metrics/reference/retention.ts `othersRetentionAll`: for each reference date d (a UTC month
 * start), customers active in the 365 days before d with no complaint received in
 * [d − 365 days, d + N days]; retained when their first purchase or renewal after d is within N
 * days and no cancellation precedes it. "Counted only once d + N days have passed" is applied at
 * read, so the stored sums never go stale.
 */
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db";
import type { Tx } from "@/lib/audit";
import { executePrepared } from "./prepared";
import { uuidArray } from "./uuid-array";

type Conn = Db | Tx;

export const baselineDays = [30, 90, 180] as const;
export type BaselineDays = (typeof baselineDays)[number];

const SHARDS = 4;

/** Bit of "eligible at N days" (the next bit up is "and retained"). */
const eligibleBit = (i: number) => 1 << (2 * i);

/**
 * One row per customer selected by `customerWhere` (over `cu`) who counts in some month: the
 * month starts (as dates) and their bit sets, in month order.
 *
 * Each month start d falls in exactly one gap between consecutive distinct purchase/renewal
 * times p < p2: the one with p < d ≤ p2. The customer is active at d iff p ≥ d − 365 days, and the
 * first purchase after d is p2 (or the one after p2 when d = p2 exactly). So the months are
 * generated per gap, without a look-up per month.
 */
function baselineSelect(orgId: string, customerWhere: SQL): SQL {
  const bits = baselineDays
    .map((days, i) => {
      const n = `interval '${days} days'`;
      const eligible = `(m.fc is null or m.fc > m.d + ${n})`;
      const kept = `m.first_buy <= m.d + ${n} and (m.fx is null or m.fx >= m.first_buy)`;
      return `(case when ${eligible} then ${eligibleBit(i)} else 0 end) | (case when ${eligible} and ${kept} then ${eligibleBit(i) << 1} else 0 end)`;
    })
    .join(" | ");
  return sql`with cust as materialized (
      select cu.id as customer_id,
        coalesce((select array_agg(c.received_at) from complaints c
          where c.org_id = cu.org_id and c.customer_id = cu.id), '{}') as complaints,
        coalesce((select array_agg(x.occurred_at) from customer_activities x
          where x.org_id = cu.org_id and x.customer_id = cu.id and x.kind = 'cancellation'), '{}') as cancels
      from customers cu where cu.org_id = ${orgId} and ${customerWhere}
    ),
    buys as (
      select t.customer_id, t.p, lead(t.p) over w as p2, lead(t.p, 2) over w as p3
      from (select distinct a.customer_id, a.occurred_at as p from customer_activities a
        where a.org_id = ${orgId} and a.kind in ('purchase', 'renewal')
          and a.customer_id in (select customer_id from cust)) t
      window w as (partition by t.customer_id order by t.p)
    ),
    months as (
      select b.customer_id, g.d, case when g.d = b.p2 then b.p3 else b.p2 end as first_buy,
        (select min(x) from unnest(c.complaints) x where x >= g.d - interval '365 days') as fc,
        (select min(x) from unnest(c.cancels) x where x > g.d) as fx
      from buys b
      join cust c on c.customer_id = b.customer_id
      cross join lateral (
        select s at time zone 'UTC' as d from generate_series(
          date_trunc('month', b.p at time zone 'UTC') + interval '1 month',
          least(coalesce(b.p2, 'infinity'::timestamptz), b.p + interval '365 days') at time zone 'UTC',
          interval '1 month') s
      ) g
    ),
    flagged as (
      select m.customer_id, m.d, (${sql.raw(bits)})::smallint as flags from months m
    ),
    retention as (
      select customer_id, array_agg((d at time zone 'UTC')::date order by d) as months,
        array_agg(flags order by d) as flags
      from flagged where flags <> 0 group by customer_id
    ),
    scored as (
      select a.customer_id, a.occurred_at, a.id,
        (a.occurred_at at time zone 'UTC')::date as day,
        coalesce((select (max(x) at time zone 'UTC')::date from unnest(c.complaints) x where x <= a.occurred_at), '-infinity') as prev,
        coalesce((select (min(x) at time zone 'UTC')::date from unnest(c.complaints) x where x > a.occurred_at), 'infinity') as next,
        (case when a.score >= 9 then 1 when a.score <= 6 then -1 else 0 end)::smallint as class
      from customer_activities a join cust c on c.customer_id = a.customer_id
      where a.org_id = ${orgId} and a.kind in ('survey', 'review') and a.score is not null
    ),
    scores as (
      select customer_id, array_agg(day order by occurred_at, id) as score_days,
        array_agg(prev order by occurred_at, id) as score_prev,
        array_agg(next order by occurred_at, id) as score_next,
        array_agg(class order by occurred_at, id) as score_class
      from scored group by customer_id
    )
    select coalesce(r.customer_id, s.customer_id) as customer_id,
      coalesce(r.months, '{}') as months, coalesce(r.flags, '{}') as flags,
      coalesce(s.score_days, '{}') as score_days, coalesce(s.score_prev, '{}') as score_prev,
      coalesce(s.score_next, '{}') as score_next, coalesce(s.score_class, '{}') as score_class
    from retention r full join scores s on s.customer_id = r.customer_id`;
}

/** The stored columns of a customer's baseline, in order. */
const factColumns = "customer_id, months, flags, score_days, score_prev, score_next, score_class";
const sameFacts = (a: string, b: string) =>
  `(${a}.months, ${a}.flags, ${a}.score_days, ${a}.score_prev, ${a}.score_next, ${a}.score_class) =
   (${b}.months, ${b}.flags, ${b}.score_days, ${b}.score_prev, ${b}.score_next, ${b}.score_class)`;

const rollupColumns = baselineDays.flatMap((d) => [`e${d}`, `k${d}`]);

/** What rows `source` (customer_id, months, flags, sign) add to the monthly sums. */
function baselineLines(orgId: string, source: string): SQL {
  const sums = baselineDays.flatMap((days, i) => [
    `sum(s.sign * ((u.flag & ${eligibleBit(i)}) <> 0)::int) as e${days}`,
    `sum(s.sign * ((u.flag & ${eligibleBit(i) << 1}) <> 0)::int) as k${days}`,
  ]);
  const nonZero = rollupColumns.map((n) => `l.${n} <> 0`).join(" or ");
  return sql`select l.* from (select ${orgId}::uuid as org_id, u.month,
      (get_byte(uuid_send(s.customer_id), 15) % ${sql.raw(String(SHARDS))})::smallint as shard,
      ${sql.raw(sums.join(", "))}
    from ${sql.raw(source)} s cross join lateral unnest(s.months, s.flags) as u(month, flag)
    group by 2, 3) l where ${sql.raw(nonZero)}`;
}

/** What rows `source` (with score arrays and sign) add to the survey-score sums. */
function scoreLines(orgId: string, source: string): SQL {
  return sql`select l.* from (select ${orgId}::uuid as org_id, u.day, u.prev as prev_day, u.next as next_day,
      (get_byte(uuid_send(s.customer_id), 15) % ${sql.raw(String(SHARDS))})::smallint as shard,
      sum(s.sign)::int as responses, sum(s.sign * (u.class = 1)::int)::int as promoters,
      sum(s.sign * (u.class = -1)::int)::int as detractors
    from ${sql.raw(source)} s
    cross join lateral unnest(s.score_days, s.score_prev, s.score_next, s.score_class) as u(day, prev, next, class)
    group by 2, 3, 4, 5) l where l.responses <> 0 or l.promoters <> 0 or l.detractors <> 0`;
}

const scoreColumns = ["responses", "promoters", "detractors"];

function addToScoreRollups(orgId: string, source: string): SQL {
  const updates = scoreColumns
    .map((n) => `${n} = customer_score_rollups.${n} + excluded.${n}`)
    .join(", ");
  return sql`insert into customer_score_rollups (org_id, day, prev_day, next_day, shard, ${sql.raw(scoreColumns.join(", "))})
    ${scoreLines(orgId, source)} order by day, prev_day, next_day, shard
    on conflict (org_id, day, prev_day, next_day, shard) do update set ${sql.raw(updates)}`;
}

function addToBaselineRollups(orgId: string, source: string): SQL {
  const names = rollupColumns.join(", ");
  const updates = rollupColumns
    .map((n) => `${n} = customer_baseline_rollups.${n} + excluded.${n}`)
    .join(", ");
  return sql`insert into customer_baseline_rollups (org_id, month, shard, ${sql.raw(names)})
    ${baselineLines(orgId, source)} order by month, shard
    on conflict (org_id, month, shard) do update set ${sql.raw(updates)}`;
}

/**
 * Recomputes these customers' baseline months and moves the monthly sums by the difference.
 * Call inside the write's transaction, after a complaint is received (or its receipt or customer
 * changes) or customer activity is recorded.
 */
export async function refreshCustomerBaseline(
  tx: Conn,
  orgId: string,
  customerIds: readonly string[],
): Promise<void> {
  if (customerIds.length === 0) return;
  const ids = uuidArray(customerIds);
  const fresh = baselineSelect(orgId, sql`cu.id = any(${ids})`);
  await executePrepared(
    tx,
    sql`with fresh as materialized (${fresh}),
    old as materialized (select ${sql.raw(factColumns)} from customer_baseline_facts f
      where f.org_id = ${orgId} and f.customer_id = any(${ids})),
    changed as materialized (
      select 1 as sign, n.* from fresh n where not exists (select 1 from old o
        where o.customer_id = n.customer_id and ${sql.raw(sameFacts("o", "n"))})
      union all
      select -1 as sign, o.* from old o where not exists (select 1 from fresh n
        where n.customer_id = o.customer_id and ${sql.raw(sameFacts("o", "n"))})
    ),
    removed as (delete from customer_baseline_facts f where f.org_id = ${orgId}
      and f.customer_id in (select customer_id from old except select customer_id from fresh)),
    upserted as (insert into customer_baseline_facts (org_id, ${sql.raw(factColumns)})
      select ${orgId}, ${sql.raw(factColumns)} from changed where sign = 1
      on conflict (org_id, customer_id) do update set months = excluded.months, flags = excluded.flags,
        score_days = excluded.score_days, score_prev = excluded.score_prev,
        score_next = excluded.score_next, score_class = excluded.score_class),
    scores_added as (${addToScoreRollups(orgId, "changed")})
    ${addToBaselineRollups(orgId, "changed")}`,
  );
}

/** Replaces an organisation's baseline facts and sums with ones computed from the raw rows. */
export async function rebuildCustomerBaseline(tx: Conn, orgId: string): Promise<void> {
  await tx.execute(sql`delete from customer_baseline_rollups where org_id = ${orgId}`);
  await tx.execute(sql`delete from customer_score_rollups where org_id = ${orgId}`);
  await tx.execute(sql`delete from customer_baseline_facts where org_id = ${orgId}`);
  await tx.execute(sql`insert into customer_baseline_facts (org_id, ${sql.raw(factColumns)})
    select ${orgId}, ${sql.raw(factColumns)} from (${baselineSelect(orgId, sql`true`)}) b`);
  await tx.execute(addToBaselineRollups(orgId, storedBaseline(orgId)));
  await tx.execute(addToScoreRollups(orgId, storedBaseline(orgId)));
}

/** Recomputes the monthly and score sums from the stored baseline facts (a new grain or sharding). */
export async function resumCustomerBaseline(tx: Conn, orgId: string): Promise<void> {
  await tx.execute(sql`delete from customer_baseline_rollups where org_id = ${orgId}`);
  await tx.execute(sql`delete from customer_score_rollups where org_id = ${orgId}`);
  await tx.execute(addToBaselineRollups(orgId, storedBaseline(orgId)));
  await tx.execute(addToScoreRollups(orgId, storedBaseline(orgId)));
}

const storedBaseline = (orgId: string) =>
  `(select 1 as sign, f.* from customer_baseline_facts f where f.org_id = '${orgId.replace(/[^0-9a-f-]/gi, "")}')`;

/** Stored baseline facts that differ from the raw rows, and monthly sums that differ from the facts. */
export async function verifyCustomerBaseline(
  db: Db,
  orgId: string,
): Promise<{ factMismatches: number; rollupMismatches: number }> {
  const stored = sql`select ${sql.raw(factColumns)} from customer_baseline_facts where org_id = ${orgId}`;
  const fresh = sql`select ${sql.raw(factColumns)} from (${baselineSelect(orgId, sql`true`)}) b`;
  // Each sum table: the sums of the stored facts vs the stored sums (all-zero rows aside).
  const compare = (table: string, keys: string, names: string[], lines: SQL) => {
    const summed = `select ${keys}, ${names.map((n) => `sum(${n})::bigint as ${n}`).join(", ")}`;
    const groupBy = `group by ${keys} having ${names.map((n) => `sum(${n}) <> 0`).join(" or ")}`;
    const expected = sql`${sql.raw(summed)} from (${lines}) e ${sql.raw(groupBy)}`;
    const actual = sql`${sql.raw(summed)} from ${sql.raw(table)} where org_id = ${orgId} ${sql.raw(groupBy)}`;
    return sql`(select count(*)::int from ((${expected} except all ${actual}) union all (${actual} except all ${expected})) x)`;
  };
  const [row] = await queryRows<{ facts: number; rollups: number }>(
    db,
    sql`select
      (select count(*)::int from ((${fresh} except all ${stored}) union all (${stored} except all ${fresh})) x) as facts,
      ${compare("customer_baseline_rollups", "month", rollupColumns, baselineLines(orgId, storedBaseline(orgId)))}
      + ${compare("customer_score_rollups", "day, prev_day, next_day", scoreColumns, scoreLines(orgId, storedBaseline(orgId)))} as rollups`,
  );
  return { factMismatches: Number(row?.facts ?? 0), rollupMismatches: Number(row?.rollups ?? 0) };
}

/**
 * Survey and review scores dated in the range of customers with no complaint received in it: a
 * response on day a, whose customer's last complaint at or before it was received on day p and
 * first complaint after it on day n, counts iff from ≤ a ≤ to, p < from and n > to (no complaint
 * in the range either side of it). Reference: `noComplaintNps`.
 */
export async function baselineScores(
  db: Db,
  orgId: string,
  range: { from: string; to: string },
): Promise<{ responses: number; promoters: number; detractors: number }> {
  const [row] = await queryRows<Record<string, string | number | null>>(
    db,
    sql`select coalesce(sum(responses), 0) as responses, coalesce(sum(promoters), 0) as promoters,
      coalesce(sum(detractors), 0) as detractors
      from customer_score_rollups
      where org_id = ${orgId} and day between ${range.from}::date and ${range.to}::date
        and prev_day < ${range.from}::date and next_day > ${range.to}::date`,
  );
  return {
    responses: Number(row?.responses ?? 0),
    promoters: Number(row?.promoters ?? 0),
    detractors: Number(row?.detractors ?? 0),
  };
}

export interface BaselineRate {
  n: number;
  k: number;
}

/**
 * Customers without complaints, summed over the reference month starts, at 30/90/180 days;
 * a month counts at N days only once N days have passed since it began.
 */
export async function baselineRetention(
  db: Db,
  orgId: string,
  months: readonly string[],
): Promise<Record<BaselineDays, BaselineRate>> {
  const out = Object.fromEntries(baselineDays.map((d) => [d, { n: 0, k: 0 }])) as Record<
    BaselineDays,
    BaselineRate
  >;
  if (months.length === 0) return out;
  const passed = (days: number) =>
    `(r.month::timestamp at time zone 'UTC') + interval '${days} days' <= now()`;
  const [row] = await queryRows<Record<string, string | number | null>>(
    db,
    sql`select ${sql.raw(
      baselineDays
        .flatMap((d) => [
          `sum(r.e${d}) filter (where ${passed(d)}) as e${d}`,
          `sum(r.k${d}) filter (where ${passed(d)}) as k${d}`,
        ])
        .join(", "),
    )}
      from customer_baseline_rollups r
      where r.org_id = ${orgId} and r.month in (${sql.join(
        months.map((m) => sql`${m}::date`),
        sql`, `,
      )})`,
  );
  for (const d of baselineDays)
    out[d] = { n: Number(row?.[`e${d}`] ?? 0), k: Number(row?.[`k${d}`] ?? 0) };
  return out;
}
