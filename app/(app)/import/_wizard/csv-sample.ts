/*
 * What the browser reads of a chosen file: only its first 64 KB (File.slice), never the whole
 * file. Enough for the headers, example values and the server's preview. Pure, no React.
 */
import { importFields, normaliseHeader, suggestMapping } from "@/lib/import/fields";
import type { ImportKind, ImportMapping, ImportPreset } from "@/lib/import/types";

export const SAMPLE_BYTES = 64 * 1024;

export interface FileSample {
  /** Decoded text of the first bytes, cut to whole lines when the file is longer. */
  text: string;
  headers: string[];
  /** The first data rows as the file has them: examples beside the mapping, raw rejected rows. */
  examples: SampleRecord[];
  /** Why the file cannot be imported, found before asking the server. */
  error: string | null;
  /** The first row alone is longer than the sample: nothing can be previewed, the import checks it. */
  firstRowTooLong?: boolean;
}

export interface SampleRecord {
  /** The line the record starts on (the header is line 1), as the server numbers them. */
  line: number;
  values: string[];
}

/**
 * Reads at most the first `limit` records of CSV text (comma-separated, double quotes escape).
 * Only for showing headers and the file's own values: the server parses the file for real.
 */
export function parseRecords(text: string, limit: number): SampleRecord[] {
  const records: SampleRecord[] = [];
  let field = "";
  let values: string[] = [];
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length && records.length < limit; i++) {
    const c = text[i]!;
    if (c === "\n") line++;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      values.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") {
        i++;
        line++;
      }
      values.push(field);
      records.push({ line: start, values });
      values = [];
      field = "";
      start = line;
    } else field += c;
  }
  // A last record without a line break counts only when it was not cut mid-quote.
  if (records.length < limit && !quoted && (field !== "" || values.length > 0)) {
    values.push(field);
    records.push({ line: start, values });
  }
  return records;
}

/** The first 64 KB of the file, decoded as UTF-8 (a byte sequence cut at the end is fine). */
export async function readSample(file: File): Promise<FileSample> {
  const bytes = await file.slice(0, SAMPLE_BYTES).arrayBuffer();
  const longer = file.size > SAMPLE_BYTES;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: longer });
  } catch {
    return {
      text: "",
      headers: [],
      examples: [],
      error:
        "This file is not UTF-8 text. Save it as “CSV UTF-8” from your spreadsheet and choose it again.",
    };
  }
  if (longer) {
    const lastBreak = text.lastIndexOf("\n");
    if (lastBreak > 0) text = text.slice(0, lastBreak + 1);
  }
  if (text.trim() === "") {
    return {
      text,
      headers: [],
      examples: [],
      error: "This file is empty: there is nothing to import.",
    };
  }
  const [first, ...examples] = parseRecords(text, 40);
  const headers = first?.values ?? [];
  // One column with semicolons or tabs in it: the file was saved with another delimiter.
  const other = headers.length === 1 ? [";", "\t", "|"].find((d) => headers[0]!.includes(d)) : null;
  if (other) {
    const name = other === "\t" ? "tabs" : `“${other}”`;
    return {
      text,
      headers,
      examples,
      error: `Only one column found: the columns seem to be separated by ${name}. Save the file as comma-separated CSV and choose it again.`,
    };
  }
  return { text, headers, examples, error: null, firstRowTooLong: longer && examples.length === 0 };
}

/**
 * The mapping to start from: the one remembered for the organisation where its columns exist in
 * this file, otherwise what the header names suggest (a CFPB export is recognised).
 */
export function initialMapping(
  kind: ImportKind,
  headers: string[],
  saved: ImportMapping | null,
): ImportMapping {
  const suggested = suggestMapping(kind, headers);
  if (!saved || saved.preset !== suggested.preset) return suggested;
  const present = new Set(headers);
  const columns = { ...suggested.columns };
  for (const [key, header] of Object.entries(saved.columns)) {
    if (key in columns && header && present.has(header)) columns[key] = header;
  }
  return { preset: suggested.preset, columns, options: { ...suggested.options, ...saved.options } };
}

/** The mapping after the user picks another format: each field matched by its own name. */
export function mappingForPreset(
  kind: ImportKind,
  headers: string[],
  preset: ImportPreset,
  current: ImportMapping,
): ImportMapping {
  const suggested = suggestMapping(kind, headers);
  if (suggested.preset === preset) return { ...suggested, options: current.options };
  const byName = new Map(headers.map((h) => [normaliseHeader(h), h]));
  const columns: Record<string, string | null> = {};
  for (const field of importFields(kind, preset)) {
    columns[field.key] =
      byName.get(normaliseHeader(field.label)) ?? byName.get(normaliseHeader(field.key)) ?? null;
  }
  return { preset, columns, options: current.options };
}
