/**
 * Benchmark data, generated inside PostgreSQL:
 *
 *   npx tsx bench/generate.ts --complaints 1000000 --url postgres://postgres@127.0.0.1:5432/<db>
 *     [--anchor YYYY-MM-DD] [--create] [--lean] [--chunk 100000] [--jobs 2] [--vacuum]
 *
 * The demo organisation's reference data (org, staff and sign-ins with the demo password, teams,
 * products, taxonomy, playbook, SLA policy, holidays, corrective actions) is written by the demo's
 * own insertReferenceData, so ids and sign-ins are the demo's. The bulk tables are then generated
 * set-based: per chunk of complaints one `create temp table f as select …` computes every
 * complaint's facts with the demo's distributions (bench/generate/facts.ts), and one
 * `insert … select` per table writes its rows (bench/generate/inserts.ts). Randomness is a hash of
 * (row key, draw site), so a run is deterministic for a given size and anchor.
 *
 * For speed: keys, foreign keys and secondary indexes of the bulk tables are dropped first and
 * rebuilt from their catalog definitions at the end (re-adding each foreign key validates every
 * row); synchronous_commit is off; each chunk commits. `--lean` (implied from 5M complaints)
 * keeps less activity per customer, fewer customers without complaints, creation events only for
 * the last 90 days and no progress updates, so 10M complaints fit on the disk. `--jobs` sessions
 * (default 2, one per core) load chunks side by side; a failed run leaves the bulk tables without
 * their keys: run it again with --create.
 *
 * Where it differs from the demo seeder: complaints span 24 months (the demo's 18; holidays are
 * added for the extra months); customer numbers (external refs CUST-…) leave a gap between
 * chunks; follow-ups exist only for complaints resolved by the anchor; an advocacy "repeat
 * purchase" adds a purchase; repeat complaints take the previous complaint's drawn cause (not a
 * chain). Rollup tables (complaint_facts, …) are left empty for their own rebuild.
 * GENERATE_DUMP_SQL=<file> writes the session functions and the first chunk's SQL for profiling.
 */
import postgres from "postgres";
import { sql as dsql } from "drizzle-orm";
import { hashPassword } from "../lib/auth/password";
import { openDatabase, queryRows, type Db } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { DAY, usFederalHolidays, isoDate, todayUtc } from "../db/seed/calendar";
import { DEMO_ORG_ID, DEMO_PASSWORD, DEMO_SEED, DEMO_USERS } from "../db/seed/constants";
import { insertReferenceData } from "../db/seed/reference-data";
import { BULK_TABLES, dropSchema, restoreSchema, saveSchema } from "./generate/constraints";
import { factsSql, fillChunk } from "./generate/facts";
import { complaintInserts, customerSql, LEAN, NORMAL } from "./generate/inserts";
import { buildParams, SPAN_MONTHS } from "./generate/params";
import { functionsSql } from "./generate/sql-kit";

const USAGE =
  "usage: tsx bench/generate.ts --complaints N --url postgres://…/<db> [--anchor YYYY-MM-DD] [--create] [--lean] [--chunk N] [--jobs N] [--vacuum]";

interface Args {
  complaints: number;
  url: string;
  anchor: Date;
  create: boolean;
  lean: boolean;
  chunk: number;
  jobs: number;
  vacuum: boolean;
}

function parseArgs(argv: string[]): Args {
  let complaints: number | undefined;
  let url: string | undefined;
  let anchor = todayUtc();
  let create = false;
  let lean = false;
  let chunk: number | undefined;
  let jobs = 2;
  let vacuum = false;
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i]!.includes("=") ? argv[i]!.split("=", 2) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    const count = () => {
      const n = Number(value().replace(/_/g, ""));
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1`);
      return n;
    };
    if (name === "--complaints") complaints = count();
    else if (name === "--chunk") chunk = count();
    else if (name === "--jobs") jobs = count();
    else if (name === "--url") url = value();
    else if (name === "--create") create = true;
    else if (name === "--lean") lean = true;
    else if (name === "--vacuum") vacuum = true;
    else if (name === "--anchor") {
      const v = value();
      anchor = new Date(`${v}T00:00:00Z`);
      if (Number.isNaN(anchor.getTime()) || anchor.toISOString().slice(0, 10) !== v)
        throw new Error(`--anchor must be a date like 2026-06-30\n${USAGE}`);
    } else if (name === "--help" || name === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (complaints === undefined || url === undefined) throw new Error(USAGE);
  // Chunks of up to 100k complaints, at least ~8 of them so both jobs stay busy (from 20k up).
  chunk ??= Math.min(100_000, Math.max(20_000, Math.ceil(complaints / 8)));
  return {
    complaints,
    url,
    anchor,
    create,
    lean: lean || complaints >= 5_000_000,
    chunk,
    jobs,
    vacuum,
  };
}

const seconds = (from: number) => ((Date.now() - from) / 1000).toFixed(1);

/**
 * CPU seconds used so far by the given server processes (when the server runs on this machine):
 * on a shared box, a steadier measure of the work than wall time.
 */
async function serverCpuSeconds(pids: number[]): Promise<number | null> {
  const { readFileSync } = await import("node:fs");
  try {
    let ticks = 0;
    for (const pid of pids) {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    }
    return ticks / 100;
  } catch {
    return null;
  }
}
const fmt = (n: number) => n.toLocaleString("en-US");

async function createDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unusual database name "${name}"`);
  target.pathname = "/postgres";
  const admin = postgres(target.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

/** The demo's reference data, plus US holidays for the months before the demo's 18. */
async function referenceData(db: Db, anchorMs: number, counts: Record<string, number>) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    const w = await insertReferenceData(
      tx as unknown as Db,
      DEMO_SEED,
      anchorMs,
      passwordHash,
      counts,
    );
    const a = new Date(anchorMs);
    const start = Date.UTC(a.getUTCFullYear(), a.getUTCMonth() - SPAN_MONTHS, a.getUTCDate());
    const extra: { day: number; name: string }[] = [];
    for (let y = new Date(start).getUTCFullYear() - 1; y <= a.getUTCFullYear(); y++)
      for (const h of usFederalHolidays(y))
        if (h.day >= Math.floor(start / DAY) - 60 && h.day < Math.floor(w.start / DAY))
          extra.push(h);
    for (const h of extra)
      await tx.execute(dsql`insert into holidays (org_id, policy_id, day, name)
        select org_id, id, ${isoDate(h.day)}::date, ${h.name} from sla_policies where org_id = ${DEMO_ORG_ID}
        on conflict do nothing`);
    counts.holidays = (counts.holidays ?? 0) + extra.length;
    return w;
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const log = (msg: string) => console.log(msg);
  const shape = args.lean ? LEAN : NORMAL;
  log(
    `Generating ${fmt(args.complaints)} complaints${args.lean ? " (lean)" : ""}, anchor ${args.anchor.toISOString().slice(0, 10)}, into ${new URL(args.url).pathname.slice(1)}`,
  );
  if (args.create) {
    await createDatabase(args.url);
    log("  database dropped and created");
  }
  const handle = await openDatabase({ url: args.url });
  const counts: Record<string, number> = {};
  let world;
  try {
    await migrateDatabase(handle);
    const present = await queryRows(
      handle.db,
      dsql`select 1 from organisations where id = ${DEMO_ORG_ID}`,
    );
    if (present.length > 0)
      throw new Error("the demo organisation is already there: use --create for a fresh database");
    world = await referenceData(handle.db, args.anchor.getTime(), counts);
  } finally {
    await handle.close();
  }
  log(`  migrated; reference data written (${seconds(started)} s)`);

  // One session per job: each has its own temp tables and pg_temp functions.
  const sessions = Array.from({ length: args.jobs }, () =>
    postgres(args.url, { max: 1, onnotice: () => {}, idle_timeout: 0 }),
  );
  const sql = sessions[0]!;
  try {
    const holidays = await sql<{ day: string }[]>`select day::text as day from holidays`;
    const p = buildParams(
      world,
      new Set(holidays.map((h) => Math.floor(Date.parse(`${h.day}T00:00:00Z`) / DAY))),
    );
    for (const session of sessions) {
      // temp_buffers must be set before the session's first temp table.
      await session.unsafe(`set synchronous_commit = off; set temp_buffers = '512MB';
        set work_mem = '256MB'; set maintenance_work_mem = '1GB'; set jit = off;
        set max_parallel_maintenance_workers = ${args.jobs > 1 ? 0 : 2}`);
      for (const f of functionsSql(p)) await session.unsafe(f);
    }

    const pids: number[] = [];
    for (const session of sessions)
      pids.push(Number((await session`select pg_backend_pid() as pid`)[0]!.pid));
    const cpuAtStart = await serverCpuSeconds(pids);

    const saved = await saveSchema(sql);
    await dropSchema(sql, saved);
    log(
      `  dropped ${saved.keys.length} keys, ${saved.foreignKeys.length} foreign keys and ${saved.indexes.length} indexes of the bulk tables (rebuilt at the end)`,
    );

    const inserts = complaintInserts(p, shape);
    const customers = customerSql(p, shape);
    const readers = [...inserts, ...customers.inserts].map((i) => i.sql).join(" ") + customers.cf;
    const facts = factsSql(p, new Set(readers.match(/[a-z_][a-z0-9_]*/g)));
    // Chunk i numbers its customers from i × stride: fixed ranges, so chunks are independent
    // (any order, any number of jobs, same rows) and customer numbers have gaps between chunks.
    const candidates = (target: number) => Math.ceil(target / 1.45) + 200;
    const stride = 2 * args.chunk + 100;
    if (process.env.GENERATE_DUMP_SQL) {
      // For profiling: the session functions and the first chunk's statements, as psql input.
      const first = fillChunk(facts, {
        customerBase: 0,
        candidates: candidates(args.chunk),
        target: args.chunk,
      });
      const all = [...functionsSql(p), first, ...inserts.map((i) => i.sql), customers.cf];
      const { writeFileSync } = await import("node:fs");
      writeFileSync(process.env.GENERATE_DUMP_SQL, all.map((s) => `${s};\n`).join("\n"));
    }

    const loadStarted = Date.now();
    const statementMs: Record<string, number> = {};
    const queue: { index: number; target: number }[] = [];
    for (let i = 0; i * args.chunk < args.complaints; i++)
      queue.push({ index: i, target: Math.min(args.chunk, args.complaints - i * args.chunk) });
    let nextIndex = queue.length;
    let done = 0;
    let customerCount = 0;
    const runChunk = async (session: postgres.Sql, index: number, target: number) =>
      session.begin(async (tx) => {
        let t = Date.now();
        const timed = (name: string) => {
          statementMs[name] = (statementMs[name] ?? 0) + Date.now() - t;
          t = Date.now();
        };
        const customerBase = index * stride;
        await tx.unsafe(fillChunk(facts, { customerBase, candidates: candidates(target), target }));
        timed("facts");
        const [made] = await tx.unsafe<{ n: string; gmax: string }[]>(
          "select count(*) as n, coalesce(max(g), 0) as gmax from f",
        );
        const n = Number(made!.n);
        const gmax = Math.max(Number(made!.gmax), customerBase);
        const quiet = Math.round(n * shape.quietPerComplaint);
        const rows: Record<string, number> = {};
        for (const ins of inserts) {
          rows[ins.table] = (await tx.unsafe(ins.sql)).count;
          timed(ins.table);
        }
        await tx.unsafe(
          customers.cf.replaceAll("$GMAX", String(gmax)).replaceAll("$QUIET", String(quiet)),
        );
        timed("customer facts");
        for (const ins of customers.inserts) {
          rows[ins.table] = (await tx.unsafe(ins.sql)).count;
          timed(ins.table);
        }
        await tx.unsafe("drop table f; drop table cf");
        return { n, rows, customers: gmax - customerBase + quiet };
      });
    await Promise.all(
      sessions.map(async (session) => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const result = await runChunk(session, job.index, job.target);
          for (const [table, n] of Object.entries(result.rows))
            counts[table] = (counts[table] ?? 0) + n;
          done += result.n;
          customerCount += result.customers;
          // Too few candidate customers (never seen): the rest goes to an extra chunk.
          if (result.n < job.target)
            queue.push({ index: nextIndex++, target: job.target - result.n });
          const elapsed = (Date.now() - loadStarted) / 1000;
          log(
            `  ${fmt(done)} / ${fmt(args.complaints)} complaints, ${fmt(customerCount)} customers (${elapsed.toFixed(1)} s, ${fmt(Math.round(done / elapsed))}/s)`,
          );
        }
      }),
    );
    const loadSeconds = seconds(loadStarted);
    log(
      `  load time by statement (all jobs): ${Object.entries(statementMs)
        .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
        .join(", ")}`,
    );

    log("Rebuilding keys, indexes and foreign keys …");
    const rebuildStarted = Date.now();
    await restoreSchema(sessions, saved, log);
    const rebuildSeconds = seconds(rebuildStarted);
    // Statistics for the planner; with --vacuum also the visibility map (index-only scans) and
    // hint bits, which autovacuum would otherwise set in the background after the load.
    const analyzeStarted = Date.now();
    const tables = [...BULK_TABLES].sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0));
    await Promise.all(
      sessions.map(async (session) => {
        for (let table = tables.shift(); table; table = tables.shift())
          await session.unsafe(`${args.vacuum ? "vacuum (analyze)" : "analyze"} ${table}`);
      }),
    );
    await sql.unsafe("analyze");
    const analyzeSeconds = seconds(analyzeStarted);

    const [size] = await sql<{ bytes: string; pretty: string }[]>`
      select pg_database_size(current_database())::text as bytes,
        pg_size_pretty(pg_database_size(current_database())) as pretty`;
    const [stats] = await sql<Record<string, string>[]>`
      select count(*) filter (where status in ('new', 'in_progress'))::text as open,
        min(received_at)::text as first, max(received_at)::text as last
      from complaints`;
    log("\nRows written:");
    const width = Math.max(...Object.keys(counts).map((k) => k.length));
    for (const [table, n] of Object.entries(counts))
      log(`  ${table.padEnd(width)}  ${fmt(n).padStart(12)}`);
    log(
      `\nComplaints received ${stats!.first} … ${stats!.last}; open (new or in progress): ${fmt(Number(stats!.open))}`,
    );
    log(
      `Load ${loadSeconds} s, keys/indexes/foreign keys ${rebuildSeconds} s, ${args.vacuum ? "vacuum analyze" : "analyze"} ${analyzeSeconds} s; total ${seconds(started)} s`,
    );
    const cpuAtEnd = await serverCpuSeconds(pids);
    if (cpuAtStart !== null && cpuAtEnd !== null)
      log(
        `PostgreSQL CPU time of the generator's sessions: ${(cpuAtEnd - cpuAtStart).toFixed(0)} s (machine load average now ${(await import("node:os")).loadavg()[0]!.toFixed(1)})`,
      );
    log(`Database size: ${size!.pretty} (${fmt(Number(size!.bytes))} bytes)`);
    log(
      `\nDemo sign-ins (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => u.email).join(", ")}`,
    );
  } finally {
    await Promise.all(sessions.map((session) => session.end({ timeout: 5 })));
  }
}

main().catch((error: unknown) => {
  console.error(`Generation failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && error.cause) console.error(error.cause);
  process.exitCode = 1;
});
