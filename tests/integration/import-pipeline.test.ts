/**
 * A file of several batches: on PostgreSQL two batches are written at once (lib/import/run.ts).
 * Whatever the order batches finish in, a row that repeats an earlier one updates it, customers
 * named in many batches exist once, and the run's counters add up.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { and, count, countDistinct, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, complaints, customers } from "@/db/schema";
import { importFile } from "@/lib/import/file";
import { BATCH_ROWS } from "@/lib/import/run";
import { rejectionsCsv } from "@/lib/import/runs";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const ROWS = BATCH_ROWS * 3 + 700;
const CUSTOMERS = 50;
/** Rows whose reference comes back a batch later (often written at the same time) changed. */
const REPEATED = [7, Math.floor(BATCH_ROWS * 1.7), BATCH_ROWS * 2 + 100];
/** Rows with a date that does not exist, one in each of three batches. */
const BAD = [12, BATCH_ROWS + 40, BATCH_ROWS * 2 + 400];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-pipeline-"));

function bigFile(): { file: string; lines: number } {
  const lines = ["Ticket ID,Created,Channel,Subject,Description,Customer ID,Customer email"];
  const row = (i: number, subject: string) =>
    `P-${i},${BAD.includes(i) ? "2024-02-30" : "2024-03-01"},Email,${subject},"Story ${i},\nsecond line",` +
    `K-${i % CUSTOMERS},k${i % CUSTOMERS}@example.test`;
  for (let i = 1; i <= ROWS; i++) {
    lines.push(row(i, `Subject ${i}`));
    const back = REPEATED.find((r) => r + BATCH_ROWS === i);
    if (back) lines.push(row(back, `Changed ${back}`));
  }
  const file = path.join(dir, "pipeline.csv");
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return { file, lines: lines.length };
}

describe.each(engines)("an import of several batches on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Pipeline");
  });
  afterAll(async () => {
    await handle.close();
  });

  it("updates repeated rows, creates each customer once and counts every row", async () => {
    const { file } = bigFile();
    actAs(org.users.manager);
    const result = await importFile({ file });
    if (!result.ok) throw new Error(JSON.stringify(result));
    const good = ROWS - BAD.length;
    expect(result.data).toMatchObject({
      status: "completed",
      rowsRead: ROWS + REPEATED.length,
      rowsCreated: good,
      rowsUpdated: REPEATED.length,
      rowsUnchanged: 0,
      rowsRejected: BAD.length,
    });

    const mine = eq(complaints.orgId, org.orgId);
    const [stored] = await handle.db.select({ n: count() }).from(complaints).where(mine);
    expect(stored!.n).toBe(good);
    const changed = await handle.db
      .select({ ref: complaints.externalRef, summary: complaints.summary, v: complaints.version })
      .from(complaints)
      .where(and(mine, eq(complaints.summary, `Changed ${REPEATED[1]}`)));
    expect(changed).toEqual([{ ref: `P-${REPEATED[1]}`, summary: `Changed ${REPEATED[1]}`, v: 2 }]);
    const [people] = await handle.db
      .select({ n: count(), refs: countDistinct(customers.externalRef) })
      .from(customers)
      .where(eq(customers.orgId, org.orgId));
    expect(people).toEqual({ n: CUSTOMERS, refs: CUSTOMERS });

    const events = await handle.db
      .select({ action: auditEvents.action, n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entity, "complaint")))
      .groupBy(auditEvents.action)
      .orderBy(auditEvents.action);
    expect(events).toEqual([
      { action: "complaint.import-updated", n: REPEATED.length },
      { action: "complaint.imported", n: good },
    ]);

    // The report lists the bad rows in file order with the lines they start on (two lines a row).
    const report = parse(await new Response((await rejectionsCsv(result.data.runId))!).text(), {
      columns: true,
    }) as { line: string; field: string }[];
    const lineOf = (i: number) =>
      1 + 2 * (i - 1) + 1 + 2 * REPEATED.filter((r) => r + BATCH_ROWS < i).length;
    expect(report.map((r) => Number(r.line))).toEqual(BAD.map(lineOf));
    expect(new Set(report.map((r) => r.field))).toEqual(new Set(["Created"]));
  });

  it("rejects cells with NUL or U+001F, and imports a lone row with an empty story as empty", async () => {
    const file = path.join(dir, "control.csv");
    fs.writeFileSync(
      file,
      [
        "Ticket ID,Created,Channel,Subject,Description,Customer ID",
        "Q-1,2024-03-01,Email,Parcel late,Bad\u0000byte,K-1",
        "Q-2,2024-03-01,Email,Parcel\u001flate,Fine,K-1",
      ].join("\n") + "\n",
    );
    actAs(org.users.manager);
    const bad = await importFile({ file });
    if (!bad.ok) throw new Error(JSON.stringify(bad));
    expect(bad.data).toMatchObject({ rowsCreated: 0, rowsRejected: 2 });
    const report = parse(await new Response((await rejectionsCsv(bad.data.runId))!).text(), {
      columns: true,
    }) as { line: string; field: string; reason: string; value: string }[];
    expect(report.map((r) => [r.line, r.field, r.reason, r.value])).toEqual([
      ["2", "Description", "Contains a NUL character; this is not a text file.", "Bad\u2400byte"],
      [
        "3",
        "Subject",
        "Contains the control character U+001F; remove it and import again.",
        "Parcel\u001flate",
      ],
    ]);

    fs.writeFileSync(
      file,
      "Ticket ID,Created,Channel,Subject,Description,Customer ID\nQ-3,2024-03-01,,Parcel late,,K-1\n",
    );
    const lone = await importFile({ file });
    if (!lone.ok) throw new Error(JSON.stringify(lone));
    expect(lone.data).toMatchObject({ rowsCreated: 1, rowsRejected: 0 });
    const [stored] = await handle.db
      .select({
        story: complaints.story,
        summary: complaints.summary,
        channel: complaints.channel,
        resolvedAt: complaints.resolvedAt,
        timely: complaints.timelyResponse,
        productId: complaints.productId,
      })
      .from(complaints)
      .where(and(eq(complaints.orgId, org.orgId), eq(complaints.externalRef, "Q-3")));
    expect(stored).toEqual({
      story: "",
      summary: "Parcel late",
      channel: "web",
      resolvedAt: null,
      timely: null,
      productId: null,
    });
  });
});
