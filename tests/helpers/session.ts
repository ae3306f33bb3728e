/**
 * Stands in for lib/auth/session.ts (the cookie reader) in integration tests:
 * `vi.mock("@/lib/auth/session", () => import("../helpers/session"))`, then `actAs(...)`.
 */
import { and, eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { users } from "@/db/schema";
import type { SessionIdentity } from "@/lib/auth/session";

let current: { userId: string; orgId: string; sessionVersion?: number } | null = null;

/**
 * Makes the following calls run as this signed-in user (or anonymous with null). Without a
 * `sessionVersion` the session is a fresh one (the user's current version, read when the session
 * is); with one, it is a session issued at that version — how tests hold an old session.
 */
export function actAs(
  identity: { userId: string; orgId: string; sessionVersion?: number } | null,
): void {
  current = identity ? { ...identity } : null;
}

/** The user's session version now: what a session issued at this moment would carry. */
export async function currentSessionVersion(userId: string, orgId: string): Promise<number> {
  const { db } = await getDatabase();
  const [row] = await db
    .select({ version: users.sessionVersion })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)));
  return row?.version ?? 0;
}

export async function readSession(): Promise<SessionIdentity | null> {
  if (!current) return null;
  const { userId, orgId } = current;
  const sessionVersion = current.sessionVersion ?? (await currentSessionVersion(userId, orgId));
  return { userId, orgId, sessionVersion };
}
