/**
 * /api/v1 complaint endpoints, called as Next calls them: a valid token works, a revoked or
 * unknown one gets 401, a read token on a write 403 with nothing changed, another organisation's
 * token never sees this organisation's complaints (404), bad bodies 400 with field errors,
 * replayed POSTs return the first response and create one row, stale versions 409, and too many
 * requests 429.
 */
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as detailRoute from "@/app/api/v1/complaints/[id]/route";
import * as followUpRoute from "@/app/api/v1/complaints/[id]/follow-ups/route";
import * as outcomeRoute from "@/app/api/v1/complaints/[id]/outcome/route";
import * as remedyRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import * as listRoute from "@/app/api/v1/complaints/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import {
  apiTokens,
  auditEvents,
  complaints,
  customers,
  followUps,
  idempotencyKeys,
  outcomes,
  remedies,
  users,
  type Complaint,
} from "@/db/schema";
import { hashSecret } from "@/lib/api-tokens/secret";
import { apiSnapshot, call, issueToken } from "../helpers/api-client";
import { createComplaint } from "../helpers/complaint-fixtures";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const intake = (overrides: Record<string, unknown> = {}) => ({
  customerName: "Priya Raman",
  customerEmail: "priya@example.test",
  customerExternalRef: `CUST-${crypto.randomUUID().slice(0, 8)}`,
  channel: "email",
  severity: "major",
  summary: "Charged twice for one order",
  story: "My card shows two charges of $84.10 for order 5531.",
  intakeSentiment: 2,
  ...overrides,
});

describe.each(engines)("complaints API on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  let write: string;
  let read: string;
  let revoked: string;
  let otherWrite: string;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Acme");
    other = await createTestOrg(handle.db, "Other");
    write = await issueToken(handle.db, org, "write");
    read = await issueToken(handle.db, org, "read");
    revoked = await issueToken(handle.db, org, "write", { revoked: true });
    otherWrite = await issueToken(handle.db, other, "write");
  });
  afterAll(async () => {
    await handle.close();
  });
  afterEach(() => {
    delete process.env.TURNAROUND_API_RATE_LIMIT;
  });

  const version = async (c: Complaint) =>
    (
      await handle.db
        .select({ v: complaints.version })
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), eq(complaints.id, c.id)))
    )[0]!.v;

  describe("authentication", () => {
    it.each([
      ["no Authorization header", undefined],
      ["a header that is not a bearer token", "Basic dXNlcjpwYXNz"],
      ["an unknown token", `trn_${"A".repeat(43)}`],
      ["something that is not one of our tokens", "sk_live_123"],
    ])("answers 401 to %s, in the one error shape", async (_label, authorization) => {
      const reply = await call(listRoute.GET, "GET", "/complaints", {
        headers: authorization ? { authorization } : {},
      });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({
        error: { code: "unauthenticated", message: expect.any(String) },
      });
      expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer/);
    });

    it("answers 401 to a revoked token on every endpoint, and changes nothing", async () => {
      const c = await createComplaint(handle.db, org);
      const before = await apiSnapshot(handle.db, org.orgId);
      const params = { id: c.id };
      const replies = await Promise.all([
        call(listRoute.GET, "GET", "/complaints", { token: revoked }),
        call(listRoute.POST, "POST", "/complaints", { token: revoked, body: intake() }),
        call(detailRoute.GET, "GET", `/complaints/${c.id}`, { token: revoked, params }),
        call(remedyRoute.POST, "POST", "/x", {
          token: revoked,
          params,
          body: { version: 1, kind: "credit", currency: "USD" },
        }),
        call(followUpRoute.POST, "POST", "/x", {
          token: revoked,
          params,
          body: { version: 1, preset: "week" },
        }),
        call(outcomeRoute.POST, "POST", "/x", {
          token: revoked,
          params,
          body: { version: 1, finalNps: 9 },
        }),
      ]);
      expect(replies.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("stops a token whose creator is deactivated, and lets it work again when they return", async () => {
      const own = await createTestOrg(handle.db, "Leaver");
      const token = await issueToken(handle.db, own, "write");
      const creator = and(eq(users.orgId, own.orgId), eq(users.id, own.users.admin.userId));
      expect((await call(listRoute.GET, "GET", "/complaints", { token })).status).toBe(200);
      await handle.db.update(users).set({ active: false }).where(creator);
      const before = await apiSnapshot(handle.db, own.orgId);
      const refused = await call(listRoute.POST, "POST", "/complaints", { token, body: intake() });
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toMatch(/creator has been deactivated/);
      expect(await apiSnapshot(handle.db, own.orgId)).toEqual(before);
      await handle.db.update(users).set({ active: true }).where(creator);
      expect((await call(listRoute.GET, "GET", "/complaints", { token })).status).toBe(200);
    });

    it("records when a token was last used", async () => {
      const token = await issueToken(handle.db, org, "read");
      const startedAt = Date.now();
      expect((await call(listRoute.GET, "GET", "/complaints", { token })).status).toBe(200);
      const rows = await handle.db
        .select({ lastUsedAt: apiTokens.lastUsedAt })
        .from(apiTokens)
        .where(eq(apiTokens.orgId, org.orgId));
      const used = rows.map((r) => r.lastUsedAt?.getTime() ?? 0);
      expect(Math.max(...used)).toBeGreaterThanOrEqual(startedAt - 5_000);
    });
  });

  describe("GET /complaints", () => {
    it("pages through exactly the organisation's complaints with the cursor", async () => {
      for (let i = 0; i < 5; i++) await createComplaint(handle.db, org, { summary: `Paged ${i}` });
      await createComplaint(handle.db, other);
      const expected = (
        await handle.db
          .select({ id: complaints.id })
          .from(complaints)
          .where(eq(complaints.orgId, org.orgId))
      ).map((r) => r.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const reply = await call(listRoute.GET, "GET", "/complaints", {
          token: read,
          query: { limit: "2", ...(cursor ? { cursor } : {}) },
        });
        expect(reply.status).toBe(200);
        expect(reply.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...reply.body.data.map((r: { id: string }) => r.id));
        cursor = reply.body.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      expect(seen.sort()).toEqual(expected.sort());
      expect(new Set(seen).size).toBe(seen.length);
    });

    it("filters as the list does", async () => {
      const resolved = await createComplaint(handle.db, org, {
        status: "resolved",
        resolvedAt: new Date(),
      });
      const reply = await call(listRoute.GET, "GET", "/complaints", {
        token: read,
        query: { status: "resolved", limit: "200" },
      });
      const expected = await handle.db
        .select({ id: complaints.id })
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), eq(complaints.status, "resolved")));
      expect(reply.body.data.map((r: { id: string }) => r.id).sort()).toEqual(
        expected.map((r) => r.id).sort(),
      );
      expect(reply.body.data.map((r: { id: string }) => r.id)).toContain(resolved.id);
      expect(reply.body.data[0]).toMatchObject({
        status: "resolved",
        customerName: "Dana Whitfield",
      });
    });

    it("refuses unreadable filters with 400 naming each", async () => {
      const reply = await call(listRoute.GET, "GET", "/complaints", {
        token: read,
        query: { status: "bogus", limit: "0", from: "2026-13-45", cursor: "!!" },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("validation_failed");
      expect(Object.keys(reply.body.error.fields).sort()).toEqual([
        "cursor",
        "from",
        "limit",
        "status",
      ]);
    });

    it("never shows another organisation's complaints", async () => {
      const theirs = await createComplaint(handle.db, other);
      const reply = await call(listRoute.GET, "GET", "/complaints", {
        token: read,
        query: { limit: "200" },
      });
      expect(reply.body.data.map((r: { id: string }) => r.id)).not.toContain(theirs.id);
      const mine = await call(listRoute.GET, "GET", "/complaints", {
        token: otherWrite,
        query: { limit: "200" },
      });
      const ids = mine.body.data.map((r: { id: string }) => r.id);
      expect(ids).toContain(theirs.id);
      const otherOrgIds = await handle.db
        .select({ id: complaints.id })
        .from(complaints)
        .where(eq(complaints.orgId, other.orgId));
      expect(ids.sort()).toEqual(otherOrgIds.map((r) => r.id).sort());
    });
  });

  describe("GET /complaints/{id}", () => {
    it("reads a complaint with its version as ETag", async () => {
      const c = await createComplaint(handle.db, org);
      const reply = await call(detailRoute.GET, "GET", `/complaints/${c.id}`, {
        token: read,
        params: { id: c.id },
      });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toMatchObject({
        id: c.id,
        version: c.version,
        status: "new",
        summary: c.summary,
        customer: { name: "Dana Whitfield", email: "dana@example.test" },
        team: { id: org.teamId },
        remedies: [],
      });
      expect(reply.headers.get("etag")).toBe(`"${c.version}"`);
    });

    it("answers 404 for another organisation's complaint, an unknown id and a malformed id", async () => {
      const c = await createComplaint(handle.db, org);
      for (const [token, id] of [
        [otherWrite, c.id],
        [read, crypto.randomUUID()],
        [read, "42"],
      ] as const) {
        const reply = await call(detailRoute.GET, "GET", `/complaints/${id}`, {
          token,
          params: { id },
        });
        expect(reply.status).toBe(404);
        expect(reply.body.error.code).toBe("not_found");
        expect(JSON.stringify(reply.body)).not.toContain(c.summary);
      }
    });
  });

  describe("POST /complaints", () => {
    it("records a complaint as the token, with the intake form's rules", async () => {
      const body = intake();
      const reply = await call(listRoute.POST, "POST", "/complaints", { token: write, body });
      expect(reply.status).toBe(201);
      const id = reply.body.data.id;
      expect(reply.headers.get("location")).toBe(`/api/v1/complaints/${id}`);
      expect(reply.body.data).toMatchObject({
        status: "new",
        channel: "email",
        summary: body.summary,
        customer: { name: "Priya Raman", externalRef: body.customerExternalRef },
        owner: { id: org.users.admin.userId },
      });
      const [event] = await handle.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.orgId, org.orgId),
            eq(auditEvents.entityId, id),
            eq(auditEvents.action, "complaint.created"),
          ),
        );
      const [token] = await handle.db
        .select({ id: apiTokens.id })
        .from(apiTokens)
        .where(and(eq(apiTokens.orgId, org.orgId), eq(apiTokens.tokenHash, hashSecret(write))));
      expect(event).toMatchObject({ actorKind: "api_token", actorId: token!.id });
      // The same customer reference matches the customer rather than creating another.
      const again = await call(listRoute.POST, "POST", "/complaints", {
        token: write,
        body: intake({ customerExternalRef: body.customerExternalRef, summary: "Second" }),
      });
      expect(again.body.data.customer.id).toBe(reply.body.data.customer.id);
    });

    it("refuses a read-only token with 403 and changes nothing", async () => {
      const before = await apiSnapshot(handle.db, org.orgId);
      const reply = await call(listRoute.POST, "POST", "/complaints", {
        token: read,
        body: intake(),
      });
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe("forbidden");
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("records another organisation's token's complaint in that organisation only", async () => {
      const before = await apiSnapshot(handle.db, org.orgId);
      const reply = await call(listRoute.POST, "POST", "/complaints", {
        token: otherWrite,
        body: intake(),
      });
      expect(reply.status).toBe(201);
      const [row] = await handle.db
        .select({ orgId: complaints.orgId })
        .from(complaints)
        .where(eq(complaints.id, reply.body.data.id));
      expect(row!.orgId).toBe(other.orgId);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it.each([
      ["channel", { channel: "pigeon" }],
      ["severity", { severity: undefined }],
      ["summary", { summary: "" }],
      ["summary", { summary: "x".repeat(301) }],
      ["story", { story: "   " }],
      ["intakeSentiment", { intakeSentiment: 9 }],
      ["intakeSentiment", { intakeSentiment: undefined, intakeNps: undefined }],
      ["intakeNps", { intakeNps: 11 }],
      ["customerName", { customerName: undefined }],
      ["customerEmail", { customerEmail: "not-an-email" }],
      ["receivedAt", { receivedAt: "not a date" }],
      ["receivedAt", { receivedAt: new Date(Date.now() + 86_400_000).toISOString() }],
      ["promisedBy", { receivedAt: "2026-01-10T10:00:00Z", promisedBy: "2026-01-09T10:00:00Z" }],
      ["teamId", { teamId: "nope" }],
      ["productId", { productId: crypto.randomUUID() }],
    ])("answers 400 naming %s, and changes nothing", async (field, overrides) => {
      const before = await apiSnapshot(handle.db, org.orgId);
      const reply = await call(listRoute.POST, "POST", "/complaints", {
        token: write,
        body: intake(overrides),
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("validation_failed");
      expect(reply.body.error.fields[field]?.length).toBeGreaterThan(0);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it.each([
      ["malformed JSON", "{ not json"],
      ["a JSON array", "[1, 2]"],
      ["a JSON string", '"hello"'],
    ])("answers 400 bad_request to %s", async (_label, rawBody) => {
      const before = await apiSnapshot(handle.db, org.orgId);
      const reply = await call(listRoute.POST, "POST", "/complaints", { token: write, rawBody });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("bad_request");
      expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.ts|SyntaxError/);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });
  });

  it("answers 413 to a body over 1 MB (a 5 MB story), and changes nothing", async () => {
    const before = await apiSnapshot(handle.db, org.orgId);
    const reply = await call(listRoute.POST, "POST", "/complaints", {
      token: write,
      body: intake({ story: "x".repeat(5_000_000) }),
    });
    expect(reply.status).toBe(413);
    expect(reply.body.error.code).toBe("payload_too_large");
    expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
  });

  describe("Idempotency-Key", () => {
    it("replays the first response to a retried POST and creates one complaint", async () => {
      const key = crypto.randomUUID();
      const body = intake({ summary: `Idempotent ${key}` });
      const first = await call(listRoute.POST, "POST", "/complaints", {
        token: write,
        body,
        headers: { "idempotency-key": key },
      });
      const second = await call(listRoute.POST, "POST", "/complaints", {
        token: write,
        body,
        headers: { "idempotency-key": key },
      });
      expect(first.status).toBe(201);
      expect(first.headers.get("idempotent-replayed")).toBeNull();
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      const rows = await handle.db
        .select({ id: complaints.id })
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), eq(complaints.summary, body.summary)));
      expect(rows).toHaveLength(1);
    });

    it("runs twenty simultaneous retries once", async () => {
      const key = crypto.randomUUID();
      const body = intake({ summary: `Concurrent ${key}` });
      const replies = await Promise.all(
        Array.from({ length: 20 }, () =>
          call(listRoute.POST, "POST", "/complaints", {
            token: write,
            body,
            headers: { "idempotency-key": key },
          }),
        ),
      );
      const created = replies.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const r of replies) expect([201, 409]).toContain(r.status);
      for (const r of created) expect(r.body).toEqual(created[0]!.body);
      const rows = await handle.db
        .select({ id: complaints.id })
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), eq(complaints.summary, body.summary)));
      expect(rows).toHaveLength(1);
    });

    it("refuses the same key with a different body: 409 idempotency_mismatch, nothing new", async () => {
      const key = crypto.randomUUID();
      await call(listRoute.POST, "POST", "/complaints", {
        token: write,
        body: intake(),
        headers: { "idempotency-key": key },
      });
      const before = await apiSnapshot(handle.db, org.orgId);
      const reply = await call(listRoute.POST, "POST", "/complaints", {
        token: write,
        body: intake({ summary: "Something else" }),
        headers: { "idempotency-key": key },
      });
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe("idempotency_mismatch");
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("replays a remedy: one remedy, one version bump", async () => {
      const c = await createComplaint(handle.db, org);
      const body = { version: c.version, kind: "credit", cost: "25.00", currency: "USD" };
      const headers = { "idempotency-key": `remedy-${c.id}` };
      const first = await call(remedyRoute.POST, "POST", `/complaints/${c.id}/remedies`, {
        token: write,
        params: { id: c.id },
        body,
        headers,
      });
      const second = await call(remedyRoute.POST, "POST", `/complaints/${c.id}/remedies`, {
        token: write,
        params: { id: c.id },
        body,
        headers,
      });
      expect(first.status).toBe(201);
      expect(second).toMatchObject({ status: 201, body: first.body });
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      const rows = await handle.db
        .select()
        .from(remedies)
        .where(and(eq(remedies.orgId, org.orgId), eq(remedies.complaintId, c.id)));
      expect(rows).toHaveLength(1);
      expect(await version(c)).toBe(c.version + 1);
    });

    it("answers 409 while a claim is in flight, and lets a retry run once the claim is abandoned", async () => {
      const c = await createComplaint(handle.db, org);
      const body = { version: c.version, kind: "credit", cost: "5.00", currency: "USD" };
      const key = `crashed-${c.id}`;
      const send = () =>
        call(remedyRoute.POST, "POST", `/complaints/${c.id}/remedies`, {
          token: write,
          params: { id: c.id },
          body,
          headers: { "idempotency-key": key },
        });
      // A first attempt claimed the key and died before replying.
      const first = await send();
      expect(first.status).toBe(201);
      const stored = and(eq(idempotencyKeys.orgId, org.orgId), eq(idempotencyKeys.key, key));
      await handle.db
        .update(idempotencyKeys)
        .set({ responseStatus: null, responseBody: null })
        .where(stored);
      const inFlight = await send();
      expect(inFlight.status).toBe(409);
      expect(inFlight.body.error.code).toBe("idempotency_in_progress");
      expect(inFlight.headers.get("retry-after")).toBe("1");

      await handle.db
        .update(idempotencyKeys)
        .set({ createdAt: new Date(Date.now() - 6 * 60_000) })
        .where(stored);
      const retried = await send();
      // The stale claim is dropped and the retry runs (the version moved on, so the command
      // itself now reports the conflict rather than hanging on "in progress").
      expect(retried.status).toBe(409);
      expect(retried.body.error.code).toBe("version_conflict");
    });

    it("refuses a malformed key with 400", async () => {
      const reply = await call(listRoute.POST, "POST", "/complaints", {
        token: write,
        body: intake(),
        headers: { "idempotency-key": "has spaces in it" },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("bad_request");
    });
  });

  describe("recovery steps", () => {
    it("offers a remedy (cost as text or number), schedules a follow-up and records the outcome", async () => {
      const c = await createComplaint(handle.db, org);
      const params = { id: c.id };
      const remedy = await call(remedyRoute.POST, "POST", "/r", {
        token: write,
        params,
        body: {
          version: c.version,
          kind: "refund",
          description: "Refund the double charge",
          cost: 84.1,
          currency: "usd",
        },
      });
      expect(remedy.status).toBe(201);
      expect(remedy.body.data.version).toBe(c.version + 1);
      const [row] = await handle.db
        .select()
        .from(remedies)
        .where(and(eq(remedies.orgId, org.orgId), eq(remedies.id, remedy.body.data.id)));
      expect(row).toMatchObject({
        kind: "refund",
        costMinor: 8410,
        currency: "USD",
        complaintId: c.id,
      });

      const followUp = await call(followUpRoute.POST, "POST", "/f", {
        token: write,
        params,
        body: { preset: "week" },
        headers: { "if-match": `"${remedy.body.data.version}"` },
      });
      expect(followUp.status).toBe(201);
      const [due] = await handle.db
        .select()
        .from(followUps)
        .where(and(eq(followUps.orgId, org.orgId), eq(followUps.id, followUp.body.data.id)));
      expect(due!.dueAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

      const outcome = await call(outcomeRoute.POST, "POST", "/o", {
        token: write,
        params,
        body: {
          version: followUp.body.data.version,
          finalSentiment: 5,
          finalNps: 9,
          signals: ["positive_review"],
        },
      });
      expect(outcome.status).toBe(200);
      expect(outcome.body.data.version).toBe(c.version + 3);
      const [result] = await handle.db
        .select()
        .from(outcomes)
        .where(and(eq(outcomes.orgId, org.orgId), eq(outcomes.complaintId, c.id)));
      expect(result).toMatchObject({ finalSentiment: 5, finalNps: 9 });
      const detail = await call(detailRoute.GET, "GET", "/d", { token: read, params });
      expect(detail.body.data).toMatchObject({
        version: c.version + 3,
        remedies: [{ kind: "refund", costMinor: 8410 }],
        followUps: [{ id: followUp.body.data.id }],
        outcome: { finalNps: 9, signals: ["positive_review"] },
      });
    });

    it("answers 409 version_conflict with the current version, and changes nothing", async () => {
      const c = await createComplaint(handle.db, org);
      await call(remedyRoute.POST, "POST", "/r", {
        token: write,
        params: { id: c.id },
        body: { version: c.version, kind: "credit", currency: "USD" },
      });
      const before = await apiSnapshot(handle.db, org.orgId);
      for (const [route, body] of [
        [remedyRoute.POST, { version: c.version, kind: "credit", currency: "USD" }],
        [followUpRoute.POST, { version: c.version, preset: "week" }],
        [outcomeRoute.POST, { version: c.version, finalNps: 9 }],
      ] as const) {
        const reply = await call(route, "POST", "/x", { token: write, params: { id: c.id }, body });
        expect(reply.status).toBe(409);
        expect(reply.body.error).toMatchObject({
          code: "version_conflict",
          currentVersion: c.version + 1,
        });
      }
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("refuses a read-only token (403) and another organisation's token (404), changing nothing", async () => {
      const c = await createComplaint(handle.db, org);
      const before = await apiSnapshot(handle.db, org.orgId);
      for (const [route, body] of [
        [remedyRoute.POST, { version: c.version, kind: "credit", currency: "USD" }],
        [followUpRoute.POST, { version: c.version, preset: "week" }],
        [outcomeRoute.POST, { version: c.version, finalNps: 9 }],
      ] as const) {
        const asRead = await call(route, "POST", "/x", { token: read, params: { id: c.id }, body });
        expect(asRead.status).toBe(403);
        const asOther = await call(route, "POST", "/x", {
          token: otherWrite,
          params: { id: c.id },
          body,
        });
        expect(asOther.status).toBe(404);
        expect(asOther.body.error.code).toBe("not_found");
      }
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it.each([
      ["remedies", "kind", { kind: "hug", currency: "USD" }],
      ["remedies", "cost", { kind: "credit", cost: "twenty", currency: "USD" }],
      ["remedies", "cost", { kind: "credit", cost: -5, currency: "USD" }],
      ["remedies", "cost", { kind: "credit", cost: "1.5", currency: "JPY" }],
      ["remedies", "currency", { kind: "credit", currency: "dollars" }],
      [
        "remedies",
        "description",
        { kind: "credit", currency: "USD", description: "x".repeat(1001) },
      ],
      ["remedies", "version", { kind: "credit", currency: "USD", version: "abc" }],
      ["follow-ups", "dueAt", {}],
      ["follow-ups", "preset", { preset: "someday" }],
      ["follow-ups", "dueAt", { dueAt: "2001-01-01T00:00:00Z" }],
      ["outcome", "finalSentiment", {}],
      ["outcome", "finalNps", { finalNps: 11 }],
      ["outcome", "finalSentiment", { finalSentiment: 0 }],
      ["outcome", "signals.0", { signals: ["fan_mail"] }],
    ])("POST %s answers 400 naming %s, and changes nothing", async (endpoint, field, body) => {
      const c = await createComplaint(handle.db, org);
      const route = {
        remedies: remedyRoute.POST,
        "follow-ups": followUpRoute.POST,
        outcome: outcomeRoute.POST,
      }[endpoint]!;
      const before = await apiSnapshot(handle.db, org.orgId);
      const reply = await call(route, "POST", "/x", {
        token: write,
        params: { id: c.id },
        body: { version: c.version, ...body },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe("validation_failed");
      expect(reply.body.error.fields[field]?.length, JSON.stringify(reply.body)).toBeGreaterThan(0);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    });
  });

  describe("rate limit", () => {
    it("answers 429 with Retry-After beyond the limit, per token", async () => {
      process.env.TURNAROUND_API_RATE_LIMIT = "3";
      const token = await issueToken(handle.db, org, "read");
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await call(listRoute.GET, "GET", "/complaints", { token, query: { limit: "1" } });
        statuses.push(last.status);
      }
      // A minute boundary may fall between calls and reset the window: allow one more.
      if (statuses[3] === 200) {
        last = await call(listRoute.GET, "GET", "/complaints", { token });
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(last!.status).toBe(429);
      expect(last!.body.error.code).toBe("rate_limited");
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(last!.headers.get("retry-after"))).toBeLessThanOrEqual(60);
      expect(last!.headers.get("x-ratelimit-limit")).toBe("3");
      expect(last!.headers.get("x-ratelimit-remaining")).toBe("0");
      // Another token has its own window.
      const other = await issueToken(handle.db, org, "read");
      const fresh = await call(listRoute.GET, "GET", "/complaints", {
        token: other,
        query: { limit: "1" },
      });
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get("x-ratelimit-remaining")).toBe("2");
    });
  });

  it("keeps every write in the token's organisation", async () => {
    const ours = await handle.db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.orgId, other.orgId));
    const leaked = ours.length
      ? await handle.db
          .select({ id: complaints.id })
          .from(complaints)
          .where(
            and(
              eq(complaints.orgId, org.orgId),
              inArray(
                complaints.customerId,
                ours.map((c) => c.id),
              ),
            ),
          )
      : [];
    expect(leaked).toEqual([]);
  });
});
