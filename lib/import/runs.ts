/** Reading runs back: progress for the polling UI, the history, and the rejection report. */
import "server-only";
import { and, asc, desc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { getDatabase, type Db } from "@/db";
import { importRejections, importRuns, users, type ImportRun } from "@/db/schema";
import { authorise } from "@/lib/auth/guard";
import { streamCsv } from "@/lib/csv";
import type { ImportPreset, ImportProgress } from "./types";

/**
 * A "running" import with no batch for this long was cut off (tab closed, connection lost, server
 * restarted): nothing will finish it. A batch (5,000 rows) lands every few seconds even in the
 * 1M-row benchmark, and at a slow 1 Mbit/s upload a batch of 2 KB rows still arrives within two
 * minutes, so ten quiet minutes is never a slow import that is still alive.
 */
export const INTERRUPTED_AFTER_MS = 10 * 60 * 1000;

/** "2026-11-24 00:12 UTC". */
const utcMinute = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function toProgress(
  run: ImportRun,
  startedByName: string | null,
  now: Date = new Date(),
): ImportProgress {
  const lastProgress = run.progressAt ?? run.startedAt;
  const interrupted =
    run.status === "running" && now.getTime() - lastProgress.getTime() > INTERRUPTED_AFTER_MS;
  // An interrupted run's rate is over the time it was actually reading, not until now.
  const end = run.finishedAt ?? (interrupted ? lastProgress : now);
  const seconds = Math.max((end.getTime() - run.startedAt.getTime()) / 1000, 0.001);
  return {
    runId: run.id,
    status: interrupted ? "interrupted" : run.status,
    bytesRead: run.bytesRead,
    totalBytes: run.totalBytes,
    rowsRead: run.rowsRead,
    rowsCreated: run.rowsCreated,
    rowsUpdated: run.rowsUpdated,
    rowsUnchanged: run.rowsUnchanged,
    rowsRejected: run.rowsRejected,
    rowsPerSecond: Math.round(run.rowsRead / seconds),
    startedAt: run.startedAt.toISOString(),
    startedByName,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    message: interrupted
      ? `No progress since ${utcMinute(lastProgress)}: the upload was cut off. Import the file again — rows already imported are recognised and not duplicated.`
      : run.message,
    fileName: run.fileName,
    kind: run.kind,
    mode: run.mode,
    preset: run.preset as ImportPreset,
  };
}

/** Runs with the name of who started them, in one query. */
function selectRuns(db: Db) {
  return db
    .select({ run: importRuns, startedByName: users.name })
    .from(importRuns)
    .leftJoin(users, and(eq(users.orgId, importRuns.orgId), eq(users.id, importRuns.startedBy)));
}

/** One run's progress, for the polling UI and the importer's own progress reports. */
export async function readProgress(
  db: Db,
  orgId: string,
  runId: string,
): Promise<ImportProgress | null> {
  const [row] = await selectRuns(db).where(
    and(eq(importRuns.orgId, orgId), eq(importRuns.id, runId)),
  );
  return row ? toProgress(row.run, row.startedByName) : null;
}

const runIdSchema = z.uuid();

export async function getImportProgress(runId: string): Promise<ImportProgress | null> {
  const auth = await authorise("import:run");
  if (!auth.ok || !runIdSchema.safeParse(runId).success) return null;
  const { db } = await getDatabase();
  return readProgress(db, auth.actor.orgId, runId);
}

export async function listImportRuns(limit = 20): Promise<ImportProgress[]> {
  const auth = await authorise("import:run");
  if (!auth.ok) return [];
  const { db } = await getDatabase();
  const rows = await selectRuns(db)
    .where(eq(importRuns.orgId, auth.actor.orgId))
    .orderBy(desc(importRuns.startedAt), desc(importRuns.id))
    .limit(Math.min(Math.max(1, Math.trunc(limit) || 20), 200));
  const now = new Date();
  return rows.map((r) => toProgress(r.run, r.startedByName, now));
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
