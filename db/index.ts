/**
 * The application's database handle, opened once per process (cached on globalThis so dev
 * reloads and route bundles share it) and migrated before first use.
 */
import { openDatabase, type DatabaseHandle } from "./client";
import { migrateDatabase } from "./migrate";

const globalForDb = globalThis as unknown as {
  turnaroundDatabase?: Promise<DatabaseHandle>;
};

/** The process-wide database: PostgreSQL when DATABASE_URL is set, else embedded PGlite. */
export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.turnaroundDatabase ??= (async () => {
    const handle = await openDatabase({ url: process.env.DATABASE_URL || undefined });
    await migrateDatabase(handle);
    return handle;
  })().catch((error: unknown) => {
    globalForDb.turnaroundDatabase = undefined;
    throw error;
  });
  return globalForDb.turnaroundDatabase;
}

/** Tests hand in their own database (in-memory PGlite or a test server). */
export function useDatabase(handle: DatabaseHandle): void {
  globalForDb.turnaroundDatabase = Promise.resolve(handle);
}

export { queryRows, type Db, type DatabaseHandle } from "./client";
