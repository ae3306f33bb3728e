/**
 * The one CSV writer every export uses (complaints, corrective actions, customer activity, audit
 * trail): cell formatting with formula injection neutralised, keyset-paged streaming, and the HTTP
 * response a route handler returns. No database and no permission decisions here.
 */
import { stringify } from "csv-stringify/sync";
import { neutraliseFormula } from "./csv-formula";

export { neutraliseFormula };

/**
 * A value as a CSV cell. Numbers stay numbers (a negative number is not a formula); text, and
 * JSON of objects, is neutralised; times are ISO 8601 UTC; nothing becomes "".
 */
export function csvCell(value: unknown): string | number {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? value : "";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return neutraliseFormula(JSON.stringify(value));
  return neutraliseFormula(String(value));
}

/** CSV text (RFC 4180, "\n" line ends) for rows of raw values; every cell goes through csvCell. */
export function csvLines(records: readonly (readonly unknown[])[]): string {
  return stringify(records.map((record) => record.map(csvCell)));
}

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => unknown;
}

export interface CsvSource<Row, Cursor> {
  columns: readonly CsvColumn<Row>[];
  /** The next page after `cursor` (null: the first page), at most `limit` rows, in a total order. */
  page: (cursor: Cursor | null, limit: number) => Promise<Row[]>;
  /** The keyset position of a row, handed back to `page` for the next one. */
  cursorOf: (row: Row) => Cursor;
  batchSize?: number;
}

export const CSV_BATCH_SIZE = 2_000;

/**
 * A header row, then the source page by page. Each page is read only when the client has taken
 * the last (pull-based), so memory holds one page whatever the size of the set; a short page
 * ends the file. A database error mid-file errors the stream: the download is cut, not padded.
 */
export function streamCsv<Row, Cursor>(source: CsvSource<Row, Cursor>): ReadableStream<Uint8Array> {
  const batchSize = source.batchSize ?? CSV_BATCH_SIZE;
  const encoder = new TextEncoder();
  let headerSent = false;
  let cursor: Cursor | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLines([source.columns.map((c) => c.header)])));
        return;
      }
      const rows = await source.page(cursor, batchSize);
      if (rows.length) {
        const records = rows.map((row) => source.columns.map((c) => c.value(row)));
        controller.enqueue(encoder.encode(csvLines(records)));
      }
      const last = rows.at(-1);
      if (rows.length < batchSize || last === undefined) controller.close();
      else cursor = source.cursorOf(last);
    },
  });
}

/** What an export function returns: a stream to send, or why not (no stack trace, ever). */
export type CsvExport =
  | { ok: true; stream: ReadableStream<Uint8Array>; filename: string }
  | {
      ok: false;
      reason: "unauthenticated" | "forbidden" | "invalid" | "not-found";
      message: string;
      fieldErrors?: Record<string, string[]>;
    };

const refusalStatus = { unauthenticated: 401, forbidden: 403, invalid: 400, "not-found": 404 };

/** The HTTP response for an export: the streamed file, or a plain-text refusal with its status. */
export function csvResponse(result: CsvExport): Response {
  if (!result.ok) {
    const detail = Object.entries(result.fieldErrors ?? {}).map(
      ([field, messages]) => `${field}: ${messages.join(" ")}`,
    );
    return new Response([result.message, ...detail, ""].join("\n"), {
      status: refusalStatus[result.reason],
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  return new Response(result.stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${result.filename.replace(/[^\w.-]/g, "_")}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
