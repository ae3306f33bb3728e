import fs from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, importMappings, products } from "@/db/schema";
import { loadImportSetup, previewImport, suggestMapping } from "@/lib/import";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

// A copy of ../shared/data/cfpb-complaints-sample.csv (public domain), so the suite needs nothing beside the repo.
const SAMPLE = path.resolve(__dirname, "../fixtures/import/cfpb-complaints-sample.csv");

describe.each(engines)("previewing an import on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Preview");
  });
  afterAll(async () => {
    await handle.close();
  });

  it("shows the first CFPB rows as they will be stored, and writes nothing", async () => {
    actAs(org.users.manager);
    const sample = fs
      .readFileSync(SAMPLE)
      .subarray(0, 64 * 1024)
      .toString("utf8");
    const headers = sample.slice(0, sample.indexOf("\n")).split(",");
    const mapping = suggestMapping("complaints", headers);
    const result = await previewImport({ kind: "complaints", mapping, sample });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data.fileErrors).toEqual([]);
    expect(result.data.rows).toHaveLength(20);
    expect(result.data.rows[0]).toEqual({
      line: 2,
      errors: [],
      values: expect.objectContaining({
        externalRef: "7523056",
        receivedAt: "2023-08-25",
        channel: "web",
        status: "closed",
        summary: "Incorrect information on your report",
        product: "Credit reporting or other personal consumer reports › Credit reporting",
        timelyResponse: "Yes",
      }),
    });
    const n = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;
    expect(
      await n(
        handle.db.select({ n: count() }).from(complaints).where(eq(complaints.orgId, org.orgId)),
      ),
    ).toBe(0);
    expect(
      await n(handle.db.select({ n: count() }).from(products).where(eq(products.orgId, org.orgId))),
    ).toBe(0);
    expect(
      await n(
        handle.db
          .select({ n: count() })
          .from(importMappings)
          .where(eq(importMappings.orgId, org.orgId)),
      ),
    ).toBe(0);
  });

  it("names file problems and each bad cell by its field", async () => {
    actAs(org.users.manager);
    const mapping = suggestMapping("complaints", ["Ticket ID", "Created", "Subject"]);
    const semicolons = await previewImport({
      kind: "complaints",
      mapping,
      sample: "Ticket ID;Created;Subject\nA;2024-01-01;x\n",
    });
    expect(semicolons.ok && semicolons.data.fileErrors[0]).toMatch(/delimiter ';'/);
    const bad = await previewImport({
      kind: "complaints",
      mapping,
      sample: "Ticket ID,Created,Subject\nA,2024-02-30,=1+1\nB,2024-01-02,Fine\n",
    });
    if (!bad.ok) throw new Error(JSON.stringify(bad));
    expect(bad.data.rows[0]!.errors).toEqual([
      { field: "summary", reason: expect.stringMatching(/spreadsheet formula/) },
    ]);
    expect(bad.data.rows[1]).toMatchObject({ line: 3, errors: [], values: { summary: "Fine" } });
    const headerOnly = await previewImport({
      kind: "complaints",
      mapping,
      sample: "Ticket ID,Created,Subject\n",
    });
    expect(headerOnly.ok && headerOnly.data.fileErrors).toEqual([
      "The file has a header row but no data rows.",
    ]);
  });

  it("is refused to roles without import, and loads the teams for the mapping screen", async () => {
    actAs(org.users.agent);
    expect(
      await previewImport({
        kind: "complaints",
        mapping: suggestMapping("complaints", []),
        sample: "",
      }),
    ).toMatchObject({ ok: false, reason: "forbidden" });
    expect(await loadImportSetup("complaints")).toMatchObject({ ok: false, reason: "forbidden" });
    actAs(org.users.admin);
    const setup = await loadImportSetup("complaints");
    expect(setup).toEqual({
      ok: true,
      data: { saved: null, teams: [{ id: org.teamId, name: "Front line" }] },
    });
  });
});
