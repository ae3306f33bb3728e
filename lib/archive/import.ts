/**
 * Imports an organisation archive (format.ts) into the signed-in admin's organisation. Lines are
 * validated one by one (shape, bounds, status/time rules); consecutive lines of one type are
 * written in batches, each batch in one transaction with its rejections, its share of the run's
 * counters and the rollup maintenance every other write path does. Records are matched by their
 * natural keys (archive.ts explains them), so importing an archive again updates, never duplicates.
 */
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDatabase } from "@/db";
import { importModes, importRejections, importRuns } from "@/db/schema";
import { refused, invalid, type ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import { runAsActor } from "@/lib/auth/actor-context";
import { authorise, type Actor } from "@/lib/auth/guard";
import { finish } from "@/lib/import/finish";
import { readProgress } from "@/lib/import/runs";
import type { ImportProgress, ImportSource } from "@/lib/import/types";
import { recordProblems, type RecordProblem } from "./checks";
import { archiveRecord, headerLine, type ArchiveRecord } from "./format";
import { readLines } from "./lines";
import { ArchiveWriter, type Tx } from "./write";

/** Records per transaction: complaints carry their whole history, so fewer of them. */
const BATCH: Record<ArchiveRecord["type"], number> = {
  team: 200,
  user: 200,
  playbookStep: 100,
  slaPolicy: 1,
  product: 500,
  rootCauseCategory: 100,
  rootCause: 500,
  customer: 1_000,
  activity: 2_000,
  complaint: 250,
  correctiveAction: 500,
};

const runInput = z.object({
  mode: z.enum(importModes, "Choose stop on first error or skip bad lines."),
  fileName: z.string().trim().min(1, "Name the file.").max(260, "The file name is too long."),
  totalBytes: z.number().int().nonnegative().optional(),
});

/** Opens an archive run ("running", nothing read yet); the file is then sent to importArchive. */
export async function createArchiveRun(
  input: z.input<typeof runInput>,
): Promise<ActionResult<{ runId: string }>> {
  const auth = await authorise("archive:import");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = runInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { db } = await getDatabase();
  const runId = await db.transaction(async (tx) => {
    const [run] = await tx
      .insert(importRuns)
      .values({
        orgId: actor.orgId,
        kind: "archive",
        fileName: parsed.data.fileName,
        mode: parsed.data.mode,
        totalBytes: parsed.data.totalBytes ?? null,
        startedBy: actor.userId,
      })
      .returning({ id: importRuns.id });
    await recordAudit(tx, actor, {
      entity: "import_run",
      entityId: run!.id,
      action: "import.started",
      after: { kind: "archive", mode: parsed.data.mode, fileName: parsed.data.fileName },
    });
    return run!.id;
  });
  return { ok: true, data: { runId } };
}

interface Rejected {
  line: number;
  problems: RecordProblem[];
}

interface Batch {
  type: ArchiveRecord["type"];
  records: { line: number; record: ArchiveRecord }[];
  refs: Set<string>;
}

export async function importArchive(
  runId: string,
  source: ImportSource,
  options: { onProgress?: (p: ImportProgress) => void } = {},
): Promise<ActionResult<ImportProgress>> {
  const auth = await authorise("archive:import");
  if (!auth.ok) return refused(auth.reason, auth.message);
  if (!z.uuid().safeParse(runId).success) return refused("not-found", "No such import.");
  const { orgId } = auth.actor;
  const { db } = await getDatabase();
  const [run] = await db
    .select()
    .from(importRuns)
    .where(and(eq(importRuns.orgId, orgId), eq(importRuns.id, runId)));
  if (!run || run.kind !== "archive") return refused("not-found", "No such import.");
  if (run.status !== "running" || run.rowsRead > 0 || run.bytesRead > 0) {
    return refused("conflict", "This import has already read its file; start a new one.");
  }
  const actor: Actor = { ...auth.actor, via: { kind: "import", runId } };

  return runAsActor(actor, async () => {
    const started = Date.now();
    const counts = { read: 0, created: 0, updated: 0, rejected: 0 };
    let position = 0;
    let bytesRead = 0;
    let batch: Batch | null = null;
    let rejected: Rejected[] = [];
    const writer = await ArchiveWriter.open(db, orgId);

    /** One transaction: the batch's records, the rejections so far, the run's counters. */
    const flush = async () => {
      const current = batch;
      const rejections = rejected;
      batch = null;
      rejected = [];
      const c = await db.transaction(async (tx) => {
        const written = current
          ? await writer.write(tx as Tx, current.type, current.records)
          : { created: 0, updated: 0, rejected: [] as Rejected[] };
        const all = [...rejections, ...written.rejected];
        const rows = all.flatMap((r) =>
          r.problems.map((p) => ({
            orgId,
            runId,
            position: position++,
            lineNumber: r.line,
            field: p.field.slice(0, 120),
            reason: p.reason,
            value: p.value.replaceAll("\u0000", "\u2400").slice(0, 200),
          })),
        );
        if (rows.length) await tx.insert(importRejections).values(rows);
        await tx
          .update(importRuns)
          .set({
            bytesRead,
            rowsRead: counts.read,
            rowsCreated: sql`${importRuns.rowsCreated} + ${written.created}`,
            rowsUpdated: sql`${importRuns.rowsUpdated} + ${written.updated}`,
            rowsRejected: sql`${importRuns.rowsRejected} + ${all.length}`,
            progressAt: sql`now()`,
          })
          .where(and(eq(importRuns.orgId, orgId), eq(importRuns.id, runId)));
        return { ...written, rejectedLines: all.length };
      });
      counts.created += c.created;
      counts.updated += c.updated;
      counts.rejected += c.rejectedLines;
      if (options.onProgress) {
        const latest = await readProgress(db, orgId, runId);
        if (latest) options.onProgress(latest);
      }
      return c.rejectedLines;
    };

    const summary = () =>
      `${(counts.created + counts.updated).toLocaleString("en")} records imported (${counts.created.toLocaleString("en")} created, ${counts.updated.toLocaleString("en")} updated), ${counts.rejected.toLocaleString("en")} rejected.`;
    const stop = async (line: number, problem: RecordProblem) => {
      await flush();
      const kept = counts.created + counts.updated;
      return finish(
        actor,
        runId,
        "stopped",
        `Stopped at line ${line.toLocaleString("en")}: ${problem.field} — ${problem.reason} ` +
          (kept
            ? `${kept.toLocaleString("en")} records before it were imported; fix the line and import the archive again (imported records are not duplicated).`
            : "Nothing was imported."),
      );
    };

    try {
      let sawHeader = false;
      for await (const item of readLines(source)) {
        bytesRead = item.bytesRead;
        if (!sawHeader) {
          const json = item.kind === "line" ? parseJson(item.text) : null;
          const header = json?.ok ? headerLine.safeParse(json.value) : null;
          if (!header?.success) {
            return finish(
              actor,
              runId,
              "failed",
              'This is not a Turnaround archive: its first line must be the archive header (type "archive", format "turnaround-archive", version 1). Export one with `npm run export:archive` or from Exports.',
            );
          }
          sawHeader = true;
          await writer.applyHeader(header.data);
          continue;
        }
        counts.read++;
        const parsed = parseRecord(item);
        const problems = parsed.ok ? recordProblems(parsed.record) : parsed.problems;
        if (problems.length) {
          if (run.mode === "stop") return stop(item.line, problems[0]!);
          rejected.push({ line: item.line, problems });
        } else if (parsed.ok) {
          const type = parsed.record.type;
          const ref = "ref" in parsed.record ? parsed.record.ref : null;
          // A ref repeated within a batch: write what came before, so the later line updates it.
          if (batch && (batch.type !== type || (ref !== null && batch.refs.has(ref))))
            await flush();
          batch ??= { type, records: [], refs: new Set() };
          batch.records.push({ line: item.line, record: parsed.record });
          if (ref !== null) batch.refs.add(ref);
          if (batch.records.length >= BATCH[type]) {
            const rejectedInBatch = await flush();
            if (rejectedInBatch && run.mode === "stop") {
              return finish(actor, runId, "stopped", `Stopped: ${summary()}`);
            }
          }
        }
      }
      if (!sawHeader) return finish(actor, runId, "failed", "The file is empty.");
      await flush();
      const rate = Math.round(counts.read / Math.max((Date.now() - started) / 1000, 0.001));
      return finish(
        actor,
        runId,
        "completed",
        `${summary()} ${rate.toLocaleString("en")} lines/s.`,
      );
    } catch (error) {
      await finish(
        actor,
        runId,
        "failed",
        "The import failed unexpectedly; batches before the failure were kept.",
      );
      throw error;
    }
  });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `Not JSON: ${(error as Error).message}` };
  }
}

type Parsed = { ok: true; record: ArchiveRecord } | { ok: false; problems: RecordProblem[] };

function parseRecord(
  item: Awaited<ReturnType<typeof readLines> extends AsyncIterable<infer T> ? T : never>,
): Parsed {
  if (item.kind === "too-long")
    return {
      ok: false,
      problems: [{ field: "(line)", reason: "The line is longer than 8 MB.", value: "" }],
    };
  const json = parseJson(item.text);
  if (!json.ok)
    return {
      ok: false,
      problems: [{ field: "(line)", reason: json.reason, value: item.text.slice(0, 200) }],
    };
  const parsed = archiveRecord.safeParse(json.value);
  if (parsed.success) return { ok: true, record: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      field: issue.path.join(".") || "(line)",
      reason: issue.message,
      value: valueAt(json.value, issue.path),
    })),
  };
}

function valueAt(value: unknown, path: PropertyKey[]): string {
  let at: unknown = value;
  for (const key of path) {
    if (at === null || typeof at !== "object") return "";
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  if (at === undefined) return "";
  return typeof at === "string" ? at : JSON.stringify(at).slice(0, 200);
}
