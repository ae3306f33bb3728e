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
import fs from "node:fs";
import path from "node:path";
import {
  dataFolder,
  databaseUrlFromEnv,
  describeCounts,
  elapsed,
  exitWith,
  folderHolders,
  libpqTarget,
  parseCommandLine,
  pgliteCounts,
  Refused,
  runTool,
  stamp,
  turnaroundCounts,
  withPostgres,
  type Counts,
} from "./backup-common";

const USAGE =
  "usage: npm run restore -- <backup file> [--to <postgres url>] [--data-dir <folder>] [--force]";

interface Args {
  file: string;
  to?: string;
  dataDir?: string;
  force: boolean;
}

function parseArgs(argv: string[]): Args {
  const { values, switches, positional } = parseCommandLine(argv, USAGE, {
    valued: ["--to", "--data-dir"],
    switches: ["--force"],
    positional: true,
  });
  if (!positional) throw new Error(USAGE);
  return {
    file: positional,
    to: values["--to"],
    dataDir: values["--data-dir"],
    force: switches.has("--force"),
  };
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

async function restorePostgres(file: string, url: string, force: boolean): Promise<void> {
  const started = Date.now();
  const database = new URL(url).pathname.slice(1);
  const existing = await withPostgres(url, async (q) => {
    const [t] = await q(`select count(*)::int as n from pg_class c
      join pg_namespace s on s.oid = c.relnamespace
      where c.relkind in ('r', 'p') and s.nspname not in ('pg_catalog', 'information_schema')
        and s.nspname not like 'pg_toast%'`);
    return { tables: Number(t!.n), counts: await turnaroundCounts(q) };
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
  const counts = await withPostgres(url, turnaroundCounts);
  const replaced =
    existing.tables > 0
      ? ` It replaced ${existing.tables} tables (${describeCounts(existing.counts)}).`
      : "";
  console.log(
    `Restored ${file} into PostgreSQL database "${database}" with pg_restore --clean --if-exists --no-owner --single-transaction: ${describeCounts(counts)} in ${elapsed(started)}.${replaced} Start the server with DATABASE_URL pointing at it; it migrates a backup from an older version.`,
  );
}

// ---------------------------------------------------------------- embedded

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
        `The data folder ${dir} is in use by process ${holders.map((h) => h.pid).join(", ")}: stop the Turnaround server first.`,
      );
    movedTo = `${dir}.before-restore-${stamp()}`;
    fs.renameSync(dir, movedTo);
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { PGlite } = await import("@electric-sql/pglite");
  let counts: Counts;
  try {
    const pg = await PGlite.create(dir, { loadDataDir: new Blob([fs.readFileSync(file)]) });
    try {
      counts = await pgliteCounts(pg);
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
    `Restored ${file} into the data folder ${dir}: ${describeCounts(counts)} in ${elapsed(started)}.${fs.existsSync(secret) ? " Its auth-secret came with it: sessions signed before the backup stay valid unless AUTH_SECRET is set." : ""}${movedTo ? ` The folder that was there is now ${movedTo}.` : ""}`,
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
      const url = args.to ?? databaseUrlFromEnv();
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
      const dir = dataFolder(args.dataDir);
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

exitWith(main);
