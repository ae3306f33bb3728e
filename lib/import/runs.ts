/** Reading runs back: progress for the polling UI, the history, and the rejection report. */
import "server-only";
import { and, asc, desc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { getDatabase } from "@/db";
import { importRejections, importRuns, type ImportRun } from "@/db/schema";
import { authorise } from "@/lib/auth/guard";
import { streamCsv } from "@/lib/csv";
import type { ImportPreset, ImportProgress } from "./types";

export function toProgress(run: ImportRun): ImportProgress {
  const end = run.finishedAt ?? new Date();
  const seconds = Math.max((end.getTime() - run.startedAt.getTime()) / 1000, 0.001);
  return {
    runId: run.id,
    status: run.status,
    bytesRead: run.bytesRead,
    totalBytes: run.totalBytes,
    rowsRead: run.rowsRead,
    rowsCreated: run.rowsCreated,
    rowsUpdated: run.rowsUpdated,
    rowsUnchanged: run.rowsUnchanged,
    rowsRejected: run.rowsRejected,
    rowsPerSecond: Math.round(run.rowsRead / seconds),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    message: run.message,
    fileName: run.fileName,
    kind: run.kind,
    mode: run.mode,
    preset: run.preset as ImportPreset,
  };
}

const runIdSchema = z.uuid();

export async function getImportProgress(runId: string): Promise<ImportProgress | null> {
  const auth = await authorise("import:run");
  if (!auth.ok || !runIdSchema.safeParse(runId).success) return null;
  const { db } = await getDatabase();
  const [run] = await db
    .select()
    .from(importRuns)
    .where(and(eq(importRuns.orgId, auth.actor.orgId), eq(importRuns.id, runId)));
  return run ? toProgress(run) : null;
}

export async function listImportRuns(limit = 20): Promise<ImportProgress[]> {
  const auth = await authorise("import:run");
  if (!auth.ok) return [];
  const { db } = await getDatabase();
  const rows = await db
    .select()
    .from(importRuns)
    .where(eq(importRuns.orgId, auth.actor.orgId))
    .orderBy(desc(importRuns.startedAt), desc(importRuns.id))
    .limit(Math.min(Math.max(1, Math.trunc(limit) || 20), 200));
  return rows.map(toProgress);
}

/** "line,field,reason,value", streamed page by page; values are neutralised against formulas. */
export async function rejectionsCsv(runId: string): Promise<ReadableStream<Uint8Array> | null> {
  const auth = await authorise("import:run");
  if (!auth.ok || !runIdSchema.safeParse(runId).success) return null;
  const { orgId } = auth.actor;
  const { db } = await getDatabase();
  const [run] = await db
    .select({ id: importRuns.id })
    .from(importRuns)
    .where(and(eq(importRuns.orgId, orgId), eq(importRuns.id, runId)));
  if (!run) return null;
  type Row = {
    position: number;
    lineNumber: number;
    field: string;
    reason: string;
    value: string | null;
  };
  return streamCsv<Row, number>({
    columns: [
      { header: "line", value: (r) => r.lineNumber },
      { header: "field", value: (r) => r.field },
      { header: "reason", value: (r) => r.reason },
      { header: "value", value: (r) => r.value },
    ],
    page: (cursor, limit) =>
      db
        .select({
          position: importRejections.position,
          lineNumber: importRejections.lineNumber,
          field: importRejections.field,
          reason: importRejections.reason,
          value: importRejections.value,
        })
        .from(importRejections)
        .where(
          and(
            eq(importRejections.orgId, orgId),
            eq(importRejections.runId, runId),
            cursor === null ? undefined : gt(importRejections.position, cursor),
          ),
        )
        .orderBy(asc(importRejections.position))
        .limit(limit),
    cursorOf: (r) => r.position,
  });
}
