import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";

/** Per table: its row count and an md5 of every row's text, in a stable order. */
export type Fingerprint = Record<string, { rows: number; md5: string }>;

/**
 * A fingerprint of every table in the public schema (the migrations' own bookkeeping is in the
 * drizzle schema, so left out by construction), to prove a call changed nothing anywhere — not
 * only in the tables a test thought of. `except` leaves out tables a call may legitimately write
 * (say so where it is used).
 */
export async function tableFingerprint(
  db: Db,
  except: readonly string[] = [],
): Promise<Fingerprint> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const out: Fingerprint = {};
  for (const { name } of tables) {
    if (except.includes(name)) continue;
    const [row] = await queryRows<{ n: number; h: string | null }>(
      db,
      sql.raw(
        `select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h from "${name}" t`,
      ),
    );
    out[name] = { rows: Number(row!.n), md5: row!.h ?? "" };
  }
  return out;
}

/** The tables whose count or content differ between two fingerprints (empty: nothing changed). */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter(
    (n) => before[n]?.rows !== after[n]?.rows || before[n]?.md5 !== after[n]?.md5,
  );
}
