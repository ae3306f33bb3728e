/**
 * Keys, foreign keys and secondary indexes of the bulk tables are dropped before the load and
 * recreated after it from their own catalog definitions (pg_get_constraintdef / pg_get_indexdef),
 * so the schema ends exactly as migrated: building a b-tree once by sorting is much faster than
 * maintaining it row by row on random uuids. Re-adding each foreign key validates every row
 * against its parent (the integrity check), and the unique keys re-check uniqueness.
 */
import type { Sql } from "postgres";

export const BULK_TABLES = [
  "customers",
  "customer_activities",
  "complaints",
  "complaint_steps",
  "remedies",
  "follow_ups",
  "customer_updates",
  "outcomes",
  "advocacy_signals",
  "audit_events",
] as const;

export interface SavedSchema {
  /** Primary and unique keys of the bulk tables. */
  keys: { table: string; name: string; def: string }[];
  /** Foreign keys from or to a bulk table. */
  foreignKeys: { table: string; name: string; def: string }[];
  /** Other indexes of the bulk tables (full CREATE INDEX statements). */
  indexes: { name: string; def: string }[];
}

export async function saveSchema(sql: Sql): Promise<SavedSchema> {
  const tables = BULK_TABLES.map((t) => `public.${t}`);
  const constraints = await sql<{ table: string; name: string; def: string; type: string }[]>`
    select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as def,
      c.contype::text as type
    from pg_constraint c
    where c.contype in ('p', 'u', 'f')
      and (c.conrelid = any(${tables}::regclass[])
        or (c.contype = 'f' and c.confrelid = any(${tables}::regclass[])))
    order by c.conrelid::regclass::text, c.conname`;
  const indexes = await sql<{ name: string; def: string }[]>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i
    where i.indrelid = any(${tables}::regclass[])
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.contype in ('p', 'u', 'x'))
    order by 1`;
  return {
    keys: constraints
      .filter((c) => c.type !== "f")
      .map(({ table, name, def }) => ({ table, name, def })),
    foreignKeys: constraints
      .filter((c) => c.type === "f")
      .map(({ table, name, def }) => ({ table, name, def })),
    indexes: [...indexes],
  };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function dropSchema(sql: Sql, saved: SavedSchema): Promise<void> {
  for (const fk of saved.foreignKeys)
    await sql.unsafe(`alter table ${fk.table} drop constraint ${ident(fk.name)}`);
  for (const index of saved.indexes) await sql.unsafe(`drop index ${index.name}`);
  for (const key of saved.keys)
    await sql.unsafe(`alter table ${key.table} drop constraint ${ident(key.name)}`);
}

/** Runs statements on the sessions, each taking the next one as it is free. */
async function spread(sessions: Sql[], statements: string[]): Promise<void> {
  const queue = [...statements];
  await Promise.all(
    sessions.map(async (session) => {
      for (let next = queue.shift(); next; next = queue.shift()) await session.unsafe(next);
    }),
  );
}

/**
 * Recreates keys, then indexes, then foreign keys (validated), spread over the sessions;
 * reports seconds per phase.
 */
export async function restoreSchema(
  sessions: Sql[],
  saved: SavedSchema,
  log: (msg: string) => void,
): Promise<void> {
  let t = Date.now();
  await spread(
    sessions,
    saved.keys.map(
      (key) => `alter table ${key.table} add constraint ${ident(key.name)} ${key.def}`,
    ),
  );
  log(
    `  primary and unique keys: ${saved.keys.length} in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );
  t = Date.now();
  await spread(
    sessions,
    saved.indexes.map((index) => index.def),
  );
  log(`  indexes: ${saved.indexes.length} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  await spread(
    sessions,
    saved.foreignKeys.map(
      (fk) => `alter table ${fk.table} add constraint ${ident(fk.name)} ${fk.def}`,
    ),
  );
  log(
    `  foreign keys (each validated over every row): ${saved.foreignKeys.length} in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );
}
