import "server-only";
import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "@/db";
import { correctiveActions, rootCauseCategories, rootCauses, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/guard";
import type { CsvColumn, CsvExport } from "@/lib/csv";
import { parseDashboardFilters } from "@/lib/metrics/filters";
import { correctiveActionsReport, type Recurrence } from "@/lib/metrics/root-causes";
import { afterTime, timeKey, type TimeCursor } from "./keyset";
import { rangeBounds, type ExportRange } from "./range";
import { streamExport } from "./run";

function fetchPage(
  db: Db,
  actor: Actor,
  range: ExportRange,
  cursor: TimeCursor | null,
  limit: number,
) {
  const { start, end } = rangeBounds(range);
  const t = correctiveActions;
  return db
    .select({
      id: t.id,
      rootCause: rootCauses.name,
      category: rootCauseCategories.name,
      title: t.title,
      description: t.description,
      owner: users.name,
      status: t.status,
      createdAt: t.createdAt,
      dueAt: t.dueAt,
      doneAt: t.doneAt,
      verifiedAt: t.verifiedAt,
      verificationNote: t.verificationNote,
      version: t.version,
      cursorAt: timeKey(t.createdAt),
    })
    .from(t)
    .innerJoin(rootCauses, and(eq(rootCauses.orgId, t.orgId), eq(rootCauses.id, t.rootCauseId)))
    .innerJoin(
      rootCauseCategories,
      and(
        eq(rootCauseCategories.orgId, rootCauses.orgId),
        eq(rootCauseCategories.id, rootCauses.categoryId),
      ),
    )
    .leftJoin(users, and(eq(users.orgId, t.orgId), eq(users.id, t.ownerId)))
    .where(
      and(
        eq(t.orgId, actor.orgId),
        start ? gte(t.createdAt, start) : undefined,
        end ? lt(t.createdAt, end) : undefined,
        afterTime(t.createdAt, t.id, cursor),
      ),
    )
    .orderBy(asc(t.createdAt), asc(t.id))
    .limit(limit);
}

type Row = Awaited<ReturnType<typeof fetchPage>>[number] & { recurrence: Recurrence | null };

const columns: CsvColumn<Row>[] = [
  { header: "id", value: (r) => r.id },
  { header: "root_cause", value: (r) => r.rootCause },
  { header: "root_cause_category", value: (r) => r.category },
  { header: "title", value: (r) => r.title },
  { header: "description", value: (r) => r.description },
  { header: "owner", value: (r) => r.owner },
  { header: "status", value: (r) => r.status },
  { header: "created_at_utc", value: (r) => r.createdAt },
  { header: "due_at_utc", value: (r) => r.dueAt },
  { header: "done_at_utc", value: (r) => r.doneAt },
  { header: "verified_at_utc", value: (r) => r.verifiedAt },
  { header: "verification_note", value: (r) => r.verificationNote },
  { header: "version", value: (r) => r.version },
  { header: "recurrence_window_weeks", value: (r) => r.recurrence?.weeks },
  { header: "complaints_before", value: (r) => r.recurrence?.before.count },
  { header: "before_from_utc_day", value: (r) => r.recurrence?.before.from },
  { header: "before_to_utc_day", value: (r) => r.recurrence?.before.to },
  { header: "complaints_after", value: (r) => r.recurrence?.after.count },
  { header: "after_from_utc_day", value: (r) => r.recurrence?.after.from },
  { header: "after_to_utc_day", value: (r) => r.recurrence?.after.to },
  { header: "recurrence_measurable", value: (r) => r.recurrence?.measurable },
  { header: "effectiveness", value: (r) => r.recurrence?.effectiveness },
];

/**
 * Corrective actions created in the range (UTC days), oldest first, in keyset pages. The
 * recurrence columns come from the quality dashboard's own report (lib/metrics/root-causes.ts),
 * unfiltered by dimension, so the file says what the dashboard says; an action not yet done has
 * none. The report lists every action of the organisation; there are tens, not millions.
 */
export function streamCorrectiveActionsCsv(
  params: URLSearchParams,
  { batchSize }: { batchSize?: number } = {},
): Promise<CsvExport> {
  return streamExport(
    "corrective-actions",
    params,
    columns,
    async ({ db, actor, range }) => {
      // Read inside the request (it checks the session itself), not lazily from the stream.
      const report = await correctiveActionsReport(parseDashboardFilters({}));
      const recurrence = new Map(report.actions.map((a) => [a.id, a.recurrence]));
      return async (cursor, limit) => {
        const rows = await fetchPage(db, actor, range, cursor, limit);
        return rows.map((r) => ({ ...r, recurrence: recurrence.get(r.id) ?? null }));
      };
    },
    batchSize,
  );
}
