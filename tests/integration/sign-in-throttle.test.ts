import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, count, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, signInThrottles } from "@/db/schema";
import { clientAddressFrom } from "@/lib/auth/client-address";
import { installClientAddressHook } from "@/lib/auth/client-address-hook";
import { checkCredentials, type CheckResult } from "@/lib/auth/credentials";
import { describeWait, purgeExpired, throttleKey, throttlePolicy } from "@/lib/auth/throttle";
import { engines } from "../helpers/db";
import { createTestOrg, FIXTURE_PASSWORD, type TestOrg } from "../helpers/fixtures";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Addresses unique to this run, so a shared PostgreSQL database never mixes runs. */
const run = crypto.randomBytes(2);
const addr = (n: number) => `2001:db8:${run.toString("hex")}::${n.toString(16)}`;
const throttled = (result: CheckResult) =>
  result.ok === false && result.reason === "throttled" ? result.retryAfterSeconds : null;

describe.each(engines)("sign-in throttling on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db);
  });
  afterAll(async () => {
    await handle.close();
  });

  async function auditFor(userId: string) {
    return handle.db
      .select({
        action: auditEvents.action,
        actorId: auditEvents.actorId,
        after: auditEvents.after,
      })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entityId, userId)))
      .orderBy(auditEvents.occurredAt);
  }

  it("throttles 35 failures from one socket after 30, however X-Forwarded-For and the account rotate", async () => {
    // A server with the start-up hook, signing in with the address the hook decided: the same
    // path Auth.js's authorize() takes under `next start`.
    installClientAddressHook(0);
    const server = http.createServer((req, res) => {
      const email = new URL(req.url ?? "/", "http://x").searchParams.get("email") ?? "";
      const headers = new Headers(req.headers as Record<string, string>);
      void checkCredentials({ email, password: "guess" }, clientAddressFrom(headers)).then(
        (result) => res.end(JSON.stringify(result)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    // 127.0.0.3 is this test's own socket address (all of 127/8 is loopback).
    const attempt = (email: string, forwardedFor: string) =>
      new Promise<CheckResult>((resolve, reject) => {
        const req = http.get(
          {
            host: "127.0.0.1",
            port,
            localAddress: "127.0.0.3",
            path: `/?email=${encodeURIComponent(email)}`,
            headers: { "x-forwarded-for": forwardedFor, "x-turnaround-client": forwardedFor },
          },
          (res) => {
            let body = "";
            res.on("data", (chunk) => (body += chunk));
            res.on("end", () => resolve(JSON.parse(body) as CheckResult));
          },
        );
        req.on("error", reject);
      });
    try {
      const results: CheckResult[] = [];
      for (let i = 0; i < 35; i++) {
        results.push(
          await attempt(`spray-${i}-${run.toString("hex")}@example.test`, addr(1000 + i)),
        );
      }
      const refused = results.map(throttled);
      expect(refused.slice(0, 30)).toEqual(Array(30).fill(null));
      expect(results.slice(0, 30).every((r) => !r.ok && r.reason === "invalid")).toBe(true);
      // The 31st to the 35th are refused before any password is checked, for most of the window.
      for (const wait of refused.slice(30)) expect(wait).toBeGreaterThan(14 * 60);
      // Nothing was throttled under the made-up addresses.
      const forged = await handle.db
        .select({ n: count() })
        .from(signInThrottles)
        .where(like(signInThrottles.key, `ip:2001:db8:${run.toString("hex")}::%`));
      expect(forged[0]!.n).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("5 failures from one address keep the owner out elsewhere for a second at most", async () => {
    const { email } = org.users.manager;
    const attacker = addr(1);
    for (let i = 0; i < throttlePolicy.pair.maxFailures; i++) {
      expect(await checkCredentials({ email, password: `wrong-${i}` }, attacker)).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    // The attacker's own address is locked out of this account for the window.
    const again = throttled(
      await checkCredentials({ email, password: FIXTURE_PASSWORD }, attacker),
    );
    expect(again).toBeGreaterThan(14 * 60);
    // The owner, from another address, waits at most a second, then signs in.
    const started = Date.now();
    let result = await checkCredentials({ email, password: FIXTURE_PASSWORD }, addr(2));
    while (!result.ok) {
      const wait = throttled(result);
      expect(wait).not.toBeNull();
      expect(wait!).toBeLessThanOrEqual(1);
      await sleep(wait! * 1000 + 50);
      result = await checkCredentials({ email, password: FIXTURE_PASSWORD }, addr(2));
    }
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("lets no more parallel wrong guesses be checked than the limit", async () => {
    const { email, userId } = org.users.quality;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        checkCredentials({ email, password: `parallel-${i}` }, addr(3)),
      ),
    );
    const checked = results.filter((r) => !r.ok && r.reason === "invalid");
    expect(checked).toHaveLength(throttlePolicy.pair.maxFailures);
    expect(results.filter((r) => throttled(r) !== null)).toHaveLength(
      20 - throttlePolicy.pair.maxFailures,
    );
    // Each checked guess is one failed sign-in in the audit trail; refused ones are not.
    const failed = (await auditFor(userId)).filter((e) => e.action === "sign_in_failed");
    expect(failed).toHaveLength(throttlePolicy.pair.maxFailures);
  });

  it("grows the account's delay with each lock, capped at 5 minutes; a known address skips it", async () => {
    const { email } = org.users.executive;
    const key = throttleKey("account", email);
    // The owner signed in from home before.
    expect((await checkCredentials({ email, password: FIXTURE_PASSWORD }, addr(40))).ok).toBe(true);
    const locks: Array<{ lockouts: number; remaining: number }> = [];
    // Guesses from many addresses, one each: the pair limit never bites, the account's does.
    for (let i = 0; i < 8; i++) {
      const result = await checkCredentials({ email, password: `spread-${i}` }, addr(50 + i));
      expect(result).toEqual({ ok: false, reason: "invalid" });
      const [row] = await handle.db
        .select({
          lockouts: signInThrottles.lockouts,
          remaining: sql<string | null>`extract(epoch from ${signInThrottles.lockedUntil} - now())`,
        })
        .from(signInThrottles)
        .where(eq(signInThrottles.key, key));
      if (i < throttlePolicy.account.maxFailures - 1) {
        expect(row).toEqual({ lockouts: 0, remaining: null });
        continue;
      }
      locks.push({ lockouts: row!.lockouts, remaining: Number(row!.remaining) });
      // Let the lock pass without waiting for it.
      await handle.db
        .update(signInThrottles)
        .set({ lockedUntil: sql`now() - interval '1 millisecond'` })
        .where(eq(signInThrottles.key, key));
    }
    // Each lock twice the last (read right after the failure set it; a busy machine may have
    // spent part of it already, so the bound from below is loose).
    expect(locks.map((l) => l.lockouts)).toEqual([1, 2, 3, 4]);
    [1, 2, 4, 8].forEach((seconds, i) => {
      expect(locks[i]!.remaining).toBeLessThanOrEqual(seconds);
      expect(locks[i]!.remaining).toBeGreaterThan(seconds - 3);
    });
    // Many locks later the delay stops growing at 5 minutes.
    await handle.db
      .update(signInThrottles)
      .set({ lockouts: 40 })
      .where(eq(signInThrottles.key, key));
    await checkCredentials({ email, password: "late" }, addr(90));
    const capped = throttled(await checkCredentials({ email, password: "x" }, addr(91)));
    expect(capped).toBeGreaterThan(290);
    expect(capped).toBeLessThanOrEqual(throttlePolicy.account.maxLockSeconds);
    expect(describeWait(capped!)).toBe("5 minutes");
    // A new address is held by the account's lock, even with the right password; the owner at
    // home, where they signed in before, is not.
    const elsewhere = await checkCredentials({ email, password: FIXTURE_PASSWORD }, addr(92));
    expect(throttled(elsewhere)).toBeGreaterThan(290);
    expect((await checkCredentials({ email, password: FIXTURE_PASSWORD }, addr(40))).ok).toBe(true);
  });

  it("audits sign-ins of known accounts with the address, never the password", async () => {
    const { email, userId } = org.users.agent;
    const secret = `wrong-${crypto.randomUUID()}`;
    await checkCredentials({ email, password: secret }, addr(100));
    await checkCredentials({ email: email.toUpperCase(), password: FIXTURE_PASSWORD }, addr(101));
    const events = await auditFor(userId);
    expect(events).toEqual([
      {
        action: "sign_in_failed",
        actorId: null,
        after: { address: addr(100), reason: "wrong_password" },
      },
      { action: "signed_in", actorId: userId, after: { address: addr(101) } },
    ]);
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(JSON.stringify(events)).not.toContain(FIXTURE_PASSWORD);

    // An unknown account leaves no trace in any organisation's audit trail.
    const before = await handle.db.select({ n: count() }).from(auditEvents);
    await checkCredentials(
      { email: `nobody-${run.toString("hex")}@example.test`, password: "x" },
      addr(102),
    );
    const after = await handle.db.select({ n: count() }).from(auditEvents);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("purges rows whose window and lock have passed, and keeps live ones", async () => {
    const tag = `purge-${run.toString("hex")}-${engine.name}`;
    const old = sql`now() - interval '16 minutes'`;
    await handle.db.insert(signInThrottles).values([
      { key: `ip:${tag}-expired`, failures: 30, windowStartedAt: old },
      {
        key: `account:${tag}-lock-over`,
        failures: 9,
        windowStartedAt: old,
        lockouts: 4,
        lockedUntil: sql`now() - interval '20 minutes'`,
      },
      { key: `ip:${tag}-live`, failures: 3 },
      // The window is over but the lock ran until recently: its lock count still matters.
      {
        key: `account:${tag}-recent-lock`,
        failures: 9,
        windowStartedAt: old,
        lockouts: 4,
        lockedUntil: sql`now() - interval '1 minute'`,
      },
      {
        key: `known:${tag}-remembered`,
        failures: 0,
        windowStartedAt: old,
        lockedUntil: sql`now() + interval '29 days'`,
      },
    ]);
    // A failed sign-in purges on its way out.
    await checkCredentials({ email: `${tag}@example.test`, password: "x" }, addr(200));
    const left = await handle.db
      .select({ key: signInThrottles.key })
      .from(signInThrottles)
      .where(like(signInThrottles.key, `%${tag}%`));
    expect(left.map((r) => r.key).sort()).toEqual(
      [
        `account:${tag}-recent-lock`,
        `account:${tag}@example.test`,
        `ip:${tag}-live`,
        `known:${tag}-remembered`,
        `pair:${tag}@example.test|${addr(200)}`,
      ].sort(),
    );
    expect(await purgeExpired(handle.db)).toBe(0);
  });

  it("says how long to wait, rounded up", () => {
    expect(describeWait(0.2)).toBe("1 second");
    expect(describeWait(7)).toBe("7 seconds");
    expect(describeWait(61)).toBe("2 minutes");
    expect(describeWait(900)).toBe("15 minutes");
  });
});
