/**
 * Restores a backup made by `npm run backup` (docs/backup.md):
 *   npm run restore -- <file.dump> [--to <postgres url>] [--force]
 *   npm run restore -- <file.tar.gz> [--data-dir <folder>] [--force]
 * A PostgreSQL dump (pg_dump -Fc) goes into --to or DATABASE_URL with
 * `pg_restore --clean --if-exists --no-owner --single-transaction`; a database that already holds
 * tables is refused unless --force. An embedded tarball becomes a new data folder (--data-dir,
 * TURNAROUND_DATA_DIR or .data) through PGlite's loadDataDir; an existing non-empty folder is
 * refused unless --force, which moves it aside (never deletes it) once no process has it open.
 * Stop the server first. Exit codes: 0 restored, 1 failed, 2 bad usage, 3 refused (nothing changed).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const USAGE =
  "usage: npm run restore -- <backup file> [--to <postgres url>] [--data-dir <folder>] [--force]";

interface Args {
  file: string;
  to?: string;
  dataDir?: string;
  force: boolean;
}

class Refused extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> & { force: boolean } = { force: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] =
      arg.startsWith("--") && arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    if (name === "--to") args.to = value();
    else if (name === "--data-dir") args.dataDir = value();
    else if (name === "--force") args.force = true;
    else if (name === "--help" || name === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (!name!.startsWith("--") && args.file === undefined) args.file = name;
    else throw new Error(`unknown argument ${name}\n${USAGE}`);
  }
  if (!args.file) throw new Error(USAGE);
  return args as Args;
}

const COUNTS_SQL = `select
  (select count(*) from organisations)::int as organisations,
  (select count(*) from complaints)::int as complaints,
  (select count(*) from audit_events)::int as audit_events`;

function describeCounts(c: Record<string, number> | null): string {
  if (!c) return "no Turnaround tables";
  return `${c.organisations} organisation(s), ${c.complaints!.toLocaleString("en")} complaints, ${c.audit_events!.toLocaleString("en")} audit events`;
}

/** What kind of backup a file is, by its first bytes. */
function kindOf(file: string): "pg_dump" | "tarball" | null {
  const head = Buffer.alloc(5);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, 5, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString("latin1") === "PGDMP") return "pg_dump";
  if (head[0] === 0x1f && head[1] === 0x8b) return "tarball";
  return null;
}

// ---------------------------------------------------------------- PostgreSQL

function libpqTarget(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const env = { ...process.env };
  if (parsed.password) {
    env.PGPASSWORD = decodeURIComponent(parsed.password);
    parsed.password = "";
  }
  return { url: parsed.toString(), env };
}

function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", (error) =>
      reject(
        new Error(
          `${command} could not be started (${error.message}): install the PostgreSQL client tools, version ≥ the server's.`,
        ),
      ),
    );
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (exit code ${code}).`)),
    );
  });
}

async function withClient<T>(
  url: string,
  fn: (q: (text: string) => Promise<Record<string, unknown>[]>) => Promise<T>,
): Promise<T> {
  const { default: postgres } = await import("postgres");
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn((text) => client.unsafe(text) as Promise<Record<string, unknown>[]>);
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function restorePostgres(file: string, url: string, force: boolean): Promise<void> {
  const started = Date.now();
  const database = new URL(url).pathname.slice(1);
  const existing = await withClient(url, async (q) => {
    const [t] = await q(`select count(*)::int as n from pg_class c
      join pg_namespace s on s.oid = c.relnamespace
      where c.relkind in ('r', 'p') and s.nspname not in ('pg_catalog', 'information_schema')
        and s.nspname not like 'pg_toast%'`);
    const [has] = await q(`select to_regclass('public.complaints') is not null as ok`);
    return {
      tables: Number(t!.n),
      counts: has!.ok ? ((await q(COUNTS_SQL))[0] as Record<string, number>) : null,
    };
  });
  if (existing.tables > 0 && !force)
    throw new Refused(
      `Database "${database}" is not empty (${existing.tables} tables; ${describeCounts(existing.counts)}). Restore into a new database (createdb), or pass --force to replace what the backup holds (its tables are dropped and recreated; other tables stay).`,
    );
  const target = libpqTarget(url);
  await runTool(
    "pg_restore",
    ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", target.url, file],
    target.env,
  );
  const counts = await withClient(url, async (q) => {
    const [has] = await q(`select to_regclass('public.complaints') is not null as ok`);
    return has!.ok ? ((await q(COUNTS_SQL))[0] as Record<string, number>) : null;
  });
  const replaced =
    existing.tables > 0
      ? ` It replaced ${existing.tables} tables (${describeCounts(existing.counts)}).`
      : "";
  console.log(
    `Restored ${file} into PostgreSQL database "${database}" with pg_restore --clean --if-exists --no-owner --single-transaction: ${describeCounts(counts)} in ${((Date.now() - started) / 1000).toFixed(1)} s.${replaced} Start the server with DATABASE_URL pointing at it; it migrates a backup from an older version.`,
  );
}

// ---------------------------------------------------------------- embedded

/** Processes other than this one with a file of `dir` open (Linux /proc), or null when unknown. */
function folderHolders(dir: string): number[] | null {
  if (!fs.existsSync("/proc/self/fd")) return null;
  const prefix = `${fs.realpathSync(dir)}${path.sep}`;
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const fds = fs.readdirSync(`/proc/${pid}/fd`);
      if (fds.some((fd) => safeReadlink(`/proc/${pid}/fd/${fd}`).startsWith(prefix)))
        found.push(pid);
    } catch {
      // gone, or another user's
    }
  }
  return found;
}

function safeReadlink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return "";
  }
}

async function restoreFolder(file: string, dir: string, force: boolean): Promise<void> {
  const started = Date.now();
  let movedTo: string | null = null;
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!force)
      throw new Refused(
        `The data folder ${dir} is not empty. Restore into a new folder (--data-dir) and point TURNAROUND_DATA_DIR at it, or pass --force to move this one aside (it is kept, renamed).`,
      );
    const holders = folderHolders(dir);
    if (holders && holders.length > 0)
      throw new Refused(
        `The data folder ${dir} is in use by process ${holders.join(", ")}: stop the Turnaround server first.`,
      );
    movedTo = `${dir}.before-restore-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}`;
    fs.renameSync(dir, movedTo);
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { PGlite } = await import("@electric-sql/pglite");
  let counts: Record<string, number> | null = null;
  try {
    const pg = await PGlite.create(dir, { loadDataDir: new Blob([fs.readFileSync(file)]) });
    try {
      const has = await pg.query<{ ok: boolean }>(
        "select to_regclass('public.complaints') is not null as ok",
      );
      if (has.rows[0]?.ok) counts = (await pg.query<Record<string, number>>(COUNTS_SQL)).rows[0]!;
    } finally {
      await pg.close();
    }
  } catch (error) {
    // Leave things as they were: the half-made folder out, the old one back.
    fs.rmSync(dir, { recursive: true, force: true });
    if (movedTo) fs.renameSync(movedTo, dir);
    throw error;
  }
  // The tarball's files come out world-readable: the session secret must not be.
  fs.chmodSync(dir, 0o700);
  const secret = path.join(dir, "auth-secret");
  if (fs.existsSync(secret)) fs.chmodSync(secret, 0o600);
  console.log(
    `Restored ${file} into the data folder ${dir}: ${describeCounts(counts)} in ${((Date.now() - started) / 1000).toFixed(1)} s.${fs.existsSync(secret) ? " Its auth-secret came with it: sessions signed before the backup stay valid unless AUTH_SECRET is set." : ""}${movedTo ? ` The folder that was there is now ${movedTo}.` : ""}`,
  );
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const file = path.resolve(args.file);
  if (!fs.existsSync(file)) {
    console.error(`No such file: ${file}\n${USAGE}`);
    return 2;
  }
  const kind = kindOf(file);
  try {
    if (kind === "pg_dump") {
      const url = args.to ?? (process.env.DATABASE_URL || undefined);
      if (!url || args.dataDir) {
        console.error(
          `${args.file} is a PostgreSQL dump: it restores into a PostgreSQL database (--to <url> or DATABASE_URL), not a data folder.\n${USAGE}`,
        );
        return 2;
      }
      await restorePostgres(file, url, args.force);
    } else if (kind === "tarball") {
      if (args.to) {
        console.error(
          `${args.file} is an embedded-database backup: it restores into a data folder (--data-dir). To move to PostgreSQL, use the organisation archive (docs/archive.md).\n${USAGE}`,
        );
        return 2;
      }
      const dir = path.resolve(args.dataDir ?? process.env.TURNAROUND_DATA_DIR ?? ".data");
      await restoreFolder(file, dir, args.force);
    } else {
      console.error(
        `${args.file} is neither a pg_dump custom-format file nor an embedded backup (.tar.gz).`,
      );
      return 2;
    }
    return 0;
  } catch (error) {
    console.error(`Not restored: ${(error as Error).message}`);
    return error instanceof Refused ? 3 : 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
