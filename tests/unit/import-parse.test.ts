import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { ImportFileError, MAX_FIELD_CHARS, readCsv, type CsvItem } from "@/lib/import/parse";

const SAMPLE = path.resolve(__dirname, "../fixtures/import/cfpb-complaints-sample.csv");

const UNCLOSED =
  "The row ends inside a quoted field: the file is cut off or a quote is not closed.";
const AFTER_QUOTE = "A quoted field is followed by other characters: check the quotes on this row.";
const STRAY_QUOTE =
  "A field that does not start with a quote contains one: put the whole field in quotes and double the quotes inside it.";
const columns = (n: number) => `The row has ${n} columns; the header has a different number.`;

const bytes = (text: string) => new TextEncoder().encode(text);

async function* chunked(parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array | string> {
  for (const part of parts) yield part;
}

/** Everything the reader gives for a source: the items, then the file-level error if any. */
async function readAll(
  parts: (string | Uint8Array)[],
): Promise<{ items: CsvItem[]; error: Error | null }> {
  const items: CsvItem[] = [];
  try {
    for await (const item of readCsv(chunked(parts)).items) items.push(item);
  } catch (error) {
    return { items, error: error as Error };
  }
  return { items, error: null };
}

/** The items for a whole file given as one UTF-8 chunk; fails on a file-level error. */
async function items(text: string | Uint8Array): Promise<CsvItem[]> {
  const result = await readAll([typeof text === "string" ? bytes(text) : text]);
  if (result.error) throw result.error;
  return result.items;
}

const record = (line: number, ...values: string[]): CsvItem => ({ kind: "record", line, values });
const bad = (line: number, reason: string, value: string): CsvItem => ({
  kind: "bad",
  line,
  reason,
  value,
});

/**
 * csv-parse's reading of a file, as our items: its records with the line each starts on (its
 * `info.lines` is the line a record ends on, less the line breaks inside it; right for `\n` files).
 */
function oracle(text: string): CsvItem[] {
  const rows = parse(text, {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    raw: true,
  }) as unknown as { record: string[]; raw: string; info: { lines: number } }[];
  return rows.map(({ record: values, raw, info }) => {
    const inner = raw.replace(/^[\r\n]+|[\r\n]+$/g, "").split("\n").length - 1;
    return { kind: "record", line: info.lines - inner, values };
  });
}

describe("reading well-formed CSV: the same records as csv-parse", () => {
  const cases: [string, string][] = [
    ["plain rows", "a,b,c\n1,2,3\n4,5,6\n"],
    ["quoted commas", 'name,note\n"Smith, Jo","a, b, c"\n"x",","\n'],
    ["escaped quotes", 'a,b\n"He said ""no""","""quoted"""\n"""",x\n'],
    ["multi-line quoted fields", 'a,b\n"line 1\nline 2\n\nline 4",x\ny,"z\n"\nlast,row\n'],
    ["empty fields", 'a,b,c\n,,\n"",,""\nx,"",\n'],
    ["blank lines in the middle and at the end", "\n\na,b\n\n1,2\n\n\n3,4\n\n\n"],
    ["a final line without a newline", 'a,b\n1,2\n3,"4\n5"'],
    ["a byte order mark", '\uFEFF"Ticket ID",b\n1,2\n'],
    ["one column with an empty quoted value", 'a\n1\n""\n\n2\n'],
    ["non-ASCII text", 'a,b\nCafé,"日本語, 😀"\n"Zoë\nß",€\n'],
    ["spaces kept as written", 'a,b\n  x , y \n" z ",w\n'],
  ];
  it.each(cases)("%s", async (_name, text) => {
    expect(await items(text)).toEqual(oracle(text));
  });

  it("the CFPB export: 2,067 records as csv-parse reads them, then the cut-off last line as one bad row", async () => {
    const text = fs.readFileSync(SAMPLE, "utf8");
    const result = await readAll([fs.readFileSync(SAMPLE)]);
    expect(result.error).toBeNull();
    const [header, ...rest] = result.items;
    const good = rest.filter((i) => i.kind === "record");
    const broken = rest.filter((i) => i.kind === "bad");
    expect(header).toMatchObject({ kind: "record", line: 1 });
    expect((header as { values: string[] }).values).toContain("Complaint ID");
    expect(good).toHaveLength(2067);
    const lastLine = text.split("\n").length;
    expect(broken).toEqual([
      bad(lastLine, UNCLOSED, text.slice(text.lastIndexOf("\n") + 1).slice(0, 200)),
    ]);
    expect(rest.at(-1)).toBe(broken[0]);
    // Every good record is csv-parse's record for the same line.
    expect([header, ...good]).toEqual(oracle(text.slice(0, text.lastIndexOf("\n") + 1)));
  });

  it("the same CFPB items however the file is cut into chunks", async () => {
    const file = fs.readFileSync(SAMPLE);
    const whole = await items(file);
    for (const size of [1_000, 4_096, 65_536]) {
      const parts: Uint8Array[] = [];
      for (let i = 0; i < file.length; i += size) parts.push(file.subarray(i, i + size));
      expect((await readAll(parts)).items).toEqual(whole);
    }
  });
});

describe("line numbers", () => {
  it("counts \\r\\n, \\n and a lone \\r, mixed, outside and inside quotes", async () => {
    const text = 'a,b\r\n1,"x\r\ny"\r\n\r\n2,3\n4,"p\nq"\r5,6\r"r\rs",7\r\n';
    expect(await items(text)).toEqual([
      record(1, "a", "b"),
      record(2, "1", "x\r\ny"),
      record(5, "2", "3"),
      record(6, "4", "p\nq"),
      record(8, "5", "6"),
      record(9, "r\rs", "7"),
    ]);
    const crlf = 'a,b\r\n"1\r\n2",3\r\n\r\n4,5\r\n';
    expect((await items(crlf)).map((i) => i.kind === "record" && i.values)).toEqual(
      parse(crlf, { skip_empty_lines: true }),
    );
    expect((await items(crlf)).map((i) => i.line)).toEqual([1, 2, 5]);
  });

  it("a file with lone \\r line endings (old Mac Excel)", async () => {
    expect(await items("a,b\r1,2\r\r3,4\r")).toEqual([
      record(1, "a", "b"),
      record(2, "1", "2"),
      record(4, "3", "4"),
    ]);
  });

  it("empty files give nothing", async () => {
    for (const text of ["", "\uFEFF", "\n\n", "\r\n\r\n", "\uFEFF\n"])
      expect(await items(text)).toEqual([]);
  });
});

describe("bad rows: reported in their place, and the rows after them still read", () => {
  it("too few and too many columns", async () => {
    const text = "a,b,c\n1,2\n3,4,5\n6,7,8,9\n10,11,12";
    expect(await items(text)).toEqual([
      record(1, "a", "b", "c"),
      bad(2, columns(2), "1,2"),
      record(3, "3", "4", "5"),
      bad(4, columns(4), "6,7,8,9"),
      record(5, "10", "11", "12"),
    ]);
    // csv-parse refuses the same rows.
    expect(() => parse(text)).toThrow(/Invalid Record Length/);
  });

  it("a row of spaces is a row with one column", async () => {
    expect(await items("a,b\n \n1,2\n")).toEqual([
      record(1, "a", "b"),
      bad(2, columns(1), " "),
      record(3, "1", "2"),
    ]);
  });

  it("a quoted field followed by other characters", async () => {
    const text = 'a,b\n"x"y,2\n"ok",3\n"He said "hi" to me",4\n"x" ,"multi\nline"\n5,6\n';
    expect(await items(text)).toEqual([
      record(1, "a", "b"),
      bad(2, AFTER_QUOTE, '"x"y,2'),
      record(3, "ok", "3"),
      bad(4, AFTER_QUOTE, '"He said "hi" to me",4'),
      // The record runs on to the end of the properly quoted field after the stray characters.
      bad(5, AFTER_QUOTE, '"x" ,"multi\nline"'),
      record(7, "5", "6"),
    ]);
    expect(() => parse('a,b\n"x"y,2\n')).toThrow(/Invalid Closing Quote/);
  });

  it("a quote inside a field that does not start with one (csv-parse refuses it too)", async () => {
    const text = 'a,b\nab"c,2\n "x",3\nd,e"\n"ok",4\n';
    expect(await items(text)).toEqual([
      record(1, "a", "b"),
      bad(2, STRAY_QUOTE, 'ab"c,2'),
      bad(3, STRAY_QUOTE, ' "x",3'),
      bad(4, STRAY_QUOTE, 'd,e"'),
      record(5, "ok", "4"),
    ]);
    expect(() => parse('a,b\nab"c,2\n')).toThrow(/Invalid Opening Quote/);
  });

  it("an odd number of stray quotes does not swallow the following rows", async () => {
    expect(await items('a,b\n"x"y"z,2\n3,4\n')).toEqual([
      record(1, "a", "b"),
      bad(2, AFTER_QUOTE, '"x"y"z,2'),
      record(3, "3", "4"),
    ]);
  });

  it("a file cut off inside a quoted field: the last row is bad, never half-read", async () => {
    for (const [text, line, value] of [
      ['a,b\n1,2\n3,"cut off', 3, '3,"cut off'],
      ['a,b\n1,2\n3,"cut off\nmid-sentence\n', 3, '3,"cut off\nmid-sentence\n'],
      ['a,b\n"1\n2",3\n"x', 4, '"x'],
      ['a,b\n1,"2"",', 2, '1,"2"",'],
    ] as const) {
      const all = await items(text);
      expect(all.at(-1)).toEqual(bad(line, UNCLOSED, value));
      expect(all.filter((i) => i.kind === "bad")).toHaveLength(1);
    }
    expect(() => parse('a,b\n1,2\n3,"cut off')).toThrow(/Quote Not Closed/);
  });

  it("a bad header is a bad first item (the caller refuses the file)", async () => {
    expect(await items('"a"x,b\n1,2\n')).toEqual([
      bad(1, AFTER_QUOTE, '"a"x,b'),
      record(2, "1", "2"),
    ]);
  });

  it("keeps only the first 200 characters of a bad row", async () => {
    const long = "y".repeat(500);
    const [, row] = await items(`a,b\n${long}\n`);
    expect(row).toEqual(bad(2, columns(1), long.slice(0, 200)));
  });
});

describe("file-level problems end the read", () => {
  it("a field longer than 1,000,000 characters, naming the line it starts on", async () => {
    const text = `a,b\n1,2\n"x\n${"y".repeat(MAX_FIELD_CHARS)}",3\n4,5\n`;
    const result = await readAll([bytes(text)]);
    expect(result.items).toEqual([record(1, "a", "b"), record(2, "1", "2")]);
    expect(result.error).toBeInstanceOf(ImportFileError);
    expect(result.error?.message).toBe(
      "Line 3: a field is longer than 1,000,000 characters — usually a quote that is never closed. Nothing after it was read.",
    );
  });

  it("an unclosed quote in a streamed file stops after about 1,000,000 characters, not at the end", async () => {
    let pulled = 0;
    async function* endless() {
      yield bytes('a,b\n1,"never closed');
      for (;;) {
        const chunk = bytes("z".repeat(64 * 1024));
        pulled += chunk.length;
        yield chunk;
      }
    }
    const rows: CsvItem[] = [];
    const read = async () => {
      for await (const item of readCsv(endless()).items) rows.push(item);
    };
    await expect(read()).rejects.toThrow(/^Line 2: a field is longer than 1,000,000 characters/);
    expect(rows).toEqual([record(1, "a", "b")]);
    expect(pulled).toBeLessThan(MAX_FIELD_CHARS + 3 * 64 * 1024);
  });

  it("a long field under the limit is an ordinary value, even arriving a character at a time", async () => {
    const long = `${"ab,\n".repeat(50_000)}""${"c".repeat(100_000)}`;
    const text = `a,b\n"${long.replaceAll('"', '""')}",2\n3,4\n`;
    const parts = [...text];
    const result = await readAll(parts);
    expect(result.error).toBeNull();
    expect(result.items).toEqual([
      record(1, "a", "b"),
      record(2, long, "2"),
      record(50_003, "3", "4"),
    ]);
  }, 20_000);

  it("invalid UTF-8, naming its line", async () => {
    const result = await readAll([
      bytes("a,b\n1,2\n"),
      new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x33, 0x0a]),
    ]);
    expect(result.items).toEqual([record(1, "a", "b"), record(2, "1", "2")]);
    expect(result.error).toBeInstanceOf(ImportFileError);
    expect(result.error?.message).toMatch(/^The file is not valid UTF-8 \(line 3, byte 11\)/);
  });

  it("a file that ends in the middle of a UTF-8 character", async () => {
    const result = await readAll([bytes("a,b\n1,"), new Uint8Array([0xe2, 0x82])]);
    expect(result.error).toBeInstanceOf(ImportFileError);
    expect(result.error?.message).toMatch(/ends in the middle of a UTF-8 character/);
  });

  it("a source that fails: the rows before it, then a file error", async () => {
    async function* cut() {
      yield bytes("a,b\n1,2\n3,");
      throw new Error("connection reset");
    }
    const rows: CsvItem[] = [];
    const read = async () => {
      for await (const item of readCsv(cut()).items) rows.push(item);
    };
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toBe(
      "The file could not be read to the end (connection reset); rows after line 3 were not read.",
    );
    expect(rows).toEqual([record(1, "a", "b"), record(2, "1", "2")]);
  });
});

describe("streaming", () => {
  // Every awkward place a chunk can end: inside "", between \r and \n, inside a multi-byte
  // character, right after a quote, on a BOM, before a blank line, on a stray quote.
  const tricky =
    '\uFEFFid,note,€\r\n1,"say ""hi""\r\nthen go",é\r\n\r\n2,"a,b","😀"\n3,x"y,z\n"4"!,5,6\n7,,\r8,"cut';
  const expected = [
    record(1, "id", "note", "€"),
    record(2, "1", 'say "hi"\r\nthen go', "é"),
    record(5, "2", "a,b", "😀"),
    bad(6, STRAY_QUOTE, '3,x"y,z'),
    bad(7, AFTER_QUOTE, '"4"!,5,6'),
    record(8, "7", "", ""),
    bad(9, UNCLOSED, '8,"cut'),
  ];

  it("reads the tricky file in one chunk", async () => {
    expect(await items(tricky)).toEqual(expected);
  });

  it("gives the same items wherever the bytes are cut, once or twice", async () => {
    const file = bytes(tricky);
    for (let i = 0; i <= file.length; i++) {
      expect((await readAll([file.subarray(0, i), file.subarray(i)])).items, `cut at ${i}`).toEqual(
        expected,
      );
      for (let j = i + 1; j < file.length; j += 7) {
        const parts = [file.subarray(0, i), file.subarray(i, j), file.subarray(j)];
        expect((await readAll(parts)).items, `cut at ${i}, ${j}`).toEqual(expected);
      }
    }
  });

  it("gives the same items a byte at a time, and a character at a time from a text source", async () => {
    expect((await readAll([...bytes(tricky)].map((b) => new Uint8Array([b])))).items).toEqual(
      expected,
    );
    // Text chunks (the preview's sample) may split a surrogate pair and keep their BOM.
    expect((await readAll(tricky.split(""))).items).toEqual(expected);
  });

  it("counts the bytes read", async () => {
    const reader = readCsv(chunked([bytes("a,b\n"), bytes("é,2\n")]));
    for await (const item of reader.items) void item;
    expect(reader.bytesRead()).toBe(9);
  });

  it("stopping early closes the source", async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) yield bytes(i === 0 ? "a,b\n" : `${i},x\n`);
      } finally {
        closed = true;
      }
    }
    let seen = 0;
    for await (const item of readCsv(source()).items) {
      void item;
      if (++seen === 3) break;
    }
    expect(closed).toBe(true);
  });
});
