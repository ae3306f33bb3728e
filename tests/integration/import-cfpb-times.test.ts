/**
 * The CFPB completion rule (issue #11): a CFPB row whose company response means closed carries no
 * resolution time, so it is resolved and closed at its "Date sent to company" (else its "Date
 * received") and marked times_inferred; rows with real times are not, and importing a complaint
 * again with real times clears the mark. Every complaint an import creates is marked imported.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints } from "@/db/schema";
import { previewImport, suggestMapping } from "@/lib/import";
import { importFile } from "@/lib/import/file";
import { rejectionsCsv } from "@/lib/import/runs";
import { csvFiles } from "../helpers/csv-files";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

// A copy of ../shared/data/cfpb-complaints-sample.csv (public domain).
const SAMPLE = path.resolve(__dirname, "../fixtures/import/cfpb-complaints-sample.csv");
const file = csvFiles("import-cfpb-times");

const HEADER =
  "Date received,Product,Issue,Submitted via,Date sent to company,Company response to consumer,Timely response?,Complaint ID";
const cfpb = (ref: string, received: string, sent: string, response: string) =>
  `${received},Mortgage,Trouble during payment process,Web,${sent},${response},Yes,${ref}`;
const day = (d: string) => new Date(`${d}T00:00:00Z`);

describe.each(engines)("completing CFPB times on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let sampleOrg: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "CFPB times");
    sampleOrg = await createTestOrg(handle.db, "CFPB sample times");
  });
  afterAll(async () => {
    await handle.close();
  });

  const stored = async (orgId: string, ref: string) =>
    (
      await handle.db
        .select({
          status: complaints.status,
          resolvedAt: complaints.resolvedAt,
          closedAt: complaints.closedAt,
          timesInferred: complaints.timesInferred,
          imported: complaints.imported,
        })
        .from(complaints)
        .where(and(eq(complaints.orgId, orgId), eq(complaints.externalRef, ref)))
    )[0];

  it("maps the CFPB 'Date sent to company' column", () => {
    expect(suggestMapping("complaints", HEADER.split(","))).toMatchObject({
      preset: "cfpb",
      columns: { dateSentToCompany: "Date sent to company" },
    });
  });

  it("previews a closed row's completed times as inferred", async () => {
    actAs(org.users.manager);
    const result = await previewImport({
      kind: "complaints",
      mapping: suggestMapping("complaints", HEADER.split(",")),
      sample: [
        HEADER,
        cfpb("P-1", "2024-03-01", "2024-03-04", "Closed with explanation"),
        cfpb("P-2", "2024-03-01", "2024-03-04", "In progress"),
        "",
      ].join("\n"),
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    const [closed, open] = result.data.rows;
    expect(closed!.values).toMatchObject({
      status: "closed",
      resolvedAt: "2024-03-04 (inferred: the file has no time)",
      closedAt: "2024-03-04 (inferred: the file has no time)",
    });
    expect(open!.values).toMatchObject({ status: "in_progress", resolvedAt: "", closedAt: "" });
  });

  it("resolves and closes closed rows when sent to the company, else when received", async () => {
    actAs(org.users.manager);
    const result = await importFile({
      file: file("small.csv", [
        HEADER,
        cfpb("C-1", "2024-03-01", "2024-03-04", "Closed with explanation"),
        cfpb("C-2", "2024-03-02", "", "Closed without relief"),
        cfpb("C-3", "2024-03-03", "2024-03-05", "In progress"),
        cfpb("C-4", "2024-03-04", "2024-03-04", "Closed with monetary relief"),
        cfpb("C-5", "2024-03-05", "2024-03-01", "Closed with explanation"),
        cfpb("C-6", "2024-03-06", "2099-01-01", "Closed with explanation"),
        cfpb("C-7", "2024-03-07", "soon", "Closed with explanation"),
      ]),
      mode: "skip",
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ preset: "cfpb", rowsCreated: 4, rowsRejected: 3 });
    const closed = (at: string) => ({
      status: "closed",
      resolvedAt: day(at),
      closedAt: day(at),
      timesInferred: true,
      imported: true,
    });
    expect(await stored(org.orgId, "C-1")).toEqual(closed("2024-03-04"));
    expect(await stored(org.orgId, "C-2")).toEqual(closed("2024-03-02"));
    expect(await stored(org.orgId, "C-4")).toEqual(closed("2024-03-04"));
    expect(await stored(org.orgId, "C-3")).toEqual({
      status: "in_progress",
      resolvedAt: null,
      closedAt: null,
      timesInferred: false,
      imported: true,
    });

    const report = parse(await new Response((await rejectionsCsv(result.data.runId))!).text(), {
      columns: true,
    }) as { line: string; field: string; reason: string }[];
    expect(report.map((r) => [Number(r.line), r.field, r.reason])).toEqual([
      [6, "Date sent to company", "Date sent to company is before date received."],
      [7, "Date sent to company", "Date sent to company cannot be in the future."],
      [
        8,
        "Date sent to company",
        "Date sent to company must be a date such as 2024-03-31, 03/31/2024 or 2024-03-31T14:05:00Z.",
      ],
    ]);
    for (const ref of ["C-5", "C-6", "C-7"]) expect(await stored(org.orgId, ref)).toBeUndefined();
  });

  it("clears the mark when the complaint comes again with real times, and keeps it imported", async () => {
    actAs(org.users.manager);
    // CFPB again: C-1 is in progress now (no times at all), C-3 closed (inferred).
    const again = await importFile({
      file: file("again.csv", [
        HEADER,
        cfpb("C-1", "2024-03-01", "2024-03-04", "In progress"),
        cfpb("C-3", "2024-03-03", "2024-03-05", "Closed with explanation"),
      ]),
    });
    if (!again.ok) throw new Error(JSON.stringify(again));
    expect(again.data).toMatchObject({ rowsUpdated: 2, rowsRejected: 0 });
    expect(await stored(org.orgId, "C-1")).toMatchObject({
      status: "in_progress",
      resolvedAt: null,
      timesInferred: false,
    });
    expect(await stored(org.orgId, "C-3")).toMatchObject({
      resolvedAt: day("2024-03-05"),
      timesInferred: true,
    });

    // A generic file with C-2's real times.
    const real = await importFile({
      file: file("real.csv", [
        "Ticket ID,Created,Subject,Status,Resolved at,Closed at",
        "C-2,2024-03-02,Payment trouble,closed,2024-03-08T16:30:00Z,2024-03-09T09:00:00Z",
      ]),
    });
    if (!real.ok) throw new Error(JSON.stringify(real));
    expect(real.data).toMatchObject({ preset: "generic", rowsUpdated: 1, rowsRejected: 0 });
    expect(await stored(org.orgId, "C-2")).toEqual({
      status: "closed",
      resolvedAt: new Date("2024-03-08T16:30:00Z"),
      closedAt: new Date("2024-03-09T09:00:00Z"),
      timesInferred: false,
      imported: true,
    });
  });

  it("completes every closed complaint of the CFPB sample by the rule, and no other", async () => {
    // Expected straight from the file: closed responses get the date sent to the company.
    const rows = parse(fs.readFileSync(SAMPLE, "utf8"), {
      columns: true,
      bom: true,
      skip_records_with_error: true,
    }) as Record<string, string>[];
    const expected = new Map(
      rows.map((r) => {
        const closed = r["Company response to consumer"]!.toLowerCase().startsWith("closed");
        const at = r["Date sent to company"] || r["Date received"]!;
        return [r["Complaint ID"]!, closed ? day(at).toISOString() : null];
      }),
    );
    actAs(sampleOrg.users.manager);
    const result = await importFile({ file: SAMPLE });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data.rowsCreated).toBe(rows.length);
    const all = await handle.db
      .select({
        ref: complaints.externalRef,
        resolvedAt: complaints.resolvedAt,
        closedAt: complaints.closedAt,
        timesInferred: complaints.timesInferred,
        imported: complaints.imported,
      })
      .from(complaints)
      .where(eq(complaints.orgId, sampleOrg.orgId));
    expect(all).toHaveLength(rows.length);
    const inferred = [...expected.values()].filter((v) => v !== null).length;
    expect(all.filter((c) => c.timesInferred)).toHaveLength(inferred);
    expect(inferred).toBeGreaterThan(1000);
    for (const c of all) {
      const at = expected.get(c.ref!);
      expect({ ref: c.ref, resolved: c.resolvedAt?.toISOString() ?? null }).toEqual({
        ref: c.ref,
        resolved: at,
      });
      expect(c.closedAt?.toISOString() ?? null).toBe(at);
      expect(c.timesInferred).toBe(at !== null);
      expect(c.imported).toBe(true);
    }
  });
});
