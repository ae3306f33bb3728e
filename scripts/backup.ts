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

const USAGE = "usage: npm run backup -- [--out <file>] [--data-dir <folder>] [--force]";

interface Args {
  out?: string;
  dataDir?: string;
  force: boolean;
}

function parseArgs(argv: string[]): Args {
  const { values, switches } = parseCommandLine(argv, USAGE, {
    valued: ["--out", "--data-dir"],
    switches: ["--force"],
  });
  return { out: values["--out"], dataDir: values["--data-dir"], force: switches.has("--force") };
}

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

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

async function backupPostgres(url: string, out: string): Promise<void> {
  const started = Date.now();
  const counts = await withPostgres(url, turnaroundCounts);
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
    `Backed up PostgreSQL database "${database}" (${describeCounts(counts)}) with pg_dump -Fc to ${out} (${size(fs.statSync(out).size)}) in ${elapsed(started)}.`,
  );
}

async function backupFolder(dir: string, out: string, force: boolean): Promise<void> {
  const started = Date.now();
  if (!fs.existsSync(path.join(dir, "PG_VERSION")))
    throw new Refused(`No embedded database in ${dir} (no PG_VERSION): nothing to back up.`);
  assertFolderFree(dir, force, (s) => console.error(s));
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = await PGlite.create(dir);
  let counts: Counts;
  let blob: Blob;
  try {
    counts = await pgliteCounts(pg);
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
    `Backed up the embedded database in ${dir} (${describeCounts(counts)}) to ${out} (${size(fs.statSync(out).size)}) in ${elapsed(started)}.${secret}`,
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
  const url = databaseUrlFromEnv();
  try {
    if (url) {
      if (args.dataDir) {
        console.error(`--data-dir is for the embedded database; DATABASE_URL is set.\n${USAGE}`);
        return 2;
      }
      await backupPostgres(url, path.resolve(args.out ?? `turnaround-${stamp()}.dump`));
    } else {
      const dir = dataFolder(args.dataDir);
      await backupFolder(dir, path.resolve(args.out ?? `turnaround-${stamp()}.tar.gz`), args.force);
    }
    return 0;
  } catch (error) {
    console.error(`Backup not made: ${(error as Error).message}`);
    return error instanceof Refused ? 3 : 1;
  }
}

exitWith(main);
