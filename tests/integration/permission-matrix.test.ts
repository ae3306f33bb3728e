/**
 * The permission matrix, derived from the code (issue #12, point 5). enumerate.ts finds every
 * server action ("use server" modules under app/), every route handler (route.ts methods) and
 * every page; each must have a row (tests/permission-matrix/rows.ts, pages.ts) or this fails
 * naming it. Every row is then called as each role, anonymously, as another organisation's admin
 * naming our records, and as one of our allowed users naming another organisation's records:
 * allowed calls succeed; refused ones answer with the refusal's kind and change no table (count
 * and md5 of every table, tests/helpers/db-fingerprint.ts). /api/v1 rows are called with tokens
 * of each scope, none, a revoked one, another organisation's, and ours with its ids.
 *
 * It runs in a database of its own (tests/helpers/scratch-db.ts): the fingerprint hashes every
 * table, so in the shared test database it would hash whatever every other test file left there.
 *
 * Cheap where it can be without checking less: each token principal's token is made once; a
 * refused call changed no table (each refused cell proves it), so what was prepared for it serves
 * the next cell of the same case, and the fingerprint taken after it is the next cell's "before".
 * After an allowed call (which may have used the records up) the next cell prepares afresh.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { apiRateWindows, apiTokens, organisations, roles, type Role } from "@/db/schema";
import {
  apiBookkeeping,
  changedTables,
  dbFingerprint,
  type Fingerprint,
} from "../helpers/db-fingerprint";
import { scratchEngines } from "../helpers/scratch-db";
import { actAs } from "../helpers/session";
import { pages, routeHandlers, serverActions } from "../permission-matrix/enumerate";
import { pageRows } from "../permission-matrix/pages";
import {
  rows,
  type Refusal,
  type SessionCase,
  type TokenCase,
  type Verdict,
} from "../permission-matrix/rows";
import { makeWorld, type OrgWorld } from "../permission-matrix/world";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

const sessionPrincipals = [...roles, "anonymous", "other-org", "tampered"] as const;
const creatorRoles = roles.filter((r) => r !== "admin");
const tokenPrincipals = [
  "read",
  "write",
  ...creatorRoles.map((r) => `write:${r}` as const),
  "anonymous",
  "revoked",
  "other-org",
  "tampered",
] as const;

// As next.config.ts's experimental.authInterrupts does: forbidden() throws its 403 interrupt.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
type Expected = { ok: true; scope: "ours" | "none" } | { ok: false; kind: Refusal };

/** A Next interrupt (redirect, forbidden(), notFound()) read as what the user would get. */
function interrupt(error: unknown): Verdict | null {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (typeof digest !== "string") return null;
  if (digest.startsWith("NEXT_REDIRECT")) {
    const location = digest.split(";")[2] ?? "";
    return location.startsWith("/sign-in")
      ? { ok: false, kind: "unauthenticated", detail: digest }
      : { ok: true }; // a command's success redirect (intake opens the new complaint)
  }
  const fallback = /^NEXT_HTTP_ERROR_FALLBACK;(\d+)/.exec(digest);
  if (fallback) {
    const kind = { "401": "unauthenticated", "403": "forbidden", "404": "not-found" }[fallback[1]!];
    return { ok: false, kind: kind ?? `HTTP ${fallback[1]}`, detail: digest };
  }
  return null;
}

async function verdictOf(thunk: () => Promise<unknown>): Promise<Verdict> {
  try {
    const result = await thunk();
    if (result && typeof result === "object" && "ok" in result) {
      const r = result as { ok: boolean; kind?: string; reason?: string };
      if (r.ok) return { ok: true };
      return { ok: false, kind: r.kind ?? r.reason ?? "?", detail: JSON.stringify(result) };
    }
    return { ok: false, kind: "unreadable", detail: JSON.stringify(result) };
  } catch (error) {
    const read = interrupt(error);
    if (read) return read;
    return { ok: false, kind: "threw", detail: String((error as Error)?.stack ?? error) };
  }
}

function show(expected: Expected): string {
  return expected.ok ? "allowed" : `refused (${expected.kind})`;
}

const allFound = () => [...serverActions().map((a) => a.key), ...routeHandlers().map((r) => r.key)];

describe("the matrix covers the code", () => {
  it("has a row for every server action and route handler the enumerator finds", () => {
    const found = allFound();
    const missing = found.filter((key) => !(key in rows));
    expect(
      missing,
      `No permission-matrix row for: ${missing.join(", ")} — add one to tests/permission-matrix/rows.ts`,
    ).toEqual([]);
    const stale = Object.keys(rows).filter((key) => !found.includes(key));
    expect(stale, `Rows for what the code no longer has: ${stale.join(", ")}`).toEqual([]);
  });

  it("has a row for every page", () => {
    const found = pages().map((p) => p.path);
    const missing = found.filter((p) => !(p in pageRows));
    expect(
      missing,
      `No page-access row for: ${missing.join(", ")} — add one to tests/permission-matrix/pages.ts`,
    ).toEqual([]);
    expect(Object.keys(pageRows).filter((p) => !found.includes(p))).toEqual([]);
  });

  it("finds what is known to be there (the enumerator itself works)", () => {
    const found = allFound();
    for (const key of [
      "app/(app)/complaints/actions.ts#searchCustomersAction",
      "app/(app)/dashboards/quality/actions.ts#saveCorrectiveActionAction",
      "app/(app)/dashboards/quality/actions.ts#saveRootCauseAction",
      "GET /exports/[kind]",
      "POST /api/v1/complaints",
      "GET /api/auth/[...nextauth]",
    ])
      expect(found).toContain(key);
    // Types are not actions: a "use server" module's exported types are never callable.
    expect(found).not.toContain("app/(app)/complaints/actions.ts#FormState");
  });
});

type TokenPrincipal = (typeof tokenPrincipals)[number];
/** A prepared call: the token is given at call time (session cells: none). */
type Call = (token: string | null) => Promise<unknown>;

describe.each(scratchEngines)("permission matrix on $name", (engine) => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  let ours: OrgWorld;
  let theirs: OrgWorld;
  /** Each token principal's token (anonymous: none), made once for the whole matrix. */
  const tokens = new Map<TokenPrincipal, string | null>();
  /**
   * The fingerprint of the database as it is now, when the last cell was refused and nothing was
   * written since (null otherwise): the next refused cell's "before", instead of a second query.
   */
  let unchanged: Fingerprint | null = null;
  const cells = { actions: 0, routes: 0, actionCells: 0, routeCells: 0, publicRows: 0 };

  beforeAll(async () => {
    ({ handle, drop } = await engine.open());
    useDatabase(handle);
    ours = await makeWorld(handle.db, "Ours");
    theirs = await makeWorld(handle.db, "Theirs");
    // One token per principal, never shared between principals: a revoked one is revoked for
    // itself alone, and no token makes more than one request per case (the rate limit is per token).
    for (const who of tokenPrincipals) {
      if (who === "anonymous") tokens.set(who, null);
      else if (who === "read" || who === "write" || who === "tampered")
        tokens.set(who, (await ours.token(who === "read" ? "read" : "write")).secret);
      else if (who === "other-org") tokens.set(who, (await theirs.token("write")).secret);
      else if (who === "revoked") {
        const t = await ours.token("write");
        await handle.db
          .update(apiTokens)
          .set({ revokedAt: new Date() })
          .where(and(eq(apiTokens.orgId, ours.org.orgId), eq(apiTokens.id, t.id)));
        tokens.set(who, t.secret);
      } else tokens.set(who, (await ours.token("write", who.slice(6) as Role)).secret);
    }
  });
  afterAll(async () => {
    actAs(null);
    const actions = serverActions().length;
    const routes = routeHandlers().length;
    console.log(
      `[permission matrix on ${engine.name}] found ${actions} server actions and ${routes} route handlers (${pages().length} pages); ` +
        `ran ${cells.actionCells} action cells and ${cells.routeCells} route cells; ${cells.publicRows} public rows`,
    );
    await drop?.();
  });

  /** Tables and columns an API request writes whatever it asks (see db-fingerprint.ts). */
  const everything = () => dbFingerprint(handle.db, apiBookkeeping);
  const ourOrganisation = () =>
    dbFingerprint(handle.db, { ...apiBookkeeping, orgId: ours.org.orgId });

  /**
   * One cell. `prepared` holds the case's calls prepared so far, by whose ids they name and who
   * acts (`key`); a refused cell leaves its call there for the next, an allowed one empties it.
   */
  async function check(
    label: string,
    expected: Expected,
    cell: {
      prepared: Map<string, Call>;
      key: string;
      prepare: () => Promise<Call>;
      act: () => void;
      token: string | null;
    },
    isAction: boolean,
  ) {
    try {
      let call = cell.prepared.get(cell.key);
      if (!call) {
        call = await cell.prepare();
        cell.prepared.set(cell.key, call);
        unchanged = null; // preparing wrote records
      }
      const scope = expected.ok ? (expected.scope === "ours" ? ours.org.orgId : null) : undefined;
      const before =
        scope === null
          ? null
          : scope
            ? await ourOrganisation()
            : (unchanged ?? (await everything()));
      unchanged = null;
      cell.act();
      const verdict = await verdictOf(() => call(cell.token));
      actAs(null);
      if (isAction) cells.actionCells++;
      else cells.routeCells++;
      if (expected.ok) {
        cell.prepared.clear(); // the call may have used its records up
        expect(verdict, `${label}: expected it to be allowed`).toEqual({ ok: true });
        // Another organisation acting in its own: ours is untouched.
        if (before) expect(await ourOrganisation()).toEqual(before);
        return;
      }
      expect(
        verdict.ok ? verdict : { ok: false, kind: verdict.kind },
        `${label}: ${JSON.stringify(verdict)}`,
      ).toEqual({ ok: false, kind: expected.kind });
      const after = await everything();
      expect(after, `${label}: a refused call changed a table`).toEqual(before);
      unchanged = after;
    } catch (error) {
      // Whatever went wrong, the next cell starts from scratch.
      cell.prepared.clear();
      unchanged = null;
      throw error;
    }
  }

  it("the fingerprint sees a changed row anywhere, and leaves out only the API's bookkeeping", async () => {
    const rename = (orgId: string, name: string) =>
      handle.db.update(organisations).set({ name }).where(eq(organisations.id, orgId));
    const [our] = await handle.db
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, ours.org.orgId));
    const ourName = our!.name;
    const start = await everything();
    const ourStart = await ourOrganisation();
    await rename(ours.org.orgId, `${ourName} (renamed)`);
    expect(changedTables(start, await everything())).toEqual(["organisations"]);
    await rename(ours.org.orgId, ourName);
    expect(await everything()).toEqual(start);
    // Scoped to ours: another organisation's change is not ours.
    await rename(theirs.org.orgId, "Renamed theirs");
    expect(await ourOrganisation()).toEqual(ourStart);
    expect(changedTables(start, await everything())).toEqual(["organisations"]);
    // A token's last use and its rate window: left out here, seen by default.
    const token = await ours.token("read");
    const withToken = await everything();
    const plain = await dbFingerprint(handle.db);
    await handle.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date() })
      .where(and(eq(apiTokens.orgId, ours.org.orgId), eq(apiTokens.id, token.id)));
    await handle.db
      .insert(apiRateWindows)
      .values({ orgId: ours.org.orgId, tokenId: token.id, windowStart: new Date(), requests: 1 });
    expect(await everything()).toEqual(withToken);
    expect(changedTables(plain, await dbFingerprint(handle.db))).toEqual([
      "api_rate_windows",
      "api_tokens",
    ]);
    // A table made or dropped is a change too.
    await handle.db.execute(sql`create table fingerprint_probe (x int)`);
    expect(changedTables(withToken, await everything())).toEqual(["(tables)"]);
    await handle.db.execute(sql`drop table fingerprint_probe`);
    expect(await everything()).toEqual(withToken);
  });

  for (const [key, row] of Object.entries(rows)) {
    const isAction = key.includes("#");
    describe(key, () => {
      if (row.kind === "public") {
        it(`is open to everyone on purpose: ${row.public}`, async () => {
          cells.publicRows++;
          unchanged = null;
          if (!row.prepare) return;
          for (const who of [null, ours.org.users.agent, theirs.org.users.admin]) {
            const thunk = await row.prepare();
            const before = await everything();
            actAs(who);
            expect(await verdictOf(thunk)).toEqual({ ok: true });
            actAs(null);
            expect(await everything()).toEqual(before);
          }
        });
        return;
      }
      if (row.kind === "session") {
        for (const c of row.cases as SessionCase[]) {
          const name = c.label ? ` [${c.label}]` : "";
          const allowedRole: Role = c.allowed.includes("admin") ? "admin" : c.allowed[0]!;
          const prepared = new Map<string, Call>();
          for (const who of sessionPrincipals) {
            if (who === "tampered" && !c.tampered) continue;
            const expected: Expected =
              who === "anonymous"
                ? { ok: false, kind: "unauthenticated" }
                : who === "other-org"
                  ? c.otherOrg === "own-org"
                    ? { ok: true, scope: "ours" }
                    : { ok: false, kind: c.otherOrg }
                  : who === "tampered"
                    ? { ok: false, kind: c.tampered!.refused }
                    : c.allowed.includes(who)
                      ? { ok: true, scope: "none" }
                      : { ok: false, kind: "forbidden" };
            const title =
              who === "tampered"
                ? `${who} (our ${allowedRole} naming another organisation's ${c.tampered!.ids})`
                : who === "other-org"
                  ? `${who} (their admin${c.otherOrg === "own-org" ? ", in their own organisation" : " naming ours"})`
                  : who;
            const actorIsTheirs = who === "other-org";
            const idsAreTheirs =
              who === "tampered" || (who === "other-org" && c.otherOrg === "own-org");
            it(`${name} ${title}: ${show(expected)}`, async () => {
              const actor = actorIsTheirs ? theirs : ours;
              const ids = idsAreTheirs ? theirs : ours;
              const user =
                who === "anonymous"
                  ? null
                  : who === "other-org"
                    ? theirs.org.users.admin
                    : who === "tampered"
                      ? ours.org.users[allowedRole]
                      : ours.org.users[who];
              await check(
                `${key}${name} as ${who}`,
                expected,
                {
                  prepared,
                  key: `${actorIsTheirs ? "theirs" : "ours"} naming ${idsAreTheirs ? "theirs" : "ours"}`,
                  prepare: async () => {
                    const thunk = await c.prepare({ actor, ids });
                    return () => thunk();
                  },
                  act: () => actAs(user),
                  token: null,
                },
                isAction,
              );
            });
          }
        }
        return;
      }
      for (const c of row.cases as TokenCase[]) {
        const name = c.label ? ` [${c.label}]` : "";
        const prepared = new Map<string, Call>();
        for (const who of tokenPrincipals) {
          if (who === "tampered" && !c.tampered) continue;
          const expected: Expected =
            who === "anonymous" || who === "revoked"
              ? { ok: false, kind: "unauthenticated" }
              : who === "other-org"
                ? c.otherOrg === "own-org"
                  ? { ok: true, scope: "ours" }
                  : { ok: false, kind: c.otherOrg }
                : who === "tampered"
                  ? { ok: false, kind: c.tampered!.refused }
                  : who.startsWith("write:")
                    ? c.scopes.includes("write") && c.creators.includes(who.slice(6) as Role)
                      ? { ok: true, scope: "none" }
                      : { ok: false, kind: "forbidden" }
                    : c.scopes.includes(who as "read" | "write")
                      ? { ok: true, scope: "none" }
                      : { ok: false, kind: "forbidden" };
          const title =
            who === "tampered"
              ? `tampered (our write token naming another organisation's ${c.tampered!.ids})`
              : who === "other-org"
                ? `other-org (their write token${c.otherOrg === "own-org" ? ", their own organisation" : " naming ours"})`
                : who === "anonymous"
                  ? "no token"
                  : who.startsWith("write:")
                    ? `write token created by the ${who.slice(6)}`
                    : `${who} token (an admin's)`;
          const tokenIsTheirs = who === "other-org";
          const idsAreTheirs =
            who === "tampered" || (who === "other-org" && c.otherOrg === "own-org");
          it(`${name} ${title}: ${show(expected)}`, async () => {
            const actor = tokenIsTheirs ? theirs : ours;
            const ids = idsAreTheirs ? theirs : ours;
            await check(
              `${key}${name} as ${who}`,
              expected,
              {
                prepared,
                key: `${tokenIsTheirs ? "theirs" : "ours"} naming ${idsAreTheirs ? "theirs" : "ours"}`,
                prepare: () => c.prepare({ actor, ids }),
                act: () => actAs(null),
                token: tokens.get(who) ?? null,
              },
              isAction,
            );
          });
        }
      }
    });
  }
});
