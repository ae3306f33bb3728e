import "server-only";
import { eq, sql, type SQL } from "drizzle-orm";
import { getDatabase, type Db } from "@/db";
import { queryRows } from "@/db/client";
import { signInThrottles } from "@/db/schema";

/**
 * Sign-in throttling (docs/security.md). Every attempt is counted, atomically, BEFORE the password
 * is checked, on three keys:
 * - `ip:<address>`: 30 attempts per 15 minutes from one address, whatever the accounts (spraying);
 * - `pair:<email>|<address>`: 5 per 15 minutes for one account from one address;
 * - `account:<email>`: from the 5th attempt in a window on, each attempt needs the lock the last
 *   one set to have passed, and sets a longer one: 1 s, 2 s, 4 s … at most 5 minutes. Spread
 *   over many addresses a guesser gets a handful of tries; the owner waits seconds, not hours.
 * An address the account signed in from recently (`known:<email>|<address>`, 30 days) skips the
 * account delay, so nobody elsewhere can keep the owner out. A refused attempt is not counted
 * (it learns nothing); a successful one gives its count back.
 */
export const throttlePolicy = {
  ip: { maxFailures: 30, windowMinutes: 15 },
  pair: { maxFailures: 5, windowMinutes: 15 },
  account: { maxFailures: 5, windowMinutes: 15, firstLockSeconds: 1, maxLockSeconds: 300 },
} as const;

/** How long an address stays "known" for an account after a successful sign-in. */
export const knownAddressDays = 30;

export type ThrottleKind = keyof typeof throttlePolicy;

export function throttleKey(kind: ThrottleKind | "known", value: string): string {
  return `${kind}:${value.toLowerCase().slice(0, 280)}`;
}

export function pairKey(email: string, address: string): string {
  return throttleKey("pair", `${email.slice(0, 240)}|${address}`);
}

export type Claim = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const t = signInThrottles;
const window = (minutes: number) => sql.raw(`interval '${Math.trunc(minutes)} minutes'`);

/** Seconds until a refused key allows again, rounded up, at least 1. */
async function secondsUntil(db: Db, key: string, until: SQL): Promise<number> {
  const [row] = await queryRows<{ wait: number | string | null }>(
    db,
    sql`select ceil(extract(epoch from (${until}) - now())) as wait from ${t} where ${t.key} = ${key}`,
  );
  return Math.max(1, Number(row?.wait ?? 1));
}

/**
 * Counts one attempt on a fixed-window key unless the window already holds its maximum.
 * One statement: concurrent attempts queue on the row, so no more than the maximum get through.
 */
export async function claimWindowed(kind: "ip" | "pair", key: string, db?: Db): Promise<Claim> {
  db ??= (await getDatabase()).db;
  const { maxFailures, windowMinutes } = throttlePolicy[kind];
  const w = window(windowMinutes);
  const expired = sql`${t.windowStartedAt} < now() - ${w}`;
  const rows = await queryRows<{ key: string }>(
    db,
    sql`insert into ${t} (key, failures, window_started_at) values (${key}, 1, now())
        on conflict (key) do update set
          failures = case when ${expired} then 1 else ${t.failures} + 1 end,
          window_started_at = case when ${expired} then now() else ${t.windowStartedAt} end
        where ${expired} or ${t.failures} < ${maxFailures}
        returning key`,
  );
  if (rows.length > 0) return { allowed: true };
  return {
    allowed: false,
    retryAfterSeconds: await secondsUntil(db, key, sql`${t.windowStartedAt} + ${w}`),
  };
}

/**
 * Counts one attempt on an account unless its lock has not passed yet. From the policy's
 * maxFailures-th attempt in a window on, each counted attempt locks the account for twice as long
 * as the last lock (capped). The lock count survives a new window until the account has been
 * quiet (no lock) for a whole window, so a slow guesser does not get a fresh start every window.
 */
export async function claimAccount(key: string, db?: Db): Promise<Claim> {
  db ??= (await getDatabase()).db;
  const { maxFailures, windowMinutes, firstLockSeconds, maxLockSeconds } = throttlePolicy.account;
  const w = window(windowMinutes);
  const expired = sql`${t.windowStartedAt} < now() - ${w}`;
  const quiet = sql`(${t.lockedUntil} is null or ${t.lockedUntil} < now() - ${w})`;
  const base = sql`(case when ${expired} and ${quiet} then 0 else ${t.lockouts} end)`;
  const failures = sql`(case when ${expired} then 1 else ${t.failures} + 1 end)`;
  const lockNow = sql`(${failures} >= ${maxFailures} or ${base} > 0)`;
  const lockFor = (lockouts: SQL) =>
    sql`least(${firstLockSeconds}::float8 * power(2, least(${lockouts}, 30)), ${maxLockSeconds}) * interval '1 second'`;
  const firstLocks = 1 >= maxFailures;
  const rows = await queryRows<{ key: string }>(
    db,
    sql`insert into ${t} (key, failures, window_started_at, locked_until, lockouts)
        values (${key}, 1, now(), ${firstLocks ? sql`now() + ${lockFor(sql`0`)}` : null}, ${firstLocks ? 1 : 0})
        on conflict (key) do update set
          failures = ${failures},
          window_started_at = case when ${expired} then now() else ${t.windowStartedAt} end,
          lockouts = case when ${lockNow} then ${base} + 1 else ${base} end,
          locked_until = case when ${lockNow} then now() + ${lockFor(base)} else ${t.lockedUntil} end
        where ${t.lockedUntil} is null or ${t.lockedUntil} <= now()
        returning key`,
  );
  if (rows.length > 0) return { allowed: true };
  return { allowed: false, retryAfterSeconds: await secondsUntil(db, key, sql`${t.lockedUntil}`) };
}

/** Gives back an attempt that was counted but not tried (another key refused it) or succeeded. */
export async function releaseAttempt(key: string, db?: Db): Promise<void> {
  db ??= (await getDatabase()).db;
  await db
    .update(t)
    .set({ failures: sql`greatest(${t.failures} - 1, 0)` })
    .where(eq(t.key, key));
}

/** True while the account has signed in successfully from this address in the last 30 days. */
export async function isKnownAddress(key: string, db?: Db): Promise<boolean> {
  db ??= (await getDatabase()).db;
  const rows = await queryRows<{ key: string }>(
    db,
    sql`select key from ${t} where ${t.key} = ${key} and ${t.lockedUntil} > now()`,
  );
  return rows.length > 0;
}

/**
 * Remembers an address the account signed in from. Stored as a throttle row whose locked_until is
 * "remembered until", so the same purge removes it once it has lapsed.
 */
export async function rememberAddress(key: string, db?: Db): Promise<void> {
  db ??= (await getDatabase()).db;
  const until = sql`now() + ${sql.raw(`interval '${knownAddressDays} days'`)}`;
  await db
    .insert(t)
    .values({ key, failures: 0, lockedUntil: until })
    .onConflictDoUpdate({
      target: t.key,
      set: { lockedUntil: until, windowStartedAt: sql`now()` },
    });
}

/** Forgets a key's counts (a successful sign-in clears its pair and account). */
export async function clearFailures(key: string, db?: Db): Promise<void> {
  db ??= (await getDatabase()).db;
  await db.delete(t).where(eq(t.key, key));
}

/** Most rows one purge removes: called on failures, so its cost must stay small. */
export const purgeBatch = 500;

/**
 * Deletes rows that no longer change any answer: window over, and no lock (or remembered
 * address) for a whole window. Bounded, and cheap through the window_started_at index.
 */
export async function purgeExpired(db?: Db, limit = purgeBatch): Promise<number> {
  db ??= (await getDatabase()).db;
  const w = window(Math.max(...Object.values(throttlePolicy).map((p) => p.windowMinutes)));
  const rows = await queryRows<{ key: string }>(
    db,
    sql`delete from ${t} where ${t.key} in (
          select ${t.key} from ${t}
          where ${t.windowStartedAt} < now() - ${w}
            and (${t.lockedUntil} is null or ${t.lockedUntil} < now() - ${w})
          limit ${limit})
        returning key`,
  );
  return rows.length;
}

// ------------------------------------------------------------------------------------------
// The simple pair other throttles (setup code, password reset) may use: check, then record a
// failure. Not atomic between the two; sign-in uses the claims above.

/** True while any of the keys is locked out. */
export async function isThrottled(keys: string[]): Promise<boolean> {
  const { db } = await getDatabase();
  for (const key of keys) {
    const [row] = await db.select({ lockedUntil: t.lockedUntil }).from(t).where(eq(t.key, key));
    if (row?.lockedUntil && row.lockedUntil.getTime() > Date.now()) return true;
  }
  return false;
}

/** Counts a failure against a key; locks the key once it passes its policy's limit. */
export async function recordFailure(kind: ThrottleKind, key: string): Promise<void> {
  const { db } = await getDatabase();
  const { maxFailures, windowMinutes } = throttlePolicy[kind];
  const w = window(windowMinutes);
  // One statement, so concurrent failures cannot lose a count.
  await db
    .insert(t)
    .values({ key, failures: 1 })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        failures: sql`case when ${t.windowStartedAt} < now() - ${w} then 1 else ${t.failures} + 1 end`,
        windowStartedAt: sql`case when ${t.windowStartedAt} < now() - ${w} then now() else ${t.windowStartedAt} end`,
        lockedUntil: sql`case when ${t.windowStartedAt} >= now() - ${w} and ${t.failures} + 1 >= ${maxFailures} then now() + ${w} else ${t.lockedUntil} end`,
      },
    });
}

/** "5 seconds", "1 minute", "14 minutes": how long to wait, rounded up, for the sign-in message. */
export function describeWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return s === 1 ? "1 second" : `${s} seconds`;
  const m = Math.ceil(s / 60);
  return m === 1 ? "1 minute" : `${m} minutes`;
}
