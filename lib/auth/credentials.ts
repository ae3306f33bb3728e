import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDatabase, type Db } from "@/db";
import { auditEvents, userLogins, users, type Role } from "@/db/schema";
import { verifyPassword } from "./password";
import {
  claimAccount,
  claimWindowed,
  clearFailures,
  isKnownAddress,
  pairKey,
  purgeExpired,
  releaseAttempt,
  rememberAddress,
  throttleKey,
  type Claim,
} from "./throttle";

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
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

// Verifying against a dummy hash when the account is unknown keeps timing alike for both cases.
const dummyHash =
  "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3TswfHBBe8CbZcoOuHVOP+6iDb10Y6Z/gfnAU54LJOM";

/**
 * Counts the attempt on its address, its (account, address) pair and — unless the account signed
 * in from this address before — the account, before any password is checked (throttle.ts).
 * The first key that refuses gives back what the earlier ones counted.
 */
async function claimAttempt(db: Db, email: string, address: string): Promise<Claim> {
  const ipKey = throttleKey("ip", address);
  const pair = pairKey(email, address);
  const ip = await claimWindowed("ip", ipKey, db);
  if (!ip.allowed) return ip;
  const byPair = await claimWindowed("pair", pair, db);
  if (!byPair.allowed) {
    await releaseAttempt(ipKey, db);
    return byPair;
  }
  if (await isKnownAddress(throttleKey("known", `${email}|${address}`), db)) return byPair;
  const account = await claimAccount(throttleKey("account", email), db);
  if (!account.allowed) {
    await releaseAttempt(ipKey, db);
    await releaseAttempt(pair, db);
  }
  return account;
}

/**
 * Checks an email and password, throttled per address, per (account, address) and per account.
 * Every failure looks the same to the caller ("invalid"), and a throttled attempt says only how
 * long to wait, so nobody can learn which accounts exist. Sign-ins to a known account, successful
 * or not, go into its organisation's audit trail with the address (never the password).
 */
export async function checkCredentials(input: SignInInput, ip: string): Promise<CheckResult> {
  const email = input.email.trim().toLowerCase();
  const { db } = await getDatabase();
  const claim = await claimAttempt(db, email, ip);
  if (!claim.allowed) {
    return { ok: false, reason: "throttled", retryAfterSeconds: claim.retryAfterSeconds };
  }

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
    if (row) {
      await db.insert(auditEvents).values({
        orgId: row.orgId,
        actorKind: "system", // nobody signed in: the account is the subject, not the actor
        actorId: null,
        entity: "user",
        entityId: row.id,
        action: "sign_in_failed",
        after: { address: ip, reason: valid ? "deactivated" : "wrong_password" },
      });
    }
    await purgeExpired(db);
    return { ok: false, reason: "invalid" };
  }

  await db.insert(auditEvents).values({
    orgId: row.orgId,
    actorKind: "user",
    actorId: row.id,
    entity: "user",
    entityId: row.id,
    action: "signed_in",
    after: { address: ip },
  });
  // The attempt succeeded: its address gets its count back, the pair and the account start over.
  await releaseAttempt(throttleKey("ip", ip), db);
  await clearFailures(pairKey(email, ip), db);
  await clearFailures(throttleKey("account", email), db);
  await rememberAddress(throttleKey("known", `${email}|${ip}`), db);
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
