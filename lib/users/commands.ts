import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { teamMemberships, teams, userLogins, users } from "@/db/schema";
import { fieldError, invalid, refused, type ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import { authorise } from "@/lib/auth/guard";
import { hashPassword } from "@/lib/auth/password";
import { changeRoleSchema, createUserSchema } from "./validation";

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
    const [user] = await tx
      .select({ role: users.role, name: users.name })
      .from(users)
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, userId)))
      .for("update");
    if (!user) return refused("not-found", "That user does not exist in your organisation.");
    if (user.role === role) return { ok: true as const, data: null, message: "Nothing changed." };
    if (user.role === "admin") {
      const [{ admins } = { admins: 0 }] = await tx
        .select({ admins: sql<number>`count(*)::int` })
        .from(users)
        .where(
          and(
            eq(users.orgId, actor.orgId),
            eq(users.role, "admin"),
            eq(users.active, true),
            ne(users.id, userId),
          ),
        );
      if (admins === 0) {
        return fieldError("role", "This is the last admin; make someone else admin first.");
      }
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
