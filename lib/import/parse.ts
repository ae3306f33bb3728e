/**
 * The streaming CSV reader: bytes → UTF-8 text → csv-parse records, with back-pressure (the file
 * is never held whole), the line each record starts on, and bad records reported instead of
 * thrown. File-level problems (invalid UTF-8, a runaway field) end the read with ImportFileError.
 */
import { Readable } from "node:stream";
import { parse, type CsvError, type InfoRecord, type Options } from "csv-parse";
import type { ImportSource } from "./types";

/** A field longer than this is almost always an unclosed quote swallowing the rest of the file. */
export const MAX_FIELD_CHARS = 1_000_000;

export class ImportFileError extends Error {}

export type CsvItem =
  | { kind: "record"; line: number; values: string[] }
  | { kind: "bad"; line: number; reason: string; value: string };

export interface CsvReader {
  items: AsyncIterable<CsvItem>;
  /** Bytes read from the source so far (ahead of the records by the parser's buffer). */
  bytesRead(): number;
}

async function* chunks(source: ImportSource): AsyncIterable<Uint8Array | string> {
  // Web ReadableStreams are async iterable in Node ≥ 18; typed separately for the DOM lib.
  yield* source as AsyncIterable<Uint8Array | string>;
}

const NEWLINE = 10;

/** Decodes strictly: invalid UTF-8 is reported with where it happened, never replaced silently. */
async function* decode(
  source: ImportSource,
  counter: { bytes: number; lines: number },
): AsyncIterable<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const chunk of chunks(source)) {
    if (typeof chunk === "string") {
      counter.bytes += Buffer.byteLength(chunk);
      yield chunk;
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const lenient = new TextDecoder("utf-8").decode(chunk, { stream: true });
      const at = lenient.indexOf("\uFFFD");
      const before = lenient.slice(0, Math.max(at, 0));
      let lines = counter.lines;
      for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === NEWLINE) lines++;
      const byte = counter.bytes + Buffer.byteLength(before);
      throw new ImportFileError(
        `The file is not valid UTF-8 (line ${(lines + 1).toLocaleString("en")}, byte ${byte.toLocaleString("en")}). Save it as UTF-8 (CSV UTF-8 in Excel) and import it again.`,
      );
    }
    counter.bytes += chunk.byteLength;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) counter.lines++;
    if (text) yield text;
  }
  const rest = (() => {
    try {
      return decoder.decode();
    } catch {
      throw new ImportFileError(
        "The file ends in the middle of a UTF-8 character. Save it as UTF-8 and import it again.",
      );
    }
  })();
  if (rest) yield rest;
}

/** Line the record starts on: its last line minus the line breaks inside it. */
function startLine(endLine: number, raw: string | undefined): number {
  if (!raw) return endLine;
  let start = 0;
  while (start < raw.length && (raw[start] === "\n" || raw[start] === "\r")) start++;
  let end = raw.length;
  while (end > start && (raw[end - 1] === "\n" || raw[end - 1] === "\r")) end--;
  let inner = 0;
  for (let i = raw.indexOf("\n", start); i !== -1 && i < end; i = raw.indexOf("\n", i + 1)) inner++;
  return endLine - inner;
}

function describe(error: CsvError): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "The row ends inside a quoted field: the file is cut off or a quote is not closed.";
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH": {
      const e = error as CsvError & { record?: unknown[]; columns?: unknown };
      const got = (e as unknown as { record?: unknown[] }).record?.length;
      return got === undefined
        ? "The row does not have the same number of columns as the header."
        : `The row has ${got} columns; the header has a different number.`;
    }
    case "CSV_INVALID_CLOSING_QUOTE":
      return "A quoted field is followed by other characters: check the quotes on this row.";
    default:
      return error.message;
  }
}

/**
 * Records in file order, each with the line it starts on. Bad records (wrong number of columns,
 * an unclosed quote at the end of a cut-off file) come through as "bad" items in their place.
 */
export function readCsv(source: ImportSource): CsvReader {
  const counter = { bytes: 0, lines: 0 };
  let ordinal = 0;
  const bad: { ordinal: number; item: CsvItem }[] = [];
  let fatal: Error | null = null;
  const options: Options = {
    bom: true,
    raw: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    relax_column_count: false,
    max_record_size: MAX_FIELD_CHARS,
    // With `raw` on, csv-parse hands on_record `{ record, raw }` rather than the bare array.
    on_record: (
      record: string[] | { record: string[] },
      context: InfoRecord & { raw?: string },
    ) => ({
      ordinal: ordinal++,
      item: {
        kind: "record",
        line: startLine(context.lines, context.raw),
        values: Array.isArray(record) ? record : record.record,
      } satisfies CsvItem,
    }),
  } as unknown as Options;
  const parser = parse(options);
  parser.on("skip", (error: CsvError & { lines?: number; raw?: string }) => {
    const line = startLine(error.lines ?? 0, error.raw);
    if (error.code === "CSV_MAX_RECORD_SIZE") {
      // csv-parse cannot resume after a runaway field, so the rest of the file is unreadable.
      fatal = new ImportFileError(
        `Line ${line.toLocaleString("en")}: a field is longer than ${MAX_FIELD_CHARS.toLocaleString("en")} characters — usually a quote that is never closed. Nothing after it was read.`,
      );
      input.destroy();
      return;
    }
    bad.push({
      ordinal: ordinal++,
      item: { kind: "bad", line, reason: describe(error), value: (error.raw ?? "").slice(0, 200) },
    });
  });
  const input = Readable.from(decode(source, counter), { objectMode: false });
  input.on("error", (error) => {
    // An upload cut short (or a disk error) ends the run like any other file-level problem.
    fatal ??=
      error instanceof ImportFileError
        ? error
        : new ImportFileError(
            `The file could not be read to the end (${error.message}); rows after line ${(counter.lines + 1).toLocaleString("en")} were not read.`,
          );
    parser.end();
  });
  input.pipe(parser);

  async function* items(): AsyncIterable<CsvItem> {
    let next = 0;
    for await (const entry of parser as AsyncIterable<{ ordinal: number; item: CsvItem }>) {
      while (next < bad.length && bad[next]!.ordinal < entry.ordinal) yield bad[next++]!.item;
      if (fatal) throw fatal;
      yield entry.item;
    }
    if (fatal) throw fatal;
    while (next < bad.length) yield bad[next++]!.item;
  }
  return { items: items(), bytesRead: () => counter.bytes };
}
