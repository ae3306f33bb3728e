import "server-only";
import { and, eq } from "drizzle-orm";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDatabase } from "@/db";
import { teamMemberships, users, type Role } from "@/db/schema";
import { actorCan, type Operation } from "@/lib/permissions";
import { actingAs } from "./actor-context";
import { readSession } from "./session";

/** The signed-in user as every query and command sees them; org and role come from here only. */
export interface Actor {
  userId: string;
  orgId: string;
  role: Role;
  name: string;
  email: string;
  teamIds: string[];
  /**
   * How the actor reached us when not through a signed-in session: an API token (permissions by
   * its scope, audit events name the token) or an import run (audit events say "import").
   */
  via?: ActorVia;
}

export type ActorVia =
  | { kind: "api_token"; tokenId: string; scope: "read" | "write" }
  | { kind: "import"; runId: string };

/**
 * The current actor, read once per request. The role is re-read from the database so a changed
 * role or a deactivated account takes effect at once, not when the session expires; a session
 * whose version is not the user's current one ("sign out everywhere", a password change or
 * reset, deactivation) is refused the same way.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const override = actingAs();
  if (override) return override;
  const session = await readSession();
  if (!session) return null;
  const { db } = await getDatabase();
  const [user] = await db
    .select({
      role: users.role,
      name: users.name,
      email: users.email,
      active: users.active,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(and(eq(users.orgId, session.orgId), eq(users.id, session.userId)));
  if (!user?.active || user.sessionVersion !== session.sessionVersion) return null;
  const teams = await db
    .select({ teamId: teamMemberships.teamId })
    .from(teamMemberships)
    .where(
      and(eq(teamMemberships.orgId, session.orgId), eq(teamMemberships.userId, session.userId)),
    );
  return {
    userId: session.userId,
    orgId: session.orgId,
    role: user.role,
    name: user.name,
    email: user.email,
    teamIds: teams.map((t) => t.teamId),
  };
});

/** For pages: the actor, or a redirect to sign-in. */
export async function requireUser(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/sign-in");
  return actor;
}

/** For pages: the actor if their role allows the operation, else the 403 page. */
export async function requirePermission(operation: Operation): Promise<Actor> {
  const actor = await requireUser();
  if (!actorCan(actor, operation)) forbidden();
  return actor;
}

export type Authorisation =
  | { ok: true; actor: Actor }
  | { ok: false; reason: "unauthenticated" | "forbidden"; message: string };

/** For commands: never throws or redirects, so the caller can return a typed refusal. */
export async function authorise(operation: Operation): Promise<Authorisation> {
  const actor = await getActor();
  if (!actor) return { ok: false, reason: "unauthenticated", message: "Sign in to continue." };
  if (!actorCan(actor, operation)) {
    return { ok: false, reason: "forbidden", message: "Your role does not allow this." };
  }
  return { ok: true, actor };
}
