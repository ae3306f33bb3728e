import "server-only";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { apiTokens, auditEvents, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/guard";
import type { CsvColumn, CsvExport } from "@/lib/csv";
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
  const e = auditEvents;
  return (
    db
      .select({
        id: e.id,
        occurredAt: e.occurredAt,
        actorKind: e.actorKind,
        actorId: e.actorId,
        // API calls name the token; people (and the imports they ran) name the person.
        actorName: sql<string | null>`coalesce(${apiTokens.name}, ${users.name})`,
        entity: e.entity,
        entityId: e.entityId,
        complaintId: e.complaintId,
        action: e.action,
        // As stored (jsonb text), so the file shows exactly what was recorded.
        before: sql<string | null>`${e.before}::text`,
        after: sql<string | null>`${e.after}::text`,
        cursorAt: timeKey(e.occurredAt),
      })
      .from(e)
      .leftJoin(
        users,
        and(eq(users.orgId, e.orgId), eq(users.id, e.actorId), sql`${e.actorKind} <> 'api_token'`),
      )
      .leftJoin(
        apiTokens,
        and(
          eq(apiTokens.orgId, e.orgId),
          eq(apiTokens.id, e.actorId),
          eq(e.actorKind, "api_token"),
        ),
      )
      // The event's own org on every join: a token or user of another org can never name it.
      .where(
        and(
          eq(e.orgId, actor.orgId),
          start ? gte(e.occurredAt, start) : undefined,
          end ? lt(e.occurredAt, end) : undefined,
          afterTime(e.occurredAt, e.id, cursor),
        ),
      )
      .orderBy(asc(e.occurredAt), asc(e.id))
      .limit(limit)
  );
}

type Row = Awaited<ReturnType<typeof fetchPage>>[number];

const columns: CsvColumn<Row>[] = [
  { header: "occurred_at_utc", value: (r) => r.occurredAt },
  { header: "actor_kind", value: (r) => r.actorKind },
  { header: "actor", value: (r) => r.actorName },
  { header: "actor_id", value: (r) => r.actorId },
  { header: "entity", value: (r) => r.entity },
  { header: "entity_id", value: (r) => r.entityId },
  { header: "complaint_id", value: (r) => r.complaintId },
  { header: "action", value: (r) => r.action },
  { header: "before_json", value: (r) => r.before },
  { header: "after_json", value: (r) => r.after },
  { header: "event_id", value: (r) => r.id },
];

/**
 * Audit events that occurred in the range (UTC days), oldest first, in keyset pages. The file
 * includes the "export.downloaded" event of this very download when today is in range.
 */
export function streamAuditTrailCsv(
  params: URLSearchParams,
  { batchSize }: { batchSize?: number } = {},
): Promise<CsvExport> {
  return streamExport(
    "audit-trail",
    params,
    columns,
    ({ db, actor, range }) =>
      (cursor, limit) =>
        fetchPage(db, actor, range, cursor, limit),
    batchSize,
  );
}
