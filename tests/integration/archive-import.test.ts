/**
 * The archive importer line by line: each rule (shape, bounds, status/time order, references)
 * rejects its line with the field and reason and writes nothing of it; only admins may import or
 * export; a file that is not an archive fails with a message; what is imported comes back out
 * exactly. On both engines. docs/archive.schema.json is the schema the importer validates with.
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, customers, importRejections, importRuns, roles } from "@/db/schema";
import { exportArchive } from "@/lib/archive/export";
import { archiveJsonSchema } from "@/lib/archive/format";
import { createArchiveRun, importArchive } from "@/lib/archive/import";
import { actAs } from "../helpers/session";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const header = {
  type: "archive",
  format: "turnaround-archive",
  version: 1,
  exportedAt: "2025-07-01T00:00:00.000Z",
  organisation: { name: "Elsewhere", currency: "USD", remedyApprovalLimitMinor: null },
};
const category = { type: "rootCauseCategory", key: "delivery", name: "Delivery", position: 4 };
const customer = {
  type: "customer",
  ref: "C-1",
  name: "Ada Lovelace",
  email: "ada@example.test",
  phone: null,
  segment: "consumer",
  lifetimeValueMinor: 120000,
  currency: "USD",
};
/** A complaint with a full history, all of it in the past and in order. */
const complaint = {
  type: "complaint",
  ref: "T-100",
  customer: "C-1",
  receivedAt: "2025-03-03T09:00:00.000Z",
  channel: "email",
  product: ["Broadband", "Fibre 500"],
  team: "Escalations",
  owner: "casey@elsewhere.test",
  severity: "major",
  summary: "Line down for a week",
  story: "No connection since Monday; three engineers promised, none came.",
  paraphrase: "You were without a line for a week and nobody kept their word.",
  intakeSentiment: 1,
  intakeNps: 2,
  status: "closed",
  slaDueAt: "2025-03-05T09:00:00.000Z",
  promisedBy: "2025-03-06T17:00:00.000Z",
  firstResponseAt: "2025-03-03T09:20:00.000Z",
  resolvedAt: "2025-03-05T16:00:00.000Z",
  closedAt: "2025-03-12T10:00:00.000Z",
  reopenCount: 1,
  noRemedyReason: null,
  customerUnreachable: false,
  rootCause: { category: "delivery", name: "Engineer no-show" },
  fiveWhys: "Why no-show? Double-booked.",
  regulatedIssue: null,
  timelyResponse: true,
  timesInferred: false,
  imported: true,
  steps: [
    {
      step: "listen",
      doneBy: "casey@elsewhere.test",
      doneAt: "2025-03-03T09:20:00.000Z",
      note: "Let them talk.",
    },
    {
      step: "apologize",
      doneBy: "casey@elsewhere.test",
      doneAt: "2025-03-03T09:25:00.000Z",
      note: null,
    },
  ],
  remedies: [
    {
      kind: "credit",
      description: "A month's credit",
      costMinor: 4500,
      currency: "USD",
      suggestedByCustomer: false,
      offeredAt: "2025-03-04T10:00:00.000Z",
      offeredBy: "casey@elsewhere.test",
      decision: "accepted",
      decidedAt: "2025-03-04T11:00:00.000Z",
      deliveredAt: "2025-03-05T15:00:00.000Z",
      approvalNeeded: false,
      approvedBy: null,
      approvedAt: null,
    },
  ],
  followUps: [
    {
      dueAt: "2025-03-10T09:00:00.000Z",
      doneAt: "2025-03-10T10:00:00.000Z",
      doneBy: "casey@elsewhere.test",
      channel: "phone",
      sentiment: 4,
      nps: 8,
      note: "Working since.",
      createdAt: "2025-03-05T16:00:00.000Z",
    },
  ],
  updates: [
    {
      sentAt: "2025-03-04T09:00:00.000Z",
      sentBy: "casey@elsewhere.test",
      channel: "email",
      message: "Engineer booked for tomorrow.",
    },
  ],
  outcome: {
    finalSentiment: 5,
    finalNps: 10,
    churnedAt: null,
    recordedAt: "2025-03-12T10:00:00.000Z",
    recordedBy: "casey@elsewhere.test",
  },
  signals: [{ kind: "referral", occurredAt: "2025-04-01T12:00:00.000Z", note: null }],
};

const jsonl = (...lines: unknown[]) =>
  lines.map((l) => `${typeof l === "string" ? l : JSON.stringify(l)}\n`);

describe.each(engines)("archive import on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Archive import");
  });
  afterAll(() => handle.close());

  const asAdmin = () => actAs(org.users.admin);
  const importAs = async (lines: string[], mode: "skip" | "stop" = "skip") => {
    const run = await createArchiveRun({ fileName: "a.jsonl", mode });
    if (!run.ok) throw new Error(run.reason);
    const result = await importArchive(run.data.runId, Readable.from(lines));
    if (!result.ok) throw new Error(result.reason);
    const rejected = await handle.db
      .select()
      .from(importRejections)
      .where(and(eq(importRejections.orgId, org.orgId), eq(importRejections.runId, run.data.runId)))
      .orderBy(asc(importRejections.position));
    return { progress: result.data, rejected };
  };
  const complaintCount = async () =>
    (
      await handle.db.select({ n: count() }).from(complaints).where(eq(complaints.orgId, org.orgId))
    )[0]!.n;

  it("is for admins only: every other role is refused and nothing is opened or read", async () => {
    for (const role of roles.filter((r) => r !== "admin")) {
      actAs(org.users[role]);
      const [before] = await handle.db
        .select({ n: count() })
        .from(importRuns)
        .where(eq(importRuns.orgId, org.orgId));
      const run = await createArchiveRun({ fileName: "a.jsonl", mode: "skip" });
      expect(run.ok, role).toBe(false);
      if (!run.ok) expect(run.reason).toBe("forbidden");
      const exported = await exportArchive();
      expect(exported.ok, role).toBe(false);
      const [after] = await handle.db
        .select({ n: count() })
        .from(importRuns)
        .where(eq(importRuns.orgId, org.orgId));
      expect(after!.n).toBe(before!.n);
    }
  });

  it("refuses a bad run request field by field", async () => {
    asAdmin();
    const bad = [
      [{ fileName: "a.jsonl", mode: "sometimes" }, "mode"],
      [{ fileName: "", mode: "skip" }, "fileName"],
      [{ fileName: "a".repeat(261), mode: "skip" }, "fileName"],
      [{ fileName: "a.jsonl", mode: "skip", totalBytes: -1 }, "totalBytes"],
    ] as const;
    for (const [input, field] of bad) {
      const run = await createArchiveRun(input as never);
      expect(run).toMatchObject({ ok: false, reason: "invalid" });
      if (!run.ok) expect(Object.keys(run.fieldErrors ?? {})).toEqual([field]);
    }
  });

  it("fails a file that is not an archive, writing nothing", async () => {
    asAdmin();
    const before = await complaintCount();
    for (const lines of [
      jsonl("receivedAt,channel", "2025-01-01,email"),
      jsonl({ ...header, version: 2 }, customer),
      [],
    ]) {
      const { progress } = await importAs(lines);
      expect(progress.status).toBe("failed");
      expect(progress.message).toMatch(/not a Turnaround archive|empty/);
    }
    expect(await complaintCount()).toBe(before);
  });

  it("rejects each broken line with its field and reason, and imports the good ones", async () => {
    asAdmin();
    const before = await complaintCount();
    const broken: [string, unknown, string, RegExp][] = [
      ["not JSON", "{oops", "(line)", /Not JSON/],
      ["unknown type", { type: "invoice", ref: "x" }, "type", /./],
      [
        "currency XYZ",
        { ...complaint, ref: "B-1", remedies: [{ ...complaint.remedies[0], currency: "XYZ" }] },
        "remedies.0.currency",
        /ISO 4217/,
      ],
      [
        "received in 1900",
        { ...complaint, ref: "B-2", receivedAt: "1900-01-01T00:00:00.000Z" },
        "receivedAt",
        /1970/,
      ],
      [
        "promise in 9999",
        { ...complaint, ref: "B-3", promisedBy: "9999-12-31T00:00:00.000Z" },
        "promisedBy",
        /5 years|five years/,
      ],
      [
        "cost above the cap",
        {
          ...complaint,
          ref: "B-4",
          remedies: [{ ...complaint.remedies[0], costMinor: 999_999_999_999 }],
        },
        "remedies.0.costMinor",
        /at most 1,000,000/,
      ],
      [
        "new but resolved",
        { ...complaint, ref: "B-5", status: "new", closedAt: null },
        "status",
        /no resolved or closed time/,
      ],
      [
        "resolved without a time",
        { ...complaint, ref: "B-6", status: "resolved", resolvedAt: null, closedAt: null },
        "resolvedAt",
        /needs the time it was resolved/,
      ],
      [
        "first response after resolution",
        { ...complaint, ref: "B-7", firstResponseAt: "2025-03-06T00:00:00.000Z" },
        "resolvedAt",
        /before first response/,
      ],
      [
        "an unknown customer",
        { ...complaint, ref: "B-8", customer: "C-404" },
        "customer",
        /No customer with this ref/,
      ],
      [
        "an unknown playbook step",
        { ...complaint, ref: "B-9", steps: [{ ...complaint.steps[0], step: "dance" }] },
        "steps.0.step",
        /No playbook step/,
      ],
      [
        "an unknown category",
        { ...complaint, ref: "B-10", rootCause: { category: "astrology", name: "Mercury" } },
        "rootCause.category",
        /No root-cause category/,
      ],
      [
        "a step twice",
        { ...complaint, ref: "B-11", steps: [complaint.steps[0], complaint.steps[0]] },
        "steps.1.step",
        /once/,
      ],
      [
        "a sentiment of 9",
        { ...complaint, ref: "B-12", intakeSentiment: 9 },
        "intakeSentiment",
        /./,
      ],
      [
        "delivered before offered",
        {
          ...complaint,
          ref: "B-13",
          remedies: [{ ...complaint.remedies[0], deliveredAt: "2025-03-04T09:00:00.000Z" }],
        },
        "remedies.0.deliveredAt",
        /before it was offered/,
      ],
    ];
    const { progress, rejected } = await importAs(
      jsonl(header, category, customer, ...broken.map(([, line]) => line), complaint),
    );
    expect(progress.status).toBe("completed");
    for (const [what, , field, reason] of broken) {
      const hit = rejected.find((r) => r.field === field && reason.test(r.reason));
      expect(
        hit,
        `${what}: ${JSON.stringify(rejected.map((r) => [r.lineNumber, r.field, r.reason]))}`,
      ).toBeDefined();
    }
    // Only the good complaint (and its customer) landed.
    expect(await complaintCount()).toBe(before + 1);
    const refs = await handle.db
      .select({ ref: complaints.externalRef })
      .from(complaints)
      .where(eq(complaints.orgId, org.orgId));
    expect(refs.map((r) => r.ref).filter((r) => r?.startsWith("B-"))).toEqual([]);
  });

  it("gives back exactly what it took: the complaint's line exports unchanged", async () => {
    asAdmin();
    await importAs(jsonl(header, category, customer, complaint));
    const exported = await exportArchive();
    if (!exported.ok) throw new Error(exported.reason);
    const lines: Record<string, unknown>[] = [];
    for await (const line of exported.data) lines.push(JSON.parse(line));
    const mine = lines.find((l) => l.type === "complaint" && l.ref === "T-100")!;
    expect({ ...mine, createdAt: undefined }).toEqual({ ...complaint, createdAt: undefined });
    const person = lines.find((l) => l.type === "user" && l.email === "casey@elsewhere.test");
    // Named by the archive, unknown here: created without a sign-in.
    expect(person).toMatchObject({ active: false, role: "agent" });
    const [c] = await handle.db
      .select()
      .from(customers)
      .where(and(eq(customers.orgId, org.orgId), eq(customers.externalRef, "C-1")));
    expect(c).toMatchObject({ name: "Ada Lovelace", lifetimeValueMinor: 120000 });
  });

  it("stops at the first broken line in stop mode", async () => {
    asAdmin();
    const before = await complaintCount();
    const { progress } = await importAs(
      jsonl(
        header,
        category,
        customer,
        { ...complaint, ref: "S-1", receivedAt: "1900-01-01T00:00:00.000Z" },
        { ...complaint, ref: "S-2" },
      ),
      "stop",
    );
    expect(progress.status).toBe("stopped");
    expect(progress.message).toMatch(/Stopped at line 4: receivedAt/);
    expect(await complaintCount()).toBe(before);
  });
});

describe("the archive's JSON Schema", () => {
  it("docs/archive.schema.json is the schema the importer validates with (npm run archive:schema)", () => {
    const onDisk = JSON.parse(fs.readFileSync("docs/archive.schema.json", "utf8"));
    expect(onDisk).toEqual(archiveJsonSchema());
    type Branch = {
      properties?: { type?: { const?: string } };
      anyOf?: Branch[];
      oneOf?: Branch[];
    };
    const flat = (b: Branch): Branch[] => {
      const inner = b.anyOf ?? b.oneOf;
      return inner ? inner.flatMap(flat) : [b];
    };
    const types = flat(onDisk as Branch).map((s) => s.properties?.type?.const);
    expect(types).toEqual(
      expect.arrayContaining([
        "archive",
        "team",
        "user",
        "customer",
        "activity",
        "complaint",
        "correctiveAction",
      ]),
    );
  });
});
