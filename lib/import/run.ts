/**
 * Runs an import: streams the file through the CSV reader, validates each row, and writes batches
 * of BATCH_ROWS in one transaction each, with the run's progress and the batch's rejections. In
 * "stop" mode the first rejected row ends the run before its batch is written.
 */
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDatabase, type Db } from "@/db";
import { importRejections, importRuns, organisations, teams } from "@/db/schema";
import { refused, type ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import { runAsActor } from "@/lib/auth/actor-context";
import { authorise, type Actor } from "@/lib/auth/guard";
import { getSlaPolicy } from "@/lib/sla";
import { prepareHandler, type Handler } from "./handler";
import { mappingSchema } from "./mapping";
import { ImportFileError, readCsv } from "./parse";
import { printProfile, timed } from "./profile";
import { readProgress } from "./runs";
import { slaCalendar } from "./sla-calendar";
import { TaxonomyCache } from "./taxonomy";
import type { ImportProgress, ImportSource } from "./types";
import type { Rejection } from "./complaint-rows";

export const BATCH_ROWS = 5_000;

interface Pending {
  line: number;
  rejection: Rejection;
}

export async function runImport(
  runId: string,
  source: ImportSource,
  options: { onProgress?: (p: ImportProgress) => void } = {},
): Promise<ActionResult<ImportProgress>> {
  const auth = await authorise("import:run");
  if (!auth.ok) return refused(auth.reason, auth.message);
  if (!z.uuid().safeParse(runId).success) return refused("not-found", "No such import.");
  const { orgId } = auth.actor;
  const { db } = await getDatabase();
  const [run] = await db
    .select()
    .from(importRuns)
    .where(and(eq(importRuns.orgId, orgId), eq(importRuns.id, runId)));
  if (!run) return refused("not-found", "No such import.");
  if (run.status !== "running" || run.rowsRead > 0 || run.bytesRead > 0) {
    return refused("conflict", "This import has already read its file; start a new one.");
  }
  const mapping = mappingSchema.safeParse(run.mapping);
  const actor: Actor = { ...auth.actor, via: { kind: "import", runId } };
  if (!mapping.success) {
    return finish(actor, runId, "failed", "The column mapping is missing; map the columns again.");
  }
  const [org] = await db
    .select({ currency: organisations.currency })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  const policy = await getSlaPolicy(db, orgId);
  const teamRows = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.orgId, orgId));
  const teamsByName = new Map(teamRows.map((t) => [t.name.toLowerCase(), t.id]));
  const currency = mapping.data.options.defaultCurrency ?? org?.currency ?? "USD";

  return runAsActor(actor, async () => {
    const started = Date.now();
    const counts = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
    let position = 0;
    let batches = 0;
    const reader = readCsv(source);
    let handler: Handler | null = null;
    let drafts: { externalRef: string }[] = [];
    let refs = new Set<string>();
    let pending: Pending[] = [];
    let rejectedLines = new Set<number>();
    const taxonomy = new TaxonomyCache(orgId);

    const progress = async () => {
      const latest = await readProgress(db, orgId, runId);
      if (latest) options.onProgress?.(latest);
    };

    // The batch being written while the next one is parsed: JavaScript and the database work at
    // the same time, but batches are written strictly one after another.
    let inflight: Promise<void> = Promise.resolve();
    const settle = () => inflight;
    const flush = async (write: boolean) => {
      await timed("waiting for the database", () => inflight);
      const batch = drafts;
      const rejections = pending;
      const rejectedRows = rejectedLines.size;
      const rowsRead = counts.read;
      drafts = [];
      refs = new Set();
      pending = [];
      rejectedLines = new Set();
      inflight = writeBatch(write, batch, rejections, rejectedRows, rowsRead);
      // Failures surface at the next await of `inflight`; this only keeps them from going unhandled.
      inflight.catch(() => {});
    };
    /** One transaction: the batch's rows, its rejections and the run's counters. */
    const writeBatch = async (
      write: boolean,
      batch: { externalRef: string }[],
      rejections: Pending[],
      rejectedRows: number,
      rowsRead: number,
    ) => {
      await timed("batch transaction", () =>
        db.transaction(async (tx) => {
          // A crash may lose the last batches' commit, never consistency; re-importing is safe.
          await tx.execute(sql`set local synchronous_commit = off`);
          if (write && batch.length && handler) {
            const c = await timed("write", () => handler!.write(tx, batch));
            counts.created += c.created;
            counts.updated += c.updated;
            counts.unchanged += c.unchanged;
          }
          counts.rejected += rejectedRows;
          if (rejections.length) {
            await tx.insert(importRejections).values(
              rejections.map((p) => ({
                orgId,
                runId,
                position: position++,
                lineNumber: p.line,
                field: p.rejection.field.slice(0, 120),
                reason: p.rejection.reason,
                value: p.rejection.value.slice(0, 200),
              })),
            );
          }
          await tx
            .update(importRuns)
            .set({
              bytesRead: reader.bytesRead(),
              rowsRead,
              rowsCreated: counts.created,
              rowsUpdated: counts.updated,
              rowsUnchanged: counts.unchanged,
              rowsRejected: counts.rejected,
              // The heartbeat that tells a slow import from one that was cut off (runs.ts).
              progressAt: sql`now()`,
            })
            .where(and(eq(importRuns.orgId, orgId), eq(importRuns.id, runId)));
        }),
      );
      batches++;
      // Fresh statistics while the tables grow: without them PostgreSQL keeps planning foreign-key
      // checks and reference look-ups for the empty tables it saw (a scan per row, quadratic time).
      if ((batches & (batches - 1)) === 0) await timed("analyze", () => refreshStatistics(db));
      if (options.onProgress) await timed("progress", progress);
    };

    const summary = () =>
      `${counts.created + counts.updated + counts.unchanged} rows imported (${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged), ${counts.rejected} rejected.`;

    try {
      let sawHeader = false;
      for await (const item of reader.items) {
        if (!sawHeader) {
          if (item.kind === "bad")
            throw new ImportFileError(`The header row cannot be read: ${item.reason}`);
          sawHeader = true;
          const prepared = prepareHandler(run.kind, mapping.data, item.values, {
            orgId,
            userId: actor.userId,
            runId,
            slaDueAt: slaCalendar(policy),
            taxonomy,
            currency,
            teams: teamsByName,
          });
          if (!prepared.ok) throw new ImportFileError(prepared.message);
          handler = prepared.handler;
          continue;
        }
        counts.read++;
        const result =
          item.kind === "bad"
            ? {
                ok: false as const,
                rejections: [{ field: "(row)", reason: item.reason, value: item.value }],
              }
            : handler!.read(item.line, item.values);
        if (!result.ok) {
          for (const rejection of result.rejections) pending.push({ line: item.line, rejection });
          rejectedLines.add(item.line);
          if (run.mode === "stop") {
            const first = result.rejections[0]!;
            await flush(false);
            await settle();
            const kept = counts.created + counts.updated + counts.unchanged;
            return finish(
              actor,
              runId,
              "stopped",
              `Stopped at line ${item.line.toLocaleString("en")}: ${first.field} — ${first.reason} ` +
                (kept
                  ? `${kept.toLocaleString("en")} rows from earlier batches were imported; fix the row and import the file again (imported rows are not duplicated).`
                  : "Nothing was imported."),
            );
          }
        } else {
          const ref = result.draft.externalRef;
          // The same reference twice in one batch: write what came before, so the later row updates it.
          if (refs.has(ref)) await flush(true);
          refs.add(ref);
          drafts.push(result.draft);
        }
        if (drafts.length + rejectedLines.size >= BATCH_ROWS) await flush(true);
      }
      if (!sawHeader) throw new ImportFileError("The file is empty.");
      if (counts.read === 0)
        throw new ImportFileError("The file has a header row but no data rows.");
      await flush(true);
      await settle();
      printProfile();
      const rate = Math.round(counts.read / Math.max((Date.now() - started) / 1000, 0.001));
      return finish(actor, runId, "completed", `${summary()} ${rate.toLocaleString("en")} rows/s.`);
    } catch (error) {
      if (error instanceof ImportFileError) {
        // The unwritten batch is dropped; its rejections are still reported.
        drafts = [];
        await flush(false);
        await settle();
        return finish(actor, runId, "failed", error.message);
      }
      await finish(
        actor,
        runId,
        "failed",
        "The import failed unexpectedly; nothing more was written.",
      );
      throw error;
    }
  });
}

async function refreshStatistics(db: Db): Promise<void> {
  try {
    await db.execute(sql`analyze customers, complaints, customer_activities`);
  } catch {
    // Only the tables' owner may analyse them; without it the import is slower, not wrong.
  }
}

async function finish(
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
