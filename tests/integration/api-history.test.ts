/**
 * History through the API (issue #11): a complaint created with its own reference and the time
 * the customer first heard back keeps both, and the first-response figure for that past period is
 * computed from them — equal to the median and p90 worked out here by hand. A second complaint
 * with the same reference, a first response before receipt or in the future is refused with the
 * field named, and nothing changes.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import * as listRoute from "@/app/api/v1/complaints/route";
import * as productsRoute from "@/app/api/v1/products/route";
import * as completionRoute from "@/app/api/v1/complaints/[id]/follow-ups/[followUpId]/completion/route";
import * as followUpRoute from "@/app/api/v1/complaints/[id]/follow-ups/route";
import * as outcomeRoute from "@/app/api/v1/complaints/[id]/outcome/route";
import * as decisionRoute from "@/app/api/v1/complaints/[id]/remedies/[remedyId]/decision/route";
import * as deliveryRoute from "@/app/api/v1/complaints/[id]/remedies/[remedyId]/delivery/route";
import * as remedyRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import * as statusRoute from "@/app/api/v1/complaints/[id]/status/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, followUps, outcomes, remedies } from "@/db/schema";
import { apiSnapshot, call, issueToken } from "../helpers/api-client";
import { insertProduct } from "../helpers/complaints";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const HOUR = 3_600_000;
const received = (day: number) => new Date(Date.UTC(2025, 2, day, 9));
/** Hours to first response of the history loaded below; median 5 h, p90 by interpolation. */
const HOURS = [2, 4, 5, 9, 30];

describe.each(engines)("complaint history through the API on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let write: string;
  let read: string;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "History");
    write = await issueToken(handle.db, org, "write");
    read = await issueToken(handle.db, org, "read");
  });
  afterAll(async () => {
    await handle.close();
  });

  const create = (body: Record<string, unknown>) =>
    call(listRoute.POST, "POST", "/complaints", {
      token: write,
      body: {
        customerName: "Noor Haddad",
        channel: "email",
        severity: "major",
        summary: "Parcel lost",
        story: "The tracking stopped a week ago.",
        intakeSentiment: 2,
        ...body,
      },
    });

  it("keeps the reference and first response, and the past period's figure follows them", async () => {
    for (const [i, hours] of HOURS.entries()) {
      const at = received(3 + i);
      const reply = await create({
        externalRef: `OLD-${i}`,
        receivedAt: at.toISOString(),
        firstResponseAt: new Date(at.getTime() + hours * HOUR).toISOString(),
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body.data).toMatchObject({ externalRef: `OLD-${i}`, status: "in_progress" });
    }
    const [stored] = await handle.db
      .select({ ref: complaints.externalRef, first: complaints.firstResponseAt })
      .from(complaints)
      .where(and(eq(complaints.orgId, org.orgId), eq(complaints.externalRef, "OLD-3")));
    expect(stored).toEqual({ ref: "OLD-3", first: new Date(received(6).getTime() + 9 * HOUR) });

    const reply = await call(metricRoute.GET, "GET", "/metrics/first-response-time", {
      token: read,
      params: { name: "first-response-time" },
      query: { range: "custom", from: "2025-03-01", to: "2025-03-31" },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    // percentile_cont: the median is the middle value, p90 interpolates 10 % of the way
    // from 9 h to 30 h.
    const sorted = [...HOURS].sort((a, b) => a - b);
    const p90 = sorted[3]! + 0.6 * (sorted[4]! - sorted[3]!);
    expect(reply.body.data.current).toMatchObject({ count: HOURS.length, medianHours: 5 });
    expect(reply.body.data.current.p90Hours).toBeCloseTo(p90, 9);
  });

  it.each([
    ["externalRef", { externalRef: "OLD-1" }, /exists already/],
    [
      "firstResponseAt",
      { receivedAt: received(20).toISOString(), firstResponseAt: received(19).toISOString() },
      /before received at/,
    ],
    ["firstResponseAt", { firstResponseAt: "2999-01-01T00:00:00Z" }, /future/],
  ])("refuses %s (%j) with the field named, and changes nothing", async (field, body, words) => {
    const before = await apiSnapshot(handle.db, org.orgId);
    const reply = await create(body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields[field]?.[0]).toMatch(words);
    expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
  });

  describe("products by name", () => {
    let broadband: string;
    let router: string;
    let fibre: string;
    beforeAll(async () => {
      broadband = await insertProduct(handle.db, org.orgId, "Broadband");
      router = await insertProduct(handle.db, org.orgId, "Router", broadband);
      const mobile = await insertProduct(handle.db, org.orgId, "Mobile");
      await insertProduct(handle.db, org.orgId, "Router", mobile);
      fibre = await insertProduct(handle.db, org.orgId, "Fibre", broadband);
    });

    it("lists them with the paths a complaint may name them by", async () => {
      const reply = await call(productsRoute.GET, "GET", "/products", { token: read });
      expect(reply.status).toBe(200);
      expect(reply.body.data.map((p: { path: string }) => p.path)).toEqual([
        "Broadband",
        "Broadband › Fibre",
        "Broadband › Router",
        "Mobile",
        "Mobile › Router",
      ]);
      expect(reply.body.data[2]).toEqual({
        id: router,
        name: "Router",
        parentId: broadband,
        path: "Broadband › Router",
        externalRef: null,
      });
    });

    it.each([
      ["broadband", () => broadband, "Broadband"],
      ["Broadband › Router", () => router, "Router"],
      ["FIBRE", () => fibre, "Fibre"],
    ])("takes productName %s", async (productName, id, name) => {
      const reply = await create({ productName });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body.data.product).toEqual({ id: id(), name });
    });

    it.each([
      [{ productName: "Satellite" }, /No product is called "Satellite"/],
      [{ productName: "Router" }, /Several products are called "Router"/],
      [{ productName: "Fibre", productId: crypto.randomUUID() }, /not both/],
    ])("refuses %j on productName, and changes nothing", async (body, words) => {
      const before = await apiSnapshot(handle.db, org.orgId);
      const reply = await create(body);
      expect(reply.status).toBe(400);
      expect(reply.body.error.fields.productName?.[0]).toMatch(words);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });
  });

  describe("a complaint's life with its times", () => {
    const t = (day: number, hour: number) => new Date(Date.UTC(2025, 4, day, hour)).toISOString();
    type Route = { POST: Parameters<typeof call>[0] };
    let id: string;
    let version: number;
    const post = async (route: Route, path: string, body: Record<string, unknown>, params = {}) => {
      const reply = await call(route.POST, "POST", path, {
        token: write,
        params: { id, ...params },
        body: { version, ...body },
      });
      if (reply.status < 300) version = reply.body.data.version;
      return reply;
    };
    const stored = async () =>
      (
        await handle.db
          .select({
            status: complaints.status,
            firstResponseAt: complaints.firstResponseAt,
            resolvedAt: complaints.resolvedAt,
            closedAt: complaints.closedAt,
          })
          .from(complaints)
          .where(and(eq(complaints.orgId, org.orgId), eq(complaints.id, id)))
      )[0]!;

    beforeAll(async () => {
      const reply = await create({ externalRef: "LIFE-1", receivedAt: t(5, 9) });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      id = reply.body.data.id;
      version = reply.body.data.version;
    });

    it("records each event at its own time, and the figures follow them", async () => {
      const offered = await post(remedyRoute, "/remedies", {
        kind: "refund",
        cost: 40,
        currency: "USD",
        at: t(5, 12),
      });
      expect(offered.status, JSON.stringify(offered.body)).toBe(201);
      const remedyId = offered.body.data.id;
      expect(await stored()).toMatchObject({ firstResponseAt: new Date(t(5, 12)) });
      for (const [route, body] of [
        [decisionRoute, { decision: "accepted", at: t(5, 13) }],
        [deliveryRoute, { at: t(6, 10) }],
      ] as const) {
        const reply = await post(route, "/x", body, { remedyId });
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      }
      const scheduled = await post(followUpRoute, "/follow-ups", { dueAt: t(8, 9) });
      const followUpId = scheduled.body.data.id;
      // A phone call earlier than the remedy: it becomes the first response.
      const done = await post(
        completionRoute,
        "/x",
        { channel: "phone", nps: 8, at: t(5, 10) },
        { followUpId },
      );
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect((await post(statusRoute, "/status", { to: "resolved", at: t(6, 11) })).status).toBe(
        200,
      );
      const outcome = await post(outcomeRoute, "/outcome", {
        finalNps: 9,
        signals: ["positive_review"],
        at: t(7, 9),
      });
      expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
      expect((await post(statusRoute, "/status", { to: "closed", at: t(7, 10) })).status).toBe(200);

      expect(await stored()).toEqual({
        status: "closed",
        firstResponseAt: new Date(t(5, 10)),
        resolvedAt: new Date(t(6, 11)),
        closedAt: new Date(t(7, 10)),
      });
      const [remedy] = await handle.db
        .select({ decidedAt: remedies.decidedAt, deliveredAt: remedies.deliveredAt })
        .from(remedies)
        .where(and(eq(remedies.orgId, org.orgId), eq(remedies.complaintId, id)));
      expect(remedy).toEqual({ decidedAt: new Date(t(5, 13)), deliveredAt: new Date(t(6, 10)) });
      const [followUp] = await handle.db
        .select({ doneAt: followUps.doneAt })
        .from(followUps)
        .where(and(eq(followUps.orgId, org.orgId), eq(followUps.complaintId, id)));
      expect(followUp).toEqual({ doneAt: new Date(t(5, 10)) });
      const [outcomeRow] = await handle.db
        .select({ recordedAt: outcomes.recordedAt })
        .from(outcomes)
        .where(and(eq(outcomes.orgId, org.orgId), eq(outcomes.complaintId, id)));
      expect(outcomeRow).toEqual({ recordedAt: new Date(t(7, 9)) });

      // Resolution took 26 hours (received 5 May 09:00, resolved 6 May 11:00).
      const resolution = await call(metricRoute.GET, "GET", "/metrics/time-to-resolution", {
        token: read,
        params: { name: "time-to-resolution" },
        query: { range: "custom", from: "2025-05-01", to: "2025-05-31" },
      });
      expect(resolution.status, JSON.stringify(resolution.body)).toBe(200);
      expect(resolution.body.data.current).toMatchObject({ count: 1, medianHours: 26 });
    });

    it.each([
      [
        "before the complaint came in",
        { to: "reopen", at: t(4, 9) },
        /before the complaint was received/,
      ],
      ["in the future", { to: "reopen", at: "2999-01-01T00:00:00Z" }, /future/],
    ])("refuses an event %s on `at`, and changes nothing", async (_, body, words) => {
      const before = await apiSnapshot(handle.db, org.orgId);
      const reply = await post(statusRoute, "/status", body);
      expect(reply.status).toBe(400);
      expect(reply.body.error.fields.at?.[0]).toMatch(words);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("refuses a resolution before the first response, and a delivery before the offer", async () => {
      const reopened = await post(statusRoute, "/status", { to: "reopen", at: t(9, 9) });
      expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
      const before = await apiSnapshot(handle.db, org.orgId);
      const early = await post(statusRoute, "/status", {
        to: "resolved",
        noRemedyReason: "Explained",
        at: t(5, 9),
      });
      expect(early.status).toBe(400);
      expect(early.body.error.fields.at?.[0]).toBe("Resolved at is before first response.");
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);

      const offered = await post(remedyRoute, "/remedies", {
        kind: "credit",
        cost: 5,
        currency: "USD",
        at: t(9, 12),
      });
      const late = await post(
        deliveryRoute,
        "/x",
        { at: t(9, 11) },
        { remedyId: offered.body.data.id },
      );
      expect(late.status).toBe(400);
      expect(late.body.error.fields.at?.[0]).toMatch(/after it was offered/);
    });

    it("records a remedy whose cost is not known (cost: null), which counts in no recovery cost", async () => {
      const offered = await post(remedyRoute, "/remedies", {
        kind: "replacement",
        cost: null,
        currency: "USD",
        at: t(9, 13),
      });
      expect(offered.status, JSON.stringify(offered.body)).toBe(201);
      const [row] = await handle.db
        .select({ costMinor: remedies.costMinor })
        .from(remedies)
        .where(and(eq(remedies.orgId, org.orgId), eq(remedies.id, offered.body.data.id)));
      expect(row).toEqual({ costMinor: null });
      const costBefore = await call(metricRoute.GET, "GET", "/metrics/recovery-cost", {
        token: read,
        params: { name: "recovery-cost" },
        query: { range: "custom", from: "2025-05-01", to: "2025-05-31" },
      });
      const delivered = await post(
        deliveryRoute,
        "/x",
        { at: t(9, 14) },
        { remedyId: offered.body.data.id },
      );
      expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
      const costAfter = await call(metricRoute.GET, "GET", "/metrics/recovery-cost", {
        token: read,
        params: { name: "recovery-cost" },
        query: { range: "custom", from: "2025-05-01", to: "2025-05-31" },
      });
      expect(costAfter.body.data).toEqual(costBefore.body.data);
      // A cost that is not a number is still a field error, not an unknown cost.
      const bad = await post(remedyRoute, "/remedies", {
        kind: "credit",
        cost: "lots",
        currency: "USD",
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.error.fields)).toEqual(["cost"]);
    });
  });
});
