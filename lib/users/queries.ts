import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { teamMemberships, teams, users, type Role } from "@/db/schema";
import { requirePermission } from "@/lib/auth/guard";

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  /** When an unused password-reset code stops working; null when none is pending. */
  resetPendingUntil: Date | null;
  teams: string[];
}

/** Everyone in the signed-in admin's organisation, with their teams. */
export async function listUsers(): Promise<UserRow[]> {
  const actor = await requirePermission("user:manage");
  const { db } = await getDatabase();
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      active: users.active,
      resetExpiresAt: users.passwordResetExpiresAt,
      team: teams.name,
    })
    .from(users)
    .leftJoin(
      teamMemberships,
      and(eq(teamMemberships.orgId, users.orgId), eq(teamMemberships.userId, users.id)),
    )
    .leftJoin(
      teams,
      and(eq(teams.orgId, teamMemberships.orgId), eq(teams.id, teamMemberships.teamId)),
    )
    .where(eq(users.orgId, actor.orgId))
    .orderBy(asc(users.name));
  const byId = new Map<string, UserRow>();
  const now = Date.now();
  for (const { resetExpiresAt, team, ...row } of rows) {
    const resetPendingUntil =
      resetExpiresAt && resetExpiresAt.getTime() > now ? resetExpiresAt : null;
    const user = byId.get(row.id) ?? { ...row, resetPendingUntil, teams: [] };
    if (team) user.teams.push(team);
    byId.set(row.id, user);
  }
  return [...byId.values()];
}

/** Teams of the signed-in user's organisation, for pickers. */
export async function listTeams(): Promise<{ id: string; name: string }[]> {
  const actor = await requirePermission("user:manage");
  const { db } = await getDatabase();
  return db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.orgId, actor.orgId))
    .orderBy(asc(teams.name));
}
