/**
 * Rollup maintenance statements run as server-side prepared statements with a generic plan.
 * Planning the statement that moves every rollup (~35 KB of SQL) costs ~10 ms at 1M complaints,
 * several times what running it for one complaint costs (~1.5 ms); prepared once per database
 * session and planned once, each write pays only for the run. Prepared statements outlive a
 * rolled-back transaction, and their name is a hash of the text, so a changed statement (another
 * SLA policy's business-hours shape, a new ROLLUP_VERSION) is prepared afresh.
 */
import "server-only";
import crypto from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { queryRows, type Db } from "@/db";
import type { Tx } from "@/lib/audit";

const dialect = new PgDialect({ casing: "snake_case" });

export async function executePrepared(conn: Db | Tx, statement: SQL): Promise<void> {
  // Check, prepare and run on one connection: outside a transaction a pool may hand each
  // statement to another session.
  // (A transaction has rollback(); `instanceof` fails when the bundler holds two drizzle copies.)
  if (!("rollback" in conn)) {
    await conn.transaction((tx) => executePrepared(tx, statement));
    return;
  }
  const tx = conn;
  const { sql: text, params } = dialect.sqlToQuery(statement);
  const name = `rollups_${crypto.createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
  // One round trip for both: whether this session has it prepared, and the plan mode — for this
  // transaction only, so the dashboards' reads keep their custom plans.
  const [state] = await queryRows<{ known: boolean }>(
    tx as Db,
    sql`select set_config('plan_cache_mode', 'force_generic_plan', true) is not null
      and exists (select 1 from pg_prepared_statements where name = ${name}) as known`,
  );
  if (!state?.known) await tx.execute(sql.raw(`prepare ${name} as ${text}`));
  // EXECUTE is a utility statement: it takes no bind parameters, so its arguments are literals.
  const args = params.map(sqlLiteral).join(", ");
  await tx.execute(sql.raw(params.length ? `execute ${name}(${args})` : `execute ${name}`));
}

/** A parameter as an SQL literal (strings quoted; the prepared statement's types convert them). */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new Error("A rollup statement parameter is not a finite number.");
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = value instanceof Date ? value.toISOString() : String(value);
  // An escape string literal reads the same whatever standard_conforming_strings says.
  return `E'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}
