// Dashboard, API and intake benchmark (issue #10): `npm run bench -- [--sizes 100k,1m] [--demo]`.
// Starts `next start` on a benchmark database, signs in as each role with a minted session
// cookie, times every dashboard, metric endpoint and the complaint list, runs a raw-row baseline
// on the same data, loads intake with autocannon, and prints a Markdown block for BENCHMARKS.md
// (JSON beside it in bench/results/). `--help` lists the flags.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DEMO_DEFAULT_COMPLAINTS } from "../db/seed/constants";
import { parseArgs, USAGE, type Options, type Section } from "./harness/args";
import { runBaseline } from "./harness/baseline";
import {
  createTokens,
  dropTokens,
  postgresQuery,
  prepareDatabase,
  readFixtures,
  runPostGenerateHook,
  sizeOf,
  withDatabase,
  type Fixtures,
  type Query,
} from "./harness/data";
import { removeIntakeRowsKeepingRollups } from "./harness/cleanup";
import { closeConnections, timedRequest } from "./harness/http";
import { runIntake } from "./harness/intake";
import { runLoad } from "./harness/load";
import {
  apiCheck,
  measureCase,
  pageCheck,
  type CaseOptions,
  type CaseResult,
} from "./harness/measure";
import {
  machineInfo,
  toMarkdown,
  type DashboardCase,
  type Results,
  type SizeResults,
} from "./harness/report";
import { BENCH_AUTH_SECRET, builtDistDir, startServer, type RunningServer } from "./harness/server";
import { sessionCookie } from "./harness/session";

const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const minusDays = (day: string, n: number) => isoDay(Date.parse(`${day}T00:00:00Z`) - n * DAY);

const dashboards = [
  { role: "manager", path: "/dashboards/manager", testId: "manager-dashboard" },
  { role: "quality", path: "/dashboards/quality", testId: "quality-dashboard" },
  { role: "executive", path: "/dashboards/executive", testId: "executive-dashboard" },
] as const;

/**
 * The dashboards' ranges on this data: the 90-day preset when the data ends today or yesterday
 * (the seed's "today" anchor), else the 90 days up to the data's last day.
 */
function rangesFor(anchor: string): Record<string, string> {
  const today = isoDay(Date.now());
  const recent = anchor >= minusDays(today, 1);
  return {
    "90d": recent ? "range=90d" : `range=custom&from=${minusDays(anchor, 89)}&to=${anchor}`,
    "2y": `range=custom&from=${minusDays(anchor, 729)}&to=${anchor}`,
  };
}

function rangeDays(query: string): { from: string; to: string } {
  const p = new URLSearchParams(query);
  const today = isoDay(Date.now());
  if (p.get("range") === "90d") return { from: minusDays(today, 89), to: today };
  return { from: p.get("from")!, to: p.get("to")! };
}

function caseOptions(o: Options): CaseOptions {
  return {
    runs: o.runs,
    warmup: o.warmup,
    minRuns: o.minRuns,
    budgetMs: o.caseBudget * 1000,
    timeoutMs: o.timeout * 1000,
  };
}

async function cookies(f: Fixtures) {
  const entries = await Promise.all(
    (["agent", "manager", "quality", "executive"] as const).map(
      async (role) =>
        [role, await sessionCookie(f.users[role], f.orgId, BENCH_AUTH_SECRET)] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<(typeof entries)[number][0], string>;
}

/** One signed-in request that must show the manager's dashboard, not a redirect to sign-in. */
async function checkSignedIn(server: RunningServer, cookie: string, timeoutMs: number) {
  const t = await timedRequest(`${server.baseUrl}/dashboards/manager?range=7d`, {
    headers: { cookie },
    timeoutMs,
  });
  const problem = pageCheck("manager-dashboard")(t);
  if (problem) throw new Error(`the minted session cookie does not sign in: ${problem}`);
}

async function measureDashboards(
  server: RunningServer,
  f: Fixtures,
  ranges: Record<string, string>,
  rangeNames: string[],
  o: Options,
): Promise<DashboardCase[]> {
  const jar = await cookies(f);
  const filterSets = {
    none: "",
    // One high-cardinality filter (its facts: the GIN keys), and two low-cardinality ones (cells).
    product: `&product=${f.productId}`,
    "team + channel": `&team=${f.teamId}&channel=email`,
  };
  const results: DashboardCase[] = [];
  for (const range of rangeNames) {
    for (const [filters, extra] of Object.entries(filterSets)) {
      for (const d of dashboards) {
        const url = `${server.baseUrl}${d.path}?${ranges[range]}${extra}`;
        const name = `${d.role} ${range} ${filters}`;
        const c = await measureCase(
          name,
          url,
          { cookie: jar[d.role] },
          pageCheck(d.testId),
          caseOptions(o),
        );
        results.push({ ...c, dashboard: d.role, range, filters });
      }
    }
  }
  return results;
}

async function measureMetrics(
  server: RunningServer,
  token: string,
  range: string,
  o: Options,
): Promise<CaseResult[]> {
  const auth = { authorization: `Bearer ${token}` };
  const list = await timedRequest(`${server.baseUrl}/api/v1/metrics`, {
    headers: auth,
    timeoutMs: o.timeout * 1000,
  });
  if (list.status !== 200) throw new Error(`GET /api/v1/metrics: ${list.status} ${list.body}`);
  const names = (JSON.parse(list.body) as { data: { name: string }[] }).data.map((m) => m.name);
  const results: CaseResult[] = [];
  for (const name of names) {
    const url = `${server.baseUrl}/api/v1/metrics/${name}?${range}`;
    results.push(await measureCase(name, url, auth, apiCheck(), caseOptions(o)));
  }
  return results;
}

async function measureList(
  server: RunningServer,
  f: Fixtures,
  token: string,
  o: Options,
): Promise<CaseResult[]> {
  const jar = await cookies(f);
  const filters = `team=${f.teamId}&channel=email`;
  return [
    await measureCase(
      "`/complaints?team=…&channel=email` (manager)",
      `${server.baseUrl}/complaints?${filters}`,
      { cookie: jar.manager },
      pageCheck("complaint-count"),
      caseOptions(o),
    ),
    await measureCase(
      "`/api/v1/complaints?team=…&channel=email`",
      `${server.baseUrl}/api/v1/complaints?${filters}`,
      { authorization: `Bearer ${token}` },
      apiCheck(),
      caseOptions(o),
    ),
  ];
}

/** The agent's queue alone, then while the three dashboards load in parallel in a loop. */
async function measureQueue(
  server: RunningServer,
  f: Fixtures,
  range: string,
  o: Options,
): Promise<NonNullable<SizeResults["queue"]>> {
  const jar = await cookies(f);
  const queueUrl = `${server.baseUrl}/queue`;
  const check = pageCheck("queue-");
  const idle = await measureCase("alone", queueUrl, { cookie: jar.agent }, check, caseOptions(o));
  let stop = false;
  let loads = 0;
  const loop = (async () => {
    while (!stop) {
      await Promise.all(
        dashboards.map((d) =>
          timedRequest(`${server.baseUrl}${d.path}?${range}`, {
            headers: { cookie: jar[d.role] },
            timeoutMs: o.timeout * 1000,
            keepBody: false,
          }).then(() => loads++),
        ),
      );
    }
  })();
  // Let the first loads reach the database before timing the queue.
  await new Promise((r) => setTimeout(r, 500));
  const loaded = await measureCase(
    "while the three dashboards load",
    queueUrl,
    { cookie: jar.agent },
    check,
    { ...caseOptions(o), warmup: 0 },
  );
  stop = true;
  await loop;
  return { idle, loaded, dashboardLoads: loads };
}

async function postgresVersion(url: string): Promise<string> {
  const db = postgresQuery(url);
  try {
    const [row] = await db.query<{ v: string }>("select current_setting('server_version') as v");
    return `PostgreSQL ${row!.v.split(" ")[0]}`;
  } catch {
    return "PostgreSQL (unreachable)";
  } finally {
    await db.close();
  }
}

/** One PostgreSQL database: server up, sections measured, server down, tokens removed. */
async function benchPostgres(
  o: Options,
  label: string,
  url: string,
  database: string,
  note: string,
  logDir: string,
): Promise<SizeResults> {
  const db = postgresQuery(url);
  let server: RunningServer | undefined;
  let f: Fixtures | undefined;
  try {
    f = await readFixtures(db.query);
    const tokens = await createTokens(db.query, f);
    const ranges = rangesFor(f.anchor);
    console.log(
      `\n[${label}] ${f.complaints.toLocaleString("en-US")} complaints in ${database}, data up to ${f.anchor}`,
    );
    const result: SizeResults = {
      label,
      engine: "PostgreSQL",
      database,
      complaints: f.complaints,
      note,
      anchor: f.anchor,
      ranges,
      dashboards: [],
      metrics: [],
      list: [],
      baseline: [],
      failures: [],
    };
    if (o.only.has("baseline")) {
      console.log(`[${label}] raw-row baseline`);
      for (const range of ["90d", "2y"]) {
        const { from, to } = rangeDays(ranges[range]!);
        const b = await runBaseline(db.query, f.orgId, range, from, to, o.baselineRuns);
        console.log(`  ${range}: ${Math.round(b.median)} ms (five queries)`);
        result.baseline.push(b);
      }
    }
    const needsServer = ["dashboards", "metrics", "list", "intake", "queue", "load"].some((s) =>
      o.only.has(s as never),
    );
    if (!needsServer) return result;
    server = await startServer({
      port: o.port,
      appDir: o.appDir,
      distDir: o.distDir,
      logFile: path.join(logDir, `server-${label}.log`),
      databaseUrl: url,
      startTimeoutMs: o.startTimeout * 1000,
    });
    result.serverStartSeconds = server.readySeconds;
    console.log(`[${label}] server ready in ${server.readySeconds.toFixed(1)} s`);
    const jar = await cookies(f);
    await checkSignedIn(server, jar.manager, o.timeout * 1000);
    const srv = server;
    const fx = f;
    const section = async (name: Section, title: string, body: () => Promise<void>) => {
      if (!o.only.has(name)) return;
      console.log(`[${label}] ${title}`);
      try {
        await body();
      } catch (error) {
        const message = `${title}: ${(error as Error).message}`;
        console.error(`  failed: ${message}`);
        result.failures.push(message);
      }
    };
    await section("dashboards", "dashboards", async () => {
      result.dashboards = await measureDashboards(srv, fx, ranges, ["90d", "2y"], o);
    });
    await section("metrics", "API metrics (90d)", async () => {
      result.metrics = await measureMetrics(srv, tokens.read, ranges["90d"]!, o);
    });
    await section("list", "complaint list", async () => {
      result.list = await measureList(srv, fx, tokens.read, o);
    });
    await section("queue", "agent queue under dashboard load", async () => {
      result.queue = await measureQueue(srv, fx, ranges["90d"]!, o);
    });
    await section("load", "mixed workload", async () => {
      console.log(`  ${o.loadRate} requests/s for ${o.loadSeconds} s`);
      result.load = await runLoad({
        baseUrl: srv.baseUrl,
        fixtures: fx,
        cookies: jar,
        readToken: tokens.read,
        writeToken: tokens.write,
        range: ranges["90d"]!,
        seconds: o.loadSeconds,
        ratePerSecond: o.loadRate,
        timeoutMs: o.timeout * 1000,
        log: (line) => console.log(line),
      });
      const l = result.load;
      console.log(
        `  ${l.requests} requests (${l.writes} writes), ${l.errors} errors, p50 ${Math.round(l.p50)} ms, p95 ${Math.round(l.p95)} ms, p99 ${Math.round(l.p99)} ms`,
      );
    });
    await section("intake", "intake", async () => {
      console.log(`  ${o.intakeConnections} connections for ${o.intakeSeconds} s`);
      result.intake = await runIntake(
        srv.baseUrl,
        tokens.write,
        fx,
        o.intakeConnections,
        o.intakeSeconds,
      );
      const i = result.intake;
      console.log(
        `  ${i.requestsPerSecond.toFixed(1)} req/s, p50 ${i.latencyP50} ms, p99 ${i.latencyP99} ms, non-2xx ${i.non2xx}, errors ${i.errors}`,
      );
    });
    return result;
  } finally {
    await server?.stop();
    if (f) {
      await dropTokens(db.query, f.orgId).catch(() => {});
      if (o.only.has("intake") || o.only.has("load")) {
        const removed = await removeIntakeRowsKeepingRollups(url, db.query).catch((e: Error) => {
          // Raw rows may be gone while rollups still count them: only a rebuild makes them agree.
          console.error(`  could not remove the intake's complaints: ${e.message}; rebuilding`);
          runPostGenerateHook(url);
          return 0;
        });
        if (removed) console.log(`[${label}] removed the ${removed} complaints intake recorded`);
      }
    }
    await db.close();
  }
}

async function pgliteQuery(dir: string): Promise<{ query: Query; close: () => Promise<void> }> {
  const { PGlite } = await import("@electric-sql/pglite");
  const client = await PGlite.create(dir);
  return {
    query: async (text, params = []) => (await client.query(text, params)).rows as never,
    close: () => client.close(),
  };
}

/** The 20k PGlite demo: its dashboards (90 days), then the agent's queue under dashboard load. */
async function benchDemo(o: Options, logDir: string): Promise<SizeResults> {
  const dir = path.resolve(o.demoDir);
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    console.log(`[demo] seeding the demo into ${dir} (once)`);
    fs.mkdirSync(dir, { recursive: true });
    const seeded = spawnSync("npx", ["tsx", "db/seed/cli.ts"], {
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: "", TURNAROUND_DATA_DIR: dir },
    });
    if (seeded.status !== 0) throw new Error("seeding the demo folder failed");
  }
  // PGlite allows one process per folder: read what we need, close, then start the server.
  const db = await pgliteQuery(dir);
  let f: Fixtures;
  try {
    f = await readFixtures(db.query);
  } finally {
    await db.close();
  }
  const ranges = rangesFor(f.anchor);
  console.log(
    `\n[demo] ${f.complaints.toLocaleString("en-US")} complaints in ${dir} (PGlite), data up to ${f.anchor}`,
  );
  const result: SizeResults = {
    label: "demo",
    engine: "PGlite",
    database: path.relative(process.cwd(), dir) || dir,
    complaints: f.complaints,
    note: f.complaints === DEMO_DEFAULT_COMPLAINTS ? "the demo as shipped" : "seeded folder",
    anchor: f.anchor,
    ranges: { "90d": ranges["90d"]! },
    dashboards: [],
    metrics: [],
    list: [],
    baseline: [],
    failures: [],
  };
  const server = await startServer({
    port: o.port,
    appDir: o.appDir,
    distDir: o.distDir,
    logFile: path.join(logDir, "server-demo.log"),
    dataDir: dir,
    startTimeoutMs: o.startTimeout * 1000,
  });
  result.serverStartSeconds = server.readySeconds;
  try {
    const jar = await cookies(f);
    await checkSignedIn(server, jar.manager, o.timeout * 1000);
    for (const [name, title, body] of [
      [
        "dashboards",
        "dashboards",
        async () => {
          result.dashboards = await measureDashboards(server, f, ranges, ["90d"], o);
        },
      ],
      [
        "queue",
        "agent queue under dashboard load",
        async () => {
          result.queue = await measureQueue(server, f, ranges["90d"]!, o);
        },
      ],
    ] as const) {
      if (!o.only.has(name)) continue;
      console.log(`[demo] ${title}`);
      try {
        await body();
      } catch (error) {
        result.failures.push(`${title}: ${(error as Error).message}`);
        console.error(`  failed: ${result.failures.at(-1)}`);
      }
    }
  } finally {
    await server.stop();
  }
  return result;
}

async function main() {
  const started = new Date();
  let o: Options;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (o.build) {
    // next build rewrites tsconfig.json for a non-default dist folder: put it back afterwards.
    const tsconfigFile = path.join(o.appDir, "tsconfig.json");
    const tsconfig = fs.readFileSync(tsconfigFile, "utf8");
    const built = spawnSync("npx", ["next", "build"], {
      cwd: o.appDir,
      stdio: "inherit",
      env: { ...process.env, NEXT_DIST_DIR: o.distDir, NEXT_TELEMETRY_DISABLED: "1" },
    });
    fs.writeFileSync(tsconfigFile, tsconfig);
    if (built.status !== 0) throw new Error("next build failed");
  }
  if (!builtDistDir(o.appDir, o.distDir)) {
    console.error(
      `no production build in ${o.distDir}: run \`npx next build\` first (or pass --build)`,
    );
    process.exit(1);
  }
  const stamp = started.toISOString().replace(/:/g, "-").slice(0, 19);
  const logDir = path.join(o.out, `${stamp}-logs`);
  fs.mkdirSync(logDir, { recursive: true });

  const sizes: SizeResults[] = [];
  const pgVersion = await postgresVersion(o.pgUrl);
  if (o.demo) {
    sizes.push(await benchDemo(o, logDir));
  } else if (o.database) {
    const url = withDatabase(o.pgUrl, o.database);
    if (o.rollups) runPostGenerateHook(url);
    sizes.push(await benchPostgres(o, o.database, url, o.database, "existing database", logDir));
  } else {
    for (const label of o.sizes) {
      const size = sizeOf(label);
      console.log(`\n[${label}] preparing turnaround_bench_${label.toLowerCase()}`);
      const db = await prepareDatabase(o.pgUrl, size, label, o.data, o.rollups);
      sizes.push(await benchPostgres(o, label, db.url, db.database, db.note, logDir));
    }
  }
  closeConnections();

  const results: Results = {
    date: started.toISOString().slice(0, 10),
    startedAt: started.toISOString(),
    seconds: (Date.now() - started.getTime()) / 1000,
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, ""),
    machine: machineInfo(o.demo ? "PGlite 0.5 (demo), " + pgVersion : pgVersion),
    options: { ...o, only: [...o.only] },
    sizes,
  };
  const jsonFile = path.join(o.out, `${stamp}.json`);
  fs.writeFileSync(jsonFile, JSON.stringify(results, null, 2));
  const markdown = toMarkdown(results);
  fs.writeFileSync(path.join(o.out, `${stamp}.md`), markdown);
  console.log(`\n${markdown}`);
  console.log(`results: ${jsonFile} (and .md); server logs: ${logDir}`);
  const errors = sizes
    .flatMap((s) => [...s.dashboards, ...s.metrics, ...s.list])
    .reduce((sum, c) => sum + c.errors, 0);
  if (errors) {
    console.error(`${errors} requests failed: see the errors columns and the server logs`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  if (process.argv.includes("--help")) console.log(USAGE);
  process.exit(1);
});
