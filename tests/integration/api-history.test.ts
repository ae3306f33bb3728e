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
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints } from "@/db/schema";
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
});
