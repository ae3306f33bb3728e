import crypto from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { changeOwnPasswordAction, signOutEverywhereAction } from "@/app/(app)/account/actions";
import { resetPasswordAction } from "@/app/(auth)/reset-password/actions";
import { changeUserRoleAction } from "@/app/(app)/settings/users/actions";
import {
  deactivateUserAction,
  issuePasswordResetAction,
  reactivateUserAction,
  signOutUserEverywhereAction,
} from "@/app/(app)/settings/users/lifecycle-actions";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, roles, userLogins, users, type Role } from "@/db/schema";
import type { ActionResult } from "@/lib/action-result";
import { checkCredentials } from "@/lib/auth/credentials";
import { getActor } from "@/lib/auth/guard";
import { hashResetCode } from "@/lib/users/reset-code";
import { engines } from "../helpers/db";
import {
  createTestOrg,
  FIXTURE_PASSWORD,
  FIXTURE_PASSWORD_HASH,
  type TestOrg,
} from "../helpers/fixtures";
import { actAs, currentSessionVersion } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

type Person = { userId: string; orgId: string; email: string };

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

const nobody = "00000000-0000-4000-8000-000000000000";
const nonAdmins = ["agent", "manager", "quality", "executive"] as const;
const address = () => `10.9.${crypto.randomInt(255)}.${crypto.randomInt(255)}`;

describe.each(engines)("account lifecycle on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  /** Everything secret the tests typed or were shown: no audit event may contain any of it. */
  const secrets = new Set<string>();

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Acme");
    other = await createTestOrg(handle.db, "Other");
  });
  afterAll(async () => {
    await handle.close();
  });

  /** A fresh person (password FIXTURE_PASSWORD), so each test starts from a known account. */
  async function addPerson(target: TestOrg, role: Role = "agent"): Promise<Person> {
    const email = `person-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const [user] = await handle.db
      .insert(users)
      .values({
        orgId: target.orgId,
        email,
        name: `Pat ${role}`,
        role,
        passwordHash: FIXTURE_PASSWORD_HASH,
      })
      .returning({ id: users.id });
    await handle.db.insert(userLogins).values({ email, orgId: target.orgId, userId: user!.id });
    return { userId: user!.id, orgId: target.orgId, email };
  }

  /** Every user's account state and the audit count: what a refused command must not change. */
  async function accounts(orgId: string) {
    const rows = await handle.db
      .select({
        id: users.id,
        role: users.role,
        active: users.active,
        sessionVersion: users.sessionVersion,
        passwordHash: users.passwordHash,
        resetHash: users.passwordResetHash,
        resetExpiresAt: users.passwordResetExpiresAt,
      })
      .from(users)
      .where(eq(users.orgId, orgId))
      .orderBy(asc(users.id));
    const [audit] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(eq(auditEvents.orgId, orgId));
    return { rows, audit: audit!.n };
  }
  const bothOrgs = async () => ({
    org: await accounts(org.orgId),
    other: await accounts(other.orgId),
  });

  async function account(person: Person) {
    const [row] = await handle.db
      .select()
      .from(users)
      .where(and(eq(users.orgId, person.orgId), eq(users.id, person.userId)));
    return row!;
  }

  async function events(person: Person, action: string) {
    return handle.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.orgId, person.orgId),
          eq(auditEvents.entityId, person.userId),
          eq(auditEvents.action, action),
        ),
      );
  }

  /** Whether a session issued at `version` is still accepted (getActor re-reads the user). */
  async function sessionWorks(person: Person, version: number): Promise<boolean> {
    actAs({ userId: person.userId, orgId: person.orgId, sessionVersion: version });
    const actor = await getActor();
    return actor?.userId === person.userId;
  }

  const signIn = (email: string, password: string) =>
    checkCredentials({ email, password }, address());

  function reasonOf(result: ActionResult<unknown> | null) {
    return result && !result.ok ? result.reason : "ok";
  }
  function fieldErrorOf(result: ActionResult<unknown> | null, field: string) {
    return result && !result.ok ? result.fieldErrors?.[field]?.[0] : undefined;
  }

  describe("deactivate and reactivate", () => {
    it("an admin deactivates someone: they cannot sign in, and their open session ends at once", async () => {
      const person = await addPerson(org);
      const version = await currentSessionVersion(person.userId, person.orgId);
      expect(await sessionWorks(person, version)).toBe(true);

      actAs(org.users.admin);
      const result = await deactivateUserAction(null, form({ userId: person.userId }));
      expect(result).toMatchObject({ ok: true });
      const row = await account(person);
      expect(row.active).toBe(false);
      expect(row.sessionVersion).toBe(version + 1);
      expect(await signIn(person.email, FIXTURE_PASSWORD)).toEqual({
        ok: false,
        reason: "invalid",
      });
      // Their session from before: refused, whatever version it names.
      expect(await sessionWorks(person, version)).toBe(false);
      expect(await sessionWorks(person, version + 1)).toBe(false);
      const [event] = await events(person, "user.deactivated");
      expect(event).toMatchObject({
        actorId: org.users.admin.userId,
        before: { active: true },
        after: { active: false },
      });

      actAs(org.users.admin);
      const again = await reactivateUserAction(null, form({ userId: person.userId }));
      expect(again).toMatchObject({ ok: true });
      expect((await account(person)).active).toBe(true);
      const signedIn = await signIn(person.email, FIXTURE_PASSWORD);
      expect(signedIn).toMatchObject({ ok: true, user: { id: person.userId } });
      // A new sign-in carries the current version, and that session works.
      const carried = signedIn.ok ? signedIn.user.sessionVersion : -1;
      expect(carried).toBe(version + 1);
      expect(await sessionWorks(person, carried)).toBe(true);
      // The session from before the deactivation stays ended.
      expect(await sessionWorks(person, version)).toBe(false);
      expect(await events(person, "user.reactivated")).toHaveLength(1);
    });

    it("a deactivation clears a pending reset code", async () => {
      const person = await addPerson(org);
      actAs(org.users.admin);
      const issued = await issuePasswordResetAction(null, form({ userId: person.userId }));
      const code = issued?.ok ? issued.data.code : "";
      secrets.add(code);
      expect((await account(person)).passwordResetHash).toBe(hashResetCode(code));
      await deactivateUserAction(null, form({ userId: person.userId }));
      expect(await account(person)).toMatchObject({
        passwordResetHash: null,
        passwordResetExpiresAt: null,
      });
      await reactivateUserAction(null, form({ userId: person.userId }));
      actAs(null);
      const used = await resetPasswordAction(
        null,
        form({
          email: person.email,
          code,
          newPassword: "a brand new passphrase",
          confirmPassword: "a brand new passphrase",
        }),
      );
      expect(fieldErrorOf(used, "code")).toMatch(/wrong or has expired/);
    });

    it("an admin cannot deactivate themselves", async () => {
      actAs(org.users.admin);
      const before = await bothOrgs();
      const result = await deactivateUserAction(null, form({ userId: org.users.admin.userId }));
      expect(result).toMatchObject({ ok: false, reason: "conflict" });
      expect(await bothOrgs()).toEqual(before);
    });

    // The last-admin rule: the actor is an active admin and cannot pick themselves, so the rule
    // only bites when two admins deactivate each other at the same moment.
    it("two admins deactivating each other at once leave one active admin", async () => {
      // An organisation of its own, whose only active admins are these two.
      const race = await createTestOrg(handle.db, "Race");
      const first = await addPerson(race, "admin");
      const second = await addPerson(race, "admin");
      await handle.db
        .update(users)
        .set({ active: false })
        .where(and(eq(users.orgId, race.orgId), eq(users.id, race.users.admin.userId)));
      actAs(first);
      const one = deactivateUserAction(null, form({ userId: second.userId }));
      actAs(second);
      const two = deactivateUserAction(null, form({ userId: first.userId }));
      const results = await Promise.all([one, two]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      // The loser is refused: the last admin (conflict), or its own session already ended.
      const refusedReasons = results.filter((r) => !r.ok).map(reasonOf);
      expect(refusedReasons).toHaveLength(1);
      expect(["conflict", "unauthenticated"]).toContain(refusedReasons[0]);
      const activeAdmins = (await accounts(race.orgId)).rows.filter(
        (r) => r.role === "admin" && r.active,
      );
      expect(activeAdmins).toHaveLength(1);
    });

    it("two admins demoting each other at once leave one admin", async () => {
      // An organisation of its own, whose only active admins are these two.
      const race = await createTestOrg(handle.db, "Race");
      const first = await addPerson(race, "admin");
      const second = await addPerson(race, "admin");
      await handle.db
        .update(users)
        .set({ active: false })
        .where(and(eq(users.orgId, race.orgId), eq(users.id, race.users.admin.userId)));
      actAs(first);
      const one = changeUserRoleAction(null, form({ userId: second.userId, role: "agent" }));
      actAs(second);
      const two = changeUserRoleAction(null, form({ userId: first.userId, role: "agent" }));
      const results = await Promise.all([one, two]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const refusal = results.find((r) => !r.ok);
      // The last admin (a field error on role), or the loser was demoted before it acted.
      expect(["invalid", "forbidden"]).toContain(reasonOf(refusal ?? null));
      const activeAdmins = (await accounts(race.orgId)).rows.filter(
        (r) => r.role === "admin" && r.active,
      );
      expect(activeAdmins).toHaveLength(1);
    });

    it.each(nonAdmins)("refuses the %s role and changes nothing", async (role) => {
      const person = await addPerson(org);
      actAs(org.users[role]);
      const before = await bothOrgs();
      for (const action of [deactivateUserAction, reactivateUserAction]) {
        const result = await action(null, form({ userId: person.userId }));
        expect(result).toMatchObject({ ok: false, reason: "forbidden" });
      }
      expect(await bothOrgs()).toEqual(before);
    });

    it("refuses without a session, and another organisation's user is not found", async () => {
      const person = await addPerson(org);
      const before = await bothOrgs();
      actAs(null);
      for (const action of [deactivateUserAction, reactivateUserAction]) {
        expect(await action(null, form({ userId: person.userId }))).toMatchObject({
          ok: false,
          reason: "unauthenticated",
        });
      }
      actAs(other.users.admin);
      for (const action of [deactivateUserAction, reactivateUserAction]) {
        expect(await action(null, form({ userId: person.userId }))).toMatchObject({
          ok: false,
          reason: "not-found",
        });
      }
      expect(await bothOrgs()).toEqual(before);
    });

    it("refuses a malformed user id with a field error", async () => {
      actAs(org.users.admin);
      const before = await bothOrgs();
      for (const action of [deactivateUserAction, reactivateUserAction]) {
        for (const userId of ["", "nope", `${nobody}x`]) {
          const result = await action(null, form({ userId }));
          expect(fieldErrorOf(result, "userId")).toBe("Unknown user.");
        }
        expect(await action(null, form({ userId: nobody }))).toMatchObject({
          reason: "not-found",
        });
      }
      expect(await bothOrgs()).toEqual(before);
    });
  });

  describe("an admin resets a password", () => {
    it("issues a code shown once: only its SHA-256 and a 24-hour expiry are stored", async () => {
      const person = await addPerson(org);
      const versionBefore = (await account(person)).sessionVersion;
      actAs(org.users.admin);
      const result = await issuePasswordResetAction(null, form({ userId: person.userId }));
      expect(result).toMatchObject({ ok: true, data: { email: person.email } });
      const code = result?.ok ? result.data.code : "";
      secrets.add(code);
      expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      const row = await account(person);
      expect(row.passwordResetHash).toBe(
        crypto.createHash("sha256").update(code.replace(/-/g, "")).digest("hex"),
      );
      expect(row.passwordResetHash).not.toContain(code);
      const hours = (row.passwordResetExpiresAt!.getTime() - Date.now()) / 3600_000;
      expect(hours).toBeGreaterThan(23.9);
      expect(hours).toBeLessThanOrEqual(24);
      // Nothing else changes until the code is used: the password and sessions still work.
      expect(row.passwordHash).toBe(FIXTURE_PASSWORD_HASH);
      expect(row.sessionVersion).toBe(versionBefore);
      const [event] = await events(person, "user.password-reset-issued");
      expect(event).toMatchObject({ actorId: org.users.admin.userId });
      expect(JSON.stringify(event)).not.toContain(code);
      expect(JSON.stringify(event)).not.toContain(row.passwordResetHash!);
    });

    it("the code works once (typed any case, without dashes), then never again", async () => {
      const person = await addPerson(org);
      const oldVersion = (await account(person)).sessionVersion;
      actAs(org.users.admin);
      const issued = await issuePasswordResetAction(null, form({ userId: person.userId }));
      const code = issued?.ok ? issued.data.code : "";
      secrets.add(code);
      const newPassword = "reset by the book 2026";
      secrets.add(newPassword);

      actAs(null);
      const typed = code.replace(/-/g, " ").toLowerCase();
      const result = await resetPasswordAction(
        null,
        form({
          email: person.email.toUpperCase(),
          code: typed,
          newPassword,
          confirmPassword: newPassword,
        }),
      );
      expect(result).toMatchObject({ ok: true });
      const row = await account(person);
      expect(row).toMatchObject({
        passwordResetHash: null,
        passwordResetExpiresAt: null,
        sessionVersion: oldVersion + 1,
      });
      expect(await signIn(person.email, FIXTURE_PASSWORD)).toMatchObject({ ok: false });
      expect(await signIn(person.email, newPassword)).toMatchObject({ ok: true });
      expect(await sessionWorks(person, oldVersion)).toBe(false);
      const [event] = await events(person, "user.password-reset");
      expect(event).toMatchObject({ actorId: person.userId, actorKind: "user" });

      actAs(null);
      const before = await bothOrgs();
      const second = await resetPasswordAction(
        null,
        form({
          email: person.email,
          code,
          newPassword: "and once more please",
          confirmPassword: "and once more please",
        }),
      );
      expect(fieldErrorOf(second, "code")).toMatch(/wrong or has expired/);
      expect(await bothOrgs()).toEqual(before);
    });

    it("an expired code, a wrong code and an unknown email get the same answer and change nothing", async () => {
      const person = await addPerson(org);
      actAs(org.users.admin);
      const issued = await issuePasswordResetAction(null, form({ userId: person.userId }));
      const code = issued?.ok ? issued.data.code : "";
      secrets.add(code);
      actAs(null);
      const attempt = (email: string, typed: string) =>
        resetPasswordAction(
          null,
          form({
            email,
            code: typed,
            newPassword: "twelve chars plus",
            confirmPassword: "twelve chars plus",
          }),
        );
      let before = await bothOrgs();
      const wrong = await attempt(person.email, "ABCD-EFGH-JKMN-PQRS");
      const unknown = await attempt("nobody-here@example.test", code);
      const otherPerson = await attempt(org.users.agent.email, code);
      for (const result of [wrong, unknown, otherPerson]) {
        expect(result).toMatchObject({ ok: false, reason: "invalid" });
        expect(fieldErrorOf(result, "code")).toBe(
          "That code is wrong or has expired. Ask an admin for a new one.",
        );
      }
      expect(await bothOrgs()).toEqual(before);

      await handle.db
        .update(users)
        .set({ passwordResetExpiresAt: sql`now() - interval '1 second'` })
        .where(and(eq(users.orgId, person.orgId), eq(users.id, person.userId)));
      before = await bothOrgs();
      const expired = await attempt(person.email, code);
      expect(fieldErrorOf(expired, "code")).toBe(
        "That code is wrong or has expired. Ask an admin for a new one.",
      );
      expect(await bothOrgs()).toEqual(before);
      expect(await signIn(person.email, FIXTURE_PASSWORD)).toMatchObject({ ok: true });
    });

    it("wrong codes are throttled per email: after five, even the right code waits", async () => {
      const person = await addPerson(org);
      actAs(org.users.admin);
      const issued = await issuePasswordResetAction(null, form({ userId: person.userId }));
      const code = issued?.ok ? issued.data.code : "";
      secrets.add(code);
      actAs(null);
      const attempt = (typed: string) =>
        resetPasswordAction(
          null,
          form({
            email: person.email,
            code: typed,
            newPassword: "twelve chars plus",
            confirmPassword: "twelve chars plus",
          }),
        );
      for (let i = 0; i < 5; i++) {
        expect(fieldErrorOf(await attempt(`WRNG-C0DE-0000-000${i}`), "code")).toMatch(/wrong/);
      }
      const before = await bothOrgs();
      const right = await attempt(code);
      expect(fieldErrorOf(right, "code")).toMatch(/Too many wrong codes/);
      expect(await bothOrgs()).toEqual(before);
    });

    it("a deactivated person gets no code", async () => {
      const person = await addPerson(org);
      actAs(org.users.admin);
      await deactivateUserAction(null, form({ userId: person.userId }));
      const before = await bothOrgs();
      const result = await issuePasswordResetAction(null, form({ userId: person.userId }));
      expect(result).toMatchObject({ ok: false, reason: "conflict" });
      expect(await bothOrgs()).toEqual(before);
    });

    it("only an admin of the person's organisation issues a code", async () => {
      const person = await addPerson(org);
      const before = await bothOrgs();
      for (const role of nonAdmins) {
        actAs(org.users[role]);
        const result = await issuePasswordResetAction(null, form({ userId: person.userId }));
        expect(reasonOf(result)).toBe("forbidden");
      }
      actAs(null);
      expect(reasonOf(await issuePasswordResetAction(null, form({ userId: person.userId })))).toBe(
        "unauthenticated",
      );
      actAs(other.users.admin);
      expect(reasonOf(await issuePasswordResetAction(null, form({ userId: person.userId })))).toBe(
        "not-found",
      );
      actAs(org.users.admin);
      expect(
        fieldErrorOf(await issuePasswordResetAction(null, form({ userId: "x" })), "userId"),
      ).toBe("Unknown user.");
      expect(await bothOrgs()).toEqual(before);
    });

    const goodReset = {
      email: "someone@example.test",
      code: "ABCD-EFGH-JKMN-PQRS",
      newPassword: "twelve chars plus",
      confirmPassword: "twelve chars plus",
    };
    it.each([
      ["email", { email: "" }],
      ["email", { email: "not an email" }],
      ["code", { code: "" }],
      ["code", { code: "x".repeat(65) }],
      ["newPassword", { newPassword: "short", confirmPassword: "short" }],
      ["newPassword", { newPassword: "y".repeat(201), confirmPassword: "y".repeat(201) }],
      ["confirmPassword", { confirmPassword: "twelve chars PLUS" }],
    ] as const)(
      "the reset form refuses a bad %s with its field error (%o)",
      async (field, patch) => {
        actAs(null);
        const before = await bothOrgs();
        const result = await resetPasswordAction(null, form({ ...goodReset, ...patch }));
        expect(result).toMatchObject({ ok: false, reason: "invalid" });
        expect(fieldErrorOf(result, field)).toBeTruthy();
        // What was typed comes back, never a password.
        const typed: Record<string, string> = { ...goodReset, ...patch };
        expect(result && !result.ok && result.values).toEqual({
          email: typed.email,
          code: typed.code,
        });
        expect(await bothOrgs()).toEqual(before);
      },
    );
  });

  describe("changing your own password", () => {
    it.each(roles)(
      "a %s changes theirs: the old one fails, the new one works, old sessions end",
      async (role) => {
        const person = await addPerson(org, role);
        const oldVersion = (await account(person)).sessionVersion;
        const newPassword = `new ${role} passphrase 42`;
        secrets.add(newPassword);
        actAs(person);
        const result = await changeOwnPasswordAction(
          null,
          form({ currentPassword: FIXTURE_PASSWORD, newPassword, confirmPassword: newPassword }),
        );
        expect(result).toMatchObject({ ok: true });
        expect(result.ok && result.message).toMatch(/sign in again/);
        expect(await signIn(person.email, FIXTURE_PASSWORD)).toMatchObject({ ok: false });
        const signedIn = await signIn(person.email, newPassword);
        expect(signedIn).toMatchObject({ ok: true, user: { sessionVersion: oldVersion + 1 } });
        expect(await sessionWorks(person, oldVersion)).toBe(false);
        expect(await sessionWorks(person, oldVersion + 1)).toBe(true);
        const [event] = await events(person, "user.password-changed");
        expect(event).toMatchObject({ actorId: person.userId });
      },
    );

    it.each([
      ["currentPassword", { currentPassword: "" }],
      ["currentPassword", { currentPassword: "not my password at all" }],
      ["newPassword", { newPassword: "short", confirmPassword: "short" }],
      ["newPassword", { newPassword: FIXTURE_PASSWORD, confirmPassword: FIXTURE_PASSWORD }],
      ["newPassword", { newPassword: "z".repeat(201), confirmPassword: "z".repeat(201) }],
      ["confirmPassword", { confirmPassword: "something else entirely" }],
    ] as const)(
      "refuses a bad %s with its field error and changes nothing (%o)",
      async (field, patch) => {
        const person = await addPerson(org);
        actAs(person);
        const before = await bothOrgs();
        const result = await changeOwnPasswordAction(
          null,
          form({
            currentPassword: FIXTURE_PASSWORD,
            newPassword: "a fine new password",
            confirmPassword: "a fine new password",
            ...patch,
          }),
        );
        expect(result).toMatchObject({ ok: false, reason: "invalid" });
        expect(fieldErrorOf(result, field)).toBeTruthy();
        expect(await bothOrgs()).toEqual(before);
        expect(await sessionWorks(person, (await account(person)).sessionVersion)).toBe(true);
      },
    );

    it("refuses without a session, or with an ended one", async () => {
      const person = await addPerson(org);
      const input = form({
        currentPassword: FIXTURE_PASSWORD,
        newPassword: "a fine new password",
        confirmPassword: "a fine new password",
      });
      const before = await bothOrgs();
      actAs(null);
      expect(reasonOf(await changeOwnPasswordAction(null, input))).toBe("unauthenticated");
      actAs({ ...person, sessionVersion: -1 });
      expect(reasonOf(await changeOwnPasswordAction(null, input))).toBe("unauthenticated");
      expect(await bothOrgs()).toEqual(before);
    });
  });

  describe("sign out everywhere", () => {
    it.each(roles)("a %s ends their own sessions, this one included", async (role) => {
      const person = await addPerson(org, role);
      const version = (await account(person)).sessionVersion;
      actAs({ ...person, sessionVersion: version });
      const result = await signOutEverywhereAction(null, form({}));
      expect(result).toMatchObject({ ok: true });
      expect((await account(person)).sessionVersion).toBe(version + 1);
      expect(await sessionWorks(person, version)).toBe(false);
      // Signing in again gives a session that works; the password is unchanged.
      const signedIn = await signIn(person.email, FIXTURE_PASSWORD);
      expect(signedIn).toMatchObject({ ok: true, user: { sessionVersion: version + 1 } });
      expect(await sessionWorks(person, version + 1)).toBe(true);
      expect(await events(person, "user.signed-out-everywhere")).toHaveLength(1);
    });

    it("an admin signs someone in their organisation out everywhere", async () => {
      const person = await addPerson(org);
      const version = (await account(person)).sessionVersion;
      actAs(org.users.admin);
      const result = await signOutUserEverywhereAction(null, form({ userId: person.userId }));
      expect(result).toMatchObject({ ok: true });
      expect(await sessionWorks(person, version)).toBe(false);
      const [event] = await events(person, "user.signed-out-everywhere");
      expect(event).toMatchObject({ actorId: org.users.admin.userId });
      // The admin's own session is untouched.
      expect(
        await sessionWorks(
          org.users.admin as Person,
          await currentSessionVersion(org.users.admin.userId, org.orgId),
        ),
      ).toBe(true);
    });

    it("refuses others' sessions to non-admins, other organisations and anonymous callers", async () => {
      const person = await addPerson(org);
      const before = await bothOrgs();
      for (const role of nonAdmins) {
        actAs(org.users[role]);
        const result = await signOutUserEverywhereAction(null, form({ userId: person.userId }));
        expect(reasonOf(result)).toBe("forbidden");
      }
      actAs(other.users.admin);
      expect(
        reasonOf(await signOutUserEverywhereAction(null, form({ userId: person.userId }))),
      ).toBe("not-found");
      actAs(null);
      expect(
        reasonOf(await signOutUserEverywhereAction(null, form({ userId: person.userId }))),
      ).toBe("unauthenticated");
      expect(reasonOf(await signOutEverywhereAction(null, form({})))).toBe("unauthenticated");
      actAs(org.users.admin);
      expect(
        fieldErrorOf(await signOutUserEverywhereAction(null, form({ userId: "junk" })), "userId"),
      ).toBe("Unknown user.");
      expect(await bothOrgs()).toEqual(before);
    });
  });

  describe("sessions and versions", () => {
    it("a session is accepted only at the user's current version", async () => {
      const person = await addPerson(org);
      const version = (await account(person)).sessionVersion;
      expect(await sessionWorks(person, version)).toBe(true);
      expect(await sessionWorks(person, version - 1)).toBe(false);
      expect(await sessionWorks(person, version + 1)).toBe(false);
    });
  });

  it("every action answers junk arguments with a typed refusal and changes nothing", async () => {
    const actions = [
      deactivateUserAction,
      reactivateUserAction,
      issuePasswordResetAction,
      signOutUserEverywhereAction,
      changeOwnPasswordAction,
      signOutEverywhereAction,
      resetPasswordAction,
    ] as ((prev: null, data: unknown) => Promise<ActionResult<unknown> | null>)[];
    const junk: unknown[] = [undefined, null, "junk", 42, { userId: org.users.agent.userId }, []];
    const before = await bothOrgs();
    for (const who of [org.users.admin, null]) {
      actAs(who);
      for (const action of actions) {
        for (const value of junk) {
          const result = await action(null, value);
          expect(result).toMatchObject({ ok: false, reason: "invalid" });
        }
      }
    }
    expect(await bothOrgs()).toEqual(before);
  });

  it("no audit event holds a password, a password hash or a reset code", async () => {
    const all = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entity, "user")));
    const actions = new Set(all.map((e) => e.action));
    for (const action of [
      "user.deactivated",
      "user.reactivated",
      "user.password-reset-issued",
      "user.password-reset",
      "user.password-changed",
      "user.signed-out-everywhere",
    ]) {
      expect(actions).toContain(action);
    }
    const hashes = (await accounts(org.orgId)).rows.map((r) => r.passwordHash);
    const text = JSON.stringify(all);
    expect(secrets.size).toBeGreaterThan(5);
    for (const secret of [...secrets, ...hashes, FIXTURE_PASSWORD]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.replace(/-/g, ""));
    }
    for (const code of secrets) expect(text).not.toContain(hashResetCode(code));
    expect(text).not.toMatch(/argon2/);
  });
});
