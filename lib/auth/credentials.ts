import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDatabase } from "@/db";
import { userLogins, users, type Role } from "@/db/schema";
import { verifyPassword } from "./password";
import { clearFailures, isThrottled, recordFailure, throttleKey } from "./throttle";

export const signInSchema = z.object({
  email: z.email("Enter your email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(200),
});
export type SignInInput = z.infer<typeof signInSchema>;

export interface AuthenticatedUser {
  id: string;
  orgId: string;
  role: Role;
  name: string;
  email: string;
  /** Carried in the session; getActor refuses the session once the user's version moves on. */
  sessionVersion: number;
}

export type CheckResult =
  { ok: true; user: AuthenticatedUser } | { ok: false; reason: "invalid" | "throttled" };

// Verifying against a dummy hash when the account is unknown keeps timing alike for both cases.
const dummyHash =
  "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3TswfHBBe8CbZcoOuHVOP+6iDb10Y6Z/gfnAU54LJOM";

/**
 * Checks an email and password, with per-account and per-IP throttling. Every failure looks the
 * same to the caller ("invalid"), so nobody can learn which accounts exist.
 */
export async function checkCredentials(input: SignInInput, ip: string): Promise<CheckResult> {
  const email = input.email.trim().toLowerCase();
  const accountKey = throttleKey("account", email);
  const ipKey = throttleKey("ip", ip);
  if (await isThrottled([accountKey, ipKey])) return { ok: false, reason: "throttled" };

  const { db } = await getDatabase();
  const [row] = await db
    .select({
      id: users.id,
      orgId: users.orgId,
      role: users.role,
      name: users.name,
      email: users.email,
      passwordHash: users.passwordHash,
      active: users.active,
      sessionVersion: users.sessionVersion,
    })
    .from(userLogins)
    .innerJoin(users, and(eq(users.orgId, userLogins.orgId), eq(users.id, userLogins.userId)))
    .where(eq(userLogins.email, email));

  const valid = await verifyPassword(row?.passwordHash ?? dummyHash, input.password);
  if (!row || !row.active || !valid) {
    await recordFailure("account", accountKey);
    await recordFailure("ip", ipKey);
    return { ok: false, reason: "invalid" };
  }
  await clearFailures(accountKey);
  return {
    ok: true,
    user: {
      id: row.id,
      orgId: row.orgId,
      role: row.role,
      name: row.name,
      email: row.email,
      sessionVersion: row.sessionVersion,
    },
  };
}
