/**
 * Backs up the database (docs/backup.md):
 *   npm run backup -- [--out <file>] [--data-dir <folder>] [--force]
 * With DATABASE_URL: `pg_dump -Fc` of that database (restore with `npm run restore`, which runs
 * pg_restore). Without: the embedded PGlite data folder (TURNAROUND_DATA_DIR or .data) as a
 * gzipped tarball made by PGlite's own dumpDataDir() — the folder's `auth-secret` included. PGlite
 * allows one process per folder, so the embedded backup refuses while another process (the
 * server, an import) has the folder open.
 * Exit codes: 0 written, 1 failed, 2 bad usage, 3 refused (nothing written).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const USAGE = "usage: npm run backup -- [--out <file>] [--data-dir <folder>] [--force]";

interface Args {
  out?: string;
  dataDir?: string;
  force: boolean;
}

class Refused extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Args = { force: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] =
      arg.startsWith("--") && arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    if (name === "--out") args.out = value();
    else if (name === "--data-dir") args.dataDir = value();
    else if (name === "--force") args.force = true;
    else if (name === "--help" || name === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${name}\n${USAGE}`);
  }
  return args;
}

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Processes other than this one with a file of `dir` open (Linux: /proc/<pid>/fd), or null
 * where that cannot be known. PGlite keeps its relation files open while it runs.
 */
function folderHolders(dir: string): { pid: number; command: string }[] | null {
  if (!fs.existsSync("/proc/self/fd")) return null;
  const prefix = `${fs.realpathSync(dir)}${path.sep}`;
  const found: { pid: number; command: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    const holds = fds.some((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(prefix);
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = "";
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      // gone meanwhile
    }
    found.push({ pid, command: command.slice(0, 120) });
  }
  return found;
}

/**
 * Refuses (Refused) when the folder is in use. PGlite writes postmaster.pid while open and
 * removes it on close; one left by a killed process is harmless (PGlite recovers), so it only
 * matters when a process still holds the folder, or when we cannot tell (no /proc: --force).
 */
function assertFolderFree(dir: string, force: boolean, log: (s: string) => void): void {
  const holders = folderHolders(dir);
  if (holders && holders.length > 0) {
    const who = holders.map((h) => `process ${h.pid} (${h.command || "?"})`).join(", ");
    throw new Refused(
      `The data folder ${dir} is in use by ${who}. PGlite allows one process per folder: stop the Turnaround server (and any import or script using it), then run this again.`,
    );
  }
  if (!fs.existsSync(path.join(dir, "postmaster.pid"))) return;
  if (holders) {
    log(
      `Note: ${dir}/postmaster.pid was left by a server that did not stop cleanly; no process has the folder open.`,
    );
  } else if (!force) {
    throw new Refused(
      `The data folder ${dir} has a postmaster.pid: the Turnaround server may be running. Stop it; if it is stopped (the file is left from an unclean stop), run this again with --force.`,
    );
  }
}

/** Figures to print: organisations, complaints, audit events (null: no Turnaround tables). */
const COUNTS_SQL = `select
  (select count(*) from organisations)::int as organisations,
  (select count(*) from complaints)::int as complaints,
  (select count(*) from audit_events)::int as audit_events`;

function describeCounts(c: Record<string, number> | null): string {
  if (!c) return "no Turnaround tables";
  return `${c.organisations} organisation(s), ${c.complaints!.toLocaleString("en")} complaints, ${c.audit_events!.toLocaleString("en")} audit events`;
}

/** A postgres URL without its password, and the password for PGPASSWORD (kept off `ps`). */
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

async function postgresCounts(url: string): Promise<Record<string, number> | null> {
  const { default: postgres } = await import("postgres");
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [has] = await client`select to_regclass('public.complaints') is not null as ok`;
    if (!has?.ok) return null;
    const [row] = await client.unsafe(COUNTS_SQL);
    return row as Record<string, number>;
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function backupPostgres(url: string, out: string): Promise<void> {
  const started = Date.now();
  const counts = await postgresCounts(url);
  const target = libpqTarget(url);
  const partial = `${out}.partial`;
  try {
    await runTool("pg_dump", ["-Fc", "--file", partial, "--dbname", target.url], target.env);
    fs.renameSync(partial, out);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  const database = new URL(url).pathname.slice(1);
  console.log(
    `Backed up PostgreSQL database "${database}" (${describeCounts(counts)}) with pg_dump -Fc to ${out} (${size(fs.statSync(out).size)}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}

async function backupFolder(dir: string, out: string, force: boolean): Promise<void> {
  const started = Date.now();
  if (!fs.existsSync(path.join(dir, "PG_VERSION")))
    throw new Refused(`No embedded database in ${dir} (no PG_VERSION): nothing to back up.`);
  assertFolderFree(dir, force, (s) => console.error(s));
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = await PGlite.create(dir);
  let counts: Record<string, number> | null = null;
  let blob: Blob;
  try {
    const has = await pg.query<{ ok: boolean }>(
      "select to_regclass('public.complaints') is not null as ok",
    );
    if (has.rows[0]?.ok) counts = (await pg.query<Record<string, number>>(COUNTS_SQL)).rows[0]!;
    // Everything on disk first: the tarball is the folder's files as they are now.
    await pg.exec("checkpoint");
    blob = await pg.dumpDataDir("gzip");
  } finally {
    await pg.close();
  }
  const partial = `${out}.partial`;
  try {
    fs.writeFileSync(partial, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
    fs.renameSync(partial, out);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  const secret = fs.existsSync(path.join(dir, "auth-secret"))
    ? " Its auth-secret is in it: keep the file as private as the database."
    : "";
  console.log(
    `Backed up the embedded database in ${dir} (${describeCounts(counts)}) to ${out} (${size(fs.statSync(out).size)}) in ${((Date.now() - started) / 1000).toFixed(1)} s.${secret}`,
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
  const url = process.env.DATABASE_URL || undefined;
  try {
    if (url) {
      if (args.dataDir) {
        console.error(`--data-dir is for the embedded database; DATABASE_URL is set.\n${USAGE}`);
        return 2;
      }
      await backupPostgres(url, path.resolve(args.out ?? `turnaround-${stamp()}.dump`));
    } else {
      const dir = path.resolve(args.dataDir ?? process.env.TURNAROUND_DATA_DIR ?? ".data");
      await backupFolder(dir, path.resolve(args.out ?? `turnaround-${stamp()}.tar.gz`), args.force);
    }
    return 0;
  } catch (error) {
    console.error(`Backup not made: ${(error as Error).message}`);
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
