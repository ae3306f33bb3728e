import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { previewImportAction, startImportAction } from "@/app/(app)/import/actions";
import { GET as getProgress } from "@/app/(app)/import/runs/[runId]/progress/route";
import { GET as getReport } from "@/app/(app)/import/runs/[runId]/report/route";
import { POST as upload } from "@/app/(app)/import/upload/[runId]/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import {
  auditEvents,
  complaints,
  customers,
  importMappings,
  importRejections,
  importRuns,
  type Role,
} from "@/db/schema";
import type { ImportMapping, ImportProgress } from "@/lib/import/types";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const refusedRoles: Role[] = ["agent", "quality", "executive"];

const header = "Ticket ID,Created,Subject,Description,Channel,Priority,Customer email";
const csvFor = (tag: string) =>
  [
    header,
    `T-${tag}-1,2026-10-05,Boiler service missed,"Nobody came.\nI waited all day.",phone,major,a-${tag}@example.test`,
    `T-${tag}-2,2026-10-06,Charged twice,Billed twice in October.,email,moderate,b-${tag}@example.test`,
    `T-${tag}-3,2026-13-45,Impossible date,This row's date cannot exist.,web,minor,c-${tag}@example.test`,
    `T-${tag}-4,2026-10-08,Parcel soaked,Left in the rain.,chat,minor,d-${tag}@example.test`,
    "",
  ].join("\n");

const mapping = (): ImportMapping => ({
  preset: "generic",
  columns: {
    externalRef: "Ticket ID",
    receivedAt: "Created",
    summary: "Subject",
    story: "Description",
    channel: "Channel",
    severity: "Priority",
    customerEmail: "Customer email",
  },
  options: { defaultSeverity: "moderate" },
});

const ctx = (runId: string) => ({ params: Promise.resolve({ runId }) });
const url = (path: string) => `http://localhost${path}`;

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      // In small pieces, as a browser sends a file.
      for (let i = 0; i < bytes.length; i += 37) controller.enqueue(bytes.slice(i, i + 37));
      controller.close();
    },
  });
}

function uploadRequest(runId: string, body: string | null) {
  return new Request(url(`/import/upload/${runId}`), {
    method: "POST",
    headers: { "content-type": "text/csv" },
    ...(body === null ? {} : { body: streamOf(body), duplex: "half" }),
  } as RequestInit);
}

describe.each(engines)("import page actions and routes on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Acme");
    other = await createTestOrg(handle.db, "Other");
  });
  afterAll(async () => {
    await handle.close();
  });

  /** Everything an import could write for an organisation. */
  async function snapshot(orgId = org.orgId) {
    const n = async (table: typeof complaints | typeof customers | typeof auditEvents) =>
      (await handle.db.select({ n: count() }).from(table).where(eq(table.orgId, orgId)))[0]!.n;
    const runs = await handle.db
      .select({ n: count() })
      .from(importRuns)
      .where(eq(importRuns.orgId, orgId));
    const rejections = await handle.db
      .select({ n: count() })
      .from(importRejections)
      .where(eq(importRejections.orgId, orgId));
    const mappings = await handle.db
      .select({ preset: importMappings.preset, mapping: importMappings.mapping })
      .from(importMappings)
      .where(eq(importMappings.orgId, orgId));
    return {
      complaints: await n(complaints),
      customers: await n(customers),
      audit: await n(auditEvents),
      runs: runs[0]!.n,
      rejections: rejections[0]!.n,
      mappings,
    };
  }

  async function startRun(fileName = "tickets.csv") {
    const result = await startImportAction({
      kind: "complaints",
      mapping: mapping(),
      mode: "skip",
      fileName,
    });
    expect(result).toMatchObject({ ok: true });
    return result.ok ? result.data.runId : "";
  }

  it("previews, starts, streams the upload, reports progress and the rejected row (manager)", async () => {
    actAs(org.users.manager);
    const tag = crypto.randomUUID().slice(0, 8);
    const csv = csvFor(tag);
    const before = await snapshot();

    const preview = await previewImportAction({
      kind: "complaints",
      mapping: mapping(),
      sample: csv,
    });
    expect(preview).toMatchObject({ ok: true });
    if (!preview.ok) return;
    expect(preview.data.fileErrors).toEqual([]);
    expect(preview.data.rows.map((r) => r.errors.length > 0)).toEqual([false, false, true, false]);
    // A preview writes nothing.
    expect(await snapshot()).toEqual(before);

    const runId = await startRun(`tickets-${tag}.csv`);
    const response = await upload(uploadRequest(runId, csv), ctx(runId));
    expect(response.status).toBe(200);
    const finished = (await response.json()) as ImportProgress;
    expect(finished).toMatchObject({
      runId,
      status: "completed",
      rowsCreated: 3,
      rowsUpdated: 0,
      rowsUnchanged: 0,
      rowsRejected: 1,
    });
    const after = await snapshot();
    expect(after.complaints - before.complaints).toBe(3);
    expect(after.mappings).toHaveLength(1);
    expect(after.mappings[0]!.mapping).toMatchObject({ columns: mapping().columns });

    const progress = await getProgress(
      new Request(url(`/import/runs/${runId}/progress`)),
      ctx(runId),
    );
    expect(progress.status).toBe(200);
    expect(await progress.json()).toMatchObject({ status: "completed", rowsCreated: 3 });

    const report = await getReport(new Request(url(`/import/runs/${runId}/report`)), ctx(runId));
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await report.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe("line,field,reason,value");
    expect(lines).toHaveLength(2);
    // The impossible date is on the file's fifth line (the first record spans two).
    expect(lines[1]).toMatch(/^5,/);
    expect(lines[1]).toContain("2026-13-45");

    // The same file again creates nothing.
    const again = await startRun(`tickets-${tag}.csv`);
    const second = await upload(uploadRequest(again, csv), ctx(again));
    expect(await second.json()).toMatchObject({
      rowsCreated: 0,
      rowsUnchanged: 3,
      rowsRejected: 1,
    });
    expect((await snapshot()).complaints).toBe(after.complaints);
  });

  describe.each(refusedRoles)("as %s", (role) => {
    it("every action and route refuses, and nothing changes", async () => {
      actAs(org.users.manager);
      const runId = await startRun();
      actAs(org.users[role]);
      const before = await snapshot();
      expect(
        await previewImportAction({ kind: "complaints", mapping: mapping(), sample: header }),
      ).toMatchObject({ ok: false, reason: "forbidden" });
      expect(
        await startImportAction({
          kind: "complaints",
          mapping: mapping(),
          mode: "skip",
          fileName: "x.csv",
        }),
      ).toMatchObject({ ok: false, reason: "forbidden" });
      const posted = await upload(uploadRequest(runId, csvFor("refused")), ctx(runId));
      expect(posted.status).toBe(403);
      expect(await posted.json()).toMatchObject({ error: { status: 403 } });
      expect((await getProgress(new Request(url("/")), ctx(runId))).status).toBe(403);
      expect((await getReport(new Request(url("/")), ctx(runId))).status).toBe(403);
      expect(await snapshot()).toEqual(before);
    });
  });

  it("refuses a visitor who is not signed in with 401, and nothing changes", async () => {
    actAs(org.users.manager);
    const runId = await startRun();
    actAs(null);
    const before = await snapshot();
    expect(
      await previewImportAction({ kind: "complaints", mapping: mapping(), sample: header }),
    ).toMatchObject({ ok: false, reason: "unauthenticated" });
    expect(
      await startImportAction({
        kind: "complaints",
        mapping: mapping(),
        mode: "skip",
        fileName: "x.csv",
      }),
    ).toMatchObject({ ok: false, reason: "unauthenticated" });
    expect((await upload(uploadRequest(runId, csvFor("anon")), ctx(runId))).status).toBe(401);
    expect((await getProgress(new Request(url("/")), ctx(runId))).status).toBe(401);
    expect((await getReport(new Request(url("/")), ctx(runId))).status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("treats another organisation's run as unknown: 404, and it is not run", async () => {
    actAs(other.users.manager);
    const theirs = await startRun();
    actAs(org.users.admin);
    const before = await snapshot(other.orgId);
    const posted = await upload(uploadRequest(theirs, csvFor("cross")), ctx(theirs));
    expect(posted.status).toBe(404);
    expect((await getProgress(new Request(url("/")), ctx(theirs))).status).toBe(404);
    expect((await getReport(new Request(url("/")), ctx(theirs))).status).toBe(404);
    expect(await snapshot(other.orgId)).toEqual(before);
  });

  it("answers 404 for a run id that is not a uuid or does not exist, 400 for no body", async () => {
    actAs(org.users.manager);
    for (const id of ["not-a-run", crypto.randomUUID()]) {
      expect((await getProgress(new Request(url("/")), ctx(id))).status).toBe(404);
      expect((await getReport(new Request(url("/")), ctx(id))).status).toBe(404);
      expect((await upload(uploadRequest(id, "a,b\n"), ctx(id))).status).toBe(404);
    }
    const runId = await startRun();
    const before = await snapshot();
    const empty = await upload(uploadRequest(runId, null), ctx(runId));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({
      error: { status: 400, message: expect.any(String) },
    });
    expect(await snapshot()).toEqual(before);
  });

  describe("bad input is refused field by field, and nothing changes", () => {
    const start = () => ({
      kind: "complaints",
      mapping: mapping(),
      mode: "skip",
      fileName: "tickets.csv",
      totalBytes: 1234,
    });
    const badStarts: [string, Record<string, unknown>][] = [
      ["kind", { kind: "invoices" }],
      ["mapping.preset", { mapping: { ...mapping(), preset: "zendesk" } }],
      ["mapping.columns.externalRef", { mapping: { ...mapping(), columns: { externalRef: 42 } } }],
      [
        "mapping.options.companyTeamId",
        { mapping: { ...mapping(), options: { companyTo: "team", companyTeamId: "team-a" } } },
      ],
      [
        "mapping.options.defaultSeverity",
        { mapping: { ...mapping(), options: { defaultSeverity: "apocalyptic" } } },
      ],
      [
        "mapping.options.defaultCurrency",
        { mapping: { ...mapping(), options: { defaultCurrency: "XYZ" } } },
      ],
      ["mode", { mode: "yolo" }],
      ["fileName", { fileName: "  " }],
      ["fileName", { fileName: `${"x".repeat(300)}.csv` }],
      ["totalBytes", { totalBytes: -1 }],
      ["totalBytes", { totalBytes: 1.5 }],
    ];
    it.each(badStarts)("startImportAction: %s", async (field, change) => {
      actAs(org.users.manager);
      const before = await snapshot();
      const result = await startImportAction({ ...start(), ...change } as never);
      expect(result).toMatchObject({ ok: false, reason: "invalid" });
      expect(Object.keys((!result.ok && result.fieldErrors) || {})).toContain(field);
      expect(await snapshot()).toEqual(before);
    });

    const badPreviews: [string, Record<string, unknown>][] = [
      ["kind", { kind: "" }],
      ["mapping", { mapping: null }],
      ["mapping.preset", { mapping: { ...mapping(), preset: 1 } }],
      ["sample", { sample: "x".repeat(64 * 1024 + 1) }],
      ["sample", { sample: 12 }],
    ];
    it.each(badPreviews)("previewImportAction: %s", async (field, change) => {
      actAs(org.users.manager);
      const before = await snapshot();
      const result = await previewImportAction({
        kind: "complaints",
        mapping: mapping(),
        sample: header,
        ...change,
      } as never);
      expect(result).toMatchObject({ ok: false, reason: "invalid" });
      expect(Object.keys((!result.ok && result.fieldErrors) || {})).toContain(field);
      expect(await snapshot()).toEqual(before);
    });
  });
});
