import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/** A keyset position: a timestamp as text at full (microsecond) precision, and the row id. */
export interface TimeCursor {
  at: string;
  id: string;
}

/** A timestamp column as text with its offset, so a cursor loses no microseconds to a JS Date. */
export function timeKey(column: AnyColumn): SQL<string> {
  return sql<string>`${sql`to_json(${column}) #>> '{}'`}`;
}

/** Rows strictly after the cursor in (time, id) order. */
export function afterTime(
  time: AnyColumn,
  id: AnyColumn,
  cursor: TimeCursor | null,
): SQL | undefined {
  if (!cursor) return undefined;
  return sql`(${time}, ${id}) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
}
