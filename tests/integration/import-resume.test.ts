/**
 * An import cut off part-way resumes when its file is sent to the same run again: the batches
 * already committed are skipped (their rows were counted and their rejections reported), the
 * rest are written, and the run ends exactly as an uninterrupted import of the same file —
 * counts, the rejection report line for line, the complaints with their versions, and one
 * "imported" event per complaint. The server-kill version of this is tests/resilience/run.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { queryRows } from "@/db/client";
import { auditEvents, importRejections, importRuns } from "@/db/schema";
import { suggestMapping } from "@/lib/import/fields";
import { OTHER_FILE, runImport } from "@/lib/import/run";
import { createImportRun } from "@/lib/import/setup";
import type { ImportMode } from "@/lib/import/types";
import { IMPORT_HEADER, importLines, writeImportFile } from "../resilience/import-file";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-resume-"));
/** Small batches, so a small file has several: three and part of a fourth, each with its troubles. */
const BATCH = 100;
const ROWS = BATCH * 3 + 40;
const SHAPE = { rows: ROWS, prefix: "RS", batch: BATCH };
const FILE = writeImportFile(path.join(dir, "resume.csv"), SHAPE);
const options = { batchRows: BATCH };

const CHUNK = 4 * 1024;

/** The file as an upload that drops after `bytes`. */
async function* cutAfter(file: string, bytes: number): AsyncIterable<Uint8Array> {
  const all = fs.readFileSync(file);
  for (let at = 0; at < bytes; at += CHUNK) yield all.subarray(at, Math.min(at + CHUNK, bytes));
  throw new Error("connection reset");
}

const whole = (file: string) => fs.createReadStream(file, { highWaterMark: CHUNK });

describe.each(engines)("an interrupted import resumes on $name", (engine) => {
  let handle: DatabaseHandle;
  let reference: TestOrg;
  let referenceRun: string;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    reference = await createTestOrg(handle.db, "Uninterrupted");
    referenceRun = await openRun(reference);
    const done = await runImport(referenceRun, whole(FILE), options);
    if (!done.ok) throw new Error(JSON.stringify(done));
  });
  afterAll(async () => {
    await handle.close();
  });

  async function openRun(org: TestOrg, mode: ImportMode = "skip"): Promise<string> {
    actAs(org.users.manager);
    const created = await createImportRun({
      kind: "complaints",
      mapping: suggestMapping("complaints", IMPORT_HEADER.split(",")),
      mode,
      fileName: "resume.csv",
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    return created.data.runId;
  }

  /** What a user would compare: the run's counts, its report, the complaints and their trail. */
  async function outcome(org: TestOrg, runId: string) {
    const [run] = await handle.db
      .select()
      .from(importRuns)
      .where(and(eq(importRuns.orgId, org.orgId), eq(importRuns.id, runId)));
    const report = await handle.db
      .select({
        position: importRejections.position,
        line: importRejections.lineNumber,
        field: importRejections.field,
        reason: importRejections.reason,
        value: importRejections.value,
      })
      .from(importRejections)
      .where(and(eq(importRejections.orgId, org.orgId), eq(importRejections.runId, runId)))
      .orderBy(asc(importRejections.position));
    const complaints = await queryRows<Record<string, unknown>>(
      handle.db,
      sql`select c.external_ref, c.summary, c.story, c.status, c.version, c.received_at::text as received,
          cu.external_ref as customer,
          (select count(*)::int from audit_events e where e.org_id = c.org_id and e.complaint_id = c.id
            and e.action = 'complaint.imported') as imported,
          (select count(*)::int from audit_events e where e.org_id = c.org_id and e.complaint_id = c.id
            and e.action = 'complaint.import-updated') as updated
        from complaints c join customers cu on cu.org_id = c.org_id and cu.id = c.customer_id
        where c.org_id = ${org.orgId} order by c.external_ref`,
    );
    return {
      status: run!.status,
      counts: {
        read: run!.rowsRead,
        created: run!.rowsCreated,
        updated: run!.rowsUpdated,
        unchanged: run!.rowsUnchanged,
        rejected: run!.rowsRejected,
      },
      report,
      complaints,
    };
  }

  async function events(org: TestOrg, runId: string, action: string): Promise<number> {
    const rows = await handle.db
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.orgId, org.orgId),
          eq(auditEvents.entityId, runId),
          eq(auditEvents.action, action),
        ),
      );
    return rows.length;
  }

  /** A run whose upload dropped after about 70 % of the file: its first batch committed. */
  async function cutRun(org: TestOrg): Promise<string> {
    const runId = await openRun(org);
    const size = fs.statSync(FILE).size;
    const cut = await runImport(runId, cutAfter(FILE, Math.floor(size * 0.7)), options);
    expect(cut.ok && cut.data.status).toBe("failed");
    expect(cut.ok && cut.data.message).toMatch(/could not be read to the end \(connection reset\)/);
    const partial = await outcome(org, runId);
    // Something committed, not everything: the resume has work on both sides of the cut.
    expect(partial.counts.created).toBeGreaterThan(0);
    expect(partial.complaints.length).toBeLessThan(
      (await outcome(reference, referenceRun)).complaints.length,
    );
    return runId;
  }

  it("the uninterrupted import it is compared with has rejections, updates and unchanged rows", async () => {
    const expected = await outcome(reference, referenceRun);
    expect(expected.status).toBe("completed");
    expect(expected.counts.read).toBe(importLines(SHAPE).length - 1);
    expect(expected.counts.rejected).toBeGreaterThan(4);
    expect(expected.counts.updated).toBeGreaterThan(0);
    expect(expected.counts.unchanged).toBeGreaterThan(0);
    expect(expected.report.length).toBe(expected.counts.rejected);
  });

  it("a run that failed when its upload dropped finishes from where it stopped, as if never cut", async () => {
    const org = await createTestOrg(handle.db, "Dropped upload");
    const runId = await cutRun(org);
    actAs(org.users.manager);
    const resumed = await runImport(runId, whole(FILE), options);
    expect(resumed.ok && resumed.data.status).toBe("completed");
    expect(await outcome(org, runId)).toEqual(await outcome(reference, referenceRun));
    expect(await events(org, runId, "import.resumed")).toBe(1);
  });

  it("a run left 'running' by a server that died resumes the same way", async () => {
    const org = await createTestOrg(handle.db, "Killed server");
    const runId = await cutRun(org);
    // What a SIGKILL leaves: no verdict on the run, only the batches that committed.
    await handle.db
      .update(importRuns)
      .set({ status: "running", message: null, finishedAt: null })
      .where(and(eq(importRuns.orgId, org.orgId), eq(importRuns.id, runId)));
    actAs(org.users.manager);
    const resumed = await runImport(runId, whole(FILE), options);
    expect(resumed.ok && resumed.data.status).toBe("completed");
    expect(await outcome(org, runId)).toEqual(await outcome(reference, referenceRun));
  });

  it("another file is not taken for the one the run started with; the right one then finishes it", async () => {
    const org = await createTestOrg(handle.db, "Other file");
    const runId = await cutRun(org);
    const before = await outcome(org, runId);
    // The same rows with one more at the top: every committed batch's rows have moved.
    const lines = importLines(SHAPE);
    const other = path.join(dir, "other.csv");
    fs.writeFileSync(
      other,
      [
        lines[0],
        "RS-new,2024-03-02,Email,New,New story,RSK-1,k1.rs@example.test",
        ...lines.slice(1),
      ].join("\n") + "\n",
    );
    actAs(org.users.manager);
    const refused = await runImport(runId, whole(other), options);
    expect(refused.ok && refused.data).toMatchObject({ status: "failed", message: OTHER_FILE });
    expect({ ...(await outcome(org, runId)), status: "failed" }).toEqual({
      ...before,
      status: "failed",
    });
    const resumed = await runImport(runId, whole(FILE), options);
    expect(resumed.ok && resumed.data.status).toBe("completed");
    expect(await outcome(org, runId)).toEqual(await outcome(reference, referenceRun));
  });

  it("a run still being read elsewhere is refused; once silent for ten minutes it is taken over", async () => {
    const org = await createTestOrg(handle.db, "Read elsewhere");
    const runId = await openRun(org);
    // Another server claimed it a moment ago (its heartbeat is newer than this process).
    await handle.db
      .update(importRuns)
      .set({ progressAt: sql`now()` })
      .where(and(eq(importRuns.orgId, org.orgId), eq(importRuns.id, runId)));
    actAs(org.users.manager);
    const busy = await runImport(runId, whole(FILE), options);
    expect(busy).toMatchObject({ ok: false, reason: "conflict" });
    expect(!busy.ok && busy.formError).toMatch(/still reading its file/);
    expect((await outcome(org, runId)).complaints).toEqual([]);
    await handle.db
      .update(importRuns)
      .set({ progressAt: sql`now() - interval '11 minutes'` })
      .where(and(eq(importRuns.orgId, org.orgId), eq(importRuns.id, runId)));
    const taken = await runImport(runId, whole(FILE), options);
    expect(taken.ok && taken.data.status).toBe("completed");
    expect(await outcome(org, runId)).toEqual(await outcome(reference, referenceRun));
  });

  it("two uploads to one run at once: one reads the file, the other is refused", async () => {
    const org = await createTestOrg(handle.db, "Twice at once");
    const runId = await openRun(org);
    actAs(org.users.manager);
    const both = await Promise.all([
      runImport(runId, whole(FILE), options),
      runImport(runId, whole(FILE), options),
    ]);
    const refused = both.filter((r) => !r.ok);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ ok: false, reason: "conflict" });
    expect(both.find((r) => r.ok)).toMatchObject({ ok: true, data: { status: "completed" } });
    expect(await outcome(org, runId)).toEqual(await outcome(reference, referenceRun));
  });

  it("a completed run does not read its file again", async () => {
    actAs(reference.users.manager);
    const again = await runImport(referenceRun, whole(FILE), options);
    expect(again).toMatchObject({ ok: false, reason: "conflict" });
    expect(!again.ok && again.formError).toMatch(/already read its file/);
  });

  it("stop mode: a run killed after its stopping batch committed stops again, with the same message, writing nothing", async () => {
    const org = await createTestOrg(handle.db, "Stopped");
    const runId = await openRun(org, "stop");
    actAs(org.users.manager);
    const first = await runImport(runId, whole(FILE), options);
    // Row 40 has a date that does not exist: the run stops in its first batch.
    expect(first.ok && first.data).toMatchObject({ status: "stopped", rowsRejected: 1 });
    const stopped = await outcome(org, runId);
    const message = first.ok ? first.data.message : null;
    await handle.db
      .update(importRuns)
      .set({ status: "running", message: null, finishedAt: null })
      .where(and(eq(importRuns.orgId, org.orgId), eq(importRuns.id, runId)));
    const again = await runImport(runId, whole(FILE), options);
    expect(again.ok && again.data).toMatchObject({ status: "stopped", message });
    expect(await outcome(org, runId)).toEqual(stopped);
  });
});
