import "server-only";
import { sql } from "drizzle-orm";
import { getDatabase, queryRows, type Db } from "@/db";
import { DEMO_ORG_ID } from "@/db/seed/constants";

/** True while the database holds no organisation: the first visit goes to /setup. */
export async function isSetupNeeded(db?: Db): Promise<boolean> {
  const database = db ?? (await getDatabase()).db;
  const rows = await queryRows<{ one: number }>(
    database,
    sql`select 1 as one from organisations limit 1`,
  );
  return rows.length === 0;
}

/** True when the demo organisation is in the database: only then does sign-in mention it. */
export async function isDemoPresent(db?: Db): Promise<boolean> {
  // The constant only, not db/seed/demo: the sign-in page need not carry the generator.
  const database = db ?? (await getDatabase()).db;
  const rows = await queryRows<{ one: number }>(
    database,
    sql`select 1 as one from organisations where id = ${DEMO_ORG_ID} limit 1`,
  );
  return rows.length > 0;
}
