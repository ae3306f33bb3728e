/**
 * `npm run test:resilience`: crash safety (issue #12 point 7, docs/resilience.md). The production
 * build (`next start`) runs against a throwaway PostgreSQL cluster while API clients record
 * complaints (and a remedy, follow-up or outcome on some) with Idempotency-Keys and a CSV import
 * streams through the server; the server is killed with SIGKILL RESILIENCE_KILLS times (20) at
 * random moments and restarted, PostgreSQL is crashed once (`pg_ctl stop -m immediate`) under the
 * running server. Clients retry what was not acknowledged with the same key; the import's file is
 * sent to the same run again until it completes. Then, from the database:
 *   - every acknowledged write is there exactly once; no retry made a second one;
 *   - no half-written complaint: each has its one creation event and its facts row, each remedy /
 *     follow-up / outcome its event, each API intake key its stored answer;
 *   - the rollups equal a rebuild from the raw rows (verifyRollups);
 *   - the interrupted import resumed and ended as an uninterrupted import of the same file into a
 *     second database: counts, rejection report, complaints with versions and events.
 * Prints a summary and one verdict line; exits 1 on any failure.
 *
 * Environment: RESILIENCE_DIST_DIR (the build to start; default .next when built, else
 * .next-resilience, built first), RESILIENCE_KILLS (20), RESILIENCE_APP_PORT (3210),
 * RESILIENCE_PG_PORT (5499), RESILIENCE_SEED (random).
 */
import "../../scripts/server-only-shim";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Cluster } from "./cluster";
import { writeImportFile } from "./import-file";

const root = path.resolve(import.meta.dirname, "../..");
const KILLS = Number(process.env.RESILIENCE_KILLS ?? 20);
const APP_PORT = Number(process.env.RESILIENCE_APP_PORT ?? 3210);
const PG_PORT = Number(process.env.RESILIENCE_PG_PORT ?? 5499);
const SEED = Number(process.env.RESILIENCE_SEED ?? Math.floor(Math.random() * 1e9));
const CLIENTS = 4;
/** The kill cycle after whose restart PostgreSQL is crashed under the running server. */
const PG_CRASH_AFTER = Math.max(1, Math.floor(KILLS / 2));
const IMPORT_ROWS = 12_000;
const AUTH_SECRET = crypto.randomBytes(32).toString("base64url");
const base = `http://127.0.0.1:${APP_PORT}`;

/** A small seeded PRNG (mulberry32): the kill moments of a failing run can be replayed. */
let state = SEED >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) =>
  console.log(`[resilience ${new Date().toISOString().slice(11, 19)}] ${message}`);

// ---------------------------------------------------------------------------------------------
// The build, the cluster and the server.

function distDir(): string {
  const chosen = process.env.RESILIENCE_DIST_DIR;
  if (chosen) {
    if (!fs.existsSync(path.join(root, chosen, "BUILD_ID"))) {
      throw new Error(`RESILIENCE_DIST_DIR=${chosen} holds no production build (next build).`);
    }
    return chosen;
  }
  if (fs.existsSync(path.join(root, ".next", "BUILD_ID"))) return ".next";
  const own = ".next-resilience";
  if (!fs.existsSync(path.join(root, own, "BUILD_ID"))) {
    log(`no production build: building into ${own}…`);
    const built = spawnSync("npx", ["next", "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_DIST_DIR: own, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (built.status !== 0) throw new Error("next build failed");
  }
  return own;
}

class Server {
  child: ChildProcess | null = null;
  starts = 0;
  readonly logFile: string;
  constructor(
    private readonly dist: string,
    private readonly databaseUrl: string,
    dir: string,
  ) {
    // Kept after the cluster folder is removed: where to look when a run fails.
    fs.mkdirSync(dir, { recursive: true });
    this.logFile = path.join(dir, "resilience-server.log");
    fs.rmSync(this.logFile, { force: true });
  }

  async start(): Promise<number> {
    const out = fs.openSync(this.logFile, "a");
    const started = Date.now();
    this.child = spawn(
      process.execPath,
      [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(APP_PORT)],
      {
        cwd: root,
        // Its own process group: SIGKILL reaches whatever next start forks.
        detached: true,
        stdio: ["ignore", out, out],
        env: {
          ...process.env,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          NEXT_DIST_DIR: this.dist,
          DATABASE_URL: this.databaseUrl,
          AUTH_SECRET,
          // The organisation is made by the test; no demo, whatever start-up does with an empty one.
          TURNAROUND_SEED: "off",
          TURNAROUND_DEMO: "off",
          TURNAROUND_API_RATE_LIMIT: "1000000",
        },
      },
    );
    fs.closeSync(out);
    this.starts++;
    await this.ready();
    return Date.now() - started;
  }

  /** Ready when the API answers a token's request (migrations and start-up checks done). */
  async ready(timeoutMs = 180_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(`the server exited (${this.child.exitCode}); see ${this.logFile}`);
      }
      try {
        const response = await fetch(`${base}/api/v1/products`, {
          headers: { authorization: `Bearer ${ctx.token}` },
          signal: AbortSignal.timeout(10_000),
        });
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await sleep(250);
    }
    throw new Error(`the server was not ready within ${timeoutMs / 1000} s; see ${this.logFile}`);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
    await exited;
    this.child = null;
  }
}

// ---------------------------------------------------------------------------------------------
// What the clients were told.

interface Ack {
  key: string;
  id: string;
  summary: string;
  externalRef: string | null;
  step: { kind: "remedy" | "follow-up" | "outcome"; acknowledged: boolean } | null;
}

const ctx = {
  token: "",
  cookie: "",
  runId: "",
  stop: false,
  serverDown: false,
  acks: [] as Ack[],
  attempts: 0,
  retries: 0,
  /** Steps whose key stayed "in progress" or met a newer version: applied at most once. */
  undetermined: 0,
  unexpected: [] as string[],
  importAttempts: 0,
  importDone: false,
  importFailed: null as string | null,
};

type Reply = { status: number; body: Record<string, unknown> | null };

/** One request; a dropped connection or a 5xx is `null` (try again with the same key). */
async function send(pathname: string, init: RequestInit): Promise<Reply | null> {
  try {
    const response = await fetch(`${base}${pathname}`, {
      ...init,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let body: Record<string, unknown> | null = null;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    if (response.status >= 500) return null;
    return { status: response.status, body };
  } catch {
    return null;
  }
}

const codeOf = (reply: Reply) =>
  ((reply.body?.error as { code?: string } | undefined)?.code ?? "") as string;

/** POSTs until acknowledged (2xx), refused for good, or — for steps — given up as undetermined. */
async function postUntilAnswered(
  pathname: string,
  body: unknown,
  key: string,
  giveUpAfterMs: number | null,
): Promise<Reply | "undetermined"> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      ctx.retries++;
      await sleep(200 + random() * 500);
    }
    const reply = await send(pathname, {
      method: "POST",
      headers: {
        authorization: `Bearer ${ctx.token}`,
        "content-type": "application/json",
        "idempotency-key": key,
      },
      body: JSON.stringify(body),
    });
    if (reply && reply.status < 300) return reply;
    if (reply && reply.status === 409 && codeOf(reply) === "version_conflict") {
      // Only this client edits the complaint: an earlier attempt of this very step was applied.
      return "undetermined";
    }
    const retryable =
      !reply ||
      reply.status === 429 ||
      (reply.status === 409 && codeOf(reply) === "idempotency_in_progress");
    if (!retryable) return reply!;
    // A key claimed by a request the kill cut off stays "in progress" until it is abandoned.
    if (giveUpAfterMs !== null && Date.now() - started > giveUpAfterMs) return "undetermined";
    if (Date.now() - started > 600_000) throw new Error(`no answer for ${pathname} in 10 minutes`);
  }
}

async function apiClient(n: number): Promise<void> {
  let i = 0;
  while (!ctx.stop) {
    i++;
    const key = crypto.randomUUID();
    const summary = `Resilience ${n}-${i} ${key}`;
    // Half carry a reference (unique per organisation); the rest rely on the key alone.
    const externalRef = i % 2 ? `API-${key}` : null;
    ctx.attempts++;
    const created = await postUntilAnswered(
      "/api/v1/complaints",
      {
        customerName: `Client ${n}`,
        customerEmail: `client${n}@example.test`,
        channel: "email",
        severity: ["minor", "moderate", "major", "critical"][i % 4],
        summary,
        story: `Story of ${summary}`,
        intakeSentiment: 1 + (i % 5),
        ...(externalRef ? { externalRef } : {}),
      },
      key,
      null,
    );
    if (created === "undetermined" || created.status !== 201) {
      ctx.unexpected.push(`intake ${key}: ${JSON.stringify(created)}`);
      continue;
    }
    const data = created.body!.data as { id: string; version: number };
    const ack: Ack = { key, id: data.id, summary, externalRef, step: null };
    ctx.acks.push(ack);
    const pick = random();
    if (pick >= 0.6) continue;
    const kind = pick < 0.2 ? "remedy" : pick < 0.4 ? "follow-up" : "outcome";
    const stepBody =
      kind === "remedy"
        ? {
            version: data.version,
            kind: "refund",
            description: `Refund ${key}`,
            cost: "12.50",
            currency: "USD",
          }
        : kind === "follow-up"
          ? { version: data.version, preset: "week" }
          : { version: data.version, finalSentiment: 4 };
    const pathname = `/api/v1/complaints/${data.id}/${kind === "remedy" ? "remedies" : kind === "follow-up" ? "follow-ups" : "outcome"}`;
    const step = await postUntilAnswered(pathname, stepBody, crypto.randomUUID(), 20_000);
    if (step === "undetermined") {
      ctx.undetermined++;
      ack.step = { kind, acknowledged: false };
    } else if (step.status < 300) {
      ack.step = { kind, acknowledged: true };
    } else {
      ctx.unexpected.push(`${kind} on ${data.id}: ${step.status} ${JSON.stringify(step.body)}`);
    }
  }
}

/** Sends the file to the run until the run has read it to the end (resuming after each kill). */
async function importClient(file: string): Promise<void> {
  const content = fs.readFileSync(file);
  const progress = async () =>
    send(`/import/runs/${ctx.runId}/progress`, { headers: { cookie: ctx.cookie } });
  for (;;) {
    ctx.importAttempts++;
    const reply = await send(`/import/upload/${ctx.runId}`, {
      method: "POST",
      headers: { cookie: ctx.cookie, "content-type": "text/csv" },
      body: content,
    });
    if (reply?.status === 200 && reply.body?.status === "completed") break;
    // Cut off, or refused because it was answered already: the run says where it stands.
    const latest = await progress();
    if (latest?.status === 200 && latest.body?.status === "completed") break;
    if (reply && reply.status !== 409 && reply.status !== 200) {
      throw new Error(`the import was refused: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    await sleep(500 + random() * 1000);
  }
  ctx.importDone = true;
}

// ---------------------------------------------------------------------------------------------
// Setting up and checking, through the project's own code.

async function setUp(url: string) {
  const { openDatabase } = await import("@/db/client");
  const { migrateDatabase } = await import("@/db/migrate");
  const { createTestOrg } = await import("../helpers/fixtures");
  const { apiTokens } = await import("@/db/schema");
  const { generateSecret, hashSecret } = await import("@/lib/api-tokens/secret");
  const handle = await openDatabase({ url });
  await migrateDatabase(handle);
  const org = await createTestOrg(handle.db, "Resilience");
  const token = generateSecret();
  await handle.db.insert(apiTokens).values({
    orgId: org.orgId,
    name: "Resilience clients",
    scope: "write",
    tokenHash: hashSecret(token),
    createdBy: org.users.admin.userId,
  });
  return { handle, org, token };
}

/** Opens the import run as the organisation's admin (what startImportAction does). */
async function openImportRun(handle: import("@/db/client").DatabaseHandle, email: string) {
  const { useDatabase: selectDatabase } = await import("@/db");
  const { findImporter } = await import("@/lib/import/cli");
  const { runAsActor } = await import("@/lib/auth/actor-context");
  const { createImportRun } = await import("@/lib/import/setup");
  const { suggestMapping } = await import("@/lib/import/fields");
  const { IMPORT_HEADER } = await import("./import-file");
  selectDatabase(handle);
  const importer = await findImporter(handle.db, email);
  if (!importer.ok) throw new Error(importer.message);
  const created = await runAsActor(importer.actor, () =>
    createImportRun({
      kind: "complaints",
      mapping: suggestMapping("complaints", IMPORT_HEADER.split(",")),
      mode: "skip",
      fileName: "resilience.csv",
    }),
  );
  if (!created.ok) throw new Error(JSON.stringify(created));
  return { runId: created.data.runId, actor: importer.actor };
}

/** A session cookie for the admin, as Auth.js would have set it at sign-in. */
async function sessionCookie(
  handle: import("@/db/client").DatabaseHandle,
  user: { userId: string; orgId: string },
) {
  const { encode } = await import("next-auth/jwt");
  const { queryRows } = await import("@/db/client");
  const { sql } = await import("drizzle-orm");
  const [row] = await queryRows<{ session_version: number; role: string }>(
    handle.db,
    sql`select session_version, role from users where org_id = ${user.orgId} and id = ${user.userId}`,
  );
  const name = "authjs.session-token";
  const value = await encode({
    salt: name,
    secret: AUTH_SECRET,
    maxAge: 12 * 60 * 60,
    token: {
      sub: user.userId,
      orgId: user.orgId,
      role: row!.role,
      sessionVersion: row!.session_version,
    },
  });
  return `${name}=${value}`;
}

/** The import as a user would compare it: counts, report, complaints with versions and events. */
async function importOutcome(db: import("@/db").Db, orgId: string, runId: string) {
  const { queryRows } = await import("@/db/client");
  const { sql } = await import("drizzle-orm");
  const [run] = await queryRows<Record<string, unknown>>(
    db,
    sql`select status, rows_read, rows_created, rows_updated, rows_unchanged, rows_rejected, bytes_read
      from import_runs where org_id = ${orgId} and id = ${runId}`,
  );
  const report = await queryRows(
    db,
    sql`select position, line_number, field, reason, value from import_rejections
      where org_id = ${orgId} and run_id = ${runId} order by position`,
  );
  const complaints = await queryRows(
    db,
    sql`select c.external_ref, c.summary, c.story, c.status, c.version, c.channel, c.received_at::text as received,
        cu.external_ref as customer,
        (select count(*)::int from audit_events e where e.org_id = c.org_id and e.complaint_id = c.id
          and e.action = 'complaint.imported') as imported,
        (select count(*)::int from audit_events e where e.org_id = c.org_id and e.complaint_id = c.id
          and e.action = 'complaint.import-updated') as updated
      from complaints c join customers cu on cu.org_id = c.org_id and cu.id = c.customer_id
      where c.org_id = ${orgId} and c.imported order by c.external_ref`,
  );
  return { run, report, complaints };
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

async function verify(
  url: string,
  orgId: string,
  reference: { url: string; orgId: string; runId: string },
): Promise<{ checks: Check[]; lost: number; duplicates: number }> {
  const { openDatabase, queryRows } = await import("@/db/client");
  const { sql } = await import("drizzle-orm");
  const { verifyRollups } = await import("@/lib/rollups/rebuild");
  const handle = await openDatabase({ url });
  const db = handle.db;
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  try {
    // Acknowledged complaints: each exactly once, under the id the client was given.
    const rows = await queryRows<{ id: string; summary: string; external_ref: string | null }>(
      db,
      sql`select id, summary, external_ref from complaints where org_id = ${orgId} and not imported`,
    );
    const bySummary = new Map<string, { id: string; external_ref: string | null }[]>();
    for (const r of rows) bySummary.set(r.summary, [...(bySummary.get(r.summary) ?? []), r]);
    let lost = 0;
    let wrong = 0;
    for (const ack of ctx.acks) {
      const found = bySummary.get(ack.summary) ?? [];
      if (found.length === 0) lost++;
      else if (found[0]!.id !== ack.id || found[0]!.external_ref !== ack.externalRef) wrong++;
    }
    const duplicates = [...bySummary.values()].filter((v) => v.length > 1).length;
    const unasked = rows.filter((r) => !r.summary.startsWith("Resilience ")).length;
    check(
      "every acknowledged complaint is stored, once, as acknowledged",
      lost === 0 && wrong === 0 && duplicates === 0 && unasked === 0,
      `${ctx.acks.length} acknowledged, ${rows.length} stored; lost ${lost}, other id/ref ${wrong}, duplicated ${duplicates}`,
    );

    // Steps: acknowledged once; cut off (undetermined) at most once.
    const steps = await queryRows<{
      id: string;
      remedies: number;
      follow_ups: number;
      outcomes: number;
    }>(
      db,
      sql`select c.id,
          (select count(*)::int from remedies r where r.org_id = c.org_id and r.complaint_id = c.id) as remedies,
          (select count(*)::int from follow_ups f where f.org_id = c.org_id and f.complaint_id = c.id) as follow_ups,
          (select count(*)::int from outcomes o where o.org_id = c.org_id and o.complaint_id = c.id) as outcomes
        from complaints c where c.org_id = ${orgId} and not c.imported`,
    );
    const stepsOf = new Map(steps.map((s) => [s.id, s]));
    let stepLost = 0;
    let stepTwice = 0;
    let stepUnasked = 0;
    let stepAcks = 0;
    for (const ack of ctx.acks) {
      const s = stepsOf.get(ack.id);
      if (!s) continue;
      const counts = { remedy: s.remedies, "follow-up": s.follow_ups, outcome: s.outcomes };
      for (const [kind, n] of Object.entries(counts)) {
        if (ack.step?.kind === kind) {
          if (ack.step.acknowledged) stepAcks++;
          if (n > 1) stepTwice++;
          if (ack.step.acknowledged && n === 0) stepLost++;
        } else if (n > 0) stepUnasked++;
      }
    }
    check(
      "every acknowledged remedy, follow-up and outcome is stored once; no retry applied twice",
      stepLost === 0 && stepTwice === 0 && stepUnasked === 0,
      `${stepAcks} acknowledged, ${ctx.undetermined} cut off (at most once); lost ${stepLost}, twice ${stepTwice}, unasked ${stepUnasked}`,
    );

    // Half-written: anything a complaint's write transaction makes, without the rest.
    const [half] = await queryRows<Record<string, number>>(
      db,
      sql`select
        (select count(*)::int from complaints c where c.org_id = ${orgId} and (select count(*) from audit_events e
          where e.org_id = c.org_id and e.entity = 'complaint' and e.entity_id = c.id::text
          and e.action in ('complaint.created', 'complaint.imported')) <> 1) as without_one_creation_event,
        (select count(*)::int from complaints c where c.org_id = ${orgId} and not exists (select 1 from complaint_facts f
          where f.org_id = c.org_id and f.complaint_id = c.id)) as without_facts,
        (select count(*)::int from remedies r where r.org_id = ${orgId} and not exists (select 1 from audit_events e
          where e.org_id = r.org_id and e.action = 'remedy.offered' and e.entity_id = r.id::text)
          and not exists (select 1 from complaints c where c.org_id = r.org_id and c.id = r.complaint_id and c.imported)) as remedies_without_event,
        (select count(*)::int from follow_ups f where f.org_id = ${orgId} and not exists (select 1 from audit_events e
          where e.org_id = f.org_id and e.action = 'follow-up.scheduled' and e.entity_id = f.id::text)) as follow_ups_without_event,
        (select count(*)::int from outcomes o where o.org_id = ${orgId} and not exists (select 1 from audit_events e
          where e.org_id = o.org_id and e.action = 'outcome.recorded' and e.complaint_id = o.complaint_id)) as outcomes_without_event,
        (select count(*)::int from idempotency_keys k where k.org_id = ${orgId} and k.operation = 'complaint.create'
          and k.response_status is null) as intake_keys_without_answer,
        (select count(*)::int from idempotency_keys k where k.org_id = ${orgId} and k.operation = 'complaint.create') as intake_keys`,
    );
    const { intake_keys: intakeKeys, ...problems } = half!;
    const broken = Object.entries(problems).filter(([, n]) => n > 0);
    check(
      "no half-written complaint (creation event, facts row, step events, stored intake answers)",
      broken.length === 0 && intakeKeys === rows.length,
      broken.length
        ? broken.map(([k, n]) => `${k}: ${n}`).join(", ")
        : `all ${rows.length} API complaints and the imported ones whole; ${intakeKeys} intake keys answered`,
    );

    const rollups = await verifyRollups(db, orgId);
    check(
      "rollups equal a rebuild from the raw rows",
      rollups.factMismatches === 0 && rollups.rollupMismatches === 0,
      JSON.stringify(rollups),
    );

    // The import: resumed, and ended as the uninterrupted one did.
    const [resumed] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_events where org_id = ${orgId} and entity = 'import_run'
        and entity_id = ${ctx.runId} and action = 'import.resumed'`,
    );
    const mine = await importOutcome(db, orgId, ctx.runId);
    const other = await openDatabase({ url: reference.url });
    const theirs = await importOutcome(other.db, reference.orgId, reference.runId);
    await other.close();
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const counts = (r: Record<string, unknown> | undefined) => ({ ...r, bytes_read: undefined });
    const differences = [
      !same(counts(mine.run), counts(theirs.run)) &&
        `run ${JSON.stringify(mine.run)} vs ${JSON.stringify(theirs.run)}`,
      !same(mine.report, theirs.report) &&
        `report ${mine.report.length} vs ${theirs.report.length} rows`,
      !same(mine.complaints, theirs.complaints) &&
        `complaints ${mine.complaints.length} vs ${theirs.complaints.length} (${firstDifference(mine.complaints, theirs.complaints)})`,
    ].filter(Boolean);
    check(
      "the interrupted import resumed and ended as an uninterrupted import of the same file",
      resumed!.n > 0 && mine.run?.status === "completed" && differences.length === 0,
      `resumed ${resumed!.n} times over ${ctx.importAttempts} uploads; ` +
        (differences.length
          ? differences.join("; ")
          : `same counts ${JSON.stringify(counts(mine.run))}, report (${mine.report.length} rows) and ${mine.complaints.length} complaints`),
    );
    return { checks, lost: lost + stepLost, duplicates: duplicates + stepTwice };
  } finally {
    await handle.close();
  }
}

function firstDifference(a: unknown[], b: unknown[]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) {
      return `first at ${i}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
    }
  }
  return "none";
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = Date.now();
  log(`seed ${SEED}; ${KILLS} kills; app on :${APP_PORT}, PostgreSQL on :${PG_PORT}`);
  const dist = distDir();
  const cluster = new Cluster(PG_PORT);
  let server: Server | null = null;
  const cleanUp = async () => {
    ctx.stop = true;
    await server?.kill().catch(() => {});
    try {
      cluster.remove();
    } catch (error) {
      console.error(`[resilience] could not remove the cluster in ${cluster.dir}:`, error);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    cluster.init();
    cluster.start();
    const { openDatabase, queryRows } = await import("@/db/client");
    const { sql } = await import("drizzle-orm");
    const admin = await openDatabase({ url: cluster.url("postgres") });
    for (const name of ["resilience", "reference"])
      await queryRows(admin.db, sql.raw(`create database ${name}`));
    await admin.close();
    log(`cluster ready in ${cluster.dir}`);

    const file = writeImportFile(path.join(cluster.dir, "resilience.csv"), {
      rows: IMPORT_ROWS,
      prefix: "RZ",
    });
    // The uninterrupted import the resumed one must equal: same code, another database.
    const ref = await setUp(cluster.url("reference"));
    const refRun = await openImportRun(ref.handle, ref.org.users.admin.email);
    {
      const { runAsActor } = await import("@/lib/auth/actor-context");
      const { runImport } = await import("@/lib/import/run");
      const done = await runAsActor(refRun.actor, () =>
        runImport(refRun.runId, fs.createReadStream(file)),
      );
      if (!done.ok || done.data.status !== "completed")
        throw new Error(`reference import: ${JSON.stringify(done)}`);
      log(`reference import: ${done.data.message}`);
    }
    await ref.handle.close();

    const app = await setUp(cluster.url("resilience"));
    ctx.token = app.token;
    const run = await openImportRun(app.handle, app.org.users.admin.email);
    ctx.runId = run.runId;
    ctx.cookie = await sessionCookie(app.handle, app.org.users.admin);
    await app.handle.close();

    server = new Server(dist, cluster.url("resilience"), path.join(root, "test-results"));
    const firstStart = await server.start();
    log(`server up in ${(firstStart / 1000).toFixed(1)} s`);

    const clients = Array.from({ length: CLIENTS }, (_, n) => apiClient(n + 1));
    const importer = importClient(file).catch((error: unknown) => {
      ctx.importFailed = error instanceof Error ? error.message : String(error);
    });
    const restarts: number[] = [];
    let pgRecovered: { ms: number; samePid: boolean } | null = null;
    let survived = 0;
    for (let cycle = 1; cycle <= KILLS; cycle++) {
      if (cycle === 1) {
        // The first kill lands in the import: once a batch has committed, before it completes.
        const until = Date.now() + 120_000;
        for (;;) {
          const p = await send(`/import/runs/${ctx.runId}/progress`, {
            headers: { cookie: ctx.cookie },
          });
          if (p?.status === 200 && Number(p.body?.rowsRead) > 0) break;
          if (ctx.importFailed) throw new Error(ctx.importFailed);
          if (Date.now() > until) throw new Error("the import never started");
          await sleep(100);
        }
      } else {
        await sleep(1_000 + random() * 3_500);
      }
      if (cycle === PG_CRASH_AFTER + 1 && !pgRecovered) {
        // PostgreSQL crashes under the running server; the server is not restarted for it.
        const pid = server.child?.pid;
        cluster.crash();
        await sleep(1_000 + random() * 1_000);
        cluster.start();
        const t = Date.now();
        await server.ready(120_000);
        pgRecovered = { ms: Date.now() - t, samePid: server.child?.pid === pid };
        log(
          `PostgreSQL crashed and restarted; the server answered again after ${pgRecovered.ms} ms without a restart`,
        );
        await sleep(1_000 + random() * 2_000);
      }
      await server.kill();
      const ms = await server.start();
      restarts.push(ms);
      survived++;
      log(
        `kill ${cycle}/${KILLS}: restarted in ${(ms / 1000).toFixed(1)} s; ${ctx.acks.length} acknowledged, import ${ctx.importDone ? "done" : "running"}`,
      );
    }
    log("kills done: letting the import finish and the clients settle");
    const importUntil = Date.now() + 300_000;
    while (!ctx.importDone && Date.now() < importUntil) await sleep(500);
    if (!ctx.importDone)
      throw new Error("the import did not complete within 5 minutes of the last kill");
    ctx.stop = true;
    await Promise.all(clients);
    await importer;
    await server.kill();

    const result = await verify(cluster.url("resilience"), app.org.orgId, {
      url: cluster.url("reference"),
      orgId: ref.org.orgId,
      runId: refRun.runId,
    });
    result.checks.push({
      name: "every request was answered as a client expects (acknowledged, or retried)",
      ok: ctx.unexpected.length === 0,
      detail: `${ctx.unexpected.length} unexpected answers`,
    });
    const failed = result.checks.filter((c) => !c.ok).length;
    console.log("\nCrash safety");
    for (const c of result.checks)
      console.log(`  ${c.ok ? "✓" : "✗"} ${c.name}\n      ${c.detail}`);
    for (const u of ctx.unexpected.slice(0, 10)) console.log(`  ✗ unexpected answer: ${u}`);
    const restartMean = restarts.reduce((a, b) => a + b, 0) / Math.max(restarts.length, 1);
    console.log(
      [
        `  kill cycles survived: ${survived}/${KILLS} (restart ${(restartMean / 1000).toFixed(1)} s on average)`,
        `  PostgreSQL crashes: ${pgRecovered ? 1 : 0} (the server reconnected by itself in ${pgRecovered?.ms ?? "-"} ms${pgRecovered?.samePid ? ", same process" : ""})`,
        `  complaint writes attempted ${ctx.attempts}, acknowledged ${ctx.acks.length}, retries ${ctx.retries}, import uploads ${ctx.importAttempts}`,
        `  writes lost: ${result.lost} (must be 0); duplicates: ${result.duplicates}`,
        `  time: ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${SEED})`,
      ].join("\n"),
    );
    const verdict =
      failed === 0 && survived === KILLS
        ? `RESILIENCE PASSED: ${survived} kill cycles and 1 PostgreSQL crash survived, ${ctx.acks.length} acknowledged writes, 0 lost, 0 duplicated`
        : `RESILIENCE FAILED: ${failed} check(s) failed; writes lost ${result.lost}, duplicates ${result.duplicates}`;
    console.log(verdict);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    console.error(error);
    if (server) console.error(`server log: ${server.logFile}`);
    console.log(`RESILIENCE FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await cleanUp();
  }
}

main().then((code) => process.exit(code));
