/**
 * Runs an import: streams the file through the CSV reader, validates each row, and hands batches
 * of BATCH_ROWS to the write pipeline (pipeline.ts); each batch is written in one transaction with
 * its rejections and its share of the run's counters. In "stop" mode the first rejected row ends
 * the run before its batch is written.
 */
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDatabase, type Db } from "@/db";
import { importRejections, importRuns, organisations, teams } from "@/db/schema";
import { refused, type ActionResult } from "@/lib/action-result";
import { runAsActor } from "@/lib/auth/actor-context";
import { authorise, type Actor } from "@/lib/auth/guard";
import { getSlaPolicy } from "@/lib/sla";
import { importArchive } from "@/lib/archive/import";
import { prepareHandler, type Handler } from "./handler";
import { BatchPipeline } from "./pipeline";
import { mappingSchema } from "./mapping";
import { ImportFileError, readCsv } from "./parse";
import { printProfile, timed } from "./profile";
import { readProgress } from "./runs";
import { finish } from "./finish";
import { slaCalendar } from "./sla-calendar";
import { causePlan, loadTaxonomyChoices } from "./cause-mapping";
import { loadRootCauseIndex, TaxonomyCache } from "./taxonomy";
import type { ImportProgress, ImportSource } from "./types";
import type { Rejection } from "./complaint-rows";

export const BATCH_ROWS = 2_500;
/** Batches written at the same time on PostgreSQL (tuned on a 2-core machine: BENCHMARKS.md). */
const WRITE_LANES = 2;

interface Pending {
  line: number;
  rejection: Rejection;
}

interface Batch {
  drafts: { externalRef: string }[];
  refs: Set<string>;
  rejections: (Pending & { position: number })[];
  rejectedRows: number;
  rowsRead: number;
  bytesRead: number;
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
  const { db, engine } = await getDatabase();
  const [run] = await db
    .select()
    .from(importRuns)
    .where(and(eq(importRuns.orgId, orgId), eq(importRuns.id, runId)));
  if (!run) return refused("not-found", "No such import.");
  if (run.status !== "running" || run.rowsRead > 0 || run.bytesRead > 0) {
    return refused("conflict", "This import has already read its file; start a new one.");
  }
  // An archive run (opened by createArchiveRun) reads JSON Lines; the upload route sends both here.
  if (run.kind === "archive") return importArchive(runId, source, options);
  const runKind = run.kind;
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
  const rootCauses = await loadRootCauseIndex(db, orgId);
  // CFPB issues are filed as the confirmed mapping says (checked by createImportRun).
  const plan = causePlan(mapping.data.options, await loadTaxonomyChoices(db, orgId));
  const currency = mapping.data.options.defaultCurrency ?? org?.currency ?? "USD";

  // PGlite runs one query at a time: batches there are written one after another.
  const lanes = engine === "postgres" ? WRITE_LANES : 1;

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
    const taxonomy = new TaxonomyCache(orgId, plan);

    const progress = async () => {
      const latest = await readProgress(db, orgId, runId);
      if (latest) options.onProgress?.(latest);
    };

    // Created once the header row names the handler (and so whether batches may run side by side).
    let pipeline: BatchPipeline<Batch> | null = null;
    const startPipeline = (parallel: boolean) =>
      new BatchPipeline<Batch>({
        lanes: parallel ? lanes : 1,
        prepare: (batch) => {
          const prepare = handler?.prepare;
          return batch.drafts.length && prepare
            ? timed("prepare", () => db.transaction((tx) => prepare(tx, batch.drafts)))
            : null;
        },
        write: (batch, prepared) => writeBatch(batch, prepared),
        afterWrite: async () => {
          batches++;
          // Fresh statistics while the tables grow: without them PostgreSQL keeps planning
          // foreign-key checks and reference look-ups for the empty tables it saw (a scan per
          // row). Once the tables are large the plans no longer change; analysing again only costs.
          if ((batches & (batches - 1)) === 0 && batches <= 32) {
            await timed("analyze", () => refreshStatistics(db));
          }
          if (options.onProgress) await timed("progress", progress);
        },
      });
    /** Hands the rows and rejections gathered so far to the pipeline (rows only if `write`). */
    const flush = async (write: boolean) => {
      const batch: Batch = {
        drafts: write ? drafts : [],
        refs,
        rejections: pending.map((p) => ({ ...p, position: position++ })),
        rejectedRows: rejectedLines.size,
        rowsRead: counts.read,
        bytesRead: reader.bytesRead(),
      };
      drafts = [];
      refs = new Set();
      pending = [];
      rejectedLines = new Set();
      await timed("waiting for the database", () => pipeline!.submit(batch));
    };
    /** One transaction: the batch's rows, its rejections and its share of the run's counters. */
    const writeBatch = async (batch: Batch, prepared: unknown) => {
      const c = await timed("batch transaction", () =>
        db.transaction(async (tx) => {
          // A crash may lose the last batches' commit, never consistency; re-importing is safe.
          await tx.execute(sql`set local synchronous_commit = off`);
          const c = batch.drafts.length
            ? await timed("write", () => handler!.write(tx, batch.drafts, prepared))
            : { created: 0, updated: 0, unchanged: 0 };
          if (batch.rejections.length) {
            await tx.insert(importRejections).values(
              batch.rejections.map((p) => ({
                orgId,
                runId,
                position: p.position,
                lineNumber: p.line,
                field: printable(p.rejection.field.slice(0, 120)),
                reason: p.rejection.reason,
                value: printable(p.rejection.value.slice(0, 200)),
              })),
            );
          }
          // Increments: batches written side by side each add their own share.
          await tx
            .update(importRuns)
            .set({
              bytesRead: sql`greatest(${importRuns.bytesRead}, ${batch.bytesRead})`,
              rowsRead: sql`greatest(${importRuns.rowsRead}, ${batch.rowsRead})`,
              rowsCreated: sql`${importRuns.rowsCreated} + ${c.created}`,
              rowsUpdated: sql`${importRuns.rowsUpdated} + ${c.updated}`,
              rowsUnchanged: sql`${importRuns.rowsUnchanged} + ${c.unchanged}`,
              rowsRejected: sql`${importRuns.rowsRejected} + ${batch.rejectedRows}`,
              // The heartbeat that tells a slow import from one that was cut off (runs.ts).
              progressAt: sql`now()`,
            })
            .where(and(eq(importRuns.orgId, orgId), eq(importRuns.id, runId)));
          return c;
        }),
      );
      counts.created += c.created;
      counts.updated += c.updated;
      counts.unchanged += c.unchanged;
      counts.rejected += batch.rejectedRows;
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
          const prepared = prepareHandler(runKind, mapping.data, item.values, {
            orgId,
            userId: actor.userId,
            runId,
            slaDueAt: slaCalendar(policy),
            taxonomy,
            currency,
            teams: teamsByName,
            rootCauses,
          });
          if (!prepared.ok) throw new ImportFileError(prepared.message);
          handler = prepared.handler;
          pipeline = startPipeline(handler.parallel);
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
            await pipeline!.settle();
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
      await pipeline!.settle();
      printProfile();
      const rate = Math.round(counts.read / Math.max((Date.now() - started) / 1000, 0.001));
      return finish(actor, runId, "completed", `${summary()} ${rate.toLocaleString("en")} rows/s.`);
    } catch (thrown) {
      let error = thrown;
      if (error instanceof ImportFileError && !pipeline?.failed) {
        try {
          if (pipeline) {
            // The unwritten batch is dropped; its rejections are still reported.
            drafts = [];
            await flush(false);
            await pipeline.settle();
          }
          return finish(actor, runId, "failed", error.message);
        } catch (writeError) {
          error = writeError;
        }
      }
      // Batches still being written finish (or fail) before the run is marked failed.
      await pipeline?.drain();
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

/** PostgreSQL text cannot hold NUL: the report shows it as ␀ (the cell was rejected for it). */
const printable = (text: string) => text.replaceAll("\u0000", "\u2400");

async function refreshStatistics(db: Db): Promise<void> {
  try {
    await db.execute(sql`analyze customers, complaints, customer_activities`);
  } catch {
    // Only the tables' owner may analyse them; without it the import is slower, not wrong.
  }
}
