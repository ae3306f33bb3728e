/**
 * The one database module. No DATABASE_URL: embedded PGlite in a local data folder. With
 * DATABASE_URL: a PostgreSQL server through postgres.js. Nothing outside db/ knows which runs.
 * The database is opened lazily (never at import time) so `next build` never touches it.
 */
import fs from "node:fs";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Engine = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  /** The server URL (PostgreSQL only). */
  url?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A postgres:// URL; without one, PGlite is used. */
  url?: string;
  /** PGlite data folder; "memory://" for an in-memory database (tests). */
  dataDir?: string;
  /**
   * PGlite only: run it in a worker thread so a long query never blocks the event loop
   * (default), or on the calling thread (`false`; also TURNAROUND_PGLITE_WORKER=off).
   */
  worker?: boolean;
}

/** Where the embedded database lives unless TURNAROUND_DATA_DIR says otherwise. */
export function dataDirectory(): string {
  // Read at run time; keeps Turbopack from tracing the whole project into the build output.
  return path.resolve(/*turbopackIgnore: true*/ process.env.TURNAROUND_DATA_DIR ?? ".data");
}

export async function openDatabase(options: OpenOptions = {}): Promise<DatabaseHandle> {
  if (options.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(options.url, {
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      onnotice: () => {},
      // The dashboards' queries are short reads the planner may cost high (range scans over
      // rollups): JIT compilation added ~20 ms to such a query and saved nothing.
      connection: { jit: "off" },
    });
    const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
    return { db, engine: "postgres", url: options.url, close: () => client.end({ timeout: 5 }) };
  }
  const { drizzle } = await import("drizzle-orm/pglite");
  const dir = options.dataDir ?? dataDirectory();
  // PGlite does not create its folder itself.
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const inWorker = options.worker ?? process.env.TURNAROUND_PGLITE_WORKER !== "off";
  // In a worker thread, PGlite's queries (synchronous WASM) cannot block this thread's requests.
  const client = inWorker
    ? await (
        await import("./pglite-proxy")
      ).PGliteProxy.create(dir, (await import("./request-lane")).requestLane)
    : await (await import("@electric-sql/pglite")).PGlite.create(dir);
  const db = drizzle(client as never, { schema, casing: "snake_case" }) as unknown as Db;
  return { db, engine: "pglite", close: () => client.close() };
}

/** Rows of a raw SQL query: postgres.js returns an array, PGlite `{ rows }`. */
export async function queryRows<T extends Record<string, unknown>>(
  db: Db,
  query: SQL,
): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
