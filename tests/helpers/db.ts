import { openDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";

export interface TestEngine {
  name: "pglite" | "postgres";
  open(): Promise<DatabaseHandle>;
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export const engines: TestEngine[] = [
  {
    name: "pglite",
    async open() {
      const handle = await openDatabase({ dataDir: "memory://" });
      await migrateDatabase(handle);
      return handle;
    },
  },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          name: "postgres" as const,
          async open() {
            const handle = await openDatabase({ url: process.env.TEST_DATABASE_URL });
            await migrateDatabase(handle);
            return handle;
          },
        },
      ]
    : []),
];
