/**
 * Products by external reference in the API (issue #11): GET /products lists each product's
 * externalRef, and POST /complaints may name the product by it (productRef). An unknown reference,
 * one given with productId or productName, or one too long is refused on the field, and nothing
 * changes.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as listRoute from "@/app/api/v1/complaints/route";
import * as productsRoute from "@/app/api/v1/products/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, products } from "@/db/schema";
import { apiSnapshot, call, issueToken } from "../helpers/api-client";
import { insertProduct } from "../helpers/complaints";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

describe.each(engines)("products by external reference on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  let write: string;
  let read: string;
  let broadband: string;
  let router: string;

  const setRef = (orgId: string, id: string, ref: string) =>
    handle.db
      .update(products)
      .set({ externalRef: ref })
      .where(and(eq(products.orgId, orgId), eq(products.id, id)));

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Product refs");
    other = await createTestOrg(handle.db, "Other refs");
    write = await issueToken(handle.db, org, "write");
    read = await issueToken(handle.db, org, "read");
    broadband = await insertProduct(handle.db, org.orgId, "Broadband");
    router = await insertProduct(handle.db, org.orgId, "Router", broadband);
    await setRef(org.orgId, router, "SKU-ROUTER-7");
    // Another organisation's product with a reference: never reachable from this one.
    const theirs = await insertProduct(handle.db, other.orgId, "Theirs");
    await setRef(other.orgId, theirs, "SKU-THEIRS");
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
        severity: "minor",
        summary: "Router keeps rebooting",
        story: "Every evening at eight it restarts.",
        intakeSentiment: 2,
        ...body,
      },
    });

  it("lists each product's external reference", async () => {
    const reply = await call(productsRoute.GET, "GET", "/products", { token: read });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual([
      { id: broadband, name: "Broadband", parentId: null, path: "Broadband", externalRef: null },
      {
        id: router,
        name: "Router",
        parentId: broadband,
        path: "Broadband › Router",
        externalRef: "SKU-ROUTER-7",
      },
    ]);
  });

  it("records a complaint for the product a known reference names", async () => {
    const reply = await create({ productRef: "SKU-ROUTER-7" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.data.product).toEqual({ id: router, name: "Router" });
    const [stored] = await handle.db
      .select({ productId: complaints.productId })
      .from(complaints)
      .where(and(eq(complaints.orgId, org.orgId), eq(complaints.id, reply.body.data.id)));
    expect(stored).toEqual({ productId: router });
  });

  it.each([
    ["unknown", { productRef: "SKU-NOPE" }, /No product has the reference "SKU-NOPE"/],
    ["another organisation's", { productRef: "SKU-THEIRS" }, /No product has the reference/],
    ["case differs", { productRef: "sku-router-7" }, /No product has the reference/],
    ["too long", { productRef: "x".repeat(121) }, /under 120 characters/],
    ["not text", { productRef: 42 }, /must be text/],
    ["with productName", { productRef: "SKU-ROUTER-7", productName: "Router" }, /one of/],
  ])("refuses a reference (%s) on the field, changing nothing", async (_, body, words) => {
    const before = await apiSnapshot(handle.db, org.orgId);
    const reply = await create(body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields.productRef?.[0]).toMatch(words);
    expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
  });

  it("refuses a reference given with productId, changing nothing", async () => {
    const before = await apiSnapshot(handle.db, org.orgId);
    const reply = await create({ productRef: "SKU-ROUTER-7", productId: broadband });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields.productRef?.[0]).toMatch(/one of productId/);
    expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
  });
});
