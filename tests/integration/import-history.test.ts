import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { importRuns, users } from "@/db/schema";
import { previewImport, suggestMapping } from "@/lib/import";
import { importFile } from "@/lib/import/file";
import { getImportProgress, listImportRuns } from "@/lib/import/runs";
import { createImportRun } from "@/lib/import/setup";
import { csvFiles } from "../helpers/csv-files";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const file = csvFiles("import-history");

const COMPLAINTS = "Ticket ID,Created,Channel,Subject,Description,Customer email";
const ACTIVITIES = "Order ID,Customer ID,Email,Name,Type,Date,Amount,Currency,Rating";
const MINUTE = 60_000;

describe.each(engines)("the import history on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "History");
    other = await createTestOrg(handle.db, "Elsewhere");
  });
  afterAll(async () => {
    await handle.close();
  });

  async function nameOf(userId: string): Promise<string> {
    const [u] = await handle.db
      .select({ name: users.name })
      .from(users)
      .where(eq(users.id, userId));
    return u!.name;
  }

  async function openRun(fileName: string): Promise<string> {
    actAs(org.users.manager);
    const created = await createImportRun({
      kind: "complaints",
      mapping: suggestMapping("complaints", COMPLAINTS.split(",")),
      mode: "skip",
      fileName,
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    return created.data.runId;
  }

  /** Moves a run's clock back, as if it had started and last progressed that long ago. */
  async function backdate(runId: string, startedAt: Date, progressAt: Date | null) {
    await handle.db
      .update(importRuns)
      .set({ startedAt, progressAt })
      .where(and(eq(importRuns.orgId, org.orgId), eq(importRuns.id, runId)));
  }

  it("names who started each run, in the list and in the run's progress", async () => {
    const csv = file("two.csv", [
      COMPLAINTS,
      "H-1,2024-03-01,Email,Late,It came late.,h1@example.test",
      "H-2,2024-03-02,Phone,Broken,It came broken.,h2@example.test",
    ]);
    actAs(org.users.manager);
    const byManager = await importFile({ file: csv, mode: "skip" });
    actAs(org.users.admin);
    const byAdmin = await importFile({ file: csv, mode: "skip" });
    if (!byManager.ok || !byAdmin.ok) throw new Error("imports failed");
    const manager = await nameOf(org.users.manager.userId);
    const admin = await nameOf(org.users.admin.userId);
    expect(manager).not.toBe(admin);

    // The importer's own final report carries the name too.
    expect(byManager.data.startedByName).toBe(manager);
    expect((await getImportProgress(byManager.data.runId))?.startedByName).toBe(manager);
    expect((await getImportProgress(byAdmin.data.runId))?.startedByName).toBe(admin);
    const listed = new Map((await listImportRuns()).map((r) => [r.runId, r]));
    expect(listed.get(byManager.data.runId)?.startedByName).toBe(manager);
    expect(listed.get(byAdmin.data.runId)?.startedByName).toBe(admin);
    expect(listed.get(byAdmin.data.runId)?.status).toBe("completed");

    // Each batch leaves its heartbeat on the run.
    const [stored] = await handle.db
      .select({ startedAt: importRuns.startedAt, progressAt: importRuns.progressAt })
      .from(importRuns)
      .where(and(eq(importRuns.orgId, org.orgId), eq(importRuns.id, byAdmin.data.runId)));
    expect(stored!.progressAt).not.toBeNull();
    expect(stored!.progressAt!.getTime()).toBeGreaterThanOrEqual(stored!.startedAt.getTime());

    // A run nobody is recorded as starting lists without a name rather than failing.
    const [orphan] = await handle.db
      .insert(importRuns)
      .values({ orgId: org.orgId, kind: "complaints", fileName: "old.csv", mode: "skip" })
      .returning({ id: importRuns.id });
    expect((await getImportProgress(orphan!.id))?.startedByName).toBeNull();
    await handle.db
      .delete(importRuns)
      .where(and(eq(importRuns.orgId, org.orgId), eq(importRuns.id, orphan!.id)));
  });

  it("reports a running import with no progress for over ten minutes as interrupted", async () => {
    const now = Date.now();
    const fresh = await openRun("fresh.csv");
    const quietNine = await openRun("quiet-nine.csv");
    const cutOff = await openRun("cut-off.csv");
    const neverSent = await openRun("never-sent.csv");
    const longButAlive = await openRun("long.csv");
    // Last batch 9 minutes ago: slow, not cut off.
    await backdate(quietNine, new Date(now - 30 * MINUTE), new Date(now - 9 * MINUTE));
    // Last batch 11 minutes ago.
    const lastBatch = new Date(now - 11 * MINUTE);
    await backdate(cutOff, new Date(now - 40 * MINUTE), lastBatch);
    // Started 12 minutes ago and no batch ever landed.
    const startedAt = new Date(now - 12 * MINUTE);
    await backdate(neverSent, startedAt, null);
    // Started an hour ago but still landing batches.
    await backdate(longButAlive, new Date(now - 60 * MINUTE), new Date(now - 1 * MINUTE));

    const utc = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
    const advice =
      "the upload was cut off. Import the file again — rows already imported are recognised and not duplicated.";

    actAs(org.users.manager);
    const listed = new Map((await listImportRuns(200)).map((r) => [r.runId, r]));
    for (const id of [fresh, quietNine, longButAlive]) {
      expect(listed.get(id)?.status).toBe("running");
      expect((await getImportProgress(id))?.status).toBe("running");
      expect(listed.get(id)?.message).toBeNull();
    }
    const expected: [string, Date][] = [
      [cutOff, lastBatch],
      [neverSent, startedAt],
    ];
    for (const [id, since] of expected) {
      const message = `No progress since ${utc(since)}: ${advice}`;
      expect(listed.get(id)).toMatchObject({ status: "interrupted", message });
      expect(await getImportProgress(id)).toMatchObject({ status: "interrupted", message });
    }

    // The database keeps "running": interrupted is what the run looks like, not a stored state.
    const [stored] = await handle.db
      .select({ status: importRuns.status })
      .from(importRuns)
      .where(and(eq(importRuns.orgId, org.orgId), eq(importRuns.id, cutOff)));
    expect(stored!.status).toBe("running");

    // A finished run stays finished however old it is.
    const csv = file("one.csv", [COMPLAINTS, "H-9,2024-03-01,Email,Late,Late.,h9@example.test"]);
    const done = await importFile({ file: csv, mode: "skip" });
    if (!done.ok) throw new Error(JSON.stringify(done));
    await backdate(done.data.runId, new Date(now - 90 * MINUTE), new Date(now - 89 * MINUTE));
    expect((await getImportProgress(done.data.runId))?.status).toBe("completed");
  });

  it("shows another organisation's runs to no one, and no runs to roles without import", async () => {
    const ours = await openRun("ours.csv");
    actAs(other.users.manager);
    expect(await getImportProgress(ours)).toBeNull();
    expect((await listImportRuns()).map((r) => r.runId)).not.toContain(ours);
    actAs(org.users.agent);
    expect(await getImportProgress(ours)).toBeNull();
    expect(await listImportRuns()).toEqual([]);
  });

  it("previews a review or referral without an amount as no money, a purchase of 0 as $0.00", async () => {
    const lines = [
      ACTIVITIES,
      ",C-1,ana@example.test,Ana,review,2024-03-01,,,9",
      ",C-2,,Ben,referral,2024-03-02,,USD,",
      "O-3,C-3,,Cy,purchase,2024-03-03,0,USD,",
      "O-4,C-3,,Cy,purchase,2024-03-04,25.50,USD,",
      "O-5,C-4,,Di,review,2024-03-05,0.00,EUR,7",
    ];
    actAs(org.users.manager);
    const result = await previewImport({
      kind: "activities",
      mapping: suggestMapping("activities", ACTIVITIES.split(",")),
      sample: lines.join("\n") + "\n",
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    const rows = result.data.rows;
    expect(rows.map((r) => r.errors)).toEqual(rows.map(() => []));
    expect(rows.map((r) => [r.values.kind, r.values.amount])).toEqual([
      ["review", ""],
      ["referral", ""],
      ["purchase", "$0.00"],
      ["purchase", "$25.50"],
      // Written as 0.00: an amount was given, so it is shown.
      ["review", "€0.00"],
    ]);
  });
});
