/**
 * Keeping facts and rollups exact inside the write transaction. Every write that can move a
 * figure calls `refreshComplaintFacts` (or `refreshCustomerFacts` for customer activity) before it
 * commits: one statement recomputes the complaints' facts from the raw rows, and adds to the daily
 * rollups the difference between the new facts and the old ones — so a figure read from the
 * rollups on the very next request equals the raw-row reference, and its drill-down list.
 */
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db";
import { complaints } from "@/db/schema";
import type { Tx } from "@/lib/audit";
import { policyTime, type PolicyTime } from "@/lib/metrics/business-hours-sql";
import { factColumnNames, factColumns } from "./facts";
import { refreshCustomerBaseline } from "./customer-baseline";
import { histogramLines } from "./histogram";
import {
  basisColumn,
  CELL_DIM,
  dimensionColumn,
  factorMeasures,
  INFERRED_TAG,
  inferredOf,
  pairDimensions,
  type PairDimension,
  type RollupDimension,
  responseBucketExpr,
  rollupBases,
  rollupMeasures,
  UNOWNED_HISTORY_TAG,
} from "./measures";
import { executePrepared } from "./prepared";
import { isUuid, uuidArray } from "./uuid-array";

type Conn = Db | Tx;

export { uuidArray };

/**
 * Low-cardinality rows every intake touches (no dimension, team, channel, severity) are spread
 * over 4 shards by the complaint's id. (8 shards over more dimensions, tried 2026-12-05, left
 * intake throughput unchanged — it is CPU-bound, not lock-bound — and made long-range reads slower.)
 */
const SHARDS = 4;
const SHARDED_DIMS = "(0, 1, 3, 4)";
const shardOf = (dim: string) =>
  `(case when ${dim} in ${SHARDED_DIMS} then get_byte(uuid_send(d.complaint_id), 15) % ${SHARDS} else 0 end)`;

/**
 * The day a fact row counts on per basis: received, resolved, closed — none for resolved and
 * closed when its times were inferred (they are not known, so no period holds them).
 */
const basesOf = (d: string) =>
  rollupBases
    .map((b, i) =>
      b === "received"
        ? `(${i}, ${d}.${basisColumn[b]})`
        : `(${i}, case when not ${inferredOf(d)} then ${d}.${basisColumn[b]} end)`,
    )
    .join(", ");

/**
 * Bases 6, 7, 8, "left out by rule": a complaint whose times were inferred on its received,
 * (inferred) resolved and closed day, with every measure — what each time-based figure reports
 * leaving out (lib/rollups/read.ts `inferredSums`). Not on the pair dimensions.
 */
export const INFERRED_BASIS = 6;
const inferredBasesOf = (d: string) =>
  rollupBases
    .map(
      (b, i) =>
        `(${INFERRED_BASIS + i}, case when ${inferredOf(d)} then ${d}.${basisColumn[b]} end)`,
    )
    .join(", ");
/** No dimension (0, ''), each dimension's value, and (unless `cells` is false) the cell. */
const dimsOf = (d: string, cells = true) =>
  [
    `(0, '')`,
    ...Object.values(dimensionColumn).map(
      (column, i) => `(${i + 1}, coalesce(${d}.${column}::text, 'none'))`,
    ),
    ...(cells ? [`(${CELL_DIM}, ${d}.cell)`] : []),
  ].join(", ");

/** The rows a set of fact rows `d` adds to the rollups, with `sign` (+1 new, −1 old). */
function rollupLines(source: string): string {
  const measures = rollupMeasures.map(([name, expr]) => `d.sign * ${expr} as ${name}`).join(", ");
  return `select d.org_id, b.basis, x.dim, x.key, (b.at at time zone 'UTC')::date as day,
      ${shardOf("x.dim")} as shard, ${measures}
    from ${source} d
    cross join lateral (values ${basesOf("d")}, ${inferredBasesOf("d")}, (${SETTLED_BASIS}, ${settledAt("d")}),
      (${OVERDUE_FROM_BASIS}, ${overdueFrom("d")}), (${OVERDUE_UNTIL_BASIS}, ${overdueUntil("d")})) as b(basis, at)
    cross join lateral (values ${dimsOf("d")}, ${pairDimsOf("d")}) as x(dim, key)
    where b.at is not null and (x.dim not in (${pairDimList}) or b.basis <= ${pairLastBasis("x.dim")})`;
}

const pairDim = (group: PairDimension["group"], filter: PairDimension["filter"]) =>
  pairDimensions.find((p) => p.group === group && p.filter === filter)!.dim;
/** Pair dimensions for the root-cause heat maps: cause × product, cause × channel. */
export const ROOT_CAUSE_BY_PRODUCT = pairDim("rootCause", "product");
export const ROOT_CAUSE_BY_CHANNEL = pairDim("rootCause", "channel");
const valueOf = (d: string, dimension: Exclude<RollupDimension, "none">) =>
  `coalesce(${d}.${dimensionColumn[dimension]}::text, 'none')`;
/** Each pair dimension's key of fact row `d` (measures.ts `pairDimensions`), `cause` pairs only if asked. */
const pairDimsOf = (d: string, only?: (p: PairDimension) => boolean) =>
  pairDimensions
    .filter((p) => !only || only(p))
    .map((p) => `(${p.dim}, ${valueOf(d, p.group)} || '|' || ${valueOf(d, p.filter)})`)
    .join(", ");
const pairDimList = pairDimensions.map((p) => p.dim).join(", ");
const pairLastBasis = (dim: string) =>
  `(case ${dim} ${pairDimensions.map((p) => `when ${p.dim} then ${p.lastBasis}`).join(" ")} end)`;
/** Root-cause pairs: the money rollups keep them too (the Pareto by cost with one filter). */
const causePair = (p: PairDimension) => p.group === "rootCause";

/**
 * Basis 3, "settled": the first of resolved and closed, never before receipt. A complaint is open
 * at the end of a day when it was received by then and not settled by then, so "open at the end
 * of the previous period" is two cumulative sums (lib/rollups/read.ts `openAtEndOf`).
 */
export const SETTLED_BASIS = 3;
/** Never open at a day's end (settled on receipt): unowned history, or times inferred (unknown). */
const neverOpen = (d: string) =>
  `(${d}.keys && array['${INFERRED_TAG}', '${UNOWNED_HISTORY_TAG}'])`;
const settledAt = (d: string) =>
  `(case when ${neverOpen(d)} then ${d}.received_at when coalesce(${d}.resolved_at, ${d}.closed_at) is null then null else greatest(${d}.received_at, least(${d}.resolved_at, ${d}.closed_at)) end)`;

/**
 * Bases 4 and 5, "overdue from" and "overdue until": a complaint is overdue at the end of UTC day X
 * (received and past its SLA due by then, not settled by then) iff s ≤ X < e, where s is the day of
 * the later of receipt and due and e the day it settled (none: never). Complaints with e ≤ s are
 * never overdue at a day's end and count in neither basis, so "overdue at the end of X" is two
 * cumulative sums, like "open" (lib/rollups/read.ts `overdueAtEndOf`).
 */
export const OVERDUE_FROM_BASIS = 4;
export const OVERDUE_UNTIL_BASIS = 5;
const utcDay = (t: string) => `(${t} at time zone 'UTC')::date`;
const everOverdue = (d: string) =>
  `(${d}.sla_due_at is not null and not ${neverOpen(d)} and (${settledAt(d)} is null or ${utcDay(`greatest(${d}.received_at, ${d}.sla_due_at)`)} < ${utcDay(settledAt(d))}))`;
const overdueFrom = (d: string) =>
  `(case when ${everOverdue(d)} then greatest(${d}.received_at, ${d}.sla_due_at) end)`;
const overdueUntil = (d: string) => `(case when ${everOverdue(d)} then ${settledAt(d)} end)`;

/** insert … select of summed lines into a rollup table, adding to rows that exist. */
function addTo(table: string, keys: string[], names: string[], lines: string): string {
  const k = keys.join(", ");
  const sums = names.map((n) => `sum(${n})`).join(", ");
  const updates = names.map((n) => `${n} = ${table}.${n} + excluded.${n}`).join(", ");
  const nonZero = names.map((n) => `sum(${n}) <> 0`).join(" or ");
  return `insert into ${table} (${k}, ${names.join(", ")})
    select ${k}, ${sums} from (${lines}) l
    group by ${k} having ${nonZero}
    order by ${k}
    on conflict (${k}) do update set ${updates}`;
}

function addToRollups(lines: string): string {
  return addTo(
    "complaint_rollups",
    ["org_id", "basis", "dim", "key", "day", "shard"],
    rollupMeasures.map(([n]) => n),
    lines,
  );
}

/**
 * The factors of a fact row `d` (SQL text, one row per factor, column `factor`): each playbook
 * step done, delivered remedy kind, its response bucket, and promise kept.
 */
export const factorsOfFact = `select 'step:' || s::text as factor from unnest(d.steps_done) s
      union all select 'remedy:' || k from unnest(d.delivered_remedy_kinds) k
      union all select 'response:' || ${responseBucketExpr} where ${responseBucketExpr} is not null
      union all select 'promise:kept' where d.promise_kept`;

/**
 * Factor lines: one per playbook step done, delivered remedy kind, response bucket, promise kept,
 * for every complaint (dim 0, sharded) and per dimension (one filter). Not per cell: ~100 cells
 * would add 2.7M rows at 1M complaints, and two filters of team, channel and severity count
 * factors over the facts through the cell indexes.
 */
function factorLines(source: string): string {
  const measures = factorMeasures.map(([name, expr]) => `d.sign * ${expr} as ${name}`).join(", ");
  const factors = factorsOfFact;
  return `select d.org_id, b.basis, x.dim, x.key, f.factor, (b.at at time zone 'UTC')::date as day,
      (case when x.dim = 0 then get_byte(uuid_send(d.complaint_id), 15) % ${SHARDS} else 0 end) as shard, ${measures}
    from ${source} d
    cross join lateral (values ${basesOf("d")}) as b(basis, at)
    cross join lateral (${factors}) as f
    cross join lateral (values ${dimsOf("d", false)}) as x(dim, key)
    where b.at is not null`;
}

function addToFactors(lines: string): string {
  return addTo(
    "factor_rollups",
    ["org_id", "basis", "dim", "key", "factor", "day", "shard"],
    factorMeasures.map(([n]) => n),
    lines,
  );
}

/** Money lines (received basis): delivered cost per currency, and retained complaints' revenue. */
function moneyLines(source: string): string {
  return `select d.org_id, x.dim, x.key, (d.received_at at time zone 'UTC')::date as day, m.currency,
      d.sign * m.cost as cost_minor, d.sign * m.costed as costed_complaints, d.sign * m.revenue as retained_revenue_minor,
      d.sign * m.revenue_complaints as revenue_complaints
    from ${source} d
    cross join lateral (
      select c.key as currency, c.value::bigint as cost, 1 as costed, 0::bigint as revenue, 0 as revenue_complaints
        from jsonb_each_text(d.delivered_costs) c
      union all select r.key, 0, 0, r.value::bigint, 1 from jsonb_each_text(d.revenue365) r where d.retained90
    ) m
    cross join lateral (values ${dimsOf("d")}, ${pairDimsOf("d", causePair)}) as x(dim, key)`;
}

function addToMoney(lines: string): string {
  return addTo(
    "money_rollups",
    ["org_id", "dim", "key", "day", "currency"],
    ["cost_minor", "costed_complaints", "retained_revenue_minor", "revenue_complaints"],
    lines,
  );
}

/**
 * Remedy delivery lines: per costed delivery day and currency of a fact row, its cost and the
 * previous delivery day in that currency; per delivery day (currency ''), the previous one in any.
 */
function remedyLines(source: string): string {
  const days = `select (e->>0)::date as day, e->>1 as currency, (e->>2)::bigint as cost from jsonb_array_elements(d.deliveries) e`;
  return `select d.org_id, x.dim, x.key, m.day, m.prev_day, m.currency,
      d.sign * m.cost as cost_minor, d.sign as complaints
    from ${source} d
    cross join lateral (
      select v.day, coalesce(lag(v.day) over (partition by v.currency order by v.day), '-infinity'::date) as prev_day,
        v.currency, v.cost from (${days}) v
      union all
      select w.day, coalesce(lag(w.day) over (order by w.day), '-infinity'::date), '', 0
        from (select distinct v.day from (${days}) v) w
    ) m
    cross join lateral (values ${dimsOf("d")}) as x(dim, key)
    where d.deliveries <> '[]'::jsonb`;
}

function addToRemedies(lines: string): string {
  return addTo(
    "remedy_rollups",
    ["org_id", "dim", "key", "day", "prev_day", "currency"],
    ["cost_minor", "complaints"],
    lines,
  );
}

function addToHistograms(lines: string): string {
  return addTo(
    "duration_histograms",
    // Owner first: a rebuild writes everyone's rows ('') together, then each owner's.
    ["org_id", "owner", "measure", "span", "start", "bucket"],
    ["complaints"],
    lines,
  );
}

/** Every rollup table's insert for the fact rows of `source` (with `sign`). */
export function rollupStatements(source: string): string[] {
  return [
    addToRollups(rollupLines(source)),
    addToFactors(factorLines(source)),
    addToMoney(moneyLines(source)),
    addToHistograms(histogramLines(source)),
    addToRemedies(remedyLines(source)),
  ];
}

/** The facts of the complaints `where` selects, as computed from the raw rows now. */
export function factsSelect(orgId: string, policy: PolicyTime | null, where: SQL): SQL {
  const columns = factColumns(orgId, policy).map(
    ([name, expr]) => sql`${expr} as ${sql.raw(name)}`,
  );
  return sql`select ${sql.join(columns, sql`, `)} from ${complaints} where ${where}`;
}

/**
 * Recomputes the facts of these complaints and moves the rollups by the difference. Complaints
 * whose facts did not change touch no rollup row (so edits that move no figure take no rollup
 * lock). Call inside the write's transaction, after the write.
 */
export async function refreshComplaintFacts(
  tx: Conn,
  orgId: string,
  complaintIds: readonly string[],
): Promise<void> {
  if (complaintIds.length === 0) return;
  const policy = await policyTime(tx, orgId);
  // A complaint's facts can depend on its customer's other complaints (repeat complaints).
  const ids = uuidArray(complaintIds);
  // The customers before and after the write (an import may move a complaint to another customer).
  const customers = await queryRows<{ id: string }>(
    tx as Db,
    sql`select c.customer_id as id from complaints c where c.org_id = ${orgId} and c.id = any(${ids})
      union select f.customer_id from complaint_facts f where f.org_id = ${orgId} and f.complaint_id = any(${ids})`,
  );
  const where = sql`${complaints.orgId} = ${orgId} and (${complaints.id} = any(${ids}) or ${complaints.customerId} = any(${uuidArray(customers.map((c) => c.id))}))`;
  await applyFacts(tx, factsSelect(orgId, policy, where));
  // A complaint received (or moved) changes its customers' place among customers WITHOUT complaints.
  await refreshCustomerBaseline(
    tx,
    orgId,
    customers.map((c) => c.id),
  );
}

/** Upserts the facts `fresh` selects and adds (new − old) to every rollup, in one statement. */
async function applyFacts(tx: Conn, fresh: SQL): Promise<void> {
  await executePrepared(tx, applyFactsSql(fresh));
}

/** The one statement of `applyFacts`. */
function applyFactsSql(fresh: SQL): SQL {
  const cols = factColumnNames.join(", ");
  const updates = factColumnNames
    .filter((c) => c !== "org_id" && c !== "complaint_id")
    .map((c) => `${c} = excluded.${c}`)
    .join(", ");
  // New and old facts paired by a full join: PostgreSQL runs it only as a hash or merge join.
  // (An anti join per side was planned — generic plan, one row expected — as a nested loop that
  // compared every new row with every old one: 90 s for an import of 10,000 rows.)
  const changed = `select s.* from fresh n full join old o on o.complaint_id = n.complaint_id
    cross join lateral (select 1 as sign, n.* where n.complaint_id is not null
      union all select -1, o.* where o.complaint_id is not null) s
    where (o.*) is distinct from (n.*)`;
  const [rollups, factors, money, histograms, remedies] = rollupStatements("changed");
  return sql`with fresh as materialized (${fresh}),
    old as materialized (select ${sql.raw(cols)} from complaint_facts f
      where (f.org_id, f.complaint_id) in (select org_id, complaint_id from fresh)),
    changed as materialized (${sql.raw(changed)}),
    upserted as (insert into complaint_facts (${sql.raw(cols)}) select ${sql.raw(cols)} from fresh
      on conflict (org_id, complaint_id) do update set ${sql.raw(updates)}),
    factors_added as (${sql.raw(factors!)}),
    money_added as (${sql.raw(money!)}),
    histograms_added as (${sql.raw(histograms!)}),
    remedies_added as (${sql.raw(remedies!)})
    ${sql.raw(rollups!)}`;
}

/**
 * Customer activity moves retention: recompute the facts of every complaint of these customers
 * (a purchase, renewal or cancellation can only matter to complaints of its own customer).
 */
export async function refreshCustomerFacts(
  tx: Conn,
  orgId: string,
  customerIds: readonly string[],
): Promise<void> {
  if (customerIds.length === 0) return;
  const policy = await policyTime(tx, orgId);
  const where = sql`${complaints.orgId} = ${orgId} and ${complaints.customerId} = any(${uuidArray(customerIds)})`;
  await applyFacts(tx, factsSelect(orgId, policy, where));
  await refreshCustomerBaseline(tx, orgId, customerIds);
}

/**
 * Takes complaints out of the facts and every rollup before their raw rows are deleted (the
 * benchmark's clean-up of what its intake run recorded): their stored facts are subtracted and
 * deleted. Returns their customers: once the rows are gone, `refreshCustomerFacts` on them
 * brings their other complaints (repeat complaints) and their baselines up to date.
 */
export async function forgetComplaints(
  tx: Conn,
  orgId: string,
  complaintIds: readonly string[],
): Promise<string[]> {
  const ids = complaintIds.filter(isUuid);
  if (ids.length === 0 || !isUuid(orgId)) return [];
  const customers = await queryRows<{ id: string }>(
    tx as Db,
    sql`select distinct customer_id as id from complaint_facts
      where org_id = ${orgId} and complaint_id = any(${uuidArray(ids)})`,
  );
  const source = `(select -1 as sign, f.* from complaint_facts f where f.org_id = '${orgId}'
    and f.complaint_id = any('{${ids.join(",")}}'::uuid[]))`;
  for (const statement of rollupStatements(source)) await tx.execute(sql.raw(statement));
  await tx.execute(
    sql`delete from complaint_facts where org_id = ${orgId} and complaint_id = any(${uuidArray(ids)})`,
  );
  return customers.map((c) => c.id);
}

/** The stored facts of an organisation as a rollup source (rebuild and verify). */
export function storedFacts(orgId: string): string {
  return `(select 1 as sign, f.* from complaint_facts f where f.org_id = '${orgId.replace(/[^0-9a-f-]/gi, "")}')`;
}

export { rollupLines, factorLines, moneyLines, remedyLines };
