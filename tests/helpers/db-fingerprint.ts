/**
 * Every table's row count and a hash of its rows, in one query: two fingerprints equal means no
 * table changed — every table of the public schema, not only those a test thought of (the
 * migrations' bookkeeping lives in the drizzle schema, so is left out by construction). The list
 * of tables is in the fingerprint too, so a table created or dropped shows as a change.
 *
 * A table's hash is the md5 of its rows' text (`t::text`, every column) in sorted order: stable
 * whatever order the rows were written in, and cheaper than going through JSON (this runs twice
 * for each refused cell of the permission matrix).
 *
 * Options: scoped to an organisation (tables with org_id: its rows; the organisations table: its
 * row; tables without either: whole); tables or columns a call may legitimately write left out —
 * say why where they are left out (apiBookkeeping below is the one set used today).
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";

/** { table: "count:md5" }; "(tables)": the names of the public schema's tables. */
export type Fingerprint = Record<string, string>;

export interface FingerprintOptions {
  /** Only this organisation's rows (see above). */
  orgId?: string;
  /** Tables left out. */
  except?: readonly string[];
  /** Columns left out, in whichever table has them. */
  ignoreColumns?: readonly string[];
}

/**
 * Bookkeeping, not data: an API request counts against its token's rate window and stamps its
 * last_used_at whatever it asks, refused or not.
 */
export const apiBookkeeping = {
  except: ["api_rate_windows"],
  ignoreColumns: ["last_used_at"],
} as const satisfies FingerprintOptions;

interface Table {
  name: string;
  columns: string[];
}

// The schema does not change under a test: read information_schema once per database.
let tableCache = new WeakMap<Db, Table[]>();

async function tablesOf(db: Db): Promise<Table[]> {
  const cached = tableCache.get(db);
  if (cached) return cached;
  const rows = await queryRows<{ table_name: string; column_name: string }>(
    db,
    sql`select c.table_name, c.column_name
          from information_schema.columns c
          join information_schema.tables t
            on t.table_schema = c.table_schema and t.table_name = c.table_name
         where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
         order by c.table_name, c.ordinal_position`,
  );
  const byName = new Map<string, string[]>();
  for (const r of rows) {
    const columns = byName.get(r.table_name) ?? [];
    columns.push(r.column_name);
    byName.set(r.table_name, columns);
  }
  const tables = [...byName].map(([name, columns]) => ({ name, columns }));
  tableCache.set(db, tables);
  return tables;
}

/** The row's text: every column, or the listed ones when some are left out. */
function rowText(table: Table, ignoreColumns: readonly string[]): SQL {
  const kept = table.columns.filter((c) => !ignoreColumns.includes(c));
  if (kept.length === table.columns.length) return sql`t::text`;
  return sql`row(${sql.join(
    kept.map((c) => sql`t.${sql.identifier(c)}`),
    sql`, `,
  )})::text`;
}

/** The fingerprint of every table (see the options), in one query. */
export async function dbFingerprint(
  db: Db,
  { orgId, except = [], ignoreColumns = [] }: FingerprintOptions = {},
): Promise<Fingerprint> {
  const tables = (await tablesOf(db)).filter((t) => !except.includes(t.name));
  const parts = tables.map((table) => {
    const text = rowText(table, ignoreColumns);
    const where =
      orgId && table.columns.includes("org_id")
        ? sql` where t.org_id = ${orgId}`
        : orgId && table.name === "organisations"
          ? sql` where t.id = ${orgId}`
          : sql``;
    return sql`select ${table.name}::text as name, count(*)::text || ':' || coalesce(md5(string_agg(${text}, '|' order by ${text})), '') as print from ${sql.identifier(table.name)} t${where}`;
  });
  parts.push(
    sql`select '(tables)'::text as name, string_agg(c.relname::text, ',' order by c.relname::text) as print
          from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p')`,
  );
  const rows = await queryRows<{ name: string; print: string }>(
    db,
    sql.join(parts, sql` union all `),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.print]));
}

/** The tables whose count or content differ between two fingerprints (empty: nothing changed). */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]);
}

/** Forget cached table lists (a test that creates tables between fingerprints). */
export function resetFingerprintCache(): void {
  tableCache = new WeakMap();
}
