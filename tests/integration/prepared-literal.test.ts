/**
 * Rollup maintenance runs prepared statements whose arguments are SQL literals (EXECUTE takes no
 * bind parameters): whatever a text argument holds — quotes, backslashes, any Unicode — the
 * database reads back exactly that text, and a number exactly that number.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/db";
import { sqlLiteral } from "@/lib/rollups/prepared";
import { engines } from "../helpers/db";

describe.each(engines)("prepared-statement literals, on $name", (engine) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await engine.open();
  });
  afterAll(async () => {
    await handle.close();
  });

  it("reads back any text and any finite number exactly", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => !s.includes("\u0000")),
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        async (text, n) => {
          const [row] = await queryRows<{ t: string; n: number }>(
            handle.db,
            sql.raw(`select ${sqlLiteral(text)}::text as t, ${sqlLiteral(n)}::int as n`),
          );
          expect(row).toEqual({ t: text, n });
        },
      ),
      { numRuns: 200 },
    );
    const quoted = await queryRows<{ t: string }>(
      handle.db,
      sql.raw(`select ${sqlLiteral("it's a \\ back'slash")}::text as t`),
    );
    expect(quoted[0]?.t).toBe("it's a \\ back'slash");
  });

  it("refuses a number it cannot write", () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
  });
});
