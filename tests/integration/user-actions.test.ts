import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { changeUserRoleAction, createUserAction } from "@/app/(app)/settings/users/actions";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, teamMemberships, userLogins, users, type Role } from "@/db/schema";
import { engines } from "../helpers/db";
import { createTestOrg, orgSnapshot, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

describe.each(engines)("user management actions on $name", (engine) => {
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

  const validUser = () => ({
    name: "Nadia Okafor",
    email: `nadia-${crypto.randomUUID().slice(0, 8)}@example.test`,
    role: "agent",
    teamId: org.teamId,
    password: "a long enough password",
  });

  describe("createUserAction", () => {
    it("adds a person who can sign in, in the admin's org, with an audit event", async () => {
      actAs(org.users.admin);
      const input = validUser();
      const result = await createUserAction(null, form(input));
      expect(result).toMatchObject({ ok: true });
      const id = result && result.ok ? result.data.id : "";
      const [user] = await handle.db
        .select()
        .from(users)
        .where(and(eq(users.orgId, org.orgId), eq(users.id, id)));
      expect(user).toMatchObject({ name: "Nadia Okafor", role: "agent", email: input.email });
      expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
      const [login] = await handle.db
        .select()
        .from(userLogins)
        .where(eq(userLogins.email, input.email));
      expect(login).toMatchObject({ orgId: org.orgId, userId: id });
      const memberships = await handle.db
        .select()
        .from(teamMemberships)
        .where(and(eq(teamMemberships.orgId, org.orgId), eq(teamMemberships.userId, id)));
      expect(memberships).toHaveLength(1);
      const events = await handle.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entityId, id)));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: "user.created", actorId: org.users.admin.userId });
      expect(JSON.stringify(events[0]!.after)).not.toContain("password");
    });

    const badFields: [string, Record<string, string>][] = [
      ["name", { name: "" }],
      ["name", { name: "x".repeat(121) }],
      ["email", { email: "not-an-email" }],
      ["email", { email: `${"a".repeat(250)}@example.test` }],
      ["email", { email: "" }],
      ["role", { role: "superuser" }],
      ["role", { role: "" }],
      ["teamId", { teamId: "not-a-uuid" }],
      ["password", { password: "short" }],
      ["password", { password: "x".repeat(201) }],
    ];
    it.each(badFields)(
      "refuses a bad %s with a field error and changes nothing (%o)",
      async (field, patch) => {
        actAs(org.users.admin);
        const before = await orgSnapshot(handle.db, org.orgId);
        const input = { ...validUser(), ...patch };
        const result = await createUserAction(null, form(input));
        expect(result).toMatchObject({ ok: false, reason: "invalid" });
        expect(result && !result.ok && result.fieldErrors?.[field]?.[0]).toBeTruthy();
        // What was typed comes back (except the password), so the form keeps it.
        expect(result && !result.ok && result.values?.name).toBe(input.name);
        expect(await orgSnapshot(handle.db, org.orgId)).toEqual(before);
      },
    );

    it("refuses an email that already signs in", async () => {
      actAs(org.users.admin);
      const before = await orgSnapshot(handle.db, org.orgId);
      const result = await createUserAction(
        null,
        form({ ...validUser(), email: org.users.agent.email }),
      );
      expect(result && !result.ok && result.fieldErrors?.email?.[0]).toMatch(/already/);
      expect(await orgSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("refuses a team of another organisation", async () => {
      actAs(org.users.admin);
      const before = await orgSnapshot(handle.db, org.orgId);
      const result = await createUserAction(null, form({ ...validUser(), teamId: other.teamId }));
      expect(result && !result.ok && result.fieldErrors?.teamId?.[0]).toBeTruthy();
      expect(await orgSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    const refusedRoles: Role[] = ["agent", "manager", "quality", "executive"];
    it.each(refusedRoles)("refuses the %s role and changes nothing", async (role) => {
      actAs(org.users[role]);
      const before = await orgSnapshot(handle.db, org.orgId);
      const result = await createUserAction(null, form(validUser()));
      expect(result).toMatchObject({ ok: false, reason: "forbidden" });
      expect(await orgSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("refuses a request without a session and changes nothing", async () => {
      actAs(null);
      const before = await orgSnapshot(handle.db, org.orgId);
      const result = await createUserAction(null, form(validUser()));
      expect(result).toMatchObject({ ok: false, reason: "unauthenticated" });
      expect(await orgSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("refuses a session whose user was deactivated", async () => {
      const [ghost] = await handle.db
        .update(users)
        .set({ active: false })
        .where(and(eq(users.orgId, other.orgId), eq(users.id, other.users.admin.userId)))
        .returning({ id: users.id });
      expect(ghost).toBeDefined();
      actAs(other.users.admin);
      const before = await orgSnapshot(handle.db, other.orgId);
      const result = await createUserAction(null, form({ ...validUser(), teamId: other.teamId }));
      expect(result).toMatchObject({ ok: false, reason: "unauthenticated" });
      expect(await orgSnapshot(handle.db, other.orgId)).toEqual(before);
      await handle.db
        .update(users)
        .set({ active: true })
        .where(and(eq(users.orgId, other.orgId), eq(users.id, other.users.admin.userId)));
    });
  });

  describe("changeUserRoleAction", () => {
    it("changes a role and records before → after", async () => {
      actAs(org.users.admin);
      const target = org.users.quality.userId;
      const result = await changeUserRoleAction(null, form({ userId: target, role: "manager" }));
      expect(result).toMatchObject({ ok: true });
      const [row] = await handle.db
        .select({ role: users.role })
        .from(users)
        .where(and(eq(users.orgId, org.orgId), eq(users.id, target)));
      expect(row!.role).toBe("manager");
      const [event] = await handle.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.orgId, org.orgId),
            eq(auditEvents.action, "user.role-changed"),
            eq(auditEvents.entityId, target),
          ),
        );
      expect(event).toMatchObject({ before: { role: "quality" }, after: { role: "manager" } });
      await changeUserRoleAction(null, form({ userId: target, role: "quality" }));
    });

    it.each([
      ["userId", { userId: "nope", role: "agent" }],
      ["role", { userId: "00000000-0000-4000-8000-000000000000", role: "owner" }],
    ] as const)("refuses a bad %s and changes nothing", async (field, input) => {
      actAs(org.users.admin);
      const before = await orgSnapshot(handle.db, org.orgId);
      const result = await changeUserRoleAction(null, form(input));
      expect(result && !result.ok && result.fieldErrors?.[field]?.[0]).toBeTruthy();
      expect(await orgSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("will not demote the last admin", async () => {
      actAs(org.users.admin);
      const before = await orgSnapshot(handle.db, org.orgId);
      const result = await changeUserRoleAction(
        null,
        form({ userId: org.users.admin.userId, role: "agent" }),
      );
      expect(result && !result.ok && result.fieldErrors?.role?.[0]).toMatch(/last admin/);
      expect(await orgSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it("cannot reach a user of another organisation", async () => {
      actAs(other.users.admin);
      const before = await orgSnapshot(handle.db, org.orgId);
      const result = await changeUserRoleAction(
        null,
        form({ userId: org.users.agent.userId, role: "admin" }),
      );
      expect(result).toMatchObject({ ok: false, reason: "not-found" });
      expect(await orgSnapshot(handle.db, org.orgId)).toEqual(before);
    });

    it.each(["agent", "manager", "quality", "executive"] as const)(
      "refuses the %s role and changes nothing",
      async (role) => {
        actAs(org.users[role]);
        const before = await orgSnapshot(handle.db, org.orgId);
        const result = await changeUserRoleAction(
          null,
          form({ userId: org.users[role].userId, role: "admin" }),
        );
        expect(result).toMatchObject({ ok: false, reason: "forbidden" });
        expect(await orgSnapshot(handle.db, org.orgId)).toEqual(before);
      },
    );

    it("refuses a request without a session", async () => {
      actAs(null);
      const before = await orgSnapshot(handle.db, org.orgId);
      const result = await changeUserRoleAction(
        null,
        form({ userId: org.users.agent.userId, role: "admin" }),
      );
      expect(result).toMatchObject({ ok: false, reason: "unauthenticated" });
      expect(await orgSnapshot(handle.db, org.orgId)).toEqual(before);
    });
  });
});
