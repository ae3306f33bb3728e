import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, customers, importRuns, products } from "@/db/schema";
import type { ImportMode } from "@/lib/import";
import { importFile } from "@/lib/import/file";
import { rejectionsCsv } from "@/lib/import/runs";
import { createImportRun } from "@/lib/import/setup";
import { runImport } from "@/lib/import/run";
import { suggestMapping } from "@/lib/import/fields";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const HEADER = "Ticket ID,Created,Channel,Subject,Description,Customer email";
const row = (id: string, created = "2024-03-01", extra = "") =>
  `${id},${created},Email,Parcel late,"It came late.${extra}",c${id}@example.test`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-malformed-"));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

describe.each(engines)("malformed import files on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Malformed");
    other = await createTestOrg(handle.db, "Elsewhere");
  });
  afterAll(async () => {
    await handle.close();
  });

  /** What an import could add: complaints, customers, products. */
  async function data(orgId = org.orgId) {
    const n = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;
    return {
      complaints: await n(
        handle.db.select({ n: count() }).from(complaints).where(eq(complaints.orgId, orgId)),
      ),
      customers: await n(
        handle.db.select({ n: count() }).from(customers).where(eq(customers.orgId, orgId)),
      ),
      products: await n(
        handle.db.select({ n: count() }).from(products).where(eq(products.orgId, orgId)),
      ),
    };
  }
  async function refs(): Promise<string[]> {
    const rows = await handle.db
      .select({ ref: complaints.externalRef })
      .from(complaints)
      .where(eq(complaints.orgId, org.orgId));
    return rows.map((r) => r.ref!).sort();
  }
  async function report(runId: string) {
    const text = await new Response((await rejectionsCsv(runId))!).text();
    return parse(text, { columns: true }) as {
      line: string;
      field: string;
      reason: string;
      value: string;
    }[];
  }
  async function run(p: string, mode: ImportMode = "skip") {
    actAs(org.users.manager);
    const result = await importFile({ file: p, mode });
    if (!result.ok) throw new Error(JSON.stringify(result));
    return result.data;
  }

  const fileLevel: [string, () => string, RegExp][] = [
    [
      "a wrong delimiter",
      () =>
        file(
          "semicolons.csv",
          `${HEADER.replaceAll(",", ";")}\nA1;2024-03-01;Email;Late;Story;a@x.test\n`,
        ),
      /Only one column found — is the delimiter ';'\?/,
    ],
    ["an empty file", () => file("empty.csv", ""), /The file is empty\./],
    ["a header-only file", () => file("header.csv", `${HEADER}\n`), /header row but no data rows/],
    [
      "a 5 MB single field",
      () =>
        file(
          "huge.csv",
          `${HEADER}\n${row("H1")}\n${row("H2", "2024-03-01", "x".repeat(5_000_000))}\n${row("H3")}\n`,
        ),
      /line 3: a field is longer than 1,000,000 characters/i,
    ],
    [
      "invalid UTF-8",
      () =>
        file(
          "latin1.csv",
          Buffer.concat([
            Buffer.from(`${HEADER}\n${row("U1")}\n`),
            Buffer.from("U2,2024-03-01,Email,Caf"),
            Buffer.from([0xe9]),
            Buffer.from(`,Story,u2@x.test\n`),
          ]),
        ),
      /not valid UTF-8 \(line 3, byte \d+/,
    ],
  ];

  for (const mode of ["skip", "stop"] as const) {
    for (const [name, make, message] of fileLevel) {
      it(`${name} (${mode} mode): a clear message and nothing imported`, async () => {
        const before = await data();
        actAs(org.users.manager);
        const p = make();
        const result = await importFile({ file: p, mode });
        // Found from the header alone: refused before a run starts; otherwise the run fails.
        const said = result.ok ? result.data.message : result.formError;
        expect(said).toMatch(message);
        if (result.ok) expect(result.data).toMatchObject({ status: "failed", rowsCreated: 0 });
        expect(await data()).toEqual(before);
        // With a saved mapping the run itself reports the same problem.
        const mapping = suggestMapping("complaints", HEADER.split(","));
        const explicit = await importFile({ file: p, mode, mapping });
        if (!explicit.ok) throw new Error(JSON.stringify(explicit));
        expect(explicit.data.status).toBe("failed");
        expect(explicit.data.message).toMatch(message);
        expect(await data()).toEqual(before);
      });
    }
  }

  it("a missing required column is refused before the run starts, naming the field", async () => {
    actAs(org.users.manager);
    const before = await data();
    const p = file("no-date.csv", `Ticket ID,Channel,Subject\nM1,Email,Late\n`);
    const result = await importFile({ file: p });
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    if (result.ok) return;
    expect(result.fieldErrors?.["columns.receivedAt"]).toEqual([
      "Choose the column for Received at.",
    ]);
    // A saved mapping naming a column the file lacks fails the run with the column's name.
    const mapping = suggestMapping("complaints", HEADER.split(","));
    const explicit = await importFile({ file: p, mapping });
    if (!explicit.ok) throw new Error(JSON.stringify(explicit));
    expect(explicit.data.status).toBe("failed");
    expect(explicit.data.message).toContain('column "Created" (Received at) is not in the file');
    expect(await data()).toEqual(before);
  });

  it("bad dates: skip mode imports the good rows and reports each bad one with its line", async () => {
    const p = file(
      "dates.csv",
      [
        HEADER,
        row("D1"),
        row("D2", "2024-02-31"),
        row("D3", "yesterday"),
        row("D4", "03/15/2024"),
        "",
      ].join("\n"),
    );
    const result = await run(p, "skip");
    expect(result).toMatchObject({ status: "completed", rowsCreated: 2, rowsRejected: 2 });
    expect((await refs()).filter((r) => r.startsWith("D"))).toEqual(["D1", "D4"]);
    const rejected = await report(result.runId);
    expect(rejected.map((r) => [r.line, r.field, r.value])).toEqual([
      ["3", "Created", "2024-02-31"],
      ["4", "Created", "yesterday"],
    ]);
    expect(rejected[0]!.reason).toMatch(/must be a date/);
  });

  it("bad dates: stop mode stops at the first, writes nothing of its batch and says so", async () => {
    const before = await data();
    const p = file(
      "dates-stop.csv",
      [HEADER, row("S1"), row("S2", "2024-13-01"), row("S3")].join("\n"),
    );
    const result = await run(p, "stop");
    expect(result.status).toBe("stopped");
    expect(result.message).toMatch(/^Stopped at line 3: Created — .*Nothing was imported\.$/);
    expect(await data()).toEqual(before);
    expect(await report(result.runId)).toHaveLength(1);
  });

  it("stop mode keeps the batches written before the bad row, and a re-import after the fix is safe", async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 5_200; i++)
      lines.push(row(`B${i}`, i === 5_100 ? "2024-02-30" : "2024-03-01"));
    const p = file("big-stop.csv", lines.join("\n"));
    const stopped = await run(p, "stop");
    expect(stopped.status).toBe("stopped");
    expect(stopped.message).toMatch(
      /^Stopped at line 5,101: Created — .* 5,000 rows from earlier batches were imported; fix the row and import the file again/,
    );
    expect((await refs()).filter((r) => r.startsWith("B")).length).toBe(5_000);
    fs.writeFileSync(p, lines.join("\n").replace("B5100,2024-02-30", "B5100,2024-03-01"));
    const fixed = await run(p, "stop");
    expect(fixed).toMatchObject({ status: "completed", rowsCreated: 200, rowsUnchanged: 5_000 });
  });

  it("formula cells are rejected; exported in the report they are neutralised; plain dashes stay", async () => {
    const p = file(
      "formulas.csv",
      [
        HEADER,
        `F1,2024-03-01,Email,"=cmd|' /C calc'!A0",Story,f1@x.test`,
        `F2,2024-03-01,Email,Late,@SUM(1+1),f2@x.test`,
        `F3,2024-03-01,Email,"+HYPERLINK(""http://evil.test"")",Story,f3@x.test`,
        `F4,2024-03-01,Email,-- called twice,"-5 stars, would not buy again",f4@x.test`,
      ].join("\n"),
    );
    const result = await run(p, "skip");
    expect(result).toMatchObject({ rowsCreated: 1, rowsRejected: 3 });
    expect((await refs()).filter((r) => r.startsWith("F"))).toEqual(["F4"]);
    const text = await new Response((await rejectionsCsv(result.runId))!).text();
    expect(text).not.toMatch(/,[=+@]/);
    const rejected = parse(text, { columns: true }) as {
      line: string;
      reason: string;
      value: string;
    }[];
    expect(rejected.map((r) => r.value)).toEqual([
      "'=cmd|' /C calc'!A0",
      "'@SUM(1+1)",
      `'+HYPERLINK("http://evil.test")`,
    ]);
    expect(rejected.map((r) => r.line)).toEqual(["2", "3", "4"]);
    expect(rejected.every((r) => /spreadsheet formula/.test(r.reason))).toBe(true);
  });

  it("an upload cut short fails the run with a clear message and writes nothing", async () => {
    actAs(org.users.manager);
    const before = await data();
    const created = await createImportRun({
      kind: "complaints",
      mapping: suggestMapping("complaints", HEADER.split(",")),
      mode: "skip",
      fileName: "cut.csv",
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    async function* interrupted() {
      yield new TextEncoder().encode(`${HEADER}\n${row("I1")}\n`);
      throw new Error("connection reset");
    }
    const result = await runImport(created.data.runId, interrupted());
    expect(result.ok && result.data.status).toBe("failed");
    expect(result.ok && result.data.message).toMatch(
      /could not be read to the end \(connection reset\)/,
    );
    expect(await data()).toEqual(before);
  });

  it("two runs started together each read their file with their own mapping", async () => {
    actAs(org.users.manager);
    const header = "Ref A,Ref B,Created,Subject,Description";
    const byA = suggestMapping("complaints", header.split(","));
    byA.columns.externalRef = "Ref A";
    const byB = { ...byA, columns: { ...byA.columns, externalRef: "Ref B" } };
    const first = await createImportRun({
      kind: "complaints",
      mapping: byA,
      mode: "skip",
      fileName: "a.csv",
    });
    // The second run saves its mapping as the organisation's remembered one before the first reads.
    const second = await createImportRun({
      kind: "complaints",
      mapping: byB,
      mode: "skip",
      fileName: "b.csv",
    });
    if (!first.ok || !second.ok) throw new Error("runs not created");
    const content = `${header}\nMIX-A1,MIX-B1,2024-03-02,Late,It came late.\n`;
    const source = async function* () {
      yield new TextEncoder().encode(content);
    };
    const a = await runImport(first.data.runId, source());
    expect(a.ok && a.data.rowsCreated).toBe(1);
    expect(await refs()).toContain("MIX-A1");
    expect(await refs()).not.toContain("MIX-B1");
    const b = await runImport(second.data.runId, source());
    expect(b.ok && b.data.rowsCreated).toBe(1);
    expect(await refs()).toContain("MIX-B1");
  });

  it("a row with the wrong number of columns is one rejected line; the rest import", async () => {
    const p = file("short.csv", [HEADER, row("R1"), "R2,2024-03-01,Email", row("R3")].join("\n"));
    const result = await run(p, "skip");
    expect(result).toMatchObject({ rowsCreated: 2, rowsRejected: 1 });
    expect((await report(result.runId))[0]).toMatchObject({ line: "3", field: "(row)" });
  });

  for (const role of ["agent", "quality", "executive"] as const) {
    it(`refuses ${role}s and writes nothing`, async () => {
      actAs(org.users[role]);
      const before = await data();
      const result = await importFile({ file: file("ok.csv", `${HEADER}\n${row("X1")}\n`) });
      expect(result).toMatchObject({ ok: false, reason: "forbidden" });
      expect(await data()).toEqual(before);
    });
  }

  it("refuses anonymous visitors, and another organisation's run", async () => {
    actAs(null);
    const anonymous = await importFile({ file: file("ok.csv", `${HEADER}\n${row("X2")}\n`) });
    expect(anonymous).toMatchObject({ ok: false, reason: "unauthenticated" });
    actAs(org.users.admin);
    const created = await createImportRun({
      kind: "complaints",
      mapping: suggestMapping("complaints", HEADER.split(",")),
      mode: "skip",
      fileName: "ok.csv",
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    actAs(other.users.admin);
    const before = await data(other.orgId);
    const stolen = await runImport(
      created.data.runId,
      fs.createReadStream(path.join(dir, "ok.csv")),
    );
    expect(stolen).toMatchObject({ ok: false, reason: "not-found" });
    expect(await data(other.orgId)).toEqual(before);
    const [runRow] = await handle.db
      .select({ rowsRead: importRuns.rowsRead })
      .from(importRuns)
      .where(and(eq(importRuns.orgId, org.orgId), eq(importRuns.id, created.data.runId)));
    expect(runRow!.rowsRead).toBe(0);
    // The same run cannot read a second file.
    actAs(org.users.admin);
    const first = await runImport(
      created.data.runId,
      fs.createReadStream(path.join(dir, "ok.csv")),
    );
    expect(first.ok && first.data.rowsCreated).toBe(1);
    const again = await runImport(
      created.data.runId,
      fs.createReadStream(path.join(dir, "ok.csv")),
    );
    expect(again).toMatchObject({ ok: false, reason: "conflict" });
  });

  it("refuses a bad run request field by field", async () => {
    actAs(org.users.admin);
    const result = await createImportRun({
      kind: "nope" as never,
      mapping: { preset: "generic", columns: {}, options: { defaultSeverity: "huge" as never } },
      mode: "later" as never,
      fileName: "",
    });
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(
      ["fileName", "kind", "mapping.options.defaultSeverity", "mode"].sort(),
    );
  });
});
