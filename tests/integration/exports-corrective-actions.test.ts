import { parse } from "csv-parse/sync";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, correctiveActions, rootCauses } from "@/db/schema";
import { GET } from "@/app/(app)/exports/[kind]/route";
import { streamExportCsv } from "@/lib/exports";
import { exportChoices } from "@/lib/exports/choices";
import { insertComplaint, insertCustomer, insertRootCause } from "../helpers/complaints";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const EVIL = "=cmd|' /C calc'!A0";
const DESCRIPTION = 'Switch couriers.\nThen "re-train" dispatch, region by region\r\nand audit';
const WEEKS = 2;
const DONE_AT = "2025-03-01T15:00:00Z";
/** Complaints of the cause, by received time; the windows are whole UTC days around the done date. */
const RECEIVED = [
  "2025-02-14T12:00:00Z",
  "2025-02-15T00:00:00Z",
  "2025-02-20T09:00:00Z",
  "2025-02-28T23:59:00Z",
  "2025-03-01T00:30:00Z",
  "2025-03-14T23:59:00Z",
  "2025-03-15T00:00:00Z",
];

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The recurrence the dashboard defines (PRODUCT.md), counted here from the inputs. */
function expectedRecurrence() {
  const done = Date.parse(`${DONE_AT.slice(0, 10)}T00:00:00Z`);
  const span = WEEKS * 7 * 86_400_000;
  const before = { from: day(done - span), to: day(done - 86_400_000) };
  const after = { from: day(done), to: day(done + span - 86_400_000) };
  const inside = (w: { from: string; to: string }) =>
    RECEIVED.filter((r) => r.slice(0, 10) >= w.from && r.slice(0, 10) <= w.to).length;
  return { before, after, beforeCount: inside(before), afterCount: inside(after) };
}

async function download(kind: string, query = "") {
  const response = await GET(new Request(`http://turnaround.test/exports/${kind}${query}`), {
    params: Promise.resolve({ kind }),
  });
  return { status: response.status, body: await response.text() };
}

const records = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

describe.each(engines)("corrective actions export on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  let doneId: string;
  const created: { id: string; createdAt: string }[] = [];
  let otherActionId: string;

  async function auditCount(orgId = org.orgId) {
    const [row] = await handle.db
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.orgId, orgId));
    return row!.n;
  }

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "CA export");
    other = await createTestOrg(handle.db, "Other CA export");
    const db = handle.db;
    const cause = await insertRootCause(db, org.orgId, "Late courier");
    const unrelated = await insertRootCause(db, org.orgId, "Billing error");
    await db
      .update(rootCauses)
      .set({ recurrenceWindowWeeks: WEEKS })
      .where(and(eq(rootCauses.orgId, org.orgId), eq(rootCauses.id, cause)));
    const customerId = await insertCustomer(db, org.orgId);
    for (const receivedAt of RECEIVED) {
      await insertComplaint(db, org.orgId, {
        customerId,
        teamId: org.teamId,
        rootCauseId: cause,
        receivedAt: new Date(receivedAt),
      });
    }
    // Another cause in the same weeks: not this action's recurrence.
    await insertComplaint(db, org.orgId, {
      customerId,
      teamId: org.teamId,
      rootCauseId: unrelated,
      receivedAt: new Date("2025-02-20T10:00:00Z"),
    });

    const specs = [
      { createdAt: "2025-01-05T08:00:00Z", title: "Map remote postcodes", status: "proposed" },
      {
        createdAt: "2025-02-01T00:00:00Z",
        title: EVIL,
        description: DESCRIPTION,
        status: "done",
        doneAt: DONE_AT,
        ownerId: org.users.quality.userId,
        dueAt: "2025-02-28T00:00:00Z",
      },
      { createdAt: "2025-02-10T10:00:00Z", title: "Weekly courier review", status: "in_progress" },
      { createdAt: "2025-03-01T23:59:59Z", title: "+1 courier on Mondays", status: "proposed" },
      { createdAt: "2025-04-01T00:00:00Z", title: "Retire the old rota", status: "verified" },
    ] as const;
    for (const spec of specs) {
      const [row] = await db
        .insert(correctiveActions)
        .values({
          orgId: org.orgId,
          rootCauseId: spec.title === "Retire the old rota" ? unrelated : cause,
          title: spec.title,
          description: "description" in spec ? spec.description : null,
          status: spec.status,
          ownerId: "ownerId" in spec ? spec.ownerId : null,
          dueAt: "dueAt" in spec ? new Date(spec.dueAt) : null,
          doneAt: "doneAt" in spec ? new Date(spec.doneAt) : null,
          createdAt: new Date(spec.createdAt),
        })
        .returning({ id: correctiveActions.id });
      created.push({ id: row!.id, createdAt: spec.createdAt });
      if (spec.title === EVIL) doneId = row!.id;
    }
    const theirCause = await insertRootCause(db, other.orgId, "Theirs");
    const [theirs] = await db
      .insert(correctiveActions)
      .values({
        orgId: other.orgId,
        rootCauseId: theirCause,
        title: "Their action",
        createdAt: new Date("2025-02-15T00:00:00Z"),
      })
      .returning({ id: correctiveActions.id });
    otherActionId = theirs!.id;
  });
  afterAll(async () => {
    await handle.close();
  });

  it("lists every action of the organisation, oldest first, across keyset pages", async () => {
    actAs(org.users.quality);
    // Pages of two: five actions take three pages.
    const result = await streamExportCsv("corrective-actions", new URLSearchParams(), {
      batchSize: 2,
    });
    expect(result.ok).toBe(true);
    const text = result.ok ? await new Response(result.stream).text() : "";
    const rows = records(text);
    expect(rows.map((r) => r.id)).toEqual(created.map((c) => c.id));
    expect(text).not.toContain(otherActionId);
    expect(text).not.toContain("Their action");
  });

  it("carries the dashboard's recurrence before vs after, formulas neutralised, text intact", async () => {
    actAs(org.users.admin);
    const file = await download("corrective-actions");
    expect(file.status).toBe(200);
    const rows = records(file.body);
    const done = rows.find((r) => r.id === doneId)!;
    const expected = expectedRecurrence();
    expect(expected.beforeCount).toBe(3);
    expect(done).toMatchObject({
      root_cause: "Late courier",
      root_cause_category: "Category of Late courier",
      title: `'${EVIL}`,
      description: DESCRIPTION,
      owner: expect.stringMatching(/^quality /),
      status: "done",
      created_at_utc: "2025-02-01T00:00:00.000Z",
      due_at_utc: "2025-02-28T00:00:00.000Z",
      done_at_utc: "2025-03-01T15:00:00.000Z",
      verified_at_utc: "",
      version: "1",
      recurrence_window_weeks: String(WEEKS),
      before_from_utc_day: expected.before.from,
      before_to_utc_day: expected.before.to,
      complaints_before: String(expected.beforeCount),
      after_from_utc_day: expected.after.from,
      after_to_utc_day: expected.after.to,
      complaints_after: String(expected.afterCount),
      recurrence_measurable: "true",
    });
    expect(Number(done.effectiveness)).toBeCloseTo(
      1 - expected.afterCount / expected.beforeCount,
      10,
    );
    // Not done yet: no recurrence to measure.
    const proposed = rows.find((r) => r.title === "'+1 courier on Mondays")!;
    expect(proposed).toMatchObject({ complaints_before: "", effectiveness: "", owner: "" });
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it("filters on the created date, UTC days, both ends included", async () => {
    actAs(org.users.quality);
    const file = await download("corrective-actions", "?from=2025-02-01&to=2025-03-01");
    expect(file.status).toBe(200);
    const expected = created.filter(
      (c) => c.createdAt.slice(0, 10) >= "2025-02-01" && c.createdAt.slice(0, 10) <= "2025-03-01",
    );
    expect(expected).toHaveLength(3);
    expect(records(file.body).map((r) => r.id)).toEqual(expected.map((c) => c.id));
  });

  it("records the download with its kind and range", async () => {
    actAs(org.users.quality);
    const before = await auditCount();
    await download("corrective-actions", "?to=2025-03-01");
    expect(await auditCount()).toBe(before + 1);
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.action, "export.downloaded")))
      .orderBy(auditEvents.occurredAt);
    expect(event).toMatchObject({
      actorId: org.users.quality.userId,
      entity: "export",
      entityId: "corrective-actions",
    });
    expect(await auditCount(other.orgId)).toBe(0);
  });

  it.each(["agent", "manager", "executive"] as const)(
    "refuses the %s role (no quality dashboard) with 403, streaming and recording nothing",
    async (role) => {
      actAs(org.users[role]);
      const before = await auditCount();
      const file = await download("corrective-actions");
      expect(file.status).toBe(403);
      expect(file.body).not.toContain("root_cause");
      expect(await auditCount()).toBe(before);
    },
  );

  it("refuses a reversed range with 400 and records nothing", async () => {
    actAs(org.users.quality);
    const before = await auditCount();
    const file = await download("corrective-actions", "?from=2025-03-02&to=2025-03-01");
    expect(file.status).toBe(400);
    expect(file.body).toContain("to: The end date must be on or after the start date.");
    expect(await auditCount()).toBe(before);
  });
});

describe.each(engines)("the exports page's choices on $name", (engine) => {
  let handle: DatabaseHandle;
  let empty: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    empty = await createTestOrg(handle.db, "Empty exports");
  });
  afterAll(async () => {
    await handle.close();
  });

  const allowedBy = async (role: keyof TestOrg["users"]) => {
    actAs(empty.users[role]);
    const choices = await exportChoices();
    return Object.fromEntries(choices.exports.map((c) => [c.kind, c.allowed]));
  };

  it("offers each role only what the route would serve", async () => {
    expect(await allowedBy("agent")).toEqual({
      "corrective-actions": false,
      "customer-activity": true,
      "audit-trail": false,
    });
    expect(await allowedBy("manager")).toEqual({
      "corrective-actions": false,
      "customer-activity": true,
      "audit-trail": true,
    });
    expect(await allowedBy("quality")).toEqual({
      "corrective-actions": true,
      "customer-activity": true,
      "audit-trail": true,
    });
  });

  it("says there is nothing to export in a new organisation, counting in SQL", async () => {
    actAs(empty.users.admin);
    const choices = await exportChoices();
    expect(choices.complaints).toBe(0);
    expect(choices.exports.map((c) => [c.kind, c.allowed, c.rows])).toEqual([
      ["corrective-actions", true, 0],
      ["customer-activity", true, 0],
      ["audit-trail", true, 0],
    ]);
    // A role that may not download an export is not shown its size either.
    actAs(empty.users.executive);
    const executive = await exportChoices();
    expect(executive.exports.find((c) => c.kind === "audit-trail")!.rows).toBeNull();
  });
});
