import "server-only";
import { getDatabase, type Db } from "@/db";
import { recordAudit } from "@/lib/audit";
import { authorise, type Actor } from "@/lib/auth/guard";
import { streamCsv, type CsvColumn, type CsvExport } from "@/lib/csv";
import { actorCan } from "@/lib/permissions";
import { exportCatalogue, type ExportKind } from "./catalogue";
import type { TimeCursor } from "./keyset";
import { exportFileName, exportRangeSchema, REVERSED_RANGE, type ExportRange } from "./range";

export type Refusal = Extract<CsvExport, { ok: false }>;

export type PreparedExport = { ok: true; actor: Actor; db: Db; range: ExportRange } | Refusal;

/**
 * Every export starts here: authorise (all of the kind's operations), validate the range, and
 * record "export.downloaded" with the kind and filters, so each download of personal data is
 * traceable. The event is written when the download starts, before the first row is read.
 */
export async function prepareExport(
  kind: ExportKind,
  params: URLSearchParams,
): Promise<PreparedExport> {
  const { needs } = exportCatalogue[kind];
  const authorisation = await authorise(needs[0]!);
  if (!authorisation.ok) return authorisation;
  const { actor } = authorisation;
  if (!needs.every((operation) => actorCan(actor, operation))) {
    return { ok: false, reason: "forbidden", message: "Your role does not allow this export." };
  }
  const parsed = exportRangeSchema.safeParse({
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
  });
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join(".") || "_form";
      const message =
        issue.message === REVERSED_RANGE ? REVERSED_RANGE : "Use a real date like 2026-01-31.";
      const messages = (fieldErrors[field] ??= []);
      if (!messages.includes(message)) messages.push(message);
    }
    return { ok: false, reason: "invalid", message: "Check the date range.", fieldErrors };
  }
  const range: ExportRange = { from: parsed.data.from, to: parsed.data.to };
  const { db } = await getDatabase();
  await db.transaction(async (tx) => {
    await recordAudit(tx, actor, {
      entity: "export",
      entityId: kind,
      action: "export.downloaded",
      after: { kind, from: range.from ?? null, to: range.to ?? null },
    });
  });
  return { ok: true, actor, db, range };
}

type Prepared = Extract<PreparedExport, { ok: true }>;
type PageReader<Row> = (cursor: TimeCursor | null, limit: number) => Promise<Row[]>;

/**
 * Every export after its own query: prepare (authorise, range, audit event), then stream the
 * rows in (time, id) keyset pages. `pages` may read what the whole file needs first.
 */
export async function streamExport<Row extends { id: string; cursorAt: string }>(
  kind: ExportKind,
  params: URLSearchParams,
  columns: CsvColumn<Row>[],
  pages: (prepared: Prepared) => PageReader<Row> | Promise<PageReader<Row>>,
  batchSize?: number,
): Promise<CsvExport> {
  const prepared = await prepareExport(kind, params);
  if (!prepared.ok) return prepared;
  const stream = streamCsv<Row, TimeCursor>({
    columns,
    page: await pages(prepared),
    cursorOf: (row) => ({ at: row.cursorAt, id: row.id }),
    batchSize,
  });
  return { ok: true, stream, filename: exportFileName(kind, prepared.range) };
}
