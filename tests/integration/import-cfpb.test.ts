import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { and, count, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, complaints, customers, products, remedies } from "@/db/schema";
import { countComplaints, filtersFrom, listComplaints } from "@/lib/complaints/list";
import { importFile } from "@/lib/import/file";
import { listImportRuns, rejectionsCsv } from "@/lib/import/runs";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

// The shared folder sits beside the repository, here and in CI's clone.
// A copy of ../shared/data/cfpb-complaints-sample.csv (public domain), so the suite needs nothing beside the repo.
const SAMPLE = path.resolve(__dirname, "../fixtures/import/cfpb-complaints-sample.csv");

/** Figures computed straight from the CSV, without the importer. */
function fromCsv() {
  const text = fs.readFileSync(SAMPLE, "utf8");
  // csv-parse skips the cut-off last record (its quote never closes).
  const rows = parse(text, {
    columns: true,
    bom: true,
    skip_records_with_error: true,
  }) as Record<string, string>[];
  const byProduct = new Map<string, number>();
  for (const r of rows) byProduct.set(r.Product!, (byProduct.get(r.Product!) ?? 0) + 1);
  const lastLine = text.split("\n").length;
  return {
    rows,
    byProduct,
    timely: rows.filter((r) => r["Timely response?"] === "Yes").length,
    untimely: rows.filter((r) => r["Timely response?"] === "No").length,
    monetary: rows.filter(
      (r) => r["Company response to consumer"] === "Closed with monetary relief",
    ).length,
    lastLine,
    lastLineText: text.slice(text.lastIndexOf("\n") + 1),
  };
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe.each(engines)("importing the CFPB export on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  const expected = fromCsv();

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "CFPB");
  });
  afterAll(async () => {
    await handle.close();
  });

  const n = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;

  it("imports 2,067 complaints and reports the cut-off last line, never half-imported", async () => {
    expect(expected.rows).toHaveLength(2067);
    // The last physical line opens a quote that never closes.
    expect(expected.lastLineText.split('"').length % 2).toBe(0);
    actAs(org.users.manager);
    const result = await importFile({ file: SAMPLE });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({
      status: "completed",
      preset: "cfpb",
      rowsRead: 2068,
      rowsCreated: 2067,
      rowsUpdated: 0,
      rowsUnchanged: 0,
      rowsRejected: 1,
    });
    const report = parse(await text((await rejectionsCsv(result.data.runId))!), {
      columns: true,
    }) as Record<string, string>[];
    expect(report).toHaveLength(1);
    expect(Number(report[0]!.line)).toBe(expected.lastLine);
    expect(report[0]!.reason).toMatch(/cut off|quote/);
    // The broken record's Complaint ID never reaches the database.
    const ids = new Set(expected.rows.map((r) => r["Complaint ID"]));
    const stored = await handle.db
      .select({ ref: complaints.externalRef })
      .from(complaints)
      .where(eq(complaints.orgId, org.orgId));
    expect(stored).toHaveLength(2067);
    expect(stored.every((s) => ids.has(s.ref!))).toBe(true);
    // "See imported complaints" lists exactly what this run created.
    expect(await countComplaints(filtersFrom({ importRun: result.data.runId }))).toBe(2067);
    // One anonymous customer per complaint, so retention is not faked.
    expect(
      await n(
        handle.db.select({ n: count() }).from(customers).where(eq(customers.orgId, org.orgId)),
      ),
    ).toBe(2067);
  });

  it("reads back the same counts by product, timely share and monetary relief as the CSV", async () => {
    actAs(org.users.manager);
    const tops = await handle.db
      .select({ id: products.id, name: products.name })
      .from(products)
      .where(and(eq(products.orgId, org.orgId), isNull(products.parentId)));
    expect(new Set(tops.map((p) => p.name))).toEqual(new Set(expected.byProduct.keys()));
    for (const p of tops) {
      expect(await countComplaints(filtersFrom({ product: p.id }))).toBe(
        expected.byProduct.get(p.name),
      );
    }
    expect(await countComplaints(filtersFrom({}))).toBe(2067);
    // The share of timely responses, read back from the list's own filter.
    const timelyYes = await countComplaints(filtersFrom({ timely: "yes" }));
    const timelyNo = await countComplaints(filtersFrom({ timely: "no" }));
    expect(timelyYes).toBe(expected.timely);
    expect(timelyNo).toBe(expected.untimely);
    expect(timelyYes / (timelyYes + timelyNo)).toBeCloseTo(
      expected.timely / (expected.timely + expected.untimely),
      10,
    );
    // "Closed with monetary relief" is a delivered refund of unknown cost: the remedy-kind set.
    expect(await countComplaints(filtersFrom({ set: "remedy-kind", arg: "refund" }))).toBe(
      expected.monetary,
    );
    const [unknownCost] = await handle.db
      .select({ n: count() })
      .from(remedies)
      .where(
        and(eq(remedies.orgId, org.orgId), eq(remedies.kind, "refund"), isNull(remedies.costMinor)),
      );
    expect(unknownCost!.n).toBe(expected.monetary);
    const inProgress = expected.rows.filter(
      (r) => r["Company response to consumer"] === "In progress",
    ).length;
    expect(await countComplaints(filtersFrom({ status: "in_progress" }))).toBe(inProgress);
  });

  it("creates nothing when the same file is imported again", async () => {
    actAs(org.users.admin);
    const audit = await n(
      handle.db
        .select({ n: count() })
        .from(auditEvents)
        .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entity, "complaint"))),
    );
    const result = await importFile({ file: SAMPLE });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({
      rowsCreated: 0,
      rowsUpdated: 0,
      rowsUnchanged: 2067,
      rowsRejected: 1,
    });
    expect(
      await n(
        handle.db.select({ n: count() }).from(complaints).where(eq(complaints.orgId, org.orgId)),
      ),
    ).toBe(2067);
    expect(
      await n(handle.db.select({ n: count() }).from(remedies).where(eq(remedies.orgId, org.orgId))),
    ).toBe(
      expected.rows.filter((r) =>
        ["Closed with monetary relief", "Closed with non-monetary relief"].includes(
          r["Company response to consumer"]!,
        ),
      ).length,
    );
    expect(
      await n(
        handle.db
          .select({ n: count() })
          .from(auditEvents)
          .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entity, "complaint"))),
      ),
    ).toBe(audit);
    const runs = await listImportRuns();
    expect(runs[0]!.runId).toBe(result.data.runId);
    // A run that changed nothing lists nothing.
    expect(await countComplaints(filtersFrom({ importRun: result.data.runId }))).toBe(0);
  });

  it("updates a changed row, bumps its version and leaves an audit event", async () => {
    actAs(org.users.manager);
    const first = expected.rows.find(
      (r) => r["Company response to consumer"] === "Closed with explanation",
    );
    const second = expected.rows.find((r) => r !== first);
    const changed = { ...first!, "Company response to consumer": "Closed with monetary relief" };
    const file = path.join(os.tmpdir(), `cfpb-changed-${crypto.randomUUID()}.csv`);
    fs.writeFileSync(file, stringify([changed, second!], { header: true }));
    const result = await importFile({ file });
    fs.rmSync(file);
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({
      rowsCreated: 0,
      rowsUpdated: 1,
      rowsUnchanged: 1,
      rowsRejected: 0,
    });
    const [row] = await handle.db
      .select({ id: complaints.id, status: complaints.status, version: complaints.version })
      .from(complaints)
      .where(
        and(eq(complaints.orgId, org.orgId), eq(complaints.externalRef, first!["Complaint ID"]!)),
      );
    expect(row).toMatchObject({ status: "closed", version: 2 });
    const listed = await listComplaints(filtersFrom({ importRun: result.data.runId }));
    expect(listed.rows.map((r) => r.id)).toEqual([row!.id]);
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.orgId, org.orgId),
          eq(auditEvents.complaintId, row!.id),
          eq(auditEvents.action, "complaint.import-updated"),
        ),
      );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorKind: "import", actorId: org.users.manager.userId });
    const refund = await handle.db
      .select({ kind: remedies.kind, cost: remedies.costMinor, delivered: remedies.deliveredAt })
      .from(remedies)
      .where(and(eq(remedies.orgId, org.orgId), eq(remedies.complaintId, row!.id)));
    expect(refund).toEqual([expect.objectContaining({ kind: "refund", cost: null })]);
    expect(refund[0]!.delivered).not.toBeNull();
  });
});
