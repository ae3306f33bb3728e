import "server-only";
import { auth } from "./index";

export interface SessionIdentity {
  userId: string;
  orgId: string;
}

/** Who the request's session cookie says is signed in; the one seam tests replace. */
export async function readSession(): Promise<SessionIdentity | null> {
  const session = await auth();
  if (!session?.user?.id || !session.user.orgId) return null;
  return { userId: session.user.id, orgId: session.user.orgId };
}
