/**
 * Stands in for lib/auth/session.ts (the cookie reader) in integration tests:
 * `vi.mock("@/lib/auth/session", () => import("../helpers/session"))`, then `actAs(...)`.
 */
import type { SessionIdentity } from "@/lib/auth/session";

let current: SessionIdentity | null = null;

/** Makes the following calls run as this signed-in user (or anonymous with null). */
export function actAs(identity: { userId: string; orgId: string } | null): void {
  current = identity;
}

export async function readSession(): Promise<SessionIdentity | null> {
  return current;
}
