import { parse } from "csv-parse/sync";
import { describe, expect, it, vi } from "vitest";
import {
  csvCell,
  csvLines,
  csvResponse,
  neutraliseFormula,
  streamCsv,
  type CsvExport,
} from "@/lib/csv";
import { majorUnits } from "@/lib/exports/amount";
import { exportFileName, exportRangeSchema, rangeBounds } from "@/lib/exports/range";

// range.ts reuses the list's date schema; the list module reaches the session reader.
vi.mock("@/lib/auth/session", () => import("../helpers/session"));

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("neutraliseFormula", () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tTabbed", "'\tTabbed"],
    ["\rReturn", "'\rReturn"],
    ["\uFF1D1+1", "'\uFF1D1+1"],
    ["\uFF20x", "'\uFF20x"],
  ])("prefixes %j with a quote", (input, output) => {
    expect(neutraliseFormula(input)).toBe(output);
  });

  it.each(["", "Plain text", "1+1", "a=b", " =not first", "'already quoted", "£5"])(
    "leaves %j alone",
    (input) => {
      expect(neutraliseFormula(input)).toBe(input);
    },
  );
});

describe("csvCell", () => {
  it("keeps numbers as numbers, negative ones included, and blanks null", () => {
    expect(csvCell(-5)).toBe(-5);
    expect(csvCell(0)).toBe(0);
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(12n)).toBe("12");
  });

  it("writes times as ISO 8601 UTC, booleans as words, objects as neutralised JSON", () => {
    expect(csvCell(new Date("2026-03-01T09:30:00.123Z"))).toBe("2026-03-01T09:30:00.123Z");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(false)).toBe("false");
    expect(csvCell({ a: "=x" })).toBe('{"a":"=x"}');
    expect(csvCell("-1+cmd")).toBe("'-1+cmd");
  });
});

describe("csvLines", () => {
  it("round-trips commas, quotes and line breaks, and never emits a bare formula", () => {
    const records = [
      ["id", "note"],
      [1, 'Line one\nLine two, with a comma\r\nand "quotes"'],
      [2, '=HYPERLINK("http://evil")'],
      [-3, "-2+3+cmd|' /C calc'!A0"],
    ];
    const parsed = parse(csvLines(records)) as string[][];
    expect(parsed).toEqual([
      ["id", "note"],
      ["1", 'Line one\nLine two, with a comma\r\nand "quotes"'],
      ["2", '\'=HYPERLINK("http://evil")'],
      ["-3", "'-2+3+cmd|' /C calc'!A0"],
    ]);
  });
});

describe("streamCsv", () => {
  function numbers(total: number) {
    const calls: (number | null)[] = [];
    const source = {
      columns: [
        { header: "n", value: (r: { n: number }) => r.n },
        { header: "label", value: (r: { n: number }) => `=row ${r.n}` },
      ],
      page: async (cursor: number | null, limit: number) => {
        calls.push(cursor);
        const start = cursor === null ? 0 : cursor + 1;
        return Array.from({ length: Math.max(0, Math.min(limit, total - start)) }, (_, i) => ({
          n: start + i,
        }));
      },
      cursorOf: (r: { n: number }) => r.n,
    };
    return { source, calls };
  }

  it("streams a header and every row, page after page from the last row's cursor", async () => {
    const { source, calls } = numbers(7);
    const rows = parse(await text(streamCsv({ ...source, batchSize: 3 }))) as string[][];
    expect(rows[0]).toEqual(["n", "label"]);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows[1]![1]).toBe("'=row 0");
    // 3 + 3 + 1: the short page ends the file without another query.
    expect(calls).toEqual([null, 2, 5]);
  });

  it("asks one more page when the last one was exactly full, and then stops", async () => {
    const { source, calls } = numbers(6);
    const rows = parse(await text(streamCsv({ ...source, batchSize: 3 }))) as string[][];
    expect(rows).toHaveLength(7);
    expect(calls).toEqual([null, 2, 5]);
  });

  it("writes only the header when there is nothing", async () => {
    const { source } = numbers(0);
    expect(await text(streamCsv(source))).toBe("n,label\n");
  });

  it("reads a page only when the reader asks for it", async () => {
    const { source, calls } = numbers(100);
    const reader = streamCsv({ ...source, batchSize: 10 }).getReader();
    await reader.read(); // the header
    await reader.read(); // the first page
    // The stream may have pulled one page ahead of the reader, never the whole set.
    expect(calls.length).toBeLessThanOrEqual(2);
    await reader.cancel();
  });
});

describe("csvResponse", () => {
  it("sends the file as an attachment with a safe name", async () => {
    const stream = new Response("a\n").body!;
    const response = csvResponse({ ok: true, stream, filename: 'x"; evil.csv' });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="x___evil.csv"');
    expect(await response.text()).toBe("a\n");
  });

  it.each([
    ["unauthenticated", 401],
    ["forbidden", 403],
    ["invalid", 400],
    ["not-found", 404],
  ] as const)("turns %s into %d with the message in plain text", async (reason, status) => {
    const refusal: CsvExport = {
      ok: false,
      reason,
      message: "Nope.",
      fieldErrors: reason === "invalid" ? { to: ["Too early."] } : undefined,
    };
    const response = csvResponse(refusal);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const body = await response.text();
    expect(body).toContain("Nope.");
    if (reason === "invalid") expect(body).toContain("to: Too early.");
  });
});

describe("export ranges and amounts", () => {
  it("accepts open or ordered UTC-day ranges and refuses the rest by field", () => {
    expect(exportRangeSchema.parse({ from: "", to: undefined })).toEqual({});
    expect(exportRangeSchema.parse({ from: "2026-01-01", to: "2026-01-01" })).toEqual({
      from: "2026-01-01",
      to: "2026-01-01",
    });
    const bad = exportRangeSchema.safeParse({ from: "2026-02-30", to: "yesterday" });
    expect(bad.success).toBe(false);
    expect([...new Set(bad.error!.issues.map((i) => i.path[0]))].sort()).toEqual(["from", "to"]);
    const reversed = exportRangeSchema.safeParse({ from: "2026-02-02", to: "2026-02-01" });
    expect(reversed.error!.issues.map((i) => i.path[0])).toEqual(["to"]);
  });

  it("makes `to` inclusive: the range ends at the next UTC midnight", () => {
    const { start, end } = rangeBounds({ from: "2026-01-31", to: "2026-02-28" });
    expect(start!.toISOString()).toBe("2026-01-31T00:00:00.000Z");
    expect(end!.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(rangeBounds({})).toEqual({ start: undefined, end: undefined });
  });

  it("names the file after the kind and range", () => {
    const now = new Date("2026-11-23T10:00:00Z");
    expect(exportFileName("audit-trail", {}, now)).toBe("audit-trail-2026-11-23.csv");
    expect(exportFileName("audit-trail", { from: "2026-01-01" }, now)).toBe(
      "audit-trail-2026-01-01-to-2026-11-23.csv",
    );
    expect(exportFileName("x", { to: "2026-02-01" }, now)).toBe("x-start-to-2026-02-01.csv");
  });

  it.each([
    [2550, "USD", "25.50"],
    [7, "EUR", "0.07"],
    [0, "USD", "0.00"],
    [500, "JPY", "500"],
    [1234, "BHD", "1.234"],
    [123456789012, "USD", "1234567890.12"],
  ])("%d minor %s is %s", (minor, currency, major) => {
    expect(majorUnits(minor, currency)).toBe(major);
  });
});
