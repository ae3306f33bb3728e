/**
 * Dashboard and metric SQL under a time limit: each statement runs in a transaction with
 * `set local statement_timeout`, so PostgreSQL cancels a runaway query (SQLSTATE 57014) and the
 * pool connection comes back, instead of one panel holding it for minutes.
 *
 * PGlite accepts `set local statement_timeout` but does not enforce it (no timer interrupts in
 * its single-threaded WASM build): there the query runs to the end. Measured, see
 * tests/integration/metrics-run.test.ts.
 */
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDatabase, queryRows, type Db } from "@/db";

/** The limit for one metric statement unless the caller names another. */
export const METRIC_TIMEOUT_MS = 15_000;

/** A metric query PostgreSQL cancelled at its statement timeout. */
export class MetricTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `A dashboard query ran longer than ${timeoutMs / 1000} s and was cancelled. Try a shorter period or more filters.`,
      options,
    );
    this.name = "MetricTimeoutError";
  }
}

export interface MetricQueryOptions {
  /** Milliseconds per statement; default METRIC_TIMEOUT_MS. */
  timeoutMs?: number;
  /** The database to use; default the process-wide one (tests hand in their own). */
  db?: Db;
}

/** True for PostgreSQL's "canceling statement due to statement timeout" (57014), at any depth. */
export function isStatementTimeout(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e === "object" && (e as { code?: unknown }).code === "57014") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs a raw metric query (rows, as `queryRows` returns them) or a function of a transaction
 * handle (for query-builder calls and several statements), each statement limited to
 * `timeoutMs`. A statement cancelled at the limit throws MetricTimeoutError.
 */
export function runMetricQuery<T extends Record<string, unknown>>(
  query: SQL,
  options?: MetricQueryOptions,
): Promise<T[]>;
export function runMetricQuery<T>(
  work: (tx: Db) => Promise<T>,
  options?: MetricQueryOptions,
): Promise<T>;
export async function runMetricQuery<T>(
  queryOrWork: SQL | ((tx: Db) => Promise<T>),
  options: MetricQueryOptions = {},
): Promise<T | T[]> {
  const timeoutMs = options.timeoutMs ?? METRIC_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new RangeError("timeoutMs must be a positive whole number of milliseconds.");
  const db = options.db ?? (await getDatabase()).db;
  const work =
    typeof queryOrWork === "function"
      ? queryOrWork
      : (tx: Db) => queryRows(tx, queryOrWork) as Promise<T[]>;
  try {
    return await db.transaction(async (tx) => {
      // SET takes no bind parameters; timeoutMs is a checked integer.
      await tx.execute(sql.raw(`set local statement_timeout = ${timeoutMs}`));
      return work(tx as unknown as Db);
    });
  } catch (error) {
    if (isStatementTimeout(error)) throw new MetricTimeoutError(timeoutMs, { cause: error });
    throw error;
  }
}
