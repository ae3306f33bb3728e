/**
 * The batch writer for the large demo tables: each batch is one `json_to_recordset` statement,
 * one bind parameter per batch instead of one per value, about twice as fast as multi-row VALUES.
 */
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { queryRows, type Db } from "../client";
import * as s from "../schema";
import type { Insert, Rows } from "./world";

/**
 * Bulk loads skip the per-row foreign-key triggers when the role may (PGlite always; a superuser
 * on PostgreSQL): they are a third of the load time, and the generator only references rows it
 * has already written. Otherwise the checks simply stay on. Scoped to this transaction.
 */
export async function skipForeignKeyChecks(db: Db): Promise<void> {
  // Asked first rather than tried: a failed statement would poison the transaction on postgres.js.
  const [role] = await queryRows<{ superuser: string }>(
    db,
    sql`select current_setting('is_superuser') as superuser`,
  );
  if (role?.superuser === "on") await db.execute(sql`set local session_replication_role = replica`);
}

const snakeNames = new Map<string, string>();
const snake = (key: string) => {
  let name = snakeNames.get(key);
  if (!name) {
    name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snakeNames.set(key, name);
  }
  return name;
};

/**
 * Inserts rows (camelCase keys, as Drizzle's insert types) in batches: each batch is one JSON
 * document read back with json_to_recordset, typed from the table's own column definitions.
 */
export async function bulkInsert<T extends PgTable>(
  db: Db,
  table: T,
  rows: Insert<T>[],
  counts: Record<string, number>,
  batchSize = 2_000,
): Promise<void> {
  const name = getTableName(table);
  counts[name] = (counts[name] ?? 0) + rows.length;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    const keySet = new Set<string>();
    for (const row of batch) for (const key of Object.keys(row)) keySet.add(key);
    const keys = [...keySet];
    const target = keys.map((k) => `"${snake(k)}"`).join(", ");
    const source = keys.map((k) => `"${k}"`).join(", ");
    const types = keys
      .map((k) => {
        const column = columns[k];
        if (!column) throw new Error(`${name} has no column ${k}`);
        return `"${k}" ${column.getSQLType()}`;
      })
      .join(", ");
    const payload = JSON.stringify(batch);
    await db.execute(
      sql`insert into ${sql.identifier(name)} (${sql.raw(target)}) select ${sql.raw(source)} from json_to_recordset(${payload}::json) as x(${sql.raw(types)})`,
    );
  }
}

/** Writes one chunk's rows, parents before children. */
export async function insertChunk(
  db: Db,
  rows: Rows,
  counts: Record<string, number>,
): Promise<void> {
  await bulkInsert(db, s.customers, rows.customers, counts);
  await bulkInsert(db, s.customerActivities, rows.customerActivities, counts, 4_000);
  await bulkInsert(db, s.complaints, rows.complaints, counts, 1_000);
  await bulkInsert(db, s.complaintSteps, rows.complaintSteps, counts, 5_000);
  await bulkInsert(db, s.remedies, rows.remedies, counts);
  await bulkInsert(db, s.followUps, rows.followUps, counts);
  await bulkInsert(db, s.customerUpdates, rows.customerUpdates, counts);
  await bulkInsert(db, s.outcomes, rows.outcomes, counts, 4_000);
  await bulkInsert(db, s.advocacySignals, rows.advocacySignals, counts);
  await bulkInsert(db, s.auditEvents, rows.auditEvents, counts, 4_000);
}
