/** Ends an import run: its status and message, audited; the progress as the UI shows it. */
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { importRuns } from "@/db/schema";
import type { ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/guard";
import { readProgress } from "./runs";
import type { ImportProgress } from "./types";

export async function finish(
  actor: Actor,
  runId: string,
  status: "completed" | "failed" | "stopped",
  message: string,
): Promise<ActionResult<ImportProgress>> {
  const { db } = await getDatabase();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(importRuns)
      .set({ status, message, finishedAt: sql`now()` })
      .where(and(eq(importRuns.orgId, actor.orgId), eq(importRuns.id, runId)))
      .returning();
    await recordAudit(tx, actor, {
      entity: "import_run",
      entityId: runId,
      action: `import.${status}`,
      after: {
        rowsRead: row!.rowsRead,
        rowsCreated: row!.rowsCreated,
        rowsUpdated: row!.rowsUpdated,
        rowsUnchanged: row!.rowsUnchanged,
        rowsRejected: row!.rowsRejected,
        message,
      },
    });
  });
  const progress = await readProgress(db, actor.orgId, runId);
  return { ok: true, data: progress!, message };
}
