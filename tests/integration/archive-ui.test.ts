/**
 * The organisation archive in the UI (issue #11): the /exports/archive download, the /import
 * wizard's startArchiveImportAction and the upload route that runs it, what the pages are told
 * to offer, and the public JSON Schema — on both engines, with the real permissions, validation,
 * SQL and audit below the session stand-in.
 */
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startArchiveImportAction } from "@/app/(app)/import/actions";
import { GET as getProgress } from "@/app/(app)/import/runs/[runId]/progress/route";
import { POST as upload } from "@/app/(app)/import/upload/[runId]/route";
import { GET as downloadArchive } from "@/app/(app)/exports/archive/route";
import { GET as getSchema } from "@/app/api/v1/archive-schema/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, importRuns, teams, type Role } from "@/db/schema";
import { mayImportArchive } from "@/lib/archive/access";
import { archiveRecord } from "@/lib/archive/format";
import { exportChoices } from "@/lib/exports/choices";
import type { ImportProgress } from "@/lib/import/types";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const refusedRoles: Role[] = ["manager", "agent", "quality", "executive"];

const ctx = (runId: string) => ({ params: Promise.resolve({ runId }) });
const url = (path: string) => `http://localhost${path}`;

function uploadRequest(runId: string, body: string) {
  const bytes = new TextEncoder().encode(body);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // In pieces that cut lines in two, as a browser sends a file.
      for (let i = 0; i < bytes.length; i += 97) controller.enqueue(bytes.slice(i, i + 97));
      controller.close();
    },
  });
  return new Request(url(`/import/upload/${runId}`), {
    method: "POST",
    headers: { "content-type": "application/x-ndjson" },
    body: stream,
    duplex: "half",
  } as RequestInit);
}

/** Every `type` a schema's anyOf/oneOf branches name, however deeply nested. */
function typesIn(schema: unknown): string[] {
  if (!schema || typeof schema !== "object") return [];
  const node = schema as Record<string, unknown>;
  const own = (node.properties as { type?: { const?: unknown } } | undefined)?.type?.const;
  const branches = [...((node.anyOf as unknown[]) ?? []), ...((node.oneOf as unknown[]) ?? [])];
  return [...(typeof own === "string" ? [own] : []), ...branches.flatMap(typesIn)];
}

describe.each(engines)("the organisation archive in the UI on $name", (engine) => {
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

  async function runs(orgId = org.orgId) {
    const [row] = await handle.db
      .select({ n: count() })
      .from(importRuns)
      .where(eq(importRuns.orgId, orgId));
    return row!.n;
  }

  async function audits(action: string, orgId = org.orgId) {
    const [row] = await handle.db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, action)));
    return row!.n;
  }

  describe("GET /exports/archive", () => {
    it("streams the organisation as NDJSON to an admin, header first, and records it", async () => {
      actAs(org.users.admin);
      const before = await audits("archive.exported");
      const response = await downloadArchive();
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
      const today = new Date().toISOString().slice(0, 10);
      expect(response.headers.get("content-disposition")).toBe(
        `attachment; filename="turnaround-archive-${today}.jsonl"`,
      );
      expect(response.headers.get("cache-control")).toBe("no-store");
      const text = await response.text();
      expect(text.endsWith("\n")).toBe(true);
      const lines = text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines[0]).toMatchObject({ type: "archive", format: "turnaround-archive", version: 1 });
      // Its own organisation's people, nobody else's.
      const emails = lines.filter((l) => l.type === "user").map((l) => l.email);
      expect(emails.sort()).toEqual(
        Object.values(org.users)
          .map((u) => u.email)
          .sort(),
      );
      expect(lines.filter((l) => l.type === "team").map((l) => l.name)).toEqual(["Front line"]);
      expect(await audits("archive.exported")).toBe(before + 1);
    });

    it.each(refusedRoles)("answers 403 in plain text to %s, and records nothing", async (role) => {
      actAs(org.users[role]);
      const before = await audits("archive.exported");
      const response = await downloadArchive();
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(response.headers.get("content-disposition")).toBeNull();
      expect(await response.text()).toBe("Your role does not allow this.\n");
      expect(await audits("archive.exported")).toBe(before);
    });

    it("answers 401 in plain text to a visitor who is not signed in", async () => {
      actAs(null);
      const response = await downloadArchive();
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await response.text()).toBe("Sign in to continue.\n");
    });
  });

  describe("what the pages offer (decided in lib)", () => {
    it("offers the archive export and import to admins only", async () => {
      for (const role of ["admin", ...refusedRoles] as Role[]) {
        actAs(org.users[role]);
        const { archive } = await exportChoices();
        expect({ role, allowed: archive.allowed }).toEqual({ role, allowed: role === "admin" });
        expect(archive.who).toBe("Admins");
        expect({ role, may: await mayImportArchive() }).toEqual({ role, may: role === "admin" });
      }
      actAs(null);
      expect(await mayImportArchive()).toBe(false);
    });
  });

  describe("startArchiveImportAction", () => {
    it("opens an archive run the upload route imports, with progress (admin into another org)", async () => {
      actAs(org.users.admin);
      const archive = await (await downloadArchive()).text();

      actAs(other.users.admin);
      const before = await runs(other.orgId);
      const started = await startArchiveImportAction({
        mode: "skip",
        fileName: "acme.jsonl",
        totalBytes: new TextEncoder().encode(archive).length,
      });
      expect(started).toMatchObject({ ok: true, data: { runId: expect.any(String) } });
      if (!started.ok) return;
      const { runId } = started.data;
      expect(await runs(other.orgId)).toBe(before + 1);
      const [run] = await handle.db
        .select({ kind: importRuns.kind, mode: importRuns.mode, fileName: importRuns.fileName })
        .from(importRuns)
        .where(and(eq(importRuns.orgId, other.orgId), eq(importRuns.id, runId)));
      expect(run).toEqual({ kind: "archive", mode: "skip", fileName: "acme.jsonl" });

      const posted = await upload(uploadRequest(runId, archive), ctx(runId));
      expect(posted.status).toBe(200);
      const finished = (await posted.json()) as ImportProgress;
      expect(finished).toMatchObject({ runId, kind: "archive", status: "completed" });
      expect(finished.rowsRejected).toBe(0);
      expect(finished.rowsCreated).toBeGreaterThan(0);
      // The team the archive named is in the other organisation now (it had its own already).
      const names = await handle.db
        .select({ name: teams.name })
        .from(teams)
        .where(eq(teams.orgId, other.orgId));
      expect(names.map((t) => t.name)).toContain("Front line");

      const progress = await getProgress(
        new Request(url(`/import/runs/${runId}/progress`)),
        ctx(runId),
      );
      expect(progress.status).toBe(200);
      expect(await progress.json()).toMatchObject({ kind: "archive", status: "completed" });
    });

    it.each(refusedRoles)("refuses %s, and no run is created", async (role) => {
      actAs(org.users[role]);
      const before = await runs();
      expect(
        await startArchiveImportAction({ mode: "skip", fileName: "org.jsonl", totalBytes: 10 }),
      ).toMatchObject({ ok: false, reason: "forbidden", formError: expect.any(String) });
      expect(await runs()).toBe(before);
    });

    it("refuses a visitor who is not signed in, and no run is created", async () => {
      actAs(null);
      const before = await runs();
      expect(
        await startArchiveImportAction({ mode: "skip", fileName: "org.jsonl", totalBytes: 10 }),
      ).toMatchObject({ ok: false, reason: "unauthenticated" });
      expect(await runs()).toBe(before);
    });

    const good = { mode: "skip", fileName: "org.jsonl", totalBytes: 2048 };
    const bad: [string, Record<string, unknown>][] = [
      ["mode", { mode: "maybe" }],
      ["mode", { mode: undefined }],
      ["fileName", { fileName: "" }],
      ["fileName", { fileName: "   " }],
      ["fileName", { fileName: `${"x".repeat(261)}.jsonl` }],
      ["fileName", { fileName: 42 }],
      ["totalBytes", { totalBytes: -1 }],
      ["totalBytes", { totalBytes: 1.5 }],
      ["totalBytes", { totalBytes: "2048" }],
    ];
    it.each(bad)(
      "refuses a bad %s on its field (%j), and no run is created",
      async (field, change) => {
        actAs(org.users.admin);
        const before = await runs();
        const result = await startArchiveImportAction({
          ...good,
          ...change,
        } as Parameters<typeof startArchiveImportAction>[0]);
        expect(result).toMatchObject({ ok: false, reason: "invalid" });
        if (result.ok) return;
        expect(Object.keys(result.fieldErrors ?? {})).toEqual([field]);
        expect(result.fieldErrors![field]![0]).toEqual(expect.any(String));
        expect(await runs()).toBe(before);
      },
    );
  });
});

describe("GET /api/v1/archive-schema", () => {
  it("answers the JSON Schema of a line, its anyOf covering every record type, to anyone", async () => {
    actAs(null);
    const response = getSchema();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const schema = (await response.json()) as Record<string, unknown>;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Array.isArray(schema.anyOf)).toBe(true);
    const types = ["archive", ...archiveRecord.options.map((o) => o.shape.type.value)];
    expect(types.length).toBe(12);
    expect(new Set(typesIn(schema))).toEqual(new Set(types));
  });
});
