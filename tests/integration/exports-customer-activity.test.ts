import { parse } from "csv-parse/sync";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, customerActivities, customers } from "@/db/schema";
import { GET } from "@/app/(app)/exports/[kind]/route";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const EVIL = "=cmd|' /C calc'!A0";
const STORY = 'Bought it twice.\nThe second time, "by mistake", on a Sunday\r\nsee note';
const ACTIVITIES = 4_500; // more than two pages of 2,000
const kinds = ["purchase", "renewal", "cancellation", "referral", "review", "survey"] as const;

interface Download {
  status: number;
  type: string | null;
  body: string;
}

async function download(kind: string, query = ""): Promise<Download> {
  const response = await GET(new Request(`http://turnaround.test/exports/${kind}${query}`), {
    params: Promise.resolve({ kind }),
  });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.text(),
  };
}

const records = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

describe.each(engines)("customer activity export on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  /** Every activity of `org`, as inserted: what the file must hold. */
  let activities: { id: string; occurredAt: Date; amountMinor: number; currency: string }[];
  let otherActivityIds: string[];

  async function auditCount(orgId = org.orgId, action?: string) {
    const [row] = await handle.db
      .select({ n: count() })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.orgId, orgId), action ? eq(auditEvents.action, action) : undefined),
      );
    return row!.n;
  }

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Acme");
    other = await createTestOrg(handle.db, "Other");
    const db = handle.db;

    const [dana, evil, plain] = await db
      .insert(customers)
      .values([
        {
          orgId: org.orgId,
          name: "Dana Whitfield",
          email: "dana@example.test",
          externalRef: "C-1",
        },
        { orgId: org.orgId, name: EVIL, email: "@evil.test", externalRef: "+C-2" },
        { orgId: org.orgId, name: "Sam Ortiz", email: null, externalRef: null },
      ])
      .returning({ id: customers.id });
    const [theirs] = await db
      .insert(customers)
      .values({ orgId: other.orgId, name: "Their customer", externalRef: "C-1" })
      .returning({ id: customers.id });

    // Three activities a minute from 1 Jan 2026: ties on time cross the 2,000-row page boundary.
    const base = Date.parse("2026-01-01T00:00:00Z");
    const values = Array.from({ length: ACTIVITIES }, (_, i) => ({
      orgId: org.orgId,
      customerId: [dana, evil, plain][i % 3]!.id,
      kind: kinds[i % kinds.length]!,
      occurredAt: new Date(base + Math.floor(i / 3) * 60 * 60_000),
      amountMinor: i === 0 ? 2550 : (i * 37) % 100_000,
      currency: i % 10 === 1 ? "JPY" : "USD",
      score: i % kinds.length >= 4 ? i % 11 : null,
      externalRef: `A-${i}`,
      note: i === 0 ? STORY : i === 1 ? EVIL : i === 2 ? "@SUM(A1)" : null,
    }));
    const inserted: typeof activities = [];
    for (let i = 0; i < values.length; i += 500) {
      inserted.push(
        ...(await db
          .insert(customerActivities)
          .values(values.slice(i, i + 500))
          .returning({
            id: customerActivities.id,
            occurredAt: customerActivities.occurredAt,
            amountMinor: customerActivities.amountMinor,
            currency: customerActivities.currency,
          })),
      );
    }
    // Microseconds a JS Date cannot hold: a cursor that lost them would repeat or skip rows.
    await db.execute(
      sql`update customer_activities set occurred_at = occurred_at + interval '0.000321 second' where org_id = ${org.orgId}`,
    );
    activities = inserted;
    otherActivityIds = (
      await db
        .insert(customerActivities)
        .values(
          Array.from({ length: 5 }, (_, i) => ({
            orgId: other.orgId,
            customerId: theirs!.id,
            kind: "purchase" as const,
            occurredAt: new Date(base + i * 86_400_000),
            amountMinor: 100,
          })),
        )
        .returning({ id: customerActivities.id })
    ).map((r) => r.id);
  });
  afterAll(async () => {
    await handle.close();
  });

  // ---------------------------------------------------------------- customer activity
  it("streams every activity of the organisation, in order, across pages, and nothing else", async () => {
    actAs(org.users.agent);
    const file = await download("customer-activity");
    expect(file.status).toBe(200);
    expect(file.type).toBe("text/csv; charset=utf-8");
    const rows = records(file.body);
    expect(rows).toHaveLength(activities.length);
    const expected = [...activities]
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : 1))
      .map((a) => a.id);
    expect(rows.map((r) => r.id)).toEqual(expected);
    expect(new Set(rows.map((r) => r.id)).size).toBe(ACTIVITIES);
    for (const id of otherActivityIds) expect(file.body).not.toContain(id);
    expect(Object.keys(rows[0]!)).toEqual([
      "id",
      "customer_reference",
      "customer_name",
      "customer_email",
      "kind",
      "occurred_at_utc",
      "amount",
      "currency",
      "score",
      "external_reference",
      "note",
    ]);
  });

  it("writes amounts in the currency's units, times in UTC, notes intact and formulas neutralised", async () => {
    actAs(org.users.manager);
    const rows = records((await download("customer-activity")).body);
    const byRef = new Map(rows.map((r) => [r.external_reference, r]));
    expect(byRef.get("A-0")).toMatchObject({
      customer_reference: "C-1",
      customer_name: "Dana Whitfield",
      customer_email: "dana@example.test",
      kind: "purchase",
      occurred_at_utc: "2026-01-01T00:00:00.000Z",
      amount: "25.50",
      currency: "USD",
      score: "",
      note: STORY,
    });
    expect(byRef.get("A-1")).toMatchObject({
      customer_reference: "'+C-2",
      customer_name: `'${EVIL}`,
      customer_email: "'@evil.test",
      amount: "37",
      currency: "JPY",
      note: `'${EVIL}`,
    });
    expect(byRef.get("A-2")!.note).toBe("'@SUM(A1)");
    expect(byRef.get("A-4")).toMatchObject({ kind: "review", score: "4" });
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it("keeps only the activity on the UTC days asked for, both ends included", async () => {
    actAs(org.users.executive);
    const file = await download("customer-activity", "?from=2026-01-10&to=2026-01-20");
    expect(file.status).toBe(200);
    const inRange = activities.filter((a) => {
      const day = utcDay(a.occurredAt);
      return day >= "2026-01-10" && day <= "2026-01-20";
    });
    expect(inRange.length).toBeGreaterThan(0);
    expect(
      records(file.body)
        .map((r) => r.id)
        .sort(),
    ).toEqual(inRange.map((a) => a.id).sort());
  });

  it("records each download in the audit trail with its kind and filters", async () => {
    actAs(org.users.manager);
    const before = await auditCount(org.orgId, "export.downloaded");
    await download("customer-activity", "?from=2026-02-01");
    expect(await auditCount(org.orgId, "export.downloaded")).toBe(before + 1);
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.action, "export.downloaded")))
      .orderBy(sql`${auditEvents.occurredAt} desc`)
      .limit(1);
    expect(event).toMatchObject({
      actorKind: "user",
      actorId: org.users.manager.userId,
      entity: "export",
      entityId: "customer-activity",
      after: { kind: "customer-activity", from: "2026-02-01", to: null },
    });
    expect(await auditCount(other.orgId, "export.downloaded")).toBe(0);
  });

  it.each([
    ["from=2026-02-30", ["from"]],
    ["to=yesterday", ["to"]],
    ["from=2026-02-02&to=2026-02-01", ["to"]],
  ])(
    "refuses a bad range (%s) with 400, naming the field, and records nothing",
    async (q, fields) => {
      actAs(org.users.manager);
      const before = await auditCount();
      const file = await download("customer-activity", `?${q}`);
      expect(file.status).toBe(400);
      expect(file.type).toBe("text/plain; charset=utf-8");
      for (const field of fields) expect(file.body).toContain(`${field}: `);
      expect(file.body).not.toContain("external_reference");
      expect(await auditCount()).toBe(before);
    },
  );

  it("refuses a visitor without a session with 401 and an unknown export with 404", async () => {
    const before = await auditCount();
    actAs(null);
    const anonymous = await download("customer-activity");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).not.toContain(",");
    actAs(org.users.admin);
    expect((await download("everything")).status).toBe(404);
    expect(await auditCount()).toBe(before);
  });
});
