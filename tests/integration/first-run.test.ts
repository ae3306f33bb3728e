import { count, eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle, type Db } from "@/db";
import { DEFAULT_PLAYBOOK } from "@/db/defaults";
import { DEMO_ORG_ID, DEMO_PASSWORD, DEMO_USERS } from "@/db/seed/demo";
import {
  auditEvents,
  organisations,
  playbookSteps,
  setupCodes,
  slaPolicies,
  slaTargets,
  userLogins,
  users,
} from "@/db/schema";
import { checkCredentials } from "@/lib/auth/credentials";
import { CLIENT_ADDRESS_HEADER } from "@/lib/auth/client-address";
import { generateSetupCode, hashSetupCode } from "@/lib/setup/code";
import {
  ALREADY_SET_UP,
  SETUP_THROTTLED,
  createFirstOrganisation,
  issueSetupCode,
} from "@/lib/setup/commands";
import { isSetupNeeded } from "@/lib/setup/queries";
import { SETUP_CODE_REFUSED } from "@/lib/setup/validation";
import { prepareDatabase } from "@/lib/startup";
import { scratchEngines } from "../helpers/scratch-db";

/*
 * Issue #12, point 1: a server database (DATABASE_URL) without TURNAROUND_DEMO gets no demo
 * organisation — whose passwords are public — but a one-time code in the server log, which the
 * setup page trades for the organisation and its first admin. Each engine gets scratch databases
 * of its own: "no organisation at all" cannot be true of the shared test database.
 */

let requestAddress = "192.0.2.10";
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ [CLIENT_ADDRESS_HEADER]: requestAddress }),
}));

const PASSWORD = "a long first-admin password";

function validInput(code: string) {
  return {
    code,
    organisationName: "Acme Repairs",
    name: "Ada Admin",
    email: "Ada@Acme.example",
    password: PASSWORD,
    passwordConfirmation: PASSWORD,
  };
}

async function counts(db: Db) {
  const n = async (table: typeof organisations | typeof users | typeof userLogins) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  const [used] = await db
    .select({ n: count() })
    .from(setupCodes)
    .where(isNotNull(setupCodes.usedAt));
  const [audit] = await db.select({ n: count() }).from(auditEvents);
  return {
    organisations: await n(organisations),
    users: await n(users),
    logins: await n(userLogins),
    usedCodes: used!.n,
    auditEvents: audit!.n,
  };
}

const empty = { organisations: 0, users: 0, logins: 0, usedCodes: 0, auditEvents: 0 };

/** What a start prints, and its result, on the given database and environment. */
async function start(handle: DatabaseHandle, env: Record<string, string>) {
  const lines: string[] = [];
  const result = await prepareDatabase({ handle, env, log: (m) => lines.push(m) });
  return { result, lines, log: lines.join("\n") };
}

// The env a server database gets with no TURNAROUND_DEMO; on PGlite, which seeds the demo by
// default, the same situation is TURNAROUND_DEMO=off.
const noDemo = (engine: string): Record<string, string> =>
  engine === "pglite" ? { TURNAROUND_DEMO: "off" } : {};

describe.each(scratchEngines)("first run on $name", (engine) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let code: string;

  beforeAll(async () => {
    ({ handle, drop } = await engine.open());
    useDatabase(handle);
  });
  afterAll(async () => {
    await drop();
  });

  it("a fresh database without TURNAROUND_DEMO gets no demo users, only a setup code in the log", async () => {
    const { result, lines, log } = await start(handle, noDemo(engine.name));
    expect(await counts(handle.db)).toEqual(empty);
    expect(result.demo).toBe("absent");
    expect(await isSetupNeeded(handle.db)).toBe(true);
    const printed = lines
      .map((l) => /^no organisation yet: open (\S+)\/setup and enter the code (\S+)$/.exec(l))
      .find(Boolean);
    expect(printed?.[1]).toBe("http://localhost:3000");
    expect(printed?.[2]).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(printed?.[2]).toBe(result.setupCode);
    code = result.setupCode!;
    // Only the hash is kept, and no demo password is ever printed.
    const stored = await handle.db.select().from(setupCodes);
    expect(stored.map((r) => r.codeHash)).toContain(hashSetupCode(code));
    expect(JSON.stringify(stored)).not.toContain(code.replaceAll("-", ""));
    expect(log).not.toContain(DEMO_PASSWORD);
    expect(log).not.toContain("demo sign-ins");
  });

  it("a restart prints a fresh code; the earlier one still works until used or expired", async () => {
    const { result } = await start(handle, noDemo(engine.name));
    expect(result.setupCode).toBeDefined();
    expect(result.setupCode).not.toBe(code);
    const [row] = await handle.db
      .select({ expiresAt: setupCodes.expiresAt })
      .from(setupCodes)
      .where(eq(setupCodes.codeHash, hashSetupCode(result.setupCode!)));
    const hours = (row!.expiresAt.getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
  });

  it("refuses a wrong code on the code field, writing nothing", async () => {
    const result = await createFirstOrganisation(validInput(generateSetupCode()), "192.0.2.1");
    expect(result).toMatchObject({
      ok: false,
      reason: "invalid",
      fieldErrors: { code: [SETUP_CODE_REFUSED] },
    });
    expect(await counts(handle.db)).toEqual(empty);
  });

  it("refuses an expired code with the same message as a wrong one", async () => {
    const { code: expired } = await issueSetupCode(handle.db);
    await handle.db
      .update(setupCodes)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(setupCodes.codeHash, hashSetupCode(expired)));
    const result = await createFirstOrganisation(validInput(expired), "192.0.2.2");
    expect(result).toMatchObject({
      ok: false,
      reason: "invalid",
      fieldErrors: { code: [SETUP_CODE_REFUSED] },
    });
    expect(await counts(handle.db)).toEqual(empty);
  });

  const tooLong = (n: number) => "x".repeat(n);
  const badFields: Array<[string, Record<string, unknown>]> = [
    ["code", { code: "" }],
    ["code", { code: "ABCD-EFGH" }],
    ["code", { code: 12345 }],
    ["organisationName", { organisationName: "   " }],
    ["organisationName", { organisationName: tooLong(201) }],
    ["organisationName", { organisationName: null }],
    ["name", { name: "" }],
    ["name", { name: tooLong(121) }],
    ["email", { email: "not an email" }],
    ["email", { email: `${tooLong(250)}@x.example` }],
    ["password", { password: "short", passwordConfirmation: "short" }],
    ["password", { password: tooLong(201), passwordConfirmation: tooLong(201) }],
    ["passwordConfirmation", { passwordConfirmation: `${PASSWORD}!` }],
    ["passwordConfirmation", { passwordConfirmation: undefined }],
  ];
  it.each(badFields)("refuses a bad %s on its field, writing nothing", async (field, change) => {
    const result = await createFirstOrganisation({ ...validInput(code), ...change }, "192.0.2.3");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe("invalid");
    expect(Object.keys(result.fieldErrors ?? {})).toEqual([field]);
    expect(await counts(handle.db)).toEqual(empty);
  });

  it("refuses input that is not an object at all", async () => {
    for (const junk of [null, "code", 42, [validInput(code)]]) {
      const result = await createFirstOrganisation(junk, "192.0.2.4");
      expect(result).toMatchObject({ ok: false, reason: "invalid" });
    }
    expect(await counts(handle.db)).toEqual(empty);
  });

  it("after 30 wrong codes from one address, even the right code is refused from there (the next test sets up from another)", async () => {
    for (let i = 0; i < 30; i++)
      await createFirstOrganisation(validInput(generateSetupCode()), "198.51.100.66");
    const result = await createFirstOrganisation(validInput(code), "198.51.100.66");
    expect(result).toMatchObject({
      ok: false,
      reason: "invalid",
      fieldErrors: { code: [SETUP_THROTTLED] },
    });
    expect(await counts(handle.db)).toEqual(empty);
  });

  it("the right code creates the organisation with its defaults and an admin who can sign in", async () => {
    const { setupAction } = await import("@/app/(setup)/setup/actions");
    requestAddress = "192.0.2.20";
    const form = new FormData();
    for (const [key, value] of Object.entries(validInput(` ${code.toLowerCase()} `)))
      form.set(key, value);
    // Success ends in Next's redirect to sign-in, with the message it shows.
    await expect(setupAction(null, form)).rejects.toMatchObject({
      digest: expect.stringContaining("/sign-in?setup=done"),
    });

    const [org] = await handle.db.select().from(organisations);
    expect(org?.name).toBe("Acme Repairs");
    const orgId = org!.id;
    const steps = await handle.db
      .select()
      .from(playbookSteps)
      .where(eq(playbookSteps.orgId, orgId));
    expect(steps.map((s) => s.key).sort()).toEqual(DEFAULT_PLAYBOOK.map((s) => s.key).sort());
    const policies = await handle.db.select().from(slaPolicies).where(eq(slaPolicies.orgId, orgId));
    expect(policies).toHaveLength(1);
    const targets = await handle.db.select().from(slaTargets).where(eq(slaTargets.orgId, orgId));
    expect(targets).toHaveLength(4);

    const people = await handle.db.select().from(users);
    expect(people).toEqual([
      expect.objectContaining({
        orgId,
        name: "Ada Admin",
        email: "ada@acme.example",
        role: "admin",
        active: true,
      }),
    ]);
    const audit = await handle.db
      .select({ action: auditEvents.action, actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(eq(auditEvents.orgId, orgId));
    expect(audit.map((a) => a.action).sort()).toEqual(["organisation.created", "user.created"]);
    expect(audit.every((a) => a.actorId === people[0]!.id)).toBe(true);

    const signIn = await checkCredentials(
      { email: "ada@acme.example", password: PASSWORD },
      "192.0.2.21",
    );
    expect(signIn).toMatchObject({ ok: true, user: { orgId, role: "admin" } });

    // The code is spent, and setup is over.
    const [spent] = await handle.db
      .select({ usedAt: setupCodes.usedAt })
      .from(setupCodes)
      .where(eq(setupCodes.codeHash, hashSetupCode(code)));
    expect(spent?.usedAt).toBeInstanceOf(Date);
    expect(await isSetupNeeded(handle.db)).toBe(false);
  });

  it("refuses the same code again, and any second setup, once an organisation exists", async () => {
    const { code: fresh } = await issueSetupCode(handle.db);
    const before = await counts(handle.db);
    const again = await createFirstOrganisation(
      { ...validInput(code), email: "mallory@evil.example" },
      "192.0.2.30",
    );
    expect(again).toMatchObject({ ok: false, reason: "conflict", formError: ALREADY_SET_UP });
    const second = await createFirstOrganisation(
      { ...validInput(fresh), email: "mallory@evil.example" },
      "192.0.2.31",
    );
    expect(second).toMatchObject({ ok: false, reason: "conflict" });
    expect(await counts(handle.db)).toEqual(before);
  });

  it("a later start on the set-up database prints no code and seeds no demo, even on PGlite by default", async () => {
    const { result, log } = await start(handle, {});
    expect(result).toEqual({ demo: "absent" });
    expect(log).not.toContain("/setup");
    expect(log).not.toContain(DEMO_PASSWORD);
    const [demo] = await handle.db
      .select({ n: count() })
      .from(organisations)
      .where(eq(organisations.id, DEMO_ORG_ID));
    expect(demo!.n).toBe(0);
  });
});

describe.each(scratchEngines)("two setups racing on $name", (engine) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ handle, drop } = await engine.open());
    useDatabase(handle);
  });
  afterAll(async () => {
    await drop();
  });

  it("make exactly one organisation", async () => {
    const [a, b] = [await issueSetupCode(handle.db), await issueSetupCode(handle.db)];
    const results = await Promise.all([
      createFirstOrganisation({ ...validInput(a.code), email: "a@one.example" }, "192.0.2.40"),
      createFirstOrganisation({ ...validInput(b.code), email: "b@two.example" }, "192.0.2.41"),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      expect.objectContaining({ reason: "conflict", formError: ALREADY_SET_UP }),
    ]);
    const c = await counts(handle.db);
    expect(c).toMatchObject({ organisations: 1, users: 1, logins: 1, usedCodes: 1 });
  });
});

describe.each(scratchEngines)("the demo on $name", (engine) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ handle, drop } = await engine.open());
  });
  afterAll(async () => {
    await drop();
  });

  // PGlite is the embedded default and seeds by itself; a server database only when asked.
  const env: Record<string, string> =
    engine.name === "pglite"
      ? { TURNAROUND_SEED_COMPLAINTS: "40" }
      : { TURNAROUND_DEMO: "on", TURNAROUND_SEED_COMPLAINTS: "40" };

  it(`is seeded ${engine.name === "pglite" ? "by default" : "with TURNAROUND_DEMO=on"}, its sign-ins printed, no setup code`, async () => {
    const { result, log } = await start(handle, env);
    expect(result).toEqual({ demo: "seeded" });
    const emails = (await handle.db.select({ email: userLogins.email }).from(userLogins)).map(
      (r) => r.email,
    );
    expect(emails).toEqual(expect.arrayContaining(DEMO_USERS.map((u) => u.email.toLowerCase())));
    for (const user of DEMO_USERS) expect(log).toContain(`${user.email}  ${DEMO_PASSWORD}`);
    expect(log).not.toContain("/setup");
    expect(await handle.db.select().from(setupCodes)).toEqual([]);
  });
});
