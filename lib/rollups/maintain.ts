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
import { dimensionColumn, rollupBases, basisColumn, rollupMeasures } from "./measures";

type Conn = Db | Tx;

/** A uuid[] parameter as one text value (the same on postgres.js and PGlite). */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;

const SHARDS = 4;

/** The rows a set of fact rows `d` adds to the rollups, with `sign` (+1 new, −1 old). */
function rollupLines(source: string): string {
  const bases = rollupBases.map((b, i) => `(${i}, d.${basisColumn[b]})`).join(", ");
  const dims = [
    `(0, '')`,
    ...Object.values(dimensionColumn).map(
      (column, i) => `(${i + 1}, coalesce(d.${column}::text, 'none'))`,
    ),
  ].join(", ");
  const measures = rollupMeasures.map(([name, expr]) => `d.sign * ${expr} as ${name}`).join(", ");
  return `select d.org_id, b.basis, x.dim, x.key, (b.at at time zone 'UTC')::date as day,
      get_byte(uuid_send(d.complaint_id), 15) % ${SHARDS} as shard, ${measures}
    from ${source} d
    cross join lateral (values ${bases}) as b(basis, at)
    cross join lateral (values ${dims}) as x(dim, key)
    where b.at is not null`;
}

/** insert … select of summed rollup lines, adding to rows that exist. */
function addToRollups(lines: string): string {
  const names = rollupMeasures.map(([name]) => name);
  const sums = names.map((n) => `sum(${n})::int`).join(", ");
  const updates = names.map((n) => `${n} = complaint_rollups.${n} + excluded.${n}`).join(", ");
  const nonZero = names.map((n) => `sum(${n}) <> 0`).join(" or ");
  return `insert into complaint_rollups (org_id, basis, dim, key, day, shard, ${names.join(", ")})
    select org_id, basis, dim, key, day, shard, ${sums} from (${lines}) l
    group by org_id, basis, dim, key, day, shard having ${nonZero}
    order by org_id, basis, dim, key, day, shard
    on conflict (org_id, basis, dim, key, day, shard) do update set ${updates}`;
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
  const where = sql`${complaints.orgId} = ${orgId} and ${complaints.id} = any(${uuidArray(complaintIds)})`;
  await applyFacts(tx, factsSelect(orgId, policy, where));
}

/** Upserts the facts `fresh` selects and adds (new − old) to the rollups, in one statement. */
async function applyFacts(tx: Conn, fresh: SQL): Promise<void> {
  const cols = factColumnNames.join(", ");
  const updates = factColumnNames
    .filter((c) => c !== "org_id" && c !== "complaint_id")
    .map((c) => `${c} = excluded.${c}`)
    .join(", ");
  const changedNew = `select 1 as sign, n.* from fresh n where not exists (select 1 from old o where o.complaint_id = n.complaint_id and (o.*) is not distinct from (n.*))`;
  const changedOld = `select -1 as sign, o.* from old o where not exists (select 1 from fresh n where n.complaint_id = o.complaint_id and (o.*) is not distinct from (n.*))`;
  await tx.execute(sql`with fresh as (${fresh}),
    old as (select ${sql.raw(cols)} from complaint_facts f
      where (f.org_id, f.complaint_id) in (select org_id, complaint_id from fresh)),
    upserted as (insert into complaint_facts (${sql.raw(cols)}) select ${sql.raw(cols)} from fresh
      on conflict (org_id, complaint_id) do update set ${sql.raw(updates)})
    ${sql.raw(addToRollups(rollupLines(`(${changedNew} union all ${changedOld})`)))}`);
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
}

/** Rollup lines of every stored fact of the organisation (rebuild and verify). */
export function rollupsFromFacts(orgId: string): string {
  return rollupLines(
    `(select 1 as sign, f.* from complaint_facts f where f.org_id = '${orgId.replace(/[^0-9a-f-]/gi, "")}')`,
  );
}

export { addToRollups, queryRows };
