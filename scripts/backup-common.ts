/**
 * What `npm run backup` (scripts/backup.ts) and `npm run restore` (scripts/restore.ts) share: the
 * command line, which database they act on, the figures they print, running pg_dump/pg_restore
 * and telling whether a PGlite data folder is in use (docs/backup.md).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";

/** Nothing was done, on purpose (exit code 3): the message says why and what to do. */
export class Refused extends Error {}

/**
 * The scripts' command line: `--name value` or `--name=value` for the names in `valued`, a bare
 * `--name` for those in `switches`, and (with `positional`) one argument not starting with `--`.
 * --help or -h prints the usage and exits 0; anything else throws an Error ending in the usage.
 */
export function parseCommandLine<V extends string, S extends string>(
  argv: string[],
  usage: string,
  spec: { valued: readonly V[]; switches: readonly S[]; positional?: boolean },
): { values: Partial<Record<V, string>>; switches: Set<S>; positional?: string } {
  const values: Partial<Record<V, string>> = {};
  const switches = new Set<S>();
  let positional: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // Split at the first "=" only: a URL's query (?sslmode=require) keeps its own.
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const [name, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n${usage}`);
      return v;
    };
    if (spec.valued.includes(name as V)) values[name as V] = value();
    else if (spec.switches.includes(name as S)) switches.add(name as S);
    else if (name === "--help" || name === "-h") {
      console.log(usage);
      process.exit(0);
    } else if (spec.positional && !name!.startsWith("--") && positional === undefined)
      positional = name;
    else throw new Error(`unknown argument ${name}\n${usage}`);
  }
  return { values, switches, positional };
}

/** The PostgreSQL database the app would use (DATABASE_URL), or undefined: the embedded one. */
export const databaseUrlFromEnv = (): string | undefined => process.env.DATABASE_URL || undefined;

/** The embedded database's folder, as the app finds it: --data-dir, TURNAROUND_DATA_DIR or .data. */
export const dataFolder = (dataDir: string | undefined): string =>
  path.resolve(dataDir ?? process.env.TURNAROUND_DATA_DIR ?? ".data");

/** The time now (UTC) as 20250601-093000, for file and folder names. */
export const stamp = () =>
  new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");

/** Seconds since `started` (Date.now()), as "1.2 s". */
export const elapsed = (started: number) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** Runs SQL text, returning its rows: a postgres.js client or a PGlite instance. */
export type Query = (text: string) => Promise<Record<string, unknown>[]>;

/** Figures to print: organisations, complaints, audit events (null: no Turnaround tables). */
const COUNTS_SQL = `select
  (select count(*) from organisations)::int as organisations,
  (select count(*) from complaints)::int as complaints,
  (select count(*) from audit_events)::int as audit_events`;

export type Counts = Record<string, number> | null;

/** The figures of a database, or null when it holds no Turnaround tables. */
export async function turnaroundCounts(q: Query): Promise<Counts> {
  const [has] = await q("select to_regclass('public.complaints') is not null as ok");
  return has?.ok ? ((await q(COUNTS_SQL))[0] as Record<string, number>) : null;
}

/** The figures of an open PGlite database (turnaroundCounts). */
export const pgliteCounts = (pg: PGlite): Promise<Counts> =>
  turnaroundCounts(async (text) => (await pg.query<Record<string, unknown>>(text)).rows);

export function describeCounts(c: Counts): string {
  if (!c) return "no Turnaround tables";
  return `${c.organisations} organisation(s), ${c.complaints!.toLocaleString("en")} complaints, ${c.audit_events!.toLocaleString("en")} audit events`;
}

/** Runs `fn` with one connection to `url`, closed afterwards. */
export async function withPostgres<T>(url: string, fn: (q: Query) => Promise<T>): Promise<T> {
  const { default: postgres } = await import("postgres");
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn((text) => client.unsafe(text) as Promise<Record<string, unknown>[]>);
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** A postgres URL without its password, and the password for PGPASSWORD (kept off `ps`). */
export function libpqTarget(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const env = { ...process.env };
  if (parsed.password) {
    env.PGPASSWORD = decodeURIComponent(parsed.password);
    parsed.password = "";
  }
  return { url: parsed.toString(), env };
}

/** Runs a PostgreSQL client tool (pg_dump, pg_restore), its output shown; rejects unless exit 0. */
export function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
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

/**
 * Processes other than this one with a file of `dir` open (Linux: /proc/<pid>/fd), each with its
 * command line (shortened; "" when unreadable), or null where that cannot be known. PGlite keeps
 * its relation files open while it runs.
 */
export function folderHolders(dir: string): { pid: number; command: string }[] | null {
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

/** Runs a script's main(), exiting with the code it returns (1 when it throws). */
export function exitWith(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
