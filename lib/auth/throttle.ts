import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { signInThrottles } from "@/db/schema";

/** Failures allowed per window before the key is locked out for the window's length. */
export const throttlePolicy = {
  account: { maxFailures: 5, windowMinutes: 15 },
  ip: { maxFailures: 30, windowMinutes: 15 },
} as const;

export type ThrottleKind = keyof typeof throttlePolicy;

export function throttleKey(kind: ThrottleKind, value: string): string {
  return `${kind}:${value.toLowerCase().slice(0, 280)}`;
}

/** True while any of the keys is locked out. */
export async function isThrottled(keys: string[]): Promise<boolean> {
  const { db } = await getDatabase();
  for (const key of keys) {
    const [row] = await db
      .select({ lockedUntil: signInThrottles.lockedUntil })
      .from(signInThrottles)
      .where(eq(signInThrottles.key, key));
    if (row?.lockedUntil && row.lockedUntil.getTime() > Date.now()) return true;
  }
  return false;
}

/** Counts a failure against a key; locks the key once it passes its policy's limit. */
export async function recordFailure(kind: ThrottleKind, key: string): Promise<void> {
  const { db } = await getDatabase();
  const { maxFailures, windowMinutes } = throttlePolicy[kind];
  const window = sql.raw(`interval '${windowMinutes} minutes'`);
  // One statement, so concurrent failures cannot lose a count.
  await db
    .insert(signInThrottles)
    .values({ key, failures: 1 })
    .onConflictDoUpdate({
      target: signInThrottles.key,
      set: {
        failures: sql`case when ${signInThrottles.windowStartedAt} < now() - ${window} then 1 else ${signInThrottles.failures} + 1 end`,
        windowStartedAt: sql`case when ${signInThrottles.windowStartedAt} < now() - ${window} then now() else ${signInThrottles.windowStartedAt} end`,
        lockedUntil: sql`case when ${signInThrottles.windowStartedAt} >= now() - ${window} and ${signInThrottles.failures} + 1 >= ${maxFailures} then now() + ${window} else ${signInThrottles.lockedUntil} end`,
      },
    });
}

/** A successful sign-in clears the account's failures. */
export async function clearFailures(key: string): Promise<void> {
  const { db } = await getDatabase();
  await db.delete(signInThrottles).where(eq(signInThrottles.key, key));
}
