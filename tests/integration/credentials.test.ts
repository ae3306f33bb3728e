import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { checkCredentials } from "@/lib/auth/credentials";
import { throttlePolicy } from "@/lib/auth/throttle";
import { engines } from "../helpers/db";
import { createTestOrg, FIXTURE_PASSWORD, type TestOrg } from "../helpers/fixtures";

describe.each(engines)("sign-in credentials on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  const ip = () => `10.0.${crypto.randomInt(255)}.${crypto.randomInt(255)}`;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db);
  });
  afterAll(async () => {
    await handle.close();
  });

  it("signs in with the right password, carrying user, org and role", async () => {
    const result = await checkCredentials(
      { email: org.users.manager.email.toUpperCase(), password: FIXTURE_PASSWORD },
      ip(),
    );
    expect(result).toEqual({
      ok: true,
      user: expect.objectContaining({
        id: org.users.manager.userId,
        orgId: org.orgId,
        role: "manager",
      }),
    });
  });

  it("gives the same answer for a wrong password and an unknown account", async () => {
    const wrong = await checkCredentials({ email: org.users.agent.email, password: "nope" }, ip());
    const unknown = await checkCredentials(
      { email: "nobody@example.test", password: "nope" },
      ip(),
    );
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
  });

  it("locks an account from an address after repeated failures, even for the right password", async () => {
    const email = org.users.quality.email;
    const address = ip();
    for (let i = 0; i < throttlePolicy.pair.maxFailures; i++) {
      await checkCredentials({ email, password: `wrong-${i}` }, address);
    }
    const result = await checkCredentials({ email, password: FIXTURE_PASSWORD }, address);
    expect(result).toEqual({
      ok: false,
      reason: "throttled",
      retryAfterSeconds: expect.any(Number),
    });
    // Other accounts are unaffected.
    const other = await checkCredentials(
      { email: org.users.executive.email, password: FIXTURE_PASSWORD },
      ip(),
    );
    expect(other.ok).toBe(true);
  });

  it("locks an address that tries many accounts", async () => {
    const address = ip();
    for (let i = 0; i < throttlePolicy.ip.maxFailures; i++) {
      await checkCredentials(
        { email: `guess-${i}-${crypto.randomUUID()}@example.test`, password: "x" },
        address,
      );
    }
    const result = await checkCredentials(
      { email: org.users.admin.email, password: FIXTURE_PASSWORD },
      address,
    );
    expect(result).toEqual({
      ok: false,
      reason: "throttled",
      retryAfterSeconds: expect.any(Number),
    });
    const elsewhere = await checkCredentials(
      { email: org.users.admin.email, password: FIXTURE_PASSWORD },
      ip(),
    );
    expect(elsewhere.ok).toBe(true);
  });
});
