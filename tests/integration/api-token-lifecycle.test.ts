/**
 * An API token's life (issue #12): it expires (chosen when made, at most a year ahead; tokens made
 * before expiry existed keep working and are flagged), it acts for its creator as they are at each
 * request — the creator's current role intersected with the token's scope, and their teams — and
 * it stops while the creator is deactivated. Called through the route handlers, as Next calls them.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as remedyRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import * as complaintsRoute from "@/app/api/v1/complaints/route";
import * as activityRoute from "@/app/api/v1/customer-activities/route";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import * as metricsRoute from "@/app/api/v1/metrics/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import {
  apiTokens,
  auditEvents,
  complaints,
  teamMemberships,
  userLogins,
  users,
  type Role,
} from "@/db/schema";
import { createApiToken } from "@/lib/api-tokens/commands";
import { expiryState } from "@/lib/api-tokens/expiry";
import { listApiTokens } from "@/lib/api-tokens/queries";
import { apiSnapshot, call, issueToken } from "../helpers/api-client";
import { createComplaint, createOutsider } from "../helpers/complaint-fixtures";
import { engines } from "../helpers/db";
import { createTestOrg, FIXTURE_PASSWORD_HASH, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const DAY = 86_400_000;

const intake = (overrides: Record<string, unknown> = {}) => ({
  customerName: "Priya Raman",
  customerExternalRef: `CUST-${crypto.randomUUID().slice(0, 8)}`,
  channel: "email",
  severity: "major",
  summary: "Charged twice for one order",
  story: "My card shows two charges of $84.10 for order 5531.",
  intakeSentiment: 2,
  ...overrides,
});

describe.each(engines)("API token lifecycle on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let outsider: { userId: string; orgId: string; teamId: string };

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Acme");
    outsider = await createOutsider(handle.db, org);
  });
  afterAll(async () => {
    await handle.close();
  });

  /** An admin of their own in the org's "Front line" team, who can later be moved or deactivated. */
  async function newAdmin(): Promise<{ userId: string; orgId: string }> {
    const email = `creator-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const [user] = await handle.db
      .insert(users)
      .values({
        orgId: org.orgId,
        email,
        name: "Token Creator",
        role: "admin",
        passwordHash: FIXTURE_PASSWORD_HASH,
      })
      .returning({ id: users.id });
    await handle.db.insert(userLogins).values({ email, orgId: org.orgId, userId: user!.id });
    await handle.db
      .insert(teamMemberships)
      .values({ orgId: org.orgId, teamId: org.teamId, userId: user!.id });
    return { userId: user!.id, orgId: org.orgId };
  }

  /** A token made through the command, as the admin does in Settings. */
  async function tokenOf(
    creator: { userId: string; orgId: string },
    scope: "read" | "write",
    expiresIn = "90",
  ): Promise<{ id: string; secret: string; expiresAt: string }> {
    actAs(creator);
    const made = await createApiToken({ name: `${scope} sync`, scope, expiresIn });
    if (!made.ok) throw new Error(`token not created: ${JSON.stringify(made)}`);
    return made.data;
  }

  const setRole = (userId: string, role: Role) =>
    handle.db
      .update(users)
      .set({ role })
      .where(and(eq(users.orgId, org.orgId), eq(users.id, userId)));
  const setActive = (userId: string, active: boolean) =>
    handle.db
      .update(users)
      .set({ active })
      .where(and(eq(users.orgId, org.orgId), eq(users.id, userId)));

  const postComplaint = (token: string, body = intake()) =>
    call(complaintsRoute.POST, "POST", "/complaints", { token, body });
  const postRemedy = (token: string, complaint: { id: string; version: number }) =>
    call(remedyRoute.POST, "POST", `/complaints/${complaint.id}/remedies`, {
      token,
      params: { id: complaint.id },
      body: { version: complaint.version, kind: "credit", cost: "10.00", currency: "USD" },
    });
  const metric = (token: string, name: string) =>
    call(metricRoute.GET, "GET", `/metrics/${name}`, { token, params: { name } });
  const postActivity = (token: string) =>
    call(activityRoute.POST, "POST", "/customer-activities", {
      token,
      body: {
        kind: "renewal",
        occurredAt: new Date(Date.now() - DAY).toISOString(),
        customerRef: `CUST-${crypto.randomUUID().slice(0, 8)}`,
        customerName: "Lena Park",
      },
    });
  const listComplaints = (token: string) =>
    call(complaintsRoute.GET, "GET", "/complaints", { token });

  describe("expiry", () => {
    it("records the expiry chosen at creation, in the row and the audit event", async () => {
      const admin = await newAdmin();
      const before = Date.now();
      const made = await tokenOf(admin, "read", "30");
      const expiresAt = Date.parse(made.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * DAY);
      const [row] = await handle.db
        .select({ expiresAt: apiTokens.expiresAt })
        .from(apiTokens)
        .where(and(eq(apiTokens.orgId, org.orgId), eq(apiTokens.id, made.id)));
      expect(row!.expiresAt!.toISOString()).toBe(made.expiresAt);
      const [event] = await handle.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entityId, made.id)));
      expect(event).toMatchObject({
        action: "api-token.created",
        after: { name: "read sync", scope: "read", expiresAt: made.expiresAt },
      });
      const listed = (await listApiTokens()).find((t) => t.id === made.id);
      expect(listed?.expiresAt).toBe(made.expiresAt);
      expect(expiryState(listed!.expiresAt, new Date()).text).toBe("Expires in 30 days");
    });

    it("lets a date be chosen: the token works through that whole day (UTC)", async () => {
      const admin = await newAdmin();
      actAs(admin);
      const on = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
      const made = await createApiToken({
        name: "Dated",
        scope: "read",
        expiresIn: "date",
        expiresOn: on,
      });
      expect(made.ok).toBe(true);
      if (!made.ok) return;
      expect(made.data.expiresAt).toBe(new Date(Date.parse(`${on}T00:00:00Z`) + DAY).toISOString());
      // Also the longest allowed: a year from today.
      const last = new Date(Date.now() + 365 * DAY).toISOString().slice(0, 10);
      const longest = await createApiToken({
        name: "A year",
        scope: "read",
        expiresIn: "date",
        expiresOn: last,
      });
      expect(longest.ok).toBe(true);
    });

    it("refuses an expired token with 401, says when it expired, and leaves last-used alone", async () => {
      const admin = await newAdmin();
      const made = await tokenOf(admin, "read");
      expect((await listComplaints(made.secret)).status).toBe(200);
      const expiredAt = new Date(Date.now() - 1000);
      const where = and(eq(apiTokens.orgId, org.orgId), eq(apiTokens.id, made.id));
      await handle.db
        .update(apiTokens)
        .set({ expiresAt: expiredAt, lastUsedAt: new Date(Date.now() - 2 * DAY) })
        .where(where);
      const reply = await listComplaints(made.secret);
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe("unauthenticated");
      expect(reply.body.error.message).toBe(
        `This token expired at ${expiredAt.toISOString()}. An admin can create a new one in Settings → API tokens.`,
      );
      expect(reply.headers.get("www-authenticate")).toContain('error="invalid_token"');
      const [row] = await handle.db
        .select({ lastUsedAt: apiTokens.lastUsedAt })
        .from(apiTokens)
        .where(where);
      expect(Date.now() - row!.lastUsedAt!.getTime()).toBeGreaterThan(DAY);
      // The list says so too.
      actAs(admin);
      const listed = (await listApiTokens()).find((t) => t.id === made.id)!;
      expect(expiryState(listed.expiresAt, new Date())).toMatchObject({ kind: "expired" });
      // A minute still to go: it works.
      await handle.db
        .update(apiTokens)
        .set({ expiresAt: new Date(Date.now() + 60_000) })
        .where(where);
      expect((await listComplaints(made.secret)).status).toBe(200);
    });

    it("keeps a token made before expiry existed working, and lists it as needing replacement", async () => {
      const secret = await issueToken(handle.db, org, "read");
      const [row] = await handle.db
        .select({ id: apiTokens.id, expiresAt: apiTokens.expiresAt })
        .from(apiTokens)
        .where(and(eq(apiTokens.orgId, org.orgId), eq(apiTokens.name, "read token")));
      expect(row!.expiresAt).toBeNull();
      expect((await listComplaints(secret)).status).toBe(200);
      actAs(org.users.admin);
      const listed = (await listApiTokens()).find((t) => t.id === row!.id)!;
      expect(listed.expiresAt).toBeNull();
      expect(expiryState(listed.expiresAt, new Date()).text).toBe("No expiry — replace it");
    });
  });

  describe("the creator's current role, intersected with the scope", () => {
    it("stops a write token writing once its creator is an executive; it still reads their metrics", async () => {
      const creator = await newAdmin();
      const made = await tokenOf(creator, "write");
      expect((await postComplaint(made.secret)).status).toBe(201);
      expect((await metric(made.secret, "open-complaints")).status).toBe(200);
      expect((await postActivity(made.secret)).status).toBe(201);

      await setRole(creator.userId, "executive");
      const before = await apiSnapshot(handle.db, org.orgId);
      const refused = await postComplaint(made.secret);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("forbidden");
      const activity = await postActivity(made.secret);
      expect(activity.status).toBe(403);
      expect(activity.body.error.code).toBe("forbidden");
      const c = await createComplaint(handle.db, org);
      const snapshotWithComplaint = await apiSnapshot(handle.db, org.orgId);
      expect((await postRemedy(made.secret, c)).status).toBe(403);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(snapshotWithComplaint);
      expect(snapshotWithComplaint.counts.audit_events).toBe(before.counts.audit_events);

      // Reads what an executive reads: complaints and the executive's figures, not the manager's.
      expect((await listComplaints(made.secret)).status).toBe(200);
      expect((await metric(made.secret, "nps")).status).toBe(200);
      const manager = await metric(made.secret, "open-complaints");
      expect(manager.status).toBe(403);
      expect(manager.body.error.code).toBe("forbidden");
      const catalogue = await call(metricsRoute.GET, "GET", "/metrics", { token: made.secret });
      const dashboards = new Set(
        (catalogue.body.data as { dashboard: string }[]).map((m) => m.dashboard),
      );
      expect([...dashboards]).toEqual(["executive"]);

      // The role is read at each request: made admin again, the token writes again.
      await setRole(creator.userId, "admin");
      expect((await postComplaint(made.secret)).status).toBe(201);
    });

    it("lets a demoted-to-agent creator's write token edit only the agent's teams' complaints", async () => {
      const creator = await newAdmin();
      const made = await tokenOf(creator, "write");
      const ours = await createComplaint(handle.db, org);
      const theirs = await createComplaint(handle.db, org, {
        teamId: outsider.teamId,
        ownerId: outsider.userId,
      });
      // As an admin's token it edits any complaint…
      const asAdmin = await postRemedy(made.secret, theirs);
      expect(asAdmin.status).toBe(201);

      await setRole(creator.userId, "agent");
      const theirsNow = { id: theirs.id, version: theirs.version + 1 };
      const before = await apiSnapshot(handle.db, org.orgId);
      // …as an agent's, not another team's complaint,
      const outside = await postRemedy(made.secret, theirsNow);
      expect(outside.status).toBe(403);
      expect(outside.body.error.code).toBe("forbidden");
      // nor records one for another team,
      const elsewhere = await postComplaint(made.secret, intake({ teamId: outsider.teamId }));
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.error.fields.teamId).toEqual([
        "You can record complaints for your own teams only.",
      ]);
      // nor customer activity (admins' only), nor the manager's figures.
      const activity = await postActivity(made.secret);
      expect(activity.status).toBe(403);
      expect((await metric(made.secret, "open-complaints")).status).toBe(403);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);

      // Within the agent's team it still writes: a remedy, and a complaint filed under that team.
      expect((await postRemedy(made.secret, ours)).status).toBe(201);
      const recorded = await postComplaint(made.secret);
      expect(recorded.status).toBe(201);
      const [row] = await handle.db
        .select({ teamId: complaints.teamId, ownerId: complaints.ownerId })
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), eq(complaints.id, recorded.body.data.id)));
      expect(row).toEqual({ teamId: org.teamId, ownerId: creator.userId });
    });

    it("follows the creator's teams at each request", async () => {
      const creator = await newAdmin();
      const made = await tokenOf(creator, "write");
      await setRole(creator.userId, "agent");
      const theirs = await createComplaint(handle.db, org, {
        teamId: outsider.teamId,
        ownerId: outsider.userId,
      });
      expect((await postRemedy(made.secret, theirs)).status).toBe(403);
      await handle.db
        .insert(teamMemberships)
        .values({ orgId: org.orgId, teamId: outsider.teamId, userId: creator.userId });
      expect((await postRemedy(made.secret, theirs)).status).toBe(201);
    });

    it("lists each token with its creator's current role", async () => {
      const creator = await newAdmin();
      const made = await tokenOf(creator, "write");
      await setRole(creator.userId, "manager");
      actAs(org.users.admin);
      expect((await listApiTokens()).find((t) => t.id === made.id)).toMatchObject({
        creatorRole: "manager",
        creatorActive: true,
      });
    });
  });

  it("stops a token while its creator is deactivated, and resumes if they are reactivated", async () => {
    const creator = await newAdmin();
    const made = await tokenOf(creator, "write");
    expect((await listComplaints(made.secret)).status).toBe(200);
    await setActive(creator.userId, false);
    const before = await apiSnapshot(handle.db, org.orgId);
    for (const reply of [await listComplaints(made.secret), await postComplaint(made.secret)]) {
      expect(reply.status).toBe(401);
      expect(reply.body.error.message).toContain("creator has been deactivated");
      expect(reply.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
    expect(await apiSnapshot(handle.db, org.orgId)).toEqual(before);
    await setActive(creator.userId, true);
    expect((await postComplaint(made.secret)).status).toBe(201);
  });
});
