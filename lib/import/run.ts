/**
 * Runs an import: streams the file through the CSV reader, validates each row, and hands batches
 * of BATCH_ROWS to the write pipeline (pipeline.ts); each batch is written in one transaction with
 * its rejections, its share of the run's counters and an "import.batch" audit event naming the
 * rows it covers. In "stop" mode the first rejected row ends the run before its batch is written.
 *
 * A run cut off (the server killed, the database restarted, the upload dropped) resumes when its
 * file is sent to it again: the rows of batches already committed are read but skipped, the rest
 * written, so it ends with the counts, rejections and complaints of an uninterrupted run
 * (docs/resilience.md).
 */
import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDatabase, type Db } from "@/db";
import {
  auditEvents,
  importRejections,
  importRuns,
  organisations,
  teams,
  type ImportRun,
} from "@/db/schema";
import { refused, type ActionResult } from "@/lib/action-result";
import { runAsActor } from "@/lib/auth/actor-context";
import { recordAudit } from "@/lib/audit";
import { authorise, type Actor } from "@/lib/auth/guard";
import { getSlaPolicy } from "@/lib/sla";
import { importArchive } from "@/lib/archive/import";
import { prepareHandler, type Handler } from "./handler";
import { BatchPipeline } from "./pipeline";
import { mappingSchema } from "./mapping";
import { ImportFileError, readCsv } from "./parse";
import { printProfile, timed } from "./profile";
import { INTERRUPTED_AFTER_MS, readProgress } from "./runs";
import { finish } from "./finish";
import { slaCalendar } from "./sla-calendar";
import { causePlan, loadTaxonomyChoices } from "./cause-mapping";
import { loadRootCauseIndex, TaxonomyCache } from "./taxonomy";
import type { ImportKind, ImportMapping, ImportProgress, ImportSource } from "./types";
import type { Rejection } from "./complaint-rows";
import type { CsvItem } from "./parse";

export const BATCH_ROWS = 2_500;

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /** Rows per batch; tests that need many batches of a small file make it smaller. */
  batchRows?: number;
}
/** Batches written at the same time on PostgreSQL (tuned on a 2-core machine: BENCHMARKS.md). */
const WRITE_LANES = 2;

export const UNEXPECTED_FAILURE = "The import failed unexpectedly; nothing more was written.";
export const OTHER_FILE =
  "This is not the file the import started with (its rows differ from those already imported); send the same file to finish it.";

interface Pending {
  line: number;
  rejection: Rejection;
}

/** The data rows (1 = the first after the header) a batch holds, with a print of its ends. */
interface Span {
  from: number;
  to: number;
  first: string;
  last: string;
}

interface Batch {
  drafts: { externalRef: string }[];
  refs: Set<string>;
  rejections: (Pending & { position: number })[];
  rejectedRows: number;
  rowsRead: number;
  bytesRead: number;
  span: Span | null;
}

/** Runs this process is reading a file for, and runs it stopped reading (see claimRun). */
const readingHere = new Set<string>();
const endedHere = new Set<string>();
/** A heartbeat older than this process was written by an earlier one, which is gone. */
const processStartedAt = new Date(Date.now() - process.uptime() * 1000);

/** A short print of one row as read, to tell the same file from another when a run resumes. */
function rowPrint(item: CsvItem): string {
  const raw = item.kind === "record" ? item.values : [item.reason, item.value];
  return createHash("sha256").update(JSON.stringify(raw)).digest("base64url").slice(0, 16);
}

/**
 * Takes the run for this process: a fresh run, a failed one, or one whose reader was cut off (its
 * last heartbeat before this process started, or older than INTERRUPTED_AFTER_MS, or its reader in
 * this process ended). One statement, so two resumes never both read. Null when another reader
 * may still be at work.
 */
async function claimRun(db: Db, actor: Actor, run: ImportRun): Promise<ImportRun | null> {
  const resuming = run.progressAt !== null;
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(importRuns)
      .set({ status: "running", message: null, finishedAt: null, progressAt: sql`now()` })
      .where(
        and(
          eq(importRuns.orgId, actor.orgId),
          eq(importRuns.id, run.id),
          sql`${importRuns.status} in ('running', 'failed')`,
          sql`(${importRuns.status} = 'failed' or ${importRuns.progressAt} is null
            or ${importRuns.progressAt} < ${processStartedAt.toISOString()}::timestamptz
            or ${importRuns.progressAt} < now() - ${`${INTERRUPTED_AFTER_MS} milliseconds`}::interval
            or ${endedHere.has(run.id) ? sql`true` : sql`false`})`,
        ),
      )
      .returning();
    if (claimed && resuming) {
      await recordAudit(tx, actor, {
        entity: "import_run",
        entityId: run.id,
        action: "import.resumed",
        before: { status: run.status, rowsRead: run.rowsRead, message: run.message },
      });
    }
    return claimed ?? null;
  });
}

/** The rows of the batches a run has committed (each batch's audit event names them). */
async function committedSpans(db: Db, orgId: string, runId: string): Promise<Span[]> {
  const rows = await db
    .select({ after: auditEvents.after })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.orgId, orgId),
        eq(auditEvents.entity, "import_run"),
        eq(auditEvents.entityId, runId),
        eq(auditEvents.action, "import.batch"),
      ),
    );
  return rows.map((r) => r.after as Span).sort((a, b) => a.from - b.from);
}

export async function runImport(
  runId: string,
  source: ImportSource,
  options: ImportOptions = {},
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
  const alreadyRead = () =>
    refused<ImportProgress>("conflict", "This import has already read its file; start a new one.");
  // An archive run (opened by createArchiveRun) reads JSON Lines; the upload route sends both here.
  if (run.kind === "archive") {
    if (run.status !== "running" || run.rowsRead > 0 || run.bytesRead > 0) return alreadyRead();
    return importArchive(runId, source, options);
  }
  // A failed run stopped at a batch boundary: its file sent again finishes it (or fails the same
  // way). Completed and stopped runs have given their verdict on the file.
  if (run.status !== "running" && run.status !== "failed") return alreadyRead();
  const mapping = mappingSchema.safeParse(run.mapping);
  const actor: Actor = { ...auth.actor, via: { kind: "import", runId } };
  if (!mapping.success) {
    return finish(actor, runId, "failed", "The column mapping is missing; map the columns again.");
  }
  const stillReading = () =>
    refused<ImportProgress>(
      "conflict",
      "This import is still reading its file. If it was cut off, send the file again in a few minutes.",
    );
  // Checked and taken before any await: two uploads to one run in this process never both read.
  if (readingHere.has(runId)) return stillReading();
  readingHere.add(runId);
  try {
    const claimed = await claimRun(db, auth.actor, run);
    if (!claimed) return stillReading();
    return await readFile(actor, claimed, source, options, engine, mapping.data);
  } finally {
    readingHere.delete(runId);
    endedHere.add(runId);
  }
}

/** Reads the file of a claimed run: the rows of batches committed by an earlier reader skipped. */
async function readFile(
  actor: Actor,
  run: ImportRun,
  source: ImportSource,
  options: ImportOptions,
  engine: "pglite" | "postgres",
  mapping: ImportMapping,
): Promise<ActionResult<ImportProgress>> {
  const { orgId } = actor;
  const runId = run.id;
  const runKind = run.kind as ImportKind;
  const batchRows = options.batchRows ?? BATCH_ROWS;
  const { db } = await getDatabase();
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
  const plan = causePlan(mapping.options, await loadTaxonomyChoices(db, orgId));
  const currency = mapping.options.defaultCurrency ?? org?.currency ?? "USD";

  // PGlite runs one query at a time: batches there are written one after another.
  const lanes = engine === "postgres" ? WRITE_LANES : 1;

  // Rows an earlier reader of this run committed: read again (to count them and check the file)
  // but not written; the run's counters already hold them.
  const committed = await committedSpans(db, orgId, runId);

  return runAsActor(actor, async () => {
    const started = Date.now();
    const counts = {
      read: 0,
      created: run.rowsCreated,
      updated: run.rowsUpdated,
      unchanged: run.rowsUnchanged,
      rejected: run.rowsRejected,
    };
    // Rejections are numbered in file order, those of committed batches included, so a resumed
    // run's report is the uninterrupted run's.
    let position = 0;
    let batches = 0;
    const reader = readCsv(source);
    let handler: Handler | null = null;
    let drafts: { externalRef: string }[] = [];
    let refs = new Set<string>();
    let pending: Pending[] = [];
    let rejectedLines = new Set<number>();
    /** The rows of the batch being gathered: the first and last kept until it is handed over. */
    let span: { from: number; to: number; first: CsvItem; last: CsvItem } | null = null;
    /** The print of the first row of the committed batch being skipped. */
    let skippedFirst: string | null = null;
    let nextCommitted = 0;
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
        span: span && { ...span, first: rowPrint(span.first), last: rowPrint(span.last) },
      };
      drafts = [];
      refs = new Set();
      pending = [];
      rejectedLines = new Set();
      span = null;
      await timed("waiting for the database", () => pipeline!.submit(batch));
    };
    /** Adds the row just read to the batch being gathered. */
    const inBatch = (item: CsvItem) => {
      if (span) {
        span.to = counts.read;
        span.last = item;
      } else span = { from: counts.read, to: counts.read, first: item, last: item };
    };
    /**
     * One transaction: the batch's rows, its rejections, its share of the run's counters and the
     * event naming its rows (what a resumed run skips).
     */
    const writeBatch = async (batch: Batch, prepared: unknown) => {
      const c = await timed("batch transaction", () =>
        db.transaction(async (tx) => {
          // A crash may lose the last batches' commit, never consistency: the run resumes them.
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
          if (batch.span) {
            await recordAudit(tx, actor, {
              entity: "import_run",
              entityId: runId,
              action: "import.batch",
              after: { ...batch.span, ...c, rejected: batch.rejectedRows },
            });
          }
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
    const stopped = (line: number, first: Rejection) => {
      const kept = counts.created + counts.updated + counts.unchanged;
      return finish(
        actor,
        runId,
        "stopped",
        `Stopped at line ${line.toLocaleString("en")}: ${first.field} — ${first.reason} ` +
          (kept
            ? `${kept.toLocaleString("en")} rows from earlier batches were imported; fix the row and import the file again (imported rows are not duplicated).`
            : "Nothing was imported."),
      );
    };

    try {
      let sawHeader = false;
      for await (const item of reader.items) {
        if (!sawHeader) {
          if (item.kind === "bad")
            throw new ImportFileError(`The header row cannot be read: ${item.reason}`);
          sawHeader = true;
          const prepared = prepareHandler(runKind, mapping, item.values, {
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
        const done = committed[nextCommitted];
        const skip = done !== undefined && counts.read + 1 >= done.from;
        // Each batch written holds one stretch of rows: the one gathered ends where a committed starts.
        if (skip && span) await flush(true);
        counts.read++;
        const result =
          item.kind === "bad"
            ? {
                ok: false as const,
                rejections: [{ field: "(row)", reason: item.reason, value: item.value }],
              }
            : handler!.read(item.line, item.values);
        if (skip) {
          // A row of a batch an earlier reader committed: counted there; the file must be the same.
          if (counts.read === done.from) skippedFirst = rowPrint(item);
          if (counts.read === done.to) {
            if (skippedFirst !== done.first || rowPrint(item) !== done.last) throw new OtherFile();
            nextCommitted++;
          }
          if (!result.ok) {
            position += result.rejections.length;
            // The row that stopped the run was committed with its batch; the stop itself was not.
            if (run.mode === "stop") {
              await pipeline!.settle();
              return stopped(item.line, result.rejections[0]!);
            }
          }
          continue;
        }
        if (!result.ok) {
          for (const rejection of result.rejections) pending.push({ line: item.line, rejection });
          rejectedLines.add(item.line);
          inBatch(item);
          if (run.mode === "stop") {
            await flush(false);
            await pipeline!.settle();
            return stopped(item.line, result.rejections[0]!);
          }
        } else {
          const ref = result.draft.externalRef;
          // The same reference twice in one batch: write what came before, so the later row updates it.
          if (refs.has(ref)) await flush(true);
          refs.add(ref);
          drafts.push(result.draft);
          inBatch(item);
        }
        if (drafts.length + rejectedLines.size >= batchRows) await flush(true);
      }
      if (!sawHeader) throw new ImportFileError("The file is empty.");
      if (counts.read === 0)
        throw new ImportFileError("The file has a header row but no data rows.");
      // A file that ends before the rows already imported is not the file the run started with.
      if (nextCommitted < committed.length) throw new OtherFile();
      await flush(true);
      await pipeline!.settle();
      printProfile();
      const rate = Math.round(counts.read / Math.max((Date.now() - started) / 1000, 0.001));
      return finish(actor, runId, "completed", `${summary()} ${rate.toLocaleString("en")} rows/s.`);
    } catch (thrown) {
      let error = thrown;
      if ((error instanceof ImportFileError || error instanceof OtherFile) && !pipeline?.failed) {
        try {
          // The batch being gathered is dropped with its rejections, so the run stops at a batch
          // boundary: sending the file again resumes after the batches written.
          await pipeline?.settle();
          const message = error instanceof OtherFile ? OTHER_FILE : error.message;
          return finish(actor, runId, "failed", message);
        } catch (writeError) {
          error = writeError;
        }
      }
      // Batches still being written finish (or fail) before the run is marked failed.
      await pipeline?.drain();
      await finish(actor, runId, "failed", UNEXPECTED_FAILURE);
      throw error;
    }
  });
}

/** The file sent to resume a run is not the one it started with. */
class OtherFile extends Error {}

/** PostgreSQL text cannot hold NUL: the report shows it as ␀ (the cell was rejected for it). */
const printable = (text: string) => text.replaceAll("\u0000", "\u2400");

async function refreshStatistics(db: Db): Promise<void> {
  try {
    await db.execute(sql`analyze customers, complaints, customer_activities`);
  } catch {
    // Only the tables' owner may analyse them; without it the import is slower, not wrong.
  }
}
