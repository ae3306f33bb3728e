/**
 * A generic complaint file may carry the rest of a complaint's history (issue #11): its root cause
 * (category by name or key, cause by name within it, created there when new), one remedy (kind,
 * cost as typed in major units with its currency, offered and delivered times; above the
 * organisation's approval limit it was approved before the import) and the outcome (NPS,
 * sentiment, when, advocacy signals). Importing again never duplicates the remedy; every bad value
 * is rejected with its field and reason and leaves the database as it was.
 */
import { parse } from "csv-parse/sync";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import {
  advocacySignals,
  auditEvents,
  complaints,
  organisations,
  outcomes,
  remedies,
  rootCauseCategories,
  rootCauses,
} from "@/db/schema";
import { previewImport, suggestMapping } from "@/lib/import";
import { importFile } from "@/lib/import/file";
import { rejectionsCsv } from "@/lib/import/runs";
import { IMPORTED_REMEDY } from "@/lib/import/values";
import { createComplaint } from "../helpers/complaint-fixtures";
import { csvFiles } from "../helpers/csv-files";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const file = csvFiles("import-history-columns");

const HEADER = [
  "Ticket ID",
  "Created",
  "Status",
  "First response at",
  "Resolved at",
  "Customer email",
  "Subject",
  "Root cause category",
  "Root cause",
  "Remedy kind",
  "Remedy cost",
  "Remedy currency",
  "Remedy offered at",
  "Remedy delivered at",
  "Outcome NPS",
  "Outcome sentiment",
  "Outcome at",
  "Advocacy signals",
];
type Cells = Partial<Record<(typeof HEADER)[number], string>>;
/** One CSV line: a new complaint received on 2025-06-02 unless the cells say otherwise. */
const line = (ref: string, cells: Cells) =>
  HEADER.map((h) =>
    h === "Ticket ID"
      ? ref
      : h === "Created"
        ? (cells[h] ?? "2025-06-02")
        : h === "Status"
          ? (cells[h] ?? "new")
          : h === "Customer email"
            ? `${ref.toLowerCase()}@example.test`
            : h === "Subject"
              ? `Complaint ${ref}`
              : (cells[h] ?? ""),
  )
    .map((v) => (v.includes(",") || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v))
    .join(",");

const GOOD = [
  HEADER.join(","),
  // The category by its key in another case, an existing cause in another case; a delivered
  // refund offered (by default) when delivered; the outcome (by default) when resolved.
  line("HC-1", {
    Status: "resolved",
    "First response at": "2025-06-02T10:00:00Z",
    "Resolved at": "2025-06-05",
    "Root cause category": "DELIVERY",
    "Root cause": "late COURIER",
    "Remedy kind": "Refund",
    "Remedy cost": "25.50",
    "Remedy delivered at": "2025-06-04",
    "Outcome NPS": "9",
    "Outcome sentiment": "4",
    "Advocacy signals": "referral; Positive review",
  }),
  // The category by its name, a cause it does not have yet; a credit above the approval limit
  // (EUR 120.00 > 50.00), offered (by default) at the first response and not delivered.
  line("HC-2", {
    Status: "in progress",
    "First response at": "2025-06-03T08:00:00Z",
    "Root cause category": "billing",
    "Root cause": "Double charge",
    "Remedy kind": "credit",
    "Remedy cost": "120",
    "Remedy currency": "eur",
  }),
  // A cause alone, found in its one category; a coupon in yen; the outcome at its own time.
  line("HC-3", {
    "Root cause": "Late courier",
    "Remedy kind": "coupon",
    "Remedy cost": "500",
    "Remedy currency": "JPY",
    "Remedy offered at": "2025-06-03T12:00:00Z",
    "Outcome sentiment": "2",
    "Outcome at": "2025-06-10",
    "Advocacy signals": "testimonial",
  }),
];

const day = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

describe.each(engines)("root cause, remedy and outcome columns on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let lateCourier: string;
  let billing: string;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "History columns");
    const [delivery, bill] = await handle.db
      .insert(rootCauseCategories)
      .values([
        { orgId: org.orgId, key: "delivery", name: "Delivery", position: 1 },
        { orgId: org.orgId, key: "billing", name: "Billing", position: 2 },
      ])
      .returning();
    billing = bill!.id;
    const [cause] = await handle.db
      .insert(rootCauses)
      .values({ orgId: org.orgId, categoryId: delivery!.id, name: "Late courier" })
      .returning();
    lateCourier = cause!.id;
    // Remedies above 50.00 (in their own currency) need a manager's approval.
    await handle.db
      .update(organisations)
      .set({ remedyApprovalLimitMinor: 5000 })
      .where(eq(organisations.id, org.orgId));
  });
  afterAll(async () => {
    await handle.close();
  });

  const complaintOf = async (ref: string) =>
    (
      await handle.db
        .select()
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), eq(complaints.externalRef, ref)))
    )[0];
  const remediesOf = async (complaintId: string) =>
    handle.db
      .select()
      .from(remedies)
      .where(and(eq(remedies.orgId, org.orgId), eq(remedies.complaintId, complaintId)))
      .orderBy(asc(remedies.offeredAt));
  const outcomeOf = async (complaintId: string) => {
    const [o] = await handle.db
      .select()
      .from(outcomes)
      .where(and(eq(outcomes.orgId, org.orgId), eq(outcomes.complaintId, complaintId)));
    const signals = await handle.db
      .select({ kind: advocacySignals.kind, at: advocacySignals.occurredAt })
      .from(advocacySignals)
      .where(
        and(eq(advocacySignals.orgId, org.orgId), eq(advocacySignals.complaintId, complaintId)),
      )
      .orderBy(asc(advocacySignals.kind));
    signals.sort((a, b) => a.kind.localeCompare(b.kind));
    return { outcome: o, signals };
  };
  /** Row counts of everything an import of complaints could write. */
  const counts = async () => {
    const n = async (table: typeof complaints | typeof remedies | typeof outcomes) =>
      (await handle.db.select({ n: count() }).from(table).where(eq(table.orgId, org.orgId)))[0]!.n;
    const causes = await handle.db
      .select({ n: count() })
      .from(rootCauses)
      .where(eq(rootCauses.orgId, org.orgId));
    const signals = await handle.db
      .select({ n: count() })
      .from(advocacySignals)
      .where(eq(advocacySignals.orgId, org.orgId));
    const audit = await handle.db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entity, "complaint")));
    return {
      complaints: await n(complaints),
      remedies: await n(remedies),
      outcomes: await n(outcomes),
      causes: causes[0]!.n,
      signals: signals[0]!.n,
      complaintAudit: audit[0]!.n,
    };
  };
  const reportOf = async (runId: string) =>
    parse(await new Response((await rejectionsCsv(runId))!).text(), {
      columns: true,
    }) as { line: string; field: string; reason: string; value: string }[];

  it("previews the root cause, remedy and outcome as they will be stored", async () => {
    actAs(org.users.manager);
    const mapping = suggestMapping("complaints", HEADER);
    expect(mapping.preset).toBe("generic");
    const result = await previewImport({
      kind: "complaints",
      mapping,
      sample: GOOD.join("\n") + "\n",
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    const [one, two, three] = result.data.rows;
    expect(one!.errors).toEqual([]);
    expect(one!.values).toMatchObject({
      rootCauseCategory: "Delivery",
      rootCause: "Late courier",
      remedyKind: "refund",
      remedyCost: "$25.50",
      remedyCurrency: "USD",
      remedyOfferedAt: "2025-06-04",
      remedyDeliveredAt: "2025-06-04",
      outcomeNps: "9",
      outcomeSentiment: "4",
      outcomeAt: "2025-06-05",
      advocacySignals: "referral; positive review",
    });
    expect(two!.values).toMatchObject({
      rootCauseCategory: "Billing",
      rootCause: "Double charge (new cause)",
      remedyCost: "€120.00 (above the approval limit: approved before the import)",
      remedyOfferedAt: "2025-06-03T08:00:00.000Z",
      remedyDeliveredAt: "not delivered",
    });
    expect(three!.values).toMatchObject({ rootCause: "Late courier", remedyCost: "¥500" });
    // The preview writes nothing, not even the new cause.
    expect((await counts()).causes).toBe(1);
  });

  it("stores the root cause, the remedy and the outcome, and marks the complaints imported", async () => {
    actAs(org.users.manager);
    const result = await importFile({ file: file("good.csv", GOOD), mode: "skip" });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ rowsCreated: 3, rowsRejected: 0 });

    const one = (await complaintOf("HC-1"))!;
    const two = (await complaintOf("HC-2"))!;
    const three = (await complaintOf("HC-3"))!;
    expect([one.imported, two.imported, three.imported]).toEqual([true, true, true]);
    expect([one.timesInferred, two.timesInferred, three.timesInferred]).toEqual([
      false,
      false,
      false,
    ]);

    // Root causes: the existing one twice; "Double charge" created under Billing.
    expect(one.rootCauseId).toBe(lateCourier);
    expect(three.rootCauseId).toBe(lateCourier);
    const [created] = await handle.db
      .select()
      .from(rootCauses)
      .where(and(eq(rootCauses.orgId, org.orgId), eq(rootCauses.name, "Double charge")));
    expect(created).toMatchObject({ categoryId: billing });
    expect(two.rootCauseId).toBe(created!.id);

    // Remedies: 25.50 USD is 2,550 cents; EUR 120 is 12,000 cents (above 5,000: approved when
    // offered, by nobody here); JPY has no minor digits.
    expect(await remediesOf(one.id)).toEqual([
      expect.objectContaining({
        kind: "refund",
        description: IMPORTED_REMEDY,
        costMinor: 2550,
        currency: "USD",
        offeredAt: day("2025-06-04"),
        deliveredAt: day("2025-06-04"),
        decision: "accepted",
        approvalNeeded: false,
        approvedAt: null,
        approvedBy: null,
      }),
    ]);
    expect(await remediesOf(two.id)).toEqual([
      expect.objectContaining({
        kind: "credit",
        costMinor: 12000,
        currency: "EUR",
        offeredAt: day("2025-06-03T08:00:00Z"),
        deliveredAt: null,
        decision: "pending",
        approvalNeeded: true,
        approvedAt: day("2025-06-03T08:00:00Z"),
        approvedBy: null,
      }),
    ]);
    expect(await remediesOf(three.id)).toEqual([
      expect.objectContaining({
        kind: "coupon",
        costMinor: 500,
        currency: "JPY",
        offeredAt: day("2025-06-03T12:00:00Z"),
        deliveredAt: null,
      }),
    ]);

    // Outcomes: by default when resolved; every signal at the outcome's time.
    const resolved = day("2025-06-05");
    expect(await outcomeOf(one.id)).toEqual({
      outcome: expect.objectContaining({ finalNps: 9, finalSentiment: 4, recordedAt: resolved }),
      signals: [
        { kind: "referral", at: resolved },
        { kind: "positive_review", at: resolved },
      ].sort((a, b) => a.kind.localeCompare(b.kind)),
    });
    expect(await outcomeOf(three.id)).toEqual({
      outcome: expect.objectContaining({
        finalNps: null,
        finalSentiment: 2,
        recordedAt: day("2025-06-10"),
      }),
      signals: [{ kind: "testimonial", at: day("2025-06-10") }],
    });
    expect((await outcomeOf(two.id)).outcome).toBeUndefined();
  });

  it("imports the same file again without a second remedy, outcome or cause", async () => {
    actAs(org.users.manager);
    const before = await counts();
    const result = await importFile({ file: file("again.csv", GOOD), mode: "skip" });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ rowsCreated: 0, rowsUpdated: 0, rowsUnchanged: 3 });
    expect(await counts()).toEqual(before);
  });

  it("updates the imported remedy and the outcome in place when the file changes", async () => {
    actAs(org.users.manager);
    const one = (await complaintOf("HC-1"))!;
    const [remedyBefore] = await remediesOf(one.id);
    const changed = GOOD.map((l) =>
      l.startsWith("HC-1,")
        ? line("HC-1", {
            Status: "resolved",
            "First response at": "2025-06-02T10:00:00Z",
            "Resolved at": "2025-06-05",
            "Root cause category": "delivery",
            "Root cause": "Late courier",
            "Remedy kind": "refund",
            "Remedy cost": "60.00",
            "Remedy offered at": "2025-06-03",
            "Remedy delivered at": "2025-06-04",
            "Outcome NPS": "10",
            "Advocacy signals": "repeat purchase",
          })
        : l,
    );
    const before = await counts();
    const result = await importFile({ file: file("changed.csv", changed), mode: "skip" });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ rowsUpdated: 1, rowsUnchanged: 2, rowsRejected: 0 });

    const after = await remediesOf(one.id);
    expect(after).toHaveLength(1);
    // The same remedy, now 60.00 (above the limit of 50.00: approved when offered).
    expect(after[0]).toMatchObject({
      id: remedyBefore!.id,
      costMinor: 6000,
      offeredAt: day("2025-06-03"),
      approvalNeeded: true,
      approvedAt: day("2025-06-03"),
    });
    // A blank sentiment keeps the stored one; signals add up.
    const { outcome, signals } = await outcomeOf(one.id);
    expect(outcome).toMatchObject({ finalNps: 10, finalSentiment: 4 });
    expect(signals.map((s) => s.kind).sort()).toEqual(
      ["positive_review", "referral", "repeat_purchase"].sort(),
    );
    expect(await counts()).toEqual({
      ...before,
      signals: before.signals + 1,
      complaintAudit: before.complaintAudit + 1,
    });
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.orgId, org.orgId),
          eq(auditEvents.complaintId, one.id),
          eq(auditEvents.action, "complaint.import-updated"),
        ),
      );
    expect(event!.before).toMatchObject({ remedy: { cost_minor: 2550 } });
    expect(event!.after).toMatchObject({
      remedy: { cost_minor: 6000 },
      outcome: { final_nps: 10 },
    });
  });

  it("takes a complaint's only remedy as the one the file describes; with several, adds its own once", async () => {
    const single = await createComplaint(handle.db, org, {
      externalRef: "TA-1",
      receivedAt: day("2025-06-02"),
    });
    const several = await createComplaint(handle.db, org, {
      externalRef: "TA-2",
      receivedAt: day("2025-06-02"),
    });
    const recorded = (complaintId: string, description: string) => ({
      orgId: org.orgId,
      complaintId,
      kind: "gift" as const,
      description,
      costMinor: 800,
      currency: "USD",
      offeredAt: day("2025-06-02T15:00:00Z"),
    });
    await handle.db.insert(remedies).values(recorded(single.id, "Flowers"));
    await handle.db
      .insert(remedies)
      .values([recorded(several.id, "Flowers"), recorded(several.id, "Chocolates")]);

    actAs(org.users.manager);
    const csv = file("turnaround.csv", [
      HEADER.join(","),
      line("TA-1", { "Remedy kind": "gift", "Remedy cost": "12.00" }),
      line("TA-2", { "Remedy kind": "refund", "Remedy cost": "5" }),
    ]);
    for (let i = 0; i < 2; i++) {
      const result = await importFile({ file: csv, mode: "skip" });
      if (!result.ok) throw new Error(JSON.stringify(result));
      expect(result.data).toMatchObject(
        i === 0 ? { rowsUpdated: 2, rowsRejected: 0 } : { rowsUnchanged: 2, rowsRejected: 0 },
      );
    }
    // The only remedy, updated in place: its own description kept.
    expect(await remediesOf(single.id)).toEqual([
      expect.objectContaining({ description: "Flowers", kind: "gift", costMinor: 1200 }),
    ]);
    // Two remedies, neither imported: the file's is a third, once.
    const three = await remediesOf(several.id);
    expect(three.map((r) => [r.description, r.costMinor]).sort()).toEqual(
      [
        ["Chocolates", 800],
        ["Flowers", 800],
        [IMPORTED_REMEDY, 500],
      ].sort(),
    );
    // Complaints recorded here keep their flag when an import updates them.
    expect((await complaintOf("TA-1"))!.imported).toBe(false);
  });

  it("rejects each bad value with its field and reason, and changes nothing", async () => {
    actAs(org.users.manager);
    const bad: [string, Cells, string, string | RegExp][] = [
      [
        "B-1",
        { "Root cause category": "Weather", "Root cause": "Storm" },
        "Root cause category",
        'No root-cause category is called "Weather": use one of: Delivery, Billing.',
      ],
      [
        "B-2",
        { "Root cause category": "Delivery" },
        "Root cause",
        "Name the root cause within the category Delivery.",
      ],
      ["B-3", { "Root cause": "Gremlins" }, "Root cause", /^No root cause is called "Gremlins"/],
      ["B-4", { "Root cause": "x".repeat(201) }, "Root cause", /under 200 characters/],
      ["B-5", { "Remedy kind": "bribe" }, "Remedy kind", /^Remedy kind is refund, replacement/],
      [
        "B-6",
        { "Remedy kind": "refund", "Remedy cost": "12,50" },
        "Remedy cost",
        "Enter the cost as a number, e.g. 25.00.",
      ],
      [
        "B-7",
        { "Remedy kind": "refund", "Remedy cost": "2000000" },
        "Remedy cost",
        "A remedy costs at most 1,000,000 — check the amount.",
      ],
      [
        "B-8",
        { "Remedy kind": "refund", "Remedy cost": "1", "Remedy currency": "XYZ" },
        "Remedy currency",
        "Use an ISO 4217 currency code such as USD, EUR or GBP.",
      ],
      [
        "B-9",
        { "Remedy kind": "refund", "Remedy cost": "1.5", "Remedy currency": "JPY" },
        "Remedy cost",
        "JPY amounts have fewer decimals.",
      ],
      [
        "B-10",
        { "Remedy kind": "refund", "Remedy offered at": "2025-06-01" },
        "Remedy offered at",
        "A remedy is offered after the complaint came in.",
      ],
      [
        "B-11",
        {
          "Remedy kind": "refund",
          "Remedy offered at": "2025-06-04",
          "Remedy delivered at": "2025-06-03",
        },
        "Remedy delivered at",
        "A remedy is delivered after it was offered.",
      ],
      [
        "B-12",
        { "Remedy kind": "refund", "Remedy delivered at": "2099-01-01" },
        "Remedy delivered at",
        "Remedy delivered at cannot be in the future.",
      ],
      [
        "B-13",
        { Created: "1969-12-01", "Remedy kind": "refund", "Remedy offered at": "1969-12-31" },
        "Remedy offered at",
        "Remedy offered at must be on or after 1970-01-01.",
      ],
      [
        "B-14",
        { "Remedy cost": "10" },
        "Remedy cost",
        "Give the remedy's kind too (Remedy kind), or leave the remedy empty.",
      ],
      [
        "B-15",
        { "Outcome NPS": "11", "Outcome at": "2025-06-05" },
        "Outcome NPS",
        "Outcome NPS is a whole number from 0 to 10.",
      ],
      [
        "B-16",
        { "Outcome sentiment": "0", "Outcome at": "2025-06-05" },
        "Outcome sentiment",
        "Outcome sentiment is a whole number from 1 to 5.",
      ],
      [
        "B-17",
        { "Outcome NPS": "8", "Outcome at": "2025-06-01" },
        "Outcome at",
        "Outcome at is before received at.",
      ],
      [
        "B-18",
        { "Outcome NPS": "8", "Outcome at": "2099-06-01" },
        "Outcome at",
        "Outcome at cannot be in the future.",
      ],
      [
        "B-19",
        { "Advocacy signals": "referral; tweet", "Outcome at": "2025-06-05" },
        "Advocacy signals",
        /^"tweet" is not an advocacy signal/,
      ],
      ["B-20", { "Outcome NPS": "8" }, "Outcome at", /^Outcome at is needed/],
      ["B-21", { "Outcome at": "2025-06-05" }, "Outcome at", /^Outcome at needs an outcome/],
    ];
    const before = await counts();
    const result = await importFile({
      file: file("bad.csv", [HEADER.join(","), ...bad.map(([ref, cells]) => line(ref, cells))]),
      mode: "skip",
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    // B-13's receipt is before 1970 too: its row is rejected for both.
    expect(result.data).toMatchObject({ rowsCreated: 0, rowsRejected: bad.length });
    const report = await reportOf(result.data.runId);
    for (const [i, [, , field, reason]] of bad.entries()) {
      const entries = report.filter((r) => Number(r.line) === i + 2);
      expect(entries, `line ${i + 2}`).toContainEqual(
        expect.objectContaining({
          field,
          reason: typeof reason === "string" ? reason : expect.stringMatching(reason),
        }),
      );
    }
    expect(await counts()).toEqual(before);
    const refs = bad.map(([ref]) => ref);
    expect(
      await handle.db
        .select({ id: complaints.id })
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), inArray(complaints.externalRef, refs))),
    ).toEqual([]);
  });
});
