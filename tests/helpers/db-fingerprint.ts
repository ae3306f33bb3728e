/**
 * Every table's row count and an md5 of its rows, in one query: two fingerprints equal means no
 * table changed. Scoped to an organisation when given (tables with org_id: its rows; the
 * organisations table: its row; tables without either: whole). Request bookkeeping a refused API
 * call may legitimately touch — the token's rate window and last_used_at — is left out.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";

/** Bookkeeping, not data: an API request counts against its token's window whatever it asks. */
const IGNORED_TABLES = new Set(["api_rate_windows", "__drizzle_migrations"]);
const IGNORED_COLUMNS = ["last_used_at"];

export type Fingerprint = Record<string, string>;

let tableCache = new WeakMap<Db, { table: string; orgId: boolean }[]>();

async function tablesOf(db: Db) {
  const cached = tableCache.get(db);
  if (cached) return cached;
  const rows = await queryRows<{ table_name: string; has_org: boolean }>(
    db,
    sql`select t.table_name,
               exists (select 1 from information_schema.columns c
                        where c.table_schema = t.table_schema and c.table_name = t.table_name
                          and c.column_name = 'org_id') as has_org
          from information_schema.tables t
         where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
         order by t.table_name`,
  );
  const tables = rows
    .filter((r) => !IGNORED_TABLES.has(r.table_name))
    .map((r) => ({ table: r.table_name, orgId: Boolean(r.has_org) }));
  tableCache.set(db, tables);
  return tables;
}

/** { table: "count:md5" } for every table (of one organisation when orgId is given). */
export async function dbFingerprint(db: Db, orgId?: string): Promise<Fingerprint> {
  const tables = await tablesOf(db);
  const strip = IGNORED_COLUMNS.map((c) => ` - '${c}'`).join("");
  const parts = tables.map(({ table, orgId: hasOrg }) => {
    const name = sql.identifier(table);
    const where =
      orgId && hasOrg
        ? sql` where t.org_id = ${orgId}`
        : orgId && table === "organisations"
          ? sql` where t.id = ${orgId}`
          : sql``;
    return sql`select ${table}::text as name, count(*)::text || ':' || coalesce(md5(string_agg((to_jsonb(t)${sql.raw(strip)})::text, '|' order by (to_jsonb(t)${sql.raw(strip)})::text)), '') as print from ${name} t${where}`;
  });
  const rows = await queryRows<{ name: string; print: string }>(
    db,
    sql.join(parts, sql` union all `),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.print]));
}

/** Forget cached table lists (a test that creates tables between fingerprints). */
export function resetFingerprintCache(): void {
  tableCache = new WeakMap();
}
