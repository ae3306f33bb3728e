import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { roles } from "@/db/schema";
import { scratchEngines } from "../helpers/scratch-db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";
import { changedTables, dbFingerprint } from "../helpers/db-fingerprint";

/*
 * Issue #12, point 4: anyone can call a server action with any arguments (a POST naming its
 * id), so every exported function of every "use server" module — found by scanning app/, so a
 * new action is covered the day it is written — is called with junk: nothing, strings, numbers,
 * null, arrays, objects pretending to be FormData, FormData with junk, NUL and huge fields,
 * prototype-pollution keys. Anonymous and as each role, each call must answer a typed result
 * (never throw, except Next's redirect / 403 / 404 interrupts, never the "failed" refusal that
 * hides a crash), and no table may change: every table of the database is fingerprinted
 * (count + md5 of its rows) before and after, none left out.
 */

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
// forbidden() needs Next's authInterrupts flag, which only the app's config sets: here it throws
// the same 403 interrupt it throws in the app.
vi.mock("next/navigation", async (original) => ({
  ...(await original<object>()),
  forbidden: () => {
    throw Object.assign(new Error("NEXT_HTTP_ERROR_FALLBACK;403"), {
      digest: "NEXT_HTTP_ERROR_FALLBACK;403",
    });
  },
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));
// Outside a request there are no headers or cookies: an action reading them gets none.
vi.mock("next/headers", () => ({
  headers: async () => new Headers(),
  cookies: async () => ({
    get: () => undefined,
    getAll: () => [],
    has: () => false,
    set: () => {},
    delete: () => {},
  }),
}));
// Auth.js (next-auth) needs Next's request context and cannot load under vitest; junk must never
// reach it anyway. signIn fails the test if it is reached; signOut ends in Next's redirect, as
// it does in the app.
vi.mock("next-auth", () => ({
  AuthError: class AuthError extends Error {},
  CredentialsSignin: class CredentialsSignin extends Error {},
}));
vi.mock("@/lib/auth", () => ({
  SignInThrottled: class SignInThrottled extends Error {},
  signIn: vi.fn(async () => {
    throw new Error("signIn reached with junk arguments");
  }),
  signOut: vi.fn(async () => {
    throw Object.assign(new Error("NEXT_REDIRECT"), {
      digest: "NEXT_REDIRECT;replace;/sign-in;303;",
    });
  }),
}));

const root = path.resolve(import.meta.dirname, "../..");

/** Every file under app/ whose first statement is "use server". */
function serverActionModules(dir = path.join(root, "app")): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...serverActionModules(full));
    else if (/\.(ts|tsx)$/.test(entry.name)) {
      const text = fs.readFileSync(full, "utf8");
      if (/^(\s*(\/\/[^\n]*|\/\*[\s\S]*?\*\/))*\s*["']use server["']/.test(text)) found.push(full);
    }
  }
  return found.sort();
}

// Over every field's limit (the longest, a story, is 20,000 characters); a live request's body
// is capped by Next before any action runs (see tests/e2e/junk-actions.spec.ts).
const huge = "x".repeat(200_000);
const fieldNames = [
  "complaintId",
  "id",
  "version",
  "name",
  "email",
  "password",
  "role",
  "userId",
  "tokenId",
  "amount",
  "cost",
  "approvalLimit",
  "scope",
  "status",
  "dueAt",
  "text",
];

function junkForm(value: (field: string) => string | Blob): FormData {
  const form = new FormData();
  for (const field of fieldNames) form.append(field, value(field));
  return form;
}

const polluted = () =>
  JSON.parse(
    '{"__proto__":{"polluted":true,"ok":true},"constructor":{"prototype":{"polluted":true}},"toString":"x"}',
  ) as unknown;

/**
 * Malformed arguments (Next's reply encoding carries all of these): no action may do anything
 * with them — a refusal of its own shape, nothing written.
 */
const malformed: [string, () => unknown[]][] = [
  ["no arguments", () => []],
  ["a string", () => ["junk"]],
  ["state and a string", () => [null, "junk"]],
  ["state and a number", () => [null, 42]],
  ["state and NaN", () => [null, Number.NaN]],
  ["nulls", () => [null, null]],
  ["undefined", () => [undefined, undefined]],
  ["objects", () => [{}, {}]],
  ["arrays", () => [[], [1, "two", null]]],
  [
    "an object pretending to be FormData",
    () => [null, { get: "x", getAll: 1, keys: null, entries: [] }],
  ],
  ["prototype-pollution keys", () => [polluted(), polluted()]],
  [
    "a Map, a Set, a BigInt and a Date",
    () => [new Map([["a", 1]]), new Set([1]), 10n ** 30n, new Date(8.64e15)],
  ],
  ["a huge string", () => [huge]],
  ["a plain object of huge fields", () => [Object.fromEntries(fieldNames.map((f) => [f, huge]))]],
  [
    "an import-shaped object with junk",
    () => [
      {
        kind: "complaints",
        mapping: { preset: "generic", columns: polluted(), options: { companyTeamId: "x" } },
        sample: "a,b\n1,2\n",
        mode: "skip",
        fileName: "x\u0000.csv",
        totalBytes: -1,
      },
    ],
  ],
];

/**
 * Well-formed FormData with junk in it: a typed answer, never a crash. An action that needs no
 * field (sign out everywhere) may succeed with it, as its button would; any other must refuse.
 */
const junkForms: [string, () => unknown[]][] = [
  ["empty FormData", () => [null, new FormData()]],
  ["FormData and a third argument", () => [null, new FormData(), "extra"]],
  [
    "FormData with junk fields",
    () => [
      null,
      junkForm((f) =>
        f === "version" || f === "amount"
          ? "-1e309"
          : `'; drop table complaints; -- <script>${f}</script>`,
      ),
    ],
  ],
  [
    "FormData with ids that are not uuids",
    () => [null, junkForm(() => "00000000-0000-0000-0000-00000000000g")],
  ],
  ["FormData with huge fields", () => [null, junkForm(() => huge)]],
  ["FormData with NUL characters", () => [null, junkForm((f) => `a\u0000${f}`)]],
  ["FormData with lone surrogates and RTL", () => [null, junkForm(() => "\ud800\u202e\u200b🙂")]],
  ["FormData with files", () => [null, junkForm((f) => new Blob([f]))]],
  [
    "FormData with prototype-named fields",
    () => {
      const form = junkForm((f) => f);
      for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
        form.append(key, "x");
        form.append(key, "a\u0000b");
      }
      return [null, form];
    },
  ],
];

/** Actions a well-formed empty form may run: they take no field (the button is the whole form). */
const needNoField = new Set(["signOutAction", "signOutEverywhereAction"]);

const reasons = ["unauthenticated", "forbidden", "invalid", "not-found", "conflict"];

/** Next's redirect / forbidden / notFound interrupts are legitimate answers; nothing else is. */
function isInterrupt(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return (
    typeof digest === "string" &&
    (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;"))
  );
}

type Outcome =
  { kind: "result"; value: unknown } | { kind: "interrupt" } | { kind: "threw"; error: unknown };

async function call(
  action: (...args: unknown[]) => Promise<unknown>,
  args: unknown[],
): Promise<Outcome> {
  try {
    return { kind: "result", value: await action(...args) };
  } catch (error) {
    return isInterrupt(error) ? { kind: "interrupt" } : { kind: "threw", error };
  }
}

/** What is wrong with an answer, or null: a typed refusal (or success) of the action's shape. */
function problemWith(outcome: Outcome, allowSuccess = false): string | null {
  if (outcome.kind === "interrupt") return null;
  if (outcome.kind === "threw")
    return `threw ${String((outcome.error as Error)?.stack ?? outcome.error).slice(0, 300)}`;
  const value = outcome.value;
  if (Array.isArray(value)) return value.length === 0 ? null : "returned data for junk";
  if (value === null || typeof value !== "object") return `answered ${String(value)}`;
  const v = value as Record<string, unknown>;
  if ("ok" in v) {
    if (v.ok === true) return allowSuccess ? null : "succeeded with junk";
    if (!reasons.includes(String(v.reason))) return `refused with reason ${String(v.reason)}`;
    return null;
  }
  // The sign-in form's own state: an error message, or field errors.
  return typeof v.error === "string" || (v.fieldErrors && typeof v.fieldErrors === "object")
    ? null
    : `answered ${JSON.stringify(v).slice(0, 200)}`;
}

const modules = serverActionModules();

describe("the server actions the scan finds", () => {
  it("include every known action module", () => {
    const names = modules.map((m) => path.relative(root, m));
    for (const known of [
      "app/(app)/actions.ts",
      "app/(app)/complaints/actions.ts",
      "app/(app)/dashboards/quality/actions.ts",
      "app/(app)/import/actions.ts",
      "app/(app)/settings/api-tokens/actions.ts",
      "app/(app)/settings/organisation/actions.ts",
      "app/(app)/settings/users/actions.ts",
      "app/(auth)/sign-in/actions.ts",
    ]) {
      expect(names).toContain(known);
    }
  });
});

describe.each(scratchEngines)("every server action called with junk on $name", (engine) => {
  let handle: DatabaseHandle;
  // A database of its own: the fingerprint hashes every table, so other files' rows would cost here.
  let drop: (() => Promise<void>) | undefined;
  let org: TestOrg;
  const actions: { name: string; fn: (...args: unknown[]) => Promise<unknown> }[] = [];
  let calls = 0;

  beforeAll(async () => {
    ({ handle, drop } = await engine.open());
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Junk");
    for (const file of modules) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, fn] of Object.entries(mod)) {
        if (typeof fn === "function") {
          actions.push({ name: `${path.relative(root, file)} ${name}`, fn: fn as never });
        }
      }
    }
    // Silences the log line of a refusal that hid a crash; the assertions name it instead.
    vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterAll(async () => {
    console.info(`[junk-arguments] ${engine.name}: ${actions.length} actions, ${calls} junk calls`);
    vi.restoreAllMocks();
    await drop?.();
  });

  it("finds the actions (at least the 25 known before issue #12)", () => {
    expect(actions.length).toBeGreaterThanOrEqual(25);
  });

  const who = [["anonymous", null] as const, ...roles.map((r) => [r, r] as const)];

  it.each(who)("%s: malformed arguments are refused and no table changes", async (_label, role) => {
    const before = await dbFingerprint(handle.db);
    const problems: string[] = [];
    for (const action of actions) {
      for (const [junk, args] of malformed) {
        actAs(role ? org.users[role] : null);
        const problem = problemWith(await call(action.fn, args()));
        calls++;
        if (problem) problems.push(`${action.name} with ${junk}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(changedTables(before, await dbFingerprint(handle.db))).toEqual([]);
  });

  it.each(who)(
    "%s: FormData with junk gets a typed answer; refused, it changes no table",
    async (_label, role) => {
      const problems: string[] = [];
      const run = async (action: (typeof actions)[number], allowSuccess: boolean) => {
        for (const [junk, args] of junkForms) {
          actAs(role ? org.users[role] : null);
          const problem = problemWith(await call(action.fn, args()), allowSuccess);
          calls++;
          if (problem) problems.push(`${action.name} with ${junk}: ${problem}`);
        }
      };
      const needsNone = (a: (typeof actions)[number]) => needNoField.has(a.name.split(" ").pop()!);
      for (const action of actions.filter((a) => !needsNone(a))) {
        const before = await dbFingerprint(handle.db);
        await run(action, false);
        const changed = changedTables(before, await dbFingerprint(handle.db));
        if (changed.length) problems.push(`${action.name} changed ${changed.join(", ")}`);
      }
      // Last, as they may legitimately write (a new session version): typed answers all the same.
      for (const action of actions.filter(needsNone)) await run(action, true);
      expect(problems).toEqual([]);
    },
    180_000,
  );
});
