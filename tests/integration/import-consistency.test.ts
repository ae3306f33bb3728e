/**
 * Imported status and times obey the shared rules (lib/complaints/consistency.ts, issue #11): a
 * resolved or closed row needs its resolved time, a new or in-progress row has none, each refusal
 * names the row's reason; a closed row is closed at its resolved time, and the same complaint
 * imported again as new is no longer resolved or closed.
 */
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints } from "@/db/schema";
import { importFile } from "@/lib/import/file";
import { rejectionsCsv } from "@/lib/import/runs";
import { csvFiles } from "../helpers/csv-files";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const file = csvFiles("import-consistency");
const HEADER = "Ticket ID,Created,Channel,Subject,Description,Customer email,Status,Resolved at";
const row = (ref: string, status: string, resolved: string) =>
  `${ref},2025-03-01,Email,Late parcel,It came late.,${ref.toLowerCase()}@example.test,${status},${resolved}`;

describe.each(engines)("status and times of imported complaints on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Consistency");
  });
  afterAll(async () => {
    await handle.close();
  });

  const stored = async (ref: string) =>
    (
      await handle.db
        .select({
          status: complaints.status,
          resolvedAt: complaints.resolvedAt,
          closedAt: complaints.closedAt,
        })
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), eq(complaints.externalRef, ref)))
    )[0];

  it("rejects contradictory rows with their reason and keeps the consistent ones", async () => {
    actAs(org.users.manager);
    const result = await importFile({
      file: file("mixed.csv", [
        HEADER,
        row("K-1", "closed", "2025-03-04"),
        row("K-2", "resolved", ""),
        row("K-3", "closed", ""),
        row("K-4", "new", "2025-03-04"),
        row("K-5", "in progress", "2025-03-04"),
        row("K-6", "resolved", "2025-02-01"),
        row("K-7", "in progress", ""),
      ]),
      mode: "skip",
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ rowsCreated: 2, rowsRejected: 5 });
    const report = parse(await new Response((await rejectionsCsv(result.data.runId))!).text(), {
      columns: true,
    }) as { line: string; reason: string }[];
    expect(report.map((r) => [Number(r.line), r.reason])).toEqual([
      [3, "A resolved complaint needs the time it was resolved."],
      [4, "A closed complaint needs the time it was resolved."],
      [5, expect.stringMatching(/^A complaint that is new has no resolved or closed time/)],
      [6, expect.stringMatching(/^A complaint that is in progress has no resolved or closed/)],
      [7, "Resolved at is before received at."],
    ]);
    const closedAt = new Date("2025-03-04T00:00:00Z");
    expect(await stored("K-1")).toEqual({ status: "closed", resolvedAt: closedAt, closedAt });
    expect(await stored("K-7")).toEqual({
      status: "in_progress",
      resolvedAt: null,
      closedAt: null,
    });
  });

  it("a complaint imported again as new is no longer resolved or closed", async () => {
    actAs(org.users.manager);
    const result = await importFile({
      file: file("reopened.csv", [HEADER, row("K-1", "new", "")]),
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ rowsUpdated: 1, rowsRejected: 0 });
    expect(await stored("K-1")).toEqual({ status: "new", resolvedAt: null, closedAt: null });
  });
});
