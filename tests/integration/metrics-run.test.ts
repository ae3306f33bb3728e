/**
 * runMetricQuery (lib/metrics/run.ts): metric SQL under `set local statement_timeout`. On
 * PostgreSQL a slow statement is cancelled at the limit with MetricTimeoutError, the setting
 * does not leak to the next query, and errors other than a timeout pass through unchanged.
 * PGlite accepts the setting but cannot enforce it; that is pinned here so a change shows up.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle } from "@/db";
import { isStatementTimeout, MetricTimeoutError, runMetricQuery } from "@/lib/metrics/run";
import { engines } from "../helpers/db";

describe.each(engines)("runMetricQuery on $name", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await engine.open();
  });
  afterAll(async () => {
    await handle.close();
  });

  it("returns a raw query's rows, and a function's result, with the limit set for that transaction only", async () => {
    const rows = await runMetricQuery<{ n: number }>(sql`select 41 + 1 as n`, { db: handle.db });
    expect(rows).toEqual([{ n: 42 }]);
    const inside = await runMetricQuery(
      async (tx) =>
        (await queryRows<{ statement_timeout: string }>(tx, sql`show statement_timeout`))[0],
      { db: handle.db, timeoutMs: 2_500 },
    );
    expect(inside?.statement_timeout).toBe("2500ms");
    const [after] = await queryRows<{ statement_timeout: string }>(
      handle.db,
      sql`show statement_timeout`,
    );
    expect(after?.statement_timeout).toBe("0");
  });

  it("passes other errors through unchanged", async () => {
    const crash = runMetricQuery(sql`select 1 / 0`, { db: handle.db, timeoutMs: 1_000 });
    await expect(crash).rejects.not.toBeInstanceOf(MetricTimeoutError);
    // The database's own error, SQLSTATE division_by_zero, not some other failure.
    await expect(crash).rejects.toMatchObject({
      cause: expect.objectContaining({ code: "22012" }),
    });
    await expect(runMetricQuery(sql`select 1`, { db: handle.db, timeoutMs: 0 })).rejects.toThrow(
      RangeError,
    );
  });

  if (engine.name === "postgres") {
    it("cancels a slow statement at the limit with a clear error", async () => {
      const started = Date.now();
      const error = await runMetricQuery(sql`select pg_sleep(10)`, {
        db: handle.db,
        timeoutMs: 300,
      }).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(MetricTimeoutError);
      expect((error as MetricTimeoutError).message).toBe(
        "A dashboard query ran longer than 0.3 s and was cancelled. Try a shorter period or more filters.",
      );
      expect((error as MetricTimeoutError).timeoutMs).toBe(300);
      // The cause is the driver's error (wrapped by Drizzle), SQLSTATE 57014 query_canceled.
      expect(isStatementTimeout((error as Error).cause)).toBe(true);
      expect(elapsed).toBeLessThan(5_000);
      // The connection is usable afterwards (the transaction was rolled back).
      expect(await runMetricQuery(sql`select 1 as ok`, { db: handle.db })).toEqual([{ ok: 1 }]);
    });

    it("limits each statement of a function as well", async () => {
      const error = await runMetricQuery(
        async (tx) => {
          await tx.execute(sql`select 1`);
          await tx.execute(sql`select pg_sleep(10)`);
        },
        { db: handle.db, timeoutMs: 300 },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MetricTimeoutError);
    });
  } else {
    it("PGlite takes the setting but does not enforce it (single-threaded WASM: no timer interrupt)", async () => {
      const started = Date.now();
      await expect(
        runMetricQuery(sql`select pg_sleep(0.6)`, { db: handle.db, timeoutMs: 100 }),
      ).resolves.toHaveLength(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    });
  }
});
