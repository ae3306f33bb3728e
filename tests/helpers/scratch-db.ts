/**
 * A database of a test's own, for tests that seed the demo organisation (its id is fixed, so it
 * must not land in the shared test database the browser tests seed too): in memory on PGlite, a
 * scratch database on the PostgreSQL server when TEST_DATABASE_URL is set. Migrated.
 */
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";

export interface ScratchEngine {
  name: "pglite" | "postgres";
  open(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }>;
}

export const scratchEngines: ScratchEngine[] = [
  {
    name: "pglite",
    async open() {
      const handle = await openDatabase({ dataDir: "memory://" });
      await migrateDatabase(handle);
      return { handle, drop: () => handle.close() };
    },
  },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          name: "postgres" as const,
          async open() {
            const admin = await openDatabase({ url: process.env.TEST_DATABASE_URL });
            const name = `scratch_${crypto.randomUUID().slice(0, 8)}`;
            await admin.db.execute(sql.raw(`create database ${name}`));
            const url = new URL(process.env.TEST_DATABASE_URL!);
            url.pathname = `/${name}`;
            const handle = await openDatabase({ url: url.toString() });
            await migrateDatabase(handle);
            return {
              handle,
              drop: async () => {
                await handle.close();
                await admin.db.execute(sql.raw(`drop database if exists ${name}`));
                await admin.close();
              },
            };
          },
        },
      ]
    : []),
];
