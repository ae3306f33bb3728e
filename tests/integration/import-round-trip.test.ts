/**
 * Export → import round-trips a complaint's history (issue #11): the complaint list's CSV export,
 * imported as it is into another organisation, gives the same status, times (received, first
 * response, resolved, closed, promised by), intake sentiment and NPS, root cause (under the
 * category of the same name, which the organisation keeps), remedy (kind, cost, currency, offered,
 * delivered) and outcome (NPS, sentiment, when, advocacy signals) — the importer takes the
 * export's own column names. A row whose history breaks the shared rules is rejected.
 */
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import {
  advocacySignals,
  complaints,
  outcomes,
  remedies,
  rootCauseCategories,
  rootCauses,
} from "@/db/schema";
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
    const [category] = await handle.db
      .insert(rootCauseCategories)
      .values({ orgId: from.orgId, key: "delivery", name: "Delivery" })
      .returning();
    const [cause] = await handle.db
      .insert(rootCauses)
      .values({ orgId: from.orgId, categoryId: category!.id, name: "Late courier" })
      .returning();
    // The new home keeps the same categories (their keys may differ); its causes come with the file.
    await handle.db
      .insert(rootCauseCategories)
      .values({ orgId: to.orgId, key: "logistics", name: "Delivery" });
    const made = new Map<string, string>();
    for (const h of history) {
      const c = await createComplaint(handle.db, from, { teamId: null, ownerId: null, ...h });
      made.set(h.externalRef, c.id);
    }
    // RT-3: its cause, a delivered refund and an outcome with two signals; RT-4: a euro credit
    // offered and not delivered, an outcome with a sentiment only.
    await handle.db
      .update(complaints)
      .set({ rootCauseId: cause!.id })
      .where(eq(complaints.id, made.get("RT-3")!));
    await handle.db.insert(remedies).values([
      {
        orgId: from.orgId,
        complaintId: made.get("RT-3")!,
        kind: "refund",
        description: "Refund of the delivery fee",
        costMinor: 1999,
        currency: "USD",
        offeredAt: at(5),
        decision: "accepted",
        decidedAt: at(5, 12),
        deliveredAt: at(6),
      },
      {
        orgId: from.orgId,
        complaintId: made.get("RT-4")!,
        kind: "credit",
        description: "Account credit",
        costMinor: 500,
        currency: "EUR",
        offeredAt: at(6, 10),
      },
    ]);
    await handle.db.insert(outcomes).values([
      {
        orgId: from.orgId,
        complaintId: made.get("RT-3")!,
        finalNps: 9,
        finalSentiment: 4,
        recordedAt: at(6, 15),
      },
      {
        orgId: from.orgId,
        complaintId: made.get("RT-4")!,
        finalSentiment: 3,
        recordedAt: at(9, 10),
      },
    ]);
    await handle.db.insert(advocacySignals).values([
      {
        orgId: from.orgId,
        complaintId: made.get("RT-3")!,
        kind: "referral",
        occurredAt: at(6, 15),
      },
      {
        orgId: from.orgId,
        complaintId: made.get("RT-3")!,
        kind: "positive_review",
        occurredAt: at(6, 15),
      },
    ]);
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

  /** Each complaint's root cause, remedies and outcome, by reference: what a user sees of them. */
  const recovery = async (orgId: string) => {
    const rows = await handle.db
      .select({
        id: complaints.id,
        ref: complaints.externalRef,
        cause: rootCauses.name,
        category: rootCauseCategories.name,
      })
      .from(complaints)
      .leftJoin(
        rootCauses,
        and(eq(rootCauses.orgId, complaints.orgId), eq(rootCauses.id, complaints.rootCauseId)),
      )
      .leftJoin(
        rootCauseCategories,
        and(
          eq(rootCauseCategories.orgId, rootCauses.orgId),
          eq(rootCauseCategories.id, rootCauses.categoryId),
        ),
      )
      .where(eq(complaints.orgId, orgId))
      .orderBy(complaints.externalRef);
    const out = [];
    for (const r of rows) {
      const remedyRows = await handle.db
        .select({
          kind: remedies.kind,
          costMinor: remedies.costMinor,
          currency: remedies.currency,
          offeredAt: remedies.offeredAt,
          deliveredAt: remedies.deliveredAt,
        })
        .from(remedies)
        .where(and(eq(remedies.orgId, orgId), eq(remedies.complaintId, r.id)));
      const outcomeRows = await handle.db
        .select({
          nps: outcomes.finalNps,
          sentiment: outcomes.finalSentiment,
          at: outcomes.recordedAt,
        })
        .from(outcomes)
        .where(and(eq(outcomes.orgId, orgId), eq(outcomes.complaintId, r.id)));
      const signals = await handle.db
        .select({ kind: advocacySignals.kind, at: advocacySignals.occurredAt })
        .from(advocacySignals)
        .where(and(eq(advocacySignals.orgId, orgId), eq(advocacySignals.complaintId, r.id)))
        .orderBy(advocacySignals.kind);
      out.push({
        ref: r.ref,
        category: r.category,
        cause: r.cause,
        remedies: remedyRows,
        outcome: outcomeRows,
        signals,
      });
    }
    return out;
  };

  it("carries status, times, intake feelings, root cause, remedy and outcome across", async () => {
    actAs(from.users.manager);
    const exported = await streamComplaintsCsv(filtersFrom({}));
    if (!exported.ok) throw new Error(exported.message);
    const csv = await new Response(exported.stream).text();

    actAs(to.users.manager);
    const result = await importFile({ file: file("export.csv", csv.trimEnd().split("\n")) });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ rowsCreated: history.length, rowsRejected: 0 });
    expect(await stored(to.orgId)).toEqual(await stored(from.orgId));
    const carried = await recovery(to.orgId);
    expect(carried).toEqual(await recovery(from.orgId));
    // Not vacuous: the cause, both remedies and both outcomes made it across.
    expect(carried.filter((h) => h.cause === "Late courier")).toHaveLength(1);
    expect(carried.flatMap((h) => h.remedies).map((r) => [r.kind, r.costMinor])).toEqual([
      ["refund", 1999],
      ["credit", 500],
    ]);
    expect(carried.flatMap((h) => h.signals)).toHaveLength(2);
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
