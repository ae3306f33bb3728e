/**
 * POST /api/v1/complaints as a client sees it: the 201 reply says exactly what a GET of the new
 * complaint says (byte for byte), whoever the customer is and whatever is filled in; a retry with
 * the same Idempotency-Key gets the first answer — a 201 even after the complaint changed, and a
 * refusal even after the world changed — and never a second complaint; the key with another body
 * is 409 idempotency_mismatch, as before intake claimed API keys itself.
 */
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as detailRoute from "@/app/api/v1/complaints/[id]/route";
import * as remedyRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import * as listRoute from "@/app/api/v1/complaints/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, customers, products, users } from "@/db/schema";
import { claim, keyAsUuid, remember } from "@/lib/api/idempotency";
import { claimKey, storeResult } from "@/lib/idempotency";
import { apiSnapshot, call, issueToken, type Reply } from "../helpers/api-client";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const tag = () => crypto.randomUUID().slice(0, 8);

describe.each(engines)("recording a complaint through the API on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let write: string;
  let read: string;
  let productId: string;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Intake API");
    write = await issueToken(handle.db, org, "write");
    read = await issueToken(handle.db, org, "read");
    const [product] = await handle.db
      .insert(products)
      .values({ orgId: org.orgId, name: `Boiler service ${tag()}` })
      .returning({ id: products.id });
    productId = product!.id;
  });
  afterAll(async () => {
    await handle.close();
  });

  const post = (body: Record<string, unknown>, key?: string, token = write) =>
    call(listRoute.POST, "POST", "/complaints", {
      token,
      body,
      headers: key ? { "idempotency-key": key } : {},
    });
  const get = (id: string) =>
    call(detailRoute.GET, "GET", `/complaints/${id}`, { token: read, params: { id } });
  const complaintCount = async () =>
    (
      await handle.db.select({ n: count() }).from(complaints).where(eq(complaints.orgId, org.orgId))
    )[0]!.n;
  /** Exactly the bytes sent: `call` parses the JSON, and stringifying keeps its key order. */
  const bytes = (reply: Reply) => JSON.stringify(reply.body);

  async function existingCustomer(values: { email?: string | null; externalRef?: string | null }) {
    const [customer] = await handle.db
      .insert(customers)
      .values({ orgId: org.orgId, name: `Existing ${tag()}`, ...values })
      .returning();
    return customer!;
  }

  const base = {
    channel: "phone",
    severity: "major",
    summary: "Boiler service visit missed",
    story: "Nobody came between 8 and 12.\nI had taken the morning off.",
    intakeSentiment: 2,
  };

  const cases: [string, () => Promise<Record<string, unknown>>][] = [
    [
      "a new customer, nothing optional",
      async () => ({ ...base, customerName: "Priya Raman", customerExternalRef: `C-${tag()}` }),
    ],
    [
      "a new customer with everything: team, product, owner, promise, paraphrase, NPS",
      async () => ({
        ...base,
        severity: "critical",
        customerName: "Ana Lima",
        customerEmail: "Ana.Lima@Example.test",
        customerPhone: "+1 555 0100",
        customerExternalRef: `C-${tag()}`,
        teamId: org.teamId,
        productId,
        ownerId: org.users.agent.userId,
        receivedAt: "2026-11-18T20:00:00Z",
        promisedBy: "2026-11-20T17:00:00Z",
        paraphrase: "You were left waiting all morning and nobody told you, is that right?",
        intakeNps: 1,
        story: "Windows line breaks\r\nand an emoji 🔥 and “quotes”.",
      }),
    ],
    [
      "an existing customer picked by id, with a team",
      async () => ({
        ...base,
        customerId: (
          await existingCustomer({ email: "kim@example.test", externalRef: `K-${tag()}` })
        ).id,
        teamId: org.teamId,
        severity: "minor",
      }),
    ],
    [
      "an existing customer without email or reference, with a product and a promise",
      async () => ({
        ...base,
        customerId: (await existingCustomer({ email: null, externalRef: null })).id,
        productId,
        promisedBy: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        intakeSentiment: undefined,
        intakeNps: 6,
      }),
    ],
    [
      "an existing customer matched by reference, owned by the manager",
      async () => {
        const known = await existingCustomer({
          email: "lee@example.test",
          externalRef: `L-${tag()}`,
        });
        return {
          ...base,
          customerName: "Lee (as typed by the client)",
          customerExternalRef: known.externalRef,
          ownerId: org.users.manager.userId,
          severity: "moderate",
        };
      },
    ],
  ];

  it.each(cases)("answers exactly what a GET of the new complaint says: %s", async (_l, body) => {
    const created = await post(await body(), crypto.randomUUID());
    expect(created.status, bytes(created)).toBe(201);
    const id = created.body.data.id;
    const stored = await get(id);
    expect(stored.status).toBe(200);
    expect(bytes(created)).toBe(bytes(stored));
    expect(created.headers.get("etag")).toBe(stored.headers.get("etag"));
    expect(created.headers.get("location")).toBe(`/api/v1/complaints/${id}`);
  });

  it("names the customer a reference matched, not the name the client typed", async () => {
    const known = await existingCustomer({ email: "mo@example.test", externalRef: `M-${tag()}` });
    const created = await post({
      ...base,
      customerName: "Somebody else",
      customerExternalRef: known.externalRef,
    });
    expect(created.body.data.customer).toEqual({
      id: known.id,
      name: known.name,
      email: "mo@example.test",
      externalRef: known.externalRef,
    });
  });

  it("a retry after the complaint changed still gets the first reply, and one complaint", async () => {
    const key = crypto.randomUUID();
    const body = { ...base, customerName: "Retry Person", customerExternalRef: `R-${tag()}` };
    const first = await post(body, key);
    expect(first.status).toBe(201);
    const id = first.body.data.id;
    const remedy = await call(remedyRoute.POST, "POST", `/complaints/${id}/remedies`, {
      token: write,
      params: { id },
      body: { version: 1, kind: "credit", currency: "USD" },
    });
    expect(remedy.status).toBe(201);
    const before = await complaintCount();
    const retry = await post(body, key);
    expect(retry.status).toBe(201);
    expect(bytes(retry)).toBe(bytes(first));
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await complaintCount()).toBe(before);
    // The complaint itself moved on; the replay is the answer the first request got.
    expect((await get(id)).body.data.version).toBe(2);
  });

  it("the same key with a different body is 409 idempotency_mismatch, and nothing changes", async () => {
    const key = crypto.randomUUID();
    const body = { ...base, customerName: "Mismatch Person" };
    expect((await post(body, key)).status).toBe(201);
    const before = await apiSnapshot(handle.db, org.orgId);
    for (const other of [
      { ...body, summary: "Another summary" },
      { ...body, summary: "" },
    ]) {
      const reply = await post(other, key);
      expect(reply.status).toBe(409);
      expect(reply.body).toEqual({
        error: {
          code: "idempotency_mismatch",
          message:
            "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
        },
      });
    }
    expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
  });

  it("a refused request retried gets the same refusal, even once it would pass; another body is 409", async () => {
    const key = crypto.randomUUID();
    const missing = crypto.randomUUID();
    const body = { ...base, customerName: "Refused Person", productId: missing };
    const first = await post(body, key);
    expect(first.status).toBe(400);
    expect(first.body.error.fields.productId).toEqual(["Choose a product from the list."]);
    // The product appears; the retry still gets the first answer, as a replay.
    await handle.db
      .insert(products)
      .values({ orgId: org.orgId, id: missing, name: `Late product ${tag()}` });
    const before = await apiSnapshot(handle.db, org.orgId);
    const retry = await post(body, key);
    expect(retry.status).toBe(400);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const fixed = await post({ ...body, productId: undefined }, key);
    expect(fixed.status).toBe(409);
    expect(fixed.body.error.code).toBe("idempotency_mismatch");
    expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
  });

  it("a body refused by the form's rules is replayed alike, and a corrected one under its key is 409", async () => {
    const key = crypto.randomUUID();
    const body = { ...base, customerName: "Blank Summary", summary: "" };
    const first = await post(body, key);
    expect(first.status).toBe(400);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const retry = await post(body, key);
    expect(retry).toMatchObject({ status: 400, body: first.body });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const before = await complaintCount();
    const corrected = await post({ ...body, summary: "Now with a summary" }, key);
    expect(corrected.status).toBe(409);
    expect(corrected.body.error.code).toBe("idempotency_mismatch");
    expect(await complaintCount()).toBe(before);
  });

  it("a read token's refusal (403) is replayed to its retry", async () => {
    const key = crypto.randomUUID();
    const body = { ...base, customerName: "Read Only" };
    const first = await post(body, key, read);
    expect(first.status).toBe(403);
    expect(first.body.error).toEqual({
      code: "forbidden",
      message: "This token's scope, or its creator's current role, does not allow this.",
    });
    const retry = await post(body, key, read);
    expect(retry).toMatchObject({ status: 403, body: first.body });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
  });

  it("twenty simultaneous retries: one complaint, and every one gets its 201", async () => {
    const key = crypto.randomUUID();
    const body = { ...base, customerName: "Twenty Clicks", customerExternalRef: `T-${tag()}` };
    const before = await complaintCount();
    const replies = await Promise.all(Array.from({ length: 20 }, () => post(body, key)));
    // The others wait for the first one's transaction, then get its answer.
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    for (const r of replies) expect(bytes(r)).toBe(bytes(replies[0]!));
    expect(await complaintCount()).toBe(before + 1);
  });

  it("a retry of a request answered before intake claimed API keys itself gets that answer", async () => {
    // Made as the handler did then: its reply under the client's key, and intake's own result
    // (fingerprinted by the parsed form) under the derived key.
    const body = { ...base, customerName: "Before The Change", customerExternalRef: `B-${tag()}` };
    const original = await post(body);
    expect(original.status).toBe(201);
    const key = `earlier-${crypto.randomUUID()}`;
    const path = "/api/v1/complaints";
    await claim(org.orgId, "api.complaints.create", key, { path, body });
    await remember(org.orgId, "api.complaints.create", key, {
      status: original.status,
      body: original.body,
    });
    const derived = keyAsUuid(org.orgId, "api.complaints.create", key);
    await claimKey(handle.db, org.orgId, derived, "complaint.create", "0".repeat(64));
    await storeResult(handle.db, org.orgId, derived, "complaint.create", 201, {
      ok: true,
      data: { id: original.body.data.id, customerId: original.body.data.customer.id },
    });
    const before = await complaintCount();
    const retry = await post(body, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(original.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await complaintCount()).toBe(before);
  });

  it("refuses an owner who has been deactivated, by name of the field", async () => {
    const [leaver] = await handle.db
      .insert(users)
      .values({
        orgId: org.orgId,
        email: `leaver-${tag()}@example.test`,
        name: "Leaver",
        role: "agent",
        passwordHash: "x",
        active: false,
      })
      .returning({ id: users.id });
    const before = await complaintCount();
    const reply = await post({ ...base, customerName: "Owned", ownerId: leaver!.id });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toEqual({ ownerId: ["Choose an owner from the list."] });
    expect(await complaintCount()).toBe(before);
    const active = and(eq(users.orgId, org.orgId), eq(users.id, leaver!.id));
    await handle.db.update(users).set({ active: true }).where(active);
    expect((await post({ ...base, customerName: "Owned", ownerId: leaver!.id })).status).toBe(201);
  });
});
