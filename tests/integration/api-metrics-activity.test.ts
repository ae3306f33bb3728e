/**
 * /api/v1 customer activity and metrics. Activity: recorded as the token, matched to customers by
 * reference, idempotent by its own reference, every bad field a 400, read tokens refused. Metrics:
 * every registered metric answers with exactly what the dashboard's function computes on the
 * same filters, and one figure is checked against SQL written here.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as activityRoute from "@/app/api/v1/customer-activities/route";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import * as metricsRoute from "@/app/api/v1/metrics/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { queryRows } from "@/db/client";
import { auditEvents, customerActivities, customers } from "@/db/schema";
import { metricNames, metrics } from "@/lib/api/metrics";
import { parseDashboardFilters } from "@/lib/metrics/filters";
import { apiSnapshot, call, issueToken } from "../helpers/api-client";
import { createComplaint } from "../helpers/complaint-fixtures";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const activity = (overrides: Record<string, unknown> = {}) => ({
  customerRef: "CUST-77",
  customerName: "Lena Park",
  customerEmail: "lena@example.test",
  kind: "renewal",
  occurredAt: "2026-03-01T10:00:00Z",
  amount: "129.00",
  currency: "USD",
  externalRef: `INV-${crypto.randomUUID().slice(0, 8)}`,
  ...overrides,
});

describe.each(engines)("activity and metrics API on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  let write: string;
  let read: string;
  let otherRead: string;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Acme");
    other = await createTestOrg(handle.db, "Other");
    write = await issueToken(handle.db, org, "write");
    read = await issueToken(handle.db, org, "read");
    otherRead = await issueToken(handle.db, other, "read");
  });
  afterAll(async () => {
    await handle.close();
  });

  describe("POST /customer-activities", () => {
    it("records an activity, creating the customer by reference, once per externalRef", async () => {
      const body = activity();
      const first = await call(activityRoute.POST, "POST", "/customer-activities", {
        token: write,
        body,
      });
      expect(first.status).toBe(201);
      expect(first.body.data).toMatchObject({
        created: true,
        activity: {
          kind: "renewal",
          amountMinor: 12900,
          currency: "USD",
          externalRef: body.externalRef,
        },
      });
      const [customer] = await handle.db
        .select()
        .from(customers)
        .where(and(eq(customers.orgId, org.orgId), eq(customers.externalRef, "CUST-77")));
      expect(customer).toMatchObject({ id: first.body.data.customerId, name: "Lena Park" });
      const [event] = await handle.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entityId, first.body.data.id)));
      expect(event).toMatchObject({ action: "activity.recorded", actorKind: "api_token" });

      const before = await apiSnapshot(handle.db, org.orgId);
      const again = await call(activityRoute.POST, "POST", "/customer-activities", {
        token: write,
        body,
      });
      expect(again.status).toBe(200);
      expect(again.body.data).toEqual({ ...first.body.data, created: false });
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);

      // A second activity for the same reference joins the same customer; amounts may be numbers.
      const purchase = await call(activityRoute.POST, "POST", "/customer-activities", {
        token: write,
        body: activity({ kind: "Purchase", amount: 19.5, externalRef: undefined }),
      });
      expect(purchase.status).toBe(201);
      expect(purchase.body.data).toMatchObject({
        customerId: customer!.id,
        activity: { kind: "purchase", amountMinor: 1950 },
      });
    });

    it("matches an existing customer by email when the reference is new", async () => {
      const [existing] = await handle.db
        .insert(customers)
        .values({ orgId: org.orgId, name: "Omar Haddad", email: "omar@example.test" })
        .returning();
      const reply = await call(activityRoute.POST, "POST", "/customer-activities", {
        token: write,
        body: activity({
          customerRef: "CUST-OMAR",
          customerEmail: "Omar@Example.test",
          customerName: undefined,
        }),
      });
      expect(reply.body.data.customerId).toBe(existing!.id);
    });

    it.each([
      ["customerRef", { customerRef: "" }],
      ["customerRef", { customerRef: undefined }],
      ["customerEmail", { customerEmail: "nope" }],
      ["kind", { kind: "gift" }],
      ["occurredAt", { occurredAt: "last tuesday" }],
      ["occurredAt", { occurredAt: undefined }],
      ["amount", { amount: "-5" }],
      ["amount", { amount: "1.5", currency: "JPY" }],
      ["currency", { currency: "dollars" }],
      ["score", { score: 11 }],
      ["externalRef", { externalRef: "x".repeat(121) }],
      ["note", { note: "x".repeat(2001) }],
    ])("answers 400 naming %s, and changes nothing", async (field, overrides) => {
      const before = await apiSnapshot(handle.db, org.orgId);
      const reply = await call(activityRoute.POST, "POST", "/customer-activities", {
        token: write,
        body: activity(overrides),
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.fields[field]?.length, JSON.stringify(reply.body)).toBeGreaterThan(0);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("refuses a read token (403) and a revoked one (401), changing nothing", async () => {
      const revoked = await issueToken(handle.db, org, "write", { revoked: true });
      const before = await apiSnapshot(handle.db, org.orgId);
      const asRead = await call(activityRoute.POST, "POST", "/c", {
        token: read,
        body: activity(),
      });
      const asRevoked = await call(activityRoute.POST, "POST", "/c", {
        token: revoked,
        body: activity(),
      });
      expect([asRead.status, asRevoked.status]).toEqual([403, 401]);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("keeps another organisation's activity apart, even with the same references", async () => {
      const otherWrite = await issueToken(handle.db, other, "write");
      const shared = `INV-SHARED-${crypto.randomUUID().slice(0, 8)}`;
      const body = activity({ externalRef: shared });
      await call(activityRoute.POST, "POST", "/c", { token: write, body });
      const theirs = await call(activityRoute.POST, "POST", "/c", { token: otherWrite, body });
      expect(theirs.status).toBe(201);
      const rows = await handle.db
        .select({ orgId: customerActivities.orgId })
        .from(customerActivities)
        .where(eq(customerActivities.externalRef, shared));
      expect(rows.map((r) => r.orgId).sort()).toEqual([org.orgId, other.orgId].sort());
    });

    it("replays an Idempotency-Key retry without recording twice", async () => {
      const body = activity({ externalRef: undefined, kind: "referral", amount: undefined });
      const headers = { "idempotency-key": crypto.randomUUID() };
      const first = await call(activityRoute.POST, "POST", "/c", { token: write, body, headers });
      const second = await call(activityRoute.POST, "POST", "/c", { token: write, body, headers });
      expect(second).toMatchObject({ status: 201, body: first.body });
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      const rows = await handle.db
        .select()
        .from(customerActivities)
        .where(
          and(eq(customerActivities.orgId, org.orgId), eq(customerActivities.kind, "referral")),
        );
      expect(rows).toHaveLength(1);
    });
  });

  describe("metrics", () => {
    beforeAll(async () => {
      const now = Date.now();
      for (let i = 0; i < 6; i++) {
        const resolved = i % 2 === 0;
        await createComplaint(handle.db, org, {
          receivedAt: new Date(now - (i + 2) * 86_400_000),
          status: resolved ? "resolved" : i === 1 ? "new" : "in_progress",
          resolvedAt: resolved ? new Date(now - (i + 1) * 86_400_000) : null,
          // The first is resolved within its SLA, the other resolved ones after it.
          slaDueAt: new Date(now - (i + (i === 0 ? 0.5 : 1.5)) * 86_400_000),
          intakeNps: i,
        });
      }
      await createComplaint(handle.db, other);
    });

    it("lists every metric to a read token", async () => {
      const reply = await call(metricsRoute.GET, "GET", "/metrics", { token: read });
      expect(reply.status).toBe(200);
      expect(reply.body.data.map((m: { name: string }) => m.name)).toEqual(metricNames);
    });

    it.each(metricNames)("%s equals the dashboard function's figure", async (name) => {
      const query = { range: "30d", severity: "major" };
      const reply = await call(metricRoute.GET, "GET", `/metrics/${name}`, {
        token: read,
        params: { name },
        query,
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      actAs(org.users.admin);
      const definition = metrics[name] as {
        run: (f: unknown, o: Record<string, unknown>) => Promise<unknown>;
        options?: { parse: (v: unknown) => Record<string, unknown> };
      };
      const direct = await definition.run(
        parseDashboardFilters(new URLSearchParams(query)),
        definition.options?.parse({}) ?? {},
      );
      actAs(null);
      expect(reply.body.metric).toBe(name);
      expect(reply.body.data).toEqual(JSON.parse(JSON.stringify(direct)));
    });

    it("counts open complaints as SQL written here does, per organisation", async () => {
      const expected = async (orgId: string) => {
        const [row] = await queryRows<{ n: number }>(
          handle.db,
          sql`select count(*)::int as n from complaints where org_id = ${orgId} and status in ('new', 'in_progress')`,
        );
        return Number(row!.n);
      };
      const ours = await call(metricRoute.GET, "GET", "/metrics/open-complaints", {
        token: read,
        params: { name: "open-complaints" },
      });
      const theirs = await call(metricRoute.GET, "GET", "/metrics/open-complaints", {
        token: otherRead,
        params: { name: "open-complaints" },
      });
      expect(ours.body.data.current).toBe(await expected(org.orgId));
      expect(ours.body.data.current).toBeGreaterThanOrEqual(3);
      expect(theirs.body.data.current).toBe(await expected(other.orgId));
    });

    it("computes the SLA-met share over the filtered period as SQL written here does", async () => {
      const reply = await call(metricRoute.GET, "GET", "/metrics/sla-met", {
        token: read,
        params: { name: "sla-met" },
        query: { range: "30d" },
      });
      const { from, to } = reply.body.filters.current;
      const [row] = await queryRows<{ met: number; resolved: number }>(
        handle.db,
        sql`select count(*) filter (where resolved_at <= sla_due_at)::int as met, count(*)::int as resolved
            from complaints where org_id = ${org.orgId} and resolved_at >= ${from}::date and resolved_at < ${to}::date + 1 and sla_due_at is not null`,
      );
      expect(reply.body.data.current.numerator).toBe(Number(row!.met));
      expect(reply.body.data.current.denominator).toBe(Number(row!.resolved));
      expect(reply.body.data.current).toMatchObject({ numerator: 1, denominator: 3 });
    });

    it.each([
      ["range", { range: "fortnight" }],
      ["from", { from: "2026-02-30", to: "2026-03-10" }],
      ["to", { from: "2026-03-10", to: "2026-03-01" }],
      ["to", { range: "custom", from: "2026-03-10" }],
      ["severity", { severity: "apocalyptic" }],
    ])("answers 400 naming %s for an unreadable filter", async (field, query) => {
      const reply = await call(metricRoute.GET, "GET", "/metrics/sla-met", {
        token: read,
        params: { name: "sla-met" },
        query,
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.fields[field]?.length).toBeGreaterThan(0);
    });

    it("answers 400 for a bad option and 404 for an unknown metric", async () => {
      const bad = await call(metricRoute.GET, "GET", "/m", {
        token: read,
        params: { name: "root-cause-pareto" },
        query: { basis: "vibes" },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.fields.basis).toBeDefined();
      for (const name of ["happiness", "__proto__", "constructor"]) {
        const missing = await call(metricRoute.GET, "GET", "/m", { token: read, params: { name } });
        expect(missing.status).toBe(404);
        expect(missing.body.error.code).toBe("not_found");
      }
    });

    it("answers 401 to a revoked token", async () => {
      const revoked = await issueToken(handle.db, org, "read", { revoked: true });
      expect((await call(metricsRoute.GET, "GET", "/metrics", { token: revoked })).status).toBe(
        401,
      );
      expect(
        (await call(metricRoute.GET, "GET", "/m", { token: revoked, params: { name: "nps" } }))
          .status,
      ).toBe(401);
    });
  });

  it("wrote nothing into the other organisation but its own activity", async () => {
    const leaked = await handle.db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.orgId, other.orgId), inArray(customers.externalRef, ["CUST-OMAR"])));
    expect(leaked).toEqual([]);
  });
});
