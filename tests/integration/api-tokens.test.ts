/**
 * API tokens in settings: admins create (secret shown once, only its SHA-256 stored) and revoke
 * them; every other role, anonymous and another organisation's admin are refused and nothing
 * changes. The settings server actions go through the same commands.
 */
import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTokenAction, revokeTokenAction } from "@/app/(app)/settings/api-tokens/actions";
import { GET as listComplaints } from "@/app/api/v1/complaints/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { apiTokens, auditEvents, users, type Role } from "@/db/schema";
import { createApiToken, revokeApiToken } from "@/lib/api-tokens/commands";
import { listApiTokens } from "@/lib/api-tokens/queries";
import { call, tokenCount } from "../helpers/api-client";
import { engines } from "../helpers/db";
import { createTestOrg, orgSnapshot, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const notAdmins: Role[] = ["agent", "manager", "quality", "executive"];

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

describe.each(engines)("API tokens on $name", (engine) => {
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

  const snapshot = async (orgId: string) => ({
    ...(await orgSnapshot(handle.db, orgId)),
    tokens: await handle.db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.orgId, orgId))
      .orderBy(apiTokens.id),
  });

  it("creates a token whose secret is shown once and stored only as its SHA-256", async () => {
    actAs(org.users.admin);
    const result = await createApiToken({
      name: "  Helpdesk sync  ",
      scope: "write",
      expiresIn: "90",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { id, secret } = result.data;
    expect(secret).toMatch(/^trn_[A-Za-z0-9_-]{43}$/);
    const [row] = await handle.db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.orgId, org.orgId), eq(apiTokens.id, id)));
    expect(row).toMatchObject({
      name: "Helpdesk sync",
      scope: "write",
      createdBy: org.users.admin.userId,
    });
    expect(row!.tokenHash).toBe(crypto.createHash("sha256").update(secret).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(secret);
    const [audit] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entityId, id)));
    expect(audit).toMatchObject({
      action: "api-token.created",
      after: { name: "Helpdesk sync", scope: "write" },
    });
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(row!.tokenHash);
    // The secret works on the API, and a second token gets a different secret.
    const reply = await call(listComplaints, "GET", "/complaints", { token: secret });
    expect(reply.status).toBe(200);
    const second = await createApiToken({ name: "Helpdesk sync", scope: "read", expiresIn: "90" });
    expect(second.ok && second.data.secret).not.toBe(secret);
  });

  const good = { name: "Ok", scope: "read", expiresIn: "90" };
  const dayFromNow = (days: number) =>
    new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const onDate = (expiresOn: unknown) => ({ ...good, expiresIn: "date", expiresOn });
  const without = (key: keyof typeof good) =>
    Object.fromEntries(Object.entries(good).filter(([k]) => k !== key));

  it.each([
    ["name", { ...good, name: "" }, "Name the token"],
    ["name", { ...good, name: "   " }, "Name the token"],
    ["name", { ...good, name: "x".repeat(121) }, "under 120"],
    ["name", { ...good, name: 42 }, "Name the token"],
    ["name", without("name"), "Name the token"],
    ["scope", { ...good, scope: "admin" }, "read or write"],
    ["scope", without("scope"), "read or write"],
    ["expiresIn", without("expiresIn"), "Choose when the token expires"],
    ["expiresIn", { ...good, expiresIn: "" }, "Choose when the token expires"],
    ["expiresIn", { ...good, expiresIn: "1000" }, "Choose when the token expires"],
    ["expiresIn", { ...good, expiresIn: "never" }, "Choose when the token expires"],
    ["expiresIn", { ...good, expiresIn: 90 }, "Choose when the token expires"],
    ["expiresOn", onDate(undefined), "Choose the date the token expires on"],
    ["expiresOn", onDate(""), "Choose the date the token expires on"],
    ["expiresOn", onDate("next week"), "YYYY-MM-DD"],
    ["expiresOn", onDate("2027-02-30"), "YYYY-MM-DD"],
    ["expiresOn", onDate(`${dayFromNow(10)}T00:00:00Z`), "YYYY-MM-DD"],
    ["expiresOn", onDate(dayFromNow(-1)), "after today"],
    ["expiresOn", onDate(dayFromNow(0)), "after today"],
    ["expiresOn", onDate(dayFromNow(366)), "at most a year"],
    ["expiresOn", onDate("9999-12-31"), "at most a year"],
  ])("refuses a bad %s on its field and changes nothing", async (field, input, reason) => {
    actAs(org.users.admin);
    const before = await snapshot(org.orgId);
    const result = await createApiToken(input);
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    if (!result.ok) {
      expect(Object.keys(result.fieldErrors ?? {})).toEqual([field]);
      expect(result.fieldErrors?.[field]?.join(" ")).toContain(reason);
    }
    expect(await snapshot(org.orgId)).toEqual(before);
  });

  it.each([null, undefined, "name=x", 7, [], [good]])(
    "refuses %j as a token to create and changes nothing",
    async (raw) => {
      actAs(org.users.admin);
      const before = await snapshot(org.orgId);
      expect(await createApiToken(raw)).toMatchObject({ ok: false, reason: "invalid" });
      expect(await revokeApiToken(raw)).toMatchObject({ ok: false, reason: "invalid" });
      expect(await snapshot(org.orgId)).toEqual(before);
    },
  );

  it("ignores the date unless a date is chosen", async () => {
    actAs(org.users.admin);
    const result = await createApiToken({ ...good, expiresIn: "7", expiresOn: "not a date" });
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(Date.parse(result.data.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  });

  it.each([...notAdmins, "anonymous" as const])(
    "refuses %s: no token created or revoked",
    async (who) => {
      actAs(org.users.admin);
      const made = await createApiToken({ name: "Keep", scope: "read", expiresIn: "90" });
      if (!made.ok) throw new Error("setup");
      actAs(who === "anonymous" ? null : org.users[who]);
      const before = await snapshot(org.orgId);
      const created = await createApiToken({ name: "Sneaky", scope: "write", expiresIn: "90" });
      const revoked = await revokeApiToken({ tokenId: made.data.id });
      const reason = who === "anonymous" ? "unauthenticated" : "forbidden";
      expect(created).toMatchObject({ ok: false, reason });
      expect(revoked).toMatchObject({ ok: false, reason });
      expect(await snapshot(org.orgId)).toEqual(before);
    },
  );

  it("revokes a token: the API answers 401 at once, and an audit event records it", async () => {
    actAs(org.users.admin);
    const made = await createApiToken({ name: "Short-lived", scope: "read", expiresIn: "90" });
    if (!made.ok) throw new Error("setup");
    expect(
      (await call(listComplaints, "GET", "/complaints", { token: made.data.secret })).status,
    ).toBe(200);
    const result = await revokeApiToken({ tokenId: made.data.id });
    expect(result).toMatchObject({ ok: true });
    const reply = await call(listComplaints, "GET", "/complaints", { token: made.data.secret });
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("unauthenticated");
    const events = await handle.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entityId, made.data.id)));
    expect(events.map((e) => e.action).sort()).toEqual(["api-token.created", "api-token.revoked"]);
    // Revoking again or an unknown id changes nothing.
    const before = await snapshot(org.orgId);
    expect(await revokeApiToken({ tokenId: made.data.id })).toMatchObject({
      ok: false,
      fieldErrors: { tokenId: ["This token is already revoked."] },
    });
    expect(await revokeApiToken({ tokenId: "not-a-uuid" })).toMatchObject({
      ok: false,
      fieldErrors: { tokenId: ["Unknown token."] },
    });
    expect(await revokeApiToken({ tokenId: crypto.randomUUID() })).toMatchObject({
      ok: false,
      reason: "not-found",
    });
    expect(await snapshot(org.orgId)).toEqual(before);
  });

  it("refuses another organisation's admin: their org cannot see or revoke this one's token", async () => {
    actAs(org.users.admin);
    const made = await createApiToken({ name: "Ours", scope: "write", expiresIn: "90" });
    if (!made.ok) throw new Error("setup");
    const before = await snapshot(org.orgId);
    actAs(other.users.admin);
    expect(await revokeApiToken({ tokenId: made.data.id })).toMatchObject({
      ok: false,
      reason: "not-found",
    });
    expect(await snapshot(org.orgId)).toEqual(before);
    // Their own token is created in their organisation, never ours.
    const theirs = await createApiToken({ name: "Theirs", scope: "read", expiresIn: "90" });
    expect(theirs.ok).toBe(true);
    expect(await snapshot(org.orgId)).toEqual(before);
    expect(await tokenCount(handle.db, other.orgId)).toBe(1);
  });

  it("lists a token whose creator was deactivated as stopped", async () => {
    actAs(org.users.admin);
    const created = await createApiToken({ name: "Leaver's sync", scope: "read", expiresIn: "90" });
    if (!created.ok) throw new Error("not created");
    // Made by someone who has since left: the manager stands in for a second admin.
    const leaver = and(eq(users.orgId, org.orgId), eq(users.id, org.users.manager.userId));
    await handle.db
      .update(apiTokens)
      .set({ createdBy: org.users.manager.userId })
      .where(and(eq(apiTokens.orgId, org.orgId), eq(apiTokens.id, created.data.id)));
    await handle.db.update(users).set({ active: false }).where(leaver);
    const listed = (await listApiTokens()).find((t) => t.id === created.data.id);
    expect(listed).toMatchObject({ creatorActive: false, revokedAt: null });
    await handle.db.update(users).set({ active: true }).where(leaver);
    expect((await listApiTokens()).find((t) => t.id === created.data.id)).toMatchObject({
      creatorActive: true,
    });
  });

  it("works through the settings server actions, keeping what was typed on an error", async () => {
    actAs(org.users.admin);
    const bad = await createTokenAction(
      null,
      form({ name: "", scope: "write", expiresIn: "date", expiresOn: "2020-01-01" }),
    );
    expect(bad).toMatchObject({
      ok: false,
      reason: "invalid",
      values: { name: "", scope: "write", expiresIn: "date", expiresOn: "2020-01-01" },
    });
    expect(bad && !bad.ok && Object.keys(bad.fieldErrors ?? {}).sort()).toEqual([
      "expiresOn",
      "name",
    ]);
    const good = await createTokenAction(
      null,
      form({ name: "From the form", scope: "read", expiresIn: "30", expiresOn: "" }),
    );
    expect(good).toMatchObject({ ok: true, data: { name: "From the form", scope: "read" } });
    const id = good && good.ok ? good.data.id : "";
    expect(await revokeTokenAction(null, form({ tokenId: id }))).toMatchObject({ ok: true });
    actAs(org.users.manager);
    const before = await snapshot(org.orgId);
    const refused = await createTokenAction(
      null,
      form({ name: "Nope", scope: "read", expiresIn: "90" }),
    );
    expect(refused).toMatchObject({ ok: false, reason: "forbidden" });
    expect(await snapshot(org.orgId)).toEqual(before);
  });

  it.each([null, undefined, "tokenId=x", { name: "Sneaky", scope: "write", expiresIn: "90" }])(
    "answers %j instead of a form with a typed refusal, changing nothing",
    async (raw) => {
      actAs(org.users.admin);
      const before = await snapshot(org.orgId);
      const created = await createTokenAction(null, raw as unknown as FormData);
      const revoked = await revokeTokenAction(null, raw as unknown as FormData);
      expect(created).toMatchObject({ ok: false, reason: "invalid" });
      expect(revoked).toMatchObject({ ok: false, reason: "invalid" });
      expect(await snapshot(org.orgId)).toEqual(before);
    },
  );
});
