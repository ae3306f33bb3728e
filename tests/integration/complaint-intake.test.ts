import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, complaints, customers, holidays, slaPolicies, slaTargets } from "@/db/schema";
import { recordComplaint } from "@/lib/complaints/intake";
import { engines } from "../helpers/db";
import { createComplaint, createOutsider } from "../helpers/complaint-fixtures";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

describe.each(engines)("recording a complaint (intake) on $name", (engine) => {
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

  const valid = () => ({
    idempotencyKey: crypto.randomUUID(),
    customerName: "Dana Whitfield",
    customerEmail: "Dana@Example.test",
    channel: "phone",
    severity: "critical",
    summary: "Furnace repair: technician 90 minutes late",
    story: "I took the morning off and waited.\nNobody called to say they'd be late.",
    paraphrase:
      "What bothered you is that the technician was 90 minutes late and nobody told you, is that correct?",
    intakeSentiment: "1",
    receivedAt: "2026-11-18T20:00:00Z",
  });

  async function snapshot(orgId = org.orgId) {
    const n = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;
    return {
      complaints: await n(
        handle.db.select({ n: count() }).from(complaints).where(eq(complaints.orgId, orgId)),
      ),
      customers: await n(
        handle.db.select({ n: count() }).from(customers).where(eq(customers.orgId, orgId)),
      ),
      audit: await n(
        handle.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.orgId, orgId)),
      ),
    };
  }

  it("records the complaint with a new customer, the SLA due from the policy, and an audit event", async () => {
    actAs(org.users.agent);
    const before = await snapshot();
    const result = await recordComplaint(valid());
    expect(result).toMatchObject({ ok: true });
    const id = result.ok ? result.data.id : "";
    const [row] = await handle.db
      .select()
      .from(complaints)
      .where(and(eq(complaints.orgId, org.orgId), eq(complaints.id, id)));
    expect(row).toMatchObject({
      status: "new",
      severity: "critical",
      ownerId: org.users.agent.userId,
      teamId: org.teamId,
      intakeSentiment: 1,
      version: 1,
    });
    expect(row!.story).toContain("\nNobody called");
    // Critical = 24 business hours (New York, Mon–Fri 9–17) from Wed 18 Nov 15:00:
    // Wed 2 h + Thu 8 h + Fri 8 h + Mon 6 h → Mon 23 Nov 15:00 EST.
    expect(row!.slaDueAt!.toISOString()).toBe("2026-11-23T20:00:00.000Z");
    const [customer] = await handle.db
      .select()
      .from(customers)
      .where(and(eq(customers.orgId, org.orgId), eq(customers.id, row!.customerId)));
    expect(customer).toMatchObject({ name: "Dana Whitfield", email: "dana@example.test" });
    expect(await snapshot()).toEqual({
      complaints: before.complaints + 1,
      customers: before.customers + 1,
      audit: before.audit + 2,
    });
  });

  it("takes the SLA due date from the policy as it is at intake: its holidays and calendar-hour targets", async () => {
    const own = await createTestOrg(handle.db, "Holidays");
    const [policy] = await handle.db
      .select({ id: slaPolicies.id })
      .from(slaPolicies)
      .where(eq(slaPolicies.orgId, own.orgId));
    await handle.db
      .insert(holidays)
      .values({ orgId: own.orgId, policyId: policy!.id, day: "2026-11-19", name: "Closed" });
    actAs(own.users.agent);
    const dueOf = async (severity: string) => {
      const result = await recordComplaint({ ...valid(), severity });
      const id = result.ok ? result.data.id : "";
      const [row] = await handle.db
        .select({ slaDueAt: complaints.slaDueAt })
        .from(complaints)
        .where(and(eq(complaints.orgId, own.orgId), eq(complaints.id, id)));
      return row?.slaDueAt?.toISOString();
    };
    // Critical = 24 business hours from Wed 18 Nov 15:00 EST with Thursday closed:
    // Wed 2 h + Fri 8 h + Mon 8 h + Tue 6 h → Tue 24 Nov 15:00 EST.
    expect(await dueOf("critical")).toBe("2026-11-24T20:00:00.000Z");
    // A target changed to calendar hours applies to the next complaint.
    await handle.db
      .update(slaTargets)
      .set({ businessHours: false, resolutionHours: 10 })
      .where(and(eq(slaTargets.orgId, own.orgId), eq(slaTargets.severity, "minor")));
    expect(await dueOf("minor")).toBe("2026-11-19T06:00:00.000Z");
  });

  it("stores the customer's words with plain line breaks, as typed", async () => {
    actAs(org.users.agent);
    // A browser submits textarea line breaks as CRLF.
    const result = await recordComplaint({ ...valid(), story: "First line\r\nSecond line" });
    const id = result.ok ? result.data.id : "";
    const [row] = await handle.db
      .select({ story: complaints.story })
      .from(complaints)
      .where(and(eq(complaints.orgId, org.orgId), eq(complaints.id, id)));
    expect(row!.story).toBe("First line\nSecond line");
  });

  it("uses an existing customer when one is picked", async () => {
    const existing = await createComplaint(handle.db, org);
    actAs(org.users.agent);
    const before = await snapshot();
    const result = await recordComplaint({
      ...valid(),
      customerName: undefined,
      customerId: existing.customerId,
    });
    expect(result).toMatchObject({ ok: true, data: { customerId: existing.customerId } });
    expect((await snapshot()).customers).toBe(before.customers);
  });

  const bad: [string, Record<string, unknown>][] = [
    ["idempotencyKey", { idempotencyKey: "abc" }],
    ["idempotencyKey", { idempotencyKey: undefined }],
    ["customerName", { customerName: undefined }],
    ["customerName", { customerName: "x".repeat(201) }],
    ["customerEmail", { customerEmail: "dana-at-example" }],
    ["customerId", { customerName: undefined, customerId: "cust-1" }],
    ["customerId", { customerName: undefined, customerId: crypto.randomUUID() }],
    ["channel", { channel: "carrier pigeon" }],
    ["channel", { channel: undefined }],
    ["severity", { severity: "apocalyptic" }],
    ["severity", { severity: undefined }],
    ["summary", { summary: "" }],
    ["summary", { summary: "x".repeat(301) }],
    ["story", { story: "   " }],
    ["story", { story: 12 }],
    ["paraphrase", { paraphrase: "x".repeat(20_001) }],
    ["intakeSentiment", { intakeSentiment: "0" }],
    ["intakeSentiment", { intakeSentiment: "6" }],
    ["intakeSentiment", { intakeSentiment: "furious" }],
    ["intakeSentiment", { intakeSentiment: undefined }],
    ["intakeNps", { intakeNps: "11" }],
    ["intakeNps", { intakeNps: "3.5" }],
    ["receivedAt", { receivedAt: "yesterday-ish" }],
    ["receivedAt", { receivedAt: "2099-01-01T00:00:00Z" }],
    ["promisedBy", { promisedBy: "2020-01-01T00:00:00Z" }],
    ["productId", { productId: crypto.randomUUID() }],
    ["teamId", { teamId: "front line" }],
    ["ownerId", { ownerId: crypto.randomUUID() }],
  ];
  it.each(bad)(
    "refuses a bad %s (%j) with a field error and changes nothing",
    async (field, patch) => {
      actAs(org.users.agent);
      const input: Record<string, unknown> = { ...valid(), ...patch };
      for (const [k, v] of Object.entries(patch)) if (v === undefined) delete input[k];
      const before = await snapshot();
      const result = await recordComplaint(input);
      expect(!result.ok && result.fieldErrors?.[field]?.[0], JSON.stringify(result)).toBeTruthy();
      expect(await snapshot()).toEqual(before);
    },
  );

  it("refuses another organisation's customer and team", async () => {
    const foreign = await createComplaint(handle.db, other);
    actAs(org.users.agent);
    const before = await snapshot();
    const a = await recordComplaint({
      ...valid(),
      customerName: undefined,
      customerId: foreign.customerId,
    });
    const b = await recordComplaint({ ...valid(), teamId: other.teamId });
    expect(!a.ok && a.fieldErrors?.customerId).toBeTruthy();
    expect(!b.ok && b.fieldErrors?.teamId).toBeTruthy();
    expect(await snapshot()).toEqual(before);
    expect(await snapshot(other.orgId)).toMatchObject({ complaints: 1 });
  });

  it("refuses an agent recording for a team they are not in", async () => {
    const outsider = await createOutsider(handle.db, org);
    actAs(org.users.agent);
    const before = await snapshot();
    const result = await recordComplaint({ ...valid(), teamId: outsider.teamId });
    expect(!result.ok && result.fieldErrors?.teamId?.[0]).toMatch(/own teams/);
    expect(await snapshot()).toEqual(before);
  });

  it.each(["quality", "executive", "anonymous"] as const)(
    "refuses the %s and changes nothing",
    async (who) => {
      actAs(who === "anonymous" ? null : org.users[who]);
      const before = await snapshot();
      const result = await recordComplaint(valid());
      expect(result).toMatchObject({
        ok: false,
        reason: who === "anonymous" ? "unauthenticated" : "forbidden",
      });
      expect(await snapshot()).toEqual(before);
    },
  );

  it("a double click (same idempotency key) creates one complaint and returns the same result", async () => {
    actAs(org.users.agent);
    const input = valid();
    const before = await snapshot();
    const first = await recordComplaint(input);
    const second = await recordComplaint(input);
    expect(second).toEqual(first);
    expect((await snapshot()).complaints).toBe(before.complaints + 1);
  });

  it("20 concurrent submissions with the same key create exactly one complaint", async () => {
    actAs(org.users.manager);
    const input = valid();
    const before = await snapshot();
    const results = await Promise.all(Array.from({ length: 20 }, () => recordComplaint(input)));
    const ids = new Set(results.map((r) => (r.ok ? r.data.id : JSON.stringify(r))));
    expect([...ids]).toHaveLength(1);
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await snapshot()).complaints).toBe(before.complaints + 1);
  });

  it("refuses a reused key with different content", async () => {
    actAs(org.users.agent);
    const input = valid();
    await recordComplaint(input);
    const before = await snapshot();
    const result = await recordComplaint({ ...input, summary: "Something else entirely" });
    expect(result).toMatchObject({ ok: false, reason: "conflict" });
    expect(await snapshot()).toEqual(before);
  });
});
