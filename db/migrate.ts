import path from "node:path";
import type { DatabaseHandle } from "./client";

export const migrationsFolder = path.resolve(
  /*turbopackIgnore: true*/ process.cwd(),
  "db/migrations",
);

/**
 * Applies every committed migration. On PostgreSQL one connection holds an advisory lock while
 * it migrates, so servers and test workers starting together wait for each other.
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.engine === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as never, { migrationsFolder });
    return;
  }
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(handle.url!, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(727274)`;
    await migrate(drizzle(client), { migrationsFolder });
    await client`select pg_advisory_unlock(727274)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
