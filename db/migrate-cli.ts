// `npm run db:migrate`: applies committed migrations to DATABASE_URL, or to the PGlite data
// folder when unset. Do not run it beside a running server on PGlite (one process per folder).
import { openDatabase } from "./client";
import { migrateDatabase } from "./migrate";

const started = Date.now();
const handle = await openDatabase({ url: process.env.DATABASE_URL || undefined });
try {
  await migrateDatabase(handle);
  console.log(`Migrations applied to ${handle.engine} in ${Date.now() - started} ms.`);
} catch (error) {
  console.error("Migration failed:", error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await handle.close();
}
