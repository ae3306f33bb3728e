import "server-only";
import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "@/db";
import { customerActivities, customers } from "@/db/schema";
import type { Actor } from "@/lib/auth/guard";
import type { CsvColumn, CsvExport } from "@/lib/csv";
import { majorUnits } from "./amount";
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
  const a = customerActivities;
  return db
    .select({
      id: a.id,
      customerRef: customers.externalRef,
      customerName: customers.name,
      customerEmail: customers.email,
      kind: a.kind,
      occurredAt: a.occurredAt,
      amountMinor: a.amountMinor,
      currency: a.currency,
      score: a.score,
      externalRef: a.externalRef,
      note: a.note,
      cursorAt: timeKey(a.occurredAt),
    })
    .from(a)
    .innerJoin(customers, and(eq(customers.orgId, a.orgId), eq(customers.id, a.customerId)))
    .where(
      and(
        eq(a.orgId, actor.orgId),
        start ? gte(a.occurredAt, start) : undefined,
        end ? lt(a.occurredAt, end) : undefined,
        afterTime(a.occurredAt, a.id, cursor),
      ),
    )
    .orderBy(asc(a.occurredAt), asc(a.id))
    .limit(limit);
}

type Row = Awaited<ReturnType<typeof fetchPage>>[number];

const columns: CsvColumn<Row>[] = [
  { header: "id", value: (r) => r.id },
  { header: "customer_reference", value: (r) => r.customerRef },
  { header: "customer_name", value: (r) => r.customerName },
  { header: "customer_email", value: (r) => r.customerEmail },
  { header: "kind", value: (r) => r.kind },
  { header: "occurred_at_utc", value: (r) => r.occurredAt },
  { header: "amount", value: (r) => majorUnits(r.amountMinor, r.currency) },
  { header: "currency", value: (r) => r.currency },
  { header: "score", value: (r) => r.score },
  { header: "external_reference", value: (r) => r.externalRef },
  { header: "note", value: (r) => r.note },
];

/** Customer activity that occurred in the range (UTC days), oldest first, in keyset pages. */
export function streamCustomerActivityCsv(
  params: URLSearchParams,
  { batchSize }: { batchSize?: number } = {},
): Promise<CsvExport> {
  return streamExport(
    "customer-activity",
    params,
    columns,
    ({ db, actor, range }) =>
      (cursor, limit) =>
        fetchPage(db, actor, range, cursor, limit),
    batchSize,
  );
}
