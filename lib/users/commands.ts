import "server-only";
import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { teamMemberships, teams, userLogins, users } from "@/db/schema";
import { fieldError, invalid, refused, type ActionResult } from "@/lib/action-result";
import { recordAudit, type Tx } from "@/lib/audit";
import { authorise, getActor, type Actor } from "@/lib/auth/guard";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { clearFailures, isThrottled, recordFailure } from "@/lib/auth/throttle";
import { actorCan } from "@/lib/permissions";
import {
  generateResetCode,
  hashResetCode,
  isResetCodeShape,
  normaliseResetCode,
  RESET_CODE_HOURS,
  sameHash,
} from "./reset-code";
import {
  changeOwnPasswordSchema,
  changeRoleSchema,
  createUserSchema,
  resetPasswordSchema,
  signOutEverywhereSchema,
  userIdSchema,
} from "./validation";

/** Adds a person to the admin's organisation (and optionally a team). */
export async function createUser(raw: unknown): Promise<ActionResult<{ id: string }>> {
  const auth = await authorise("user:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = createUserSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const input = { ...parsed.data, email: parsed.data.email.trim().toLowerCase() };
  const { db } = await getDatabase();

  if (input.teamId) {
    const [team] = await db
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.orgId, actor.orgId), eq(teams.id, input.teamId)));
    if (!team) return fieldError("teamId", "Choose a team from the list.");
  }
  const passwordHash = await hashPassword(input.password);

  return db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ email: userLogins.email })
      .from(userLogins)
      .where(eq(userLogins.email, input.email));
    if (taken)
      return fieldError<{ id: string }>("email", "Someone already signs in with this email.");
    const [user] = await tx
      .insert(users)
      .values({
        orgId: actor.orgId,
        name: input.name,
        email: input.email,
        role: input.role,
        passwordHash,
      })
      .returning({ id: users.id });
    if (!user) throw new Error("insert returned no user");
    await tx.insert(userLogins).values({ email: input.email, orgId: actor.orgId, userId: user.id });
    if (input.teamId) {
      await tx
        .insert(teamMemberships)
        .values({ orgId: actor.orgId, teamId: input.teamId, userId: user.id });
    }
    await recordAudit(tx, actor, {
      entity: "user",
      entityId: user.id,
      action: "user.created",
      after: {
        name: input.name,
        email: input.email,
        role: input.role,
        teamId: input.teamId ?? null,
      },
    });
    return { ok: true as const, data: { id: user.id }, message: `${input.name} can now sign in.` };
  });
}

/**
 * The person and every active admin of the organisation, locked in one statement in id order:
 * two admins demoting or deactivating each other at once cannot both win (leaving no admin), and
 * cannot deadlock. Returns the person (null: not in this organisation) and whether they are its
 * last active admin, counted under those locks — the one check both callers make before
 * demoting or deactivating.
 */
async function lockPersonAndAdmins(tx: Tx, orgId: string, userId: string) {
  const rows = await tx
    .select({ id: users.id, role: users.role, name: users.name, active: users.active })
    .from(users)
    .where(
      and(
        eq(users.orgId, orgId),
        or(eq(users.id, userId), and(eq(users.role, "admin"), eq(users.active, true))),
      ),
    )
    .orderBy(asc(users.id))
    .for("update");
  const person = rows.find((row) => row.id === userId) ?? null;
  const lastActiveAdmin =
    person?.role === "admin" &&
    person.active &&
    !rows.some((row) => row.id !== userId && row.role === "admin");
  return { person, lastActiveAdmin };
}

/** Changes someone's role. The last admin cannot be demoted, so nobody locks the organisation out. */
export async function changeUserRole(raw: unknown): Promise<ActionResult> {
  const auth = await authorise("user:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = changeRoleSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { userId, role } = parsed.data;
  const { db } = await getDatabase();

  return db.transaction(async (tx) => {
    const { person: user, lastActiveAdmin } = await lockPersonAndAdmins(tx, actor.orgId, userId);
    if (!user) return refused("not-found", "That user does not exist in your organisation.");
    if (user.role === role) return { ok: true as const, data: null, message: "Nothing changed." };
    if (lastActiveAdmin) {
      return fieldError("role", "This is the last admin; make someone else admin first.");
    }
    await tx
      .update(users)
      .set({ role })
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, userId)));
    await recordAudit(tx, actor, {
      entity: "user",
      entityId: userId,
      action: "user.role-changed",
      before: { role: user.role },
      after: { role },
    });
    return { ok: true as const, data: null, message: `${user.name} is now ${role}.` };
  });
}

/** Every session the user holds stops working on its next request (getActor compares versions). */
const nextSessionVersion = sql`${users.sessionVersion} + 1`;

const notInYourOrg = "That user does not exist in your organisation.";

/**
 * Deactivates someone: they cannot sign in, and their open sessions end at once. Not yourself,
 * and never the last active admin, so nobody locks the organisation out.
 */
export async function deactivateUser(raw: unknown): Promise<ActionResult> {
  const auth = await authorise("user:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = userIdSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { userId } = parsed.data;
  const { db } = await getDatabase();

  return db.transaction(async (tx) => {
    const { person: user, lastActiveAdmin } = await lockPersonAndAdmins(tx, actor.orgId, userId);
    if (!user) return refused("not-found", notInYourOrg);
    if (userId === actor.userId) {
      return refused("conflict", "You cannot deactivate yourself; ask another admin.");
    }
    if (!user.active) return { ok: true as const, data: null, message: "Nothing changed." };
    if (lastActiveAdmin) {
      return refused("conflict", "This is the last active admin; make someone else admin first.");
    }
    await tx
      .update(users)
      .set({
        active: false,
        sessionVersion: nextSessionVersion,
        passwordResetHash: null,
        passwordResetExpiresAt: null,
      })
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, userId)));
    await recordAudit(tx, actor, {
      entity: "user",
      entityId: userId,
      action: "user.deactivated",
      before: { active: true },
      after: { active: false },
    });
    return {
      ok: true as const,
      data: null,
      message: `${user.name} is deactivated: they cannot sign in, and their sessions have ended.`,
    };
  });
}

/** Lets a deactivated person sign in again (with the password they had). */
export async function reactivateUser(raw: unknown): Promise<ActionResult> {
  const auth = await authorise("user:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = userIdSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { userId } = parsed.data;
  const { db } = await getDatabase();

  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ name: users.name, active: users.active })
      .from(users)
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, userId)))
      .for("update");
    if (!user) return refused("not-found", notInYourOrg);
    if (user.active) return { ok: true as const, data: null, message: "Nothing changed." };
    await tx
      .update(users)
      .set({ active: true })
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, userId)));
    await recordAudit(tx, actor, {
      entity: "user",
      entityId: userId,
      action: "user.reactivated",
      before: { active: false },
      after: { active: true },
    });
    return { ok: true as const, data: null, message: `${user.name} can sign in again.` };
  });
}

export interface IssuedReset {
  /** Shown once to the admin; only its SHA-256 is stored. */
  code: string;
  email: string;
  expiresAt: Date;
}

/**
 * An admin issues a one-time password-reset code (valid 24 h) for someone in their organisation.
 * Nothing else changes until the code is used; a new code replaces an unused one.
 */
export async function issuePasswordReset(raw: unknown): Promise<ActionResult<IssuedReset>> {
  const auth = await authorise("user:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = userIdSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { userId } = parsed.data;
  const { db } = await getDatabase();
  const code = generateResetCode();
  const expiresAt = new Date(Date.now() + RESET_CODE_HOURS * 3600_000);

  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ name: users.name, email: users.email, active: users.active })
      .from(users)
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, userId)))
      .for("update");
    if (!user) return refused<IssuedReset>("not-found", notInYourOrg);
    if (!user.active) {
      return refused<IssuedReset>(
        "conflict",
        `${user.name} is deactivated; reactivate them first.`,
      );
    }
    await tx
      .update(users)
      .set({ passwordResetHash: hashResetCode(code), passwordResetExpiresAt: expiresAt })
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, userId)));
    await recordAudit(tx, actor, {
      entity: "user",
      entityId: userId,
      action: "user.password-reset-issued",
      after: { expiresAt: expiresAt.toISOString() },
    });
    return {
      ok: true as const,
      data: { code, email: user.email, expiresAt },
      message: `Give ${user.name} this code privately. It works once, for ${RESET_CODE_HOURS} hours, and is not shown again.`,
    };
  });
}

const wrongCode = "That code is wrong or has expired. Ask an admin for a new one.";
const resetThrottleKey = (email: string) => `reset:${email.slice(0, 254)}`;

/**
 * Anonymous: sets a new password with the code an admin issued. An unknown email, a wrong code
 * and an expired one get the same answer; wrong tries are throttled per email. Success uses the
 * code up and ends every session the person had.
 */
export async function resetPasswordWithCode(raw: unknown): Promise<ActionResult> {
  const parsed = resetPasswordSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const email = parsed.data.email.trim().toLowerCase();
  const code = normaliseResetCode(parsed.data.code);
  const key = resetThrottleKey(email);
  if (await isThrottled([key])) {
    return fieldError(
      "code",
      "Too many wrong codes for this email. Wait 15 minutes and try again.",
    );
  }
  const { db } = await getDatabase();
  const find = async (executor: Tx) =>
    (
      await executor
        .select({
          orgId: users.orgId,
          id: users.id,
          name: users.name,
          email: users.email,
          role: users.role,
          resetHash: users.passwordResetHash,
        })
        .from(userLogins)
        .innerJoin(users, and(eq(users.orgId, userLogins.orgId), eq(users.id, userLogins.userId)))
        .where(
          and(
            eq(userLogins.email, email),
            eq(users.active, true),
            gt(users.passwordResetExpiresAt, sql`now()`),
          ),
        )
    )[0];
  const user = await find(db);
  const offered = hashResetCode(code);
  if (!isResetCodeShape(code) || !user?.resetHash || !sameHash(user.resetHash, offered)) {
    await recordFailure("account", key);
    return fieldError("code", wrongCode);
  }
  // The slow hash before the transaction, so it holds no lock meanwhile.
  const passwordHash = await hashPassword(parsed.data.newPassword);

  const result = await db.transaction(async (tx) => {
    // Again under the row lock: a code used (or replaced) meanwhile no longer matches.
    const [again] = await tx
      .select({ resetHash: users.passwordResetHash })
      .from(users)
      .where(
        and(
          eq(users.orgId, user.orgId),
          eq(users.id, user.id),
          eq(users.active, true),
          gt(users.passwordResetExpiresAt, sql`now()`),
        ),
      )
      .for("update");
    if (!again?.resetHash || !sameHash(again.resetHash, offered)) {
      return fieldError<null>("code", wrongCode);
    }
    await tx
      .update(users)
      .set({
        passwordHash,
        passwordResetHash: null,
        passwordResetExpiresAt: null,
        sessionVersion: nextSessionVersion,
      })
      .where(and(eq(users.orgId, user.orgId), eq(users.id, user.id)));
    // Nobody is signed in: the person the code was issued to acts.
    const self: Actor = {
      userId: user.id,
      orgId: user.orgId,
      role: user.role,
      name: user.name,
      email: user.email,
      teamIds: [],
    };
    await recordAudit(tx, self, {
      entity: "user",
      entityId: user.id,
      action: "user.password-reset",
      after: { sessionsEnded: true },
    });
    return {
      ok: true as const,
      data: null,
      message: "Your new password is set. Sign in with it.",
    } satisfies ActionResult;
  });
  if (result.ok) await clearFailures(key);
  return result;
}

/** A signed-in person (not an API token or an import) acting on their own account. */
async function sessionActor(): Promise<
  { ok: true; actor: Actor } | { ok: false; result: ActionResult<never> }
> {
  const actor = await getActor();
  if (!actor) return { ok: false, result: refused("unauthenticated", "Sign in to continue.") };
  if (actor.via) {
    return { ok: false, result: refused("forbidden", "Only the person themselves can do this.") };
  }
  return { ok: true, actor };
}

const passwordThrottleKey = (userId: string) => `password:${userId}`;

/**
 * Changes the signed-in person's password (current one required, the new one twice). Every
 * session ends, this browser's too: they sign in again with the new password.
 */
export async function changeOwnPassword(raw: unknown): Promise<ActionResult> {
  const who = await sessionActor();
  if (!who.ok) return who.result;
  const { actor } = who;
  const parsed = changeOwnPasswordSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const key = passwordThrottleKey(actor.userId);
  if (await isThrottled([key])) {
    return fieldError(
      "currentPassword",
      "Too many wrong current passwords. Wait 15 minutes and try again.",
    );
  }
  const { db } = await getDatabase();
  const [user] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.orgId, actor.orgId), eq(users.id, actor.userId)));
  if (!user) return refused("unauthenticated", "Sign in to continue.");
  if (!(await verifyPassword(user.passwordHash, parsed.data.currentPassword))) {
    await recordFailure("account", key);
    return fieldError("currentPassword", "That is not your current password.");
  }
  const passwordHash = await hashPassword(parsed.data.newPassword);

  const result = await db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ passwordHash: users.passwordHash })
      .from(users)
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, actor.userId)))
      .for("update");
    // Changed meanwhile (another tab, a reset): the current password checked is no longer current.
    if (locked?.passwordHash !== user.passwordHash) {
      return refused<null>("conflict", "Your password changed meanwhile; sign in again and retry.");
    }
    await tx
      .update(users)
      .set({
        passwordHash,
        passwordResetHash: null,
        passwordResetExpiresAt: null,
        sessionVersion: nextSessionVersion,
      })
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, actor.userId)));
    await recordAudit(tx, actor, {
      entity: "user",
      entityId: actor.userId,
      action: "user.password-changed",
      after: { sessionsEnded: true },
    });
    return {
      ok: true as const,
      data: null,
      message:
        "Your password is changed. Every session has ended, this one too: sign in again with the new password.",
    } satisfies ActionResult;
  });
  if (result.ok) await clearFailures(key);
  return result;
}

/**
 * Ends every session of a person at once: your own (anyone signed in), or — for an admin —
 * anyone's in their organisation.
 */
export async function signOutEverywhere(raw: unknown): Promise<ActionResult> {
  const who = await sessionActor();
  if (!who.ok) return who.result;
  const { actor } = who;
  const parsed = signOutEverywhereSchema.safeParse(raw ?? {});
  if (!parsed.success) return invalid(parsed.error);
  const userId = parsed.data.userId ?? actor.userId;
  const self = userId === actor.userId;
  if (!self && !actorCan(actor, "user:manage")) {
    return refused("forbidden", "Your role does not allow this.");
  }
  const { db } = await getDatabase();

  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ sessionVersion: nextSessionVersion })
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, userId)))
      .returning({ name: users.name });
    if (!user) return refused("not-found", notInYourOrg);
    await recordAudit(tx, actor, {
      entity: "user",
      entityId: userId,
      action: "user.signed-out-everywhere",
    });
    return {
      ok: true as const,
      data: null,
      message: self
        ? "Every session has ended, this one too: sign in again."
        : `${user.name} is signed out everywhere.`,
    };
  });
}
