import { expect } from "vitest";
import type { Db } from "@/db";
import { rebuildRollups, rebuildRollupsFromFacts, verifyRollups } from "@/lib/rollups/rebuild";

/** The stored facts equal the raw rows, and every rollup row equals the stored facts summed. */
export async function expectRollupsExact(db: Db, orgId: string): Promise<void> {
  expect(await verifyRollups(db, orgId)).toEqual({ factMismatches: 0, rollupMismatches: 0 });
}

/** The rebuilds a rollup property test runs after its writes: [what it rebuilds from, rebuild]. */
export const rebuilds: [string, (db: Db, orgId: string) => Promise<unknown>][] = [
  ["from the raw rows", rebuildRollups],
  ["of the rollups from the stored facts", rebuildRollupsFromFacts],
];
