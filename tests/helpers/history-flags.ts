import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { complaints } from "@/db/schema";
import { refreshComplaintFacts } from "@/lib/rollups/maintain";
import fc from "fast-check";

/**
 * As the importer marks history (issue #11, point 4): times completed by rule, imported, and
 * (for unowned history) no owner — a direct update, then the facts and rollups refreshed as every
 * write refreshes them.
 */
export async function markHistory(
  db: Db,
  orgId: string,
  complaintId: string,
  flags: { inferred: boolean; imported: boolean; unowned: boolean },
): Promise<void> {
  await db
    .update(complaints)
    .set({
      timesInferred: flags.inferred,
      imported: flags.imported,
      ...(flags.unowned ? { ownerId: null } : {}),
    })
    .where(eq(complaints.id, complaintId));
  await refreshComplaintFacts(db, orgId, [complaintId]);
}

/** A property test's write that marks a complaint as history (see `markHistory`). */
export const historyWrite = fc.record({
  kind: fc.constant("history" as const),
  pick: fc.nat(),
  inferred: fc.boolean(),
  imported: fc.boolean(),
  unowned: fc.boolean(),
});
