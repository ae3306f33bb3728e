import "server-only";
import { auth } from "./index";

export interface SessionIdentity {
  userId: string;
  orgId: string;
  /** The user's session version when this session was issued; behind the database's → refused. */
  sessionVersion: number;
}

/** Who the request's session cookie says is signed in; the one seam tests replace. */
export async function readSession(): Promise<SessionIdentity | null> {
  const session = await auth();
  if (!session?.user?.id || !session.user.orgId) return null;
  // A session issued before versions existed carries none: it counts as signed out.
  const version = session.user.sessionVersion;
  if (typeof version !== "number" || !Number.isInteger(version)) return null;
  return { userId: session.user.id, orgId: session.user.orgId, sessionVersion: version };
}
