/**
 * Export → import round-trips a complaint's history (issue #11): the complaint list's CSV export,
 * imported as it is into another organisation, gives the same status, times (received, first
 * response, resolved, closed, promised by) and intake sentiment and NPS — the importer takes the
 * export's own column names. A row whose history breaks the shared rules is rejected.
 */
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints } from "@/db/schema";
import { filtersFrom, streamComplaintsCsv } from "@/lib/complaints/list";
import { importFile } from "@/lib/import/file";
import { rejectionsCsv } from "@/lib/import/runs";
import { createComplaint } from "../helpers/complaint-fixtures";
import { csvFiles } from "../helpers/csv-files";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const file = csvFiles("import-round-trip");
const at = (day: number, hour = 9) => new Date(Date.UTC(2025, 5, day, hour));
const history = [
  { externalRef: "RT-1", status: "new" as const, receivedAt: at(2) },
  {
    externalRef: "RT-2",
    status: "in_progress" as const,
    receivedAt: at(3),
    firstResponseAt: at(3, 13),
    promisedBy: at(10),
    intakeNps: 2,
  },
  {
    externalRef: "RT-3",
    status: "resolved" as const,
    receivedAt: at(4),
    firstResponseAt: at(4, 10),
    resolvedAt: at(6),
    intakeSentiment: 1,
  },
  {
    externalRef: "RT-4",
    status: "closed" as const,
    receivedAt: at(5),
    firstResponseAt: at(5, 11),
    resolvedAt: at(7),
    closedAt: at(9),
    intakeSentiment: 2,
    intakeNps: 0,
  },
];

describe.each(engines)("export → import of history on $name", (engine) => {
  let handle: DatabaseHandle;
  let from: TestOrg;
  let to: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    from = await createTestOrg(handle.db, "Old helpdesk");
    to = await createTestOrg(handle.db, "New home");
    for (const h of history)
      await createComplaint(handle.db, from, { teamId: null, ownerId: null, ...h });
  });
  afterAll(async () => {
    await handle.close();
  });

  const stored = async (orgId: string) =>
    handle.db
      .select({
        ref: complaints.externalRef,
        status: complaints.status,
        receivedAt: complaints.receivedAt,
        firstResponseAt: complaints.firstResponseAt,
        resolvedAt: complaints.resolvedAt,
        closedAt: complaints.closedAt,
        promisedBy: complaints.promisedBy,
        intakeSentiment: complaints.intakeSentiment,
        intakeNps: complaints.intakeNps,
      })
      .from(complaints)
      .where(and(eq(complaints.orgId, orgId)))
      .orderBy(complaints.externalRef);

  it("carries status, times and intake feelings across", async () => {
    actAs(from.users.manager);
    const exported = await streamComplaintsCsv(filtersFrom({}));
    if (!exported.ok) throw new Error(exported.message);
    const csv = await new Response(exported.stream).text();

    actAs(to.users.manager);
    const result = await importFile({ file: file("export.csv", csv.trimEnd().split("\n")) });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ rowsCreated: history.length, rowsRejected: 0 });
    expect(await stored(to.orgId)).toEqual(await stored(from.orgId));
  });

  it("rejects a row whose first response comes after its resolution, or an NPS of 11", async () => {
    actAs(to.users.manager);
    const header =
      "external_reference,received_at,channel,severity,status,customer_email,summary,story,first_response_at,resolved_at,intake_nps";
    const result = await importFile({
      file: file("bad.csv", [
        header,
        "RT-9,2025-06-02,email,minor,resolved,a@example.test,Late,It was late.,2025-06-05,2025-06-04,",
        "RT-10,2025-06-02,email,minor,new,b@example.test,Late,It was late.,,,11",
      ]),
      mode: "skip",
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ rowsCreated: 0, rowsRejected: 2 });
    const report = parse(await new Response((await rejectionsCsv(result.data.runId))!).text(), {
      columns: true,
    }) as { reason: string }[];
    expect(report.map((r) => r.reason)).toEqual([
      "Resolved at is before first response.",
      "NPS is from 0 to 10.",
    ]);
  });
});
