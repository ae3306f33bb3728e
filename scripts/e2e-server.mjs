// Starts the built app for one end-to-end engine on a fresh PGlite folder (or the given
// DATABASE_URL), so every run begins from a newly seeded demo organisation.
//
// Engine "setup" (TEST_DATABASE_URL only): a fresh database of its own beside the test database,
// without the demo, as a new installation starts on a server database; the server's log is
// also written to .test-data/e2e-setup/server.log, where the setup test reads the one-time code.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";

const [engine = "pglite", port = "3100"] = process.argv.slice(2);
const dataDir = path.resolve(".test-data", `e2e-${engine}`);
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });

const env = {
  ...process.env,
  TURNAROUND_DATA_DIR: dataDir,
  TURNAROUND_SEED_COMPLAINTS: process.env.TURNAROUND_SEED_COMPLAINTS ?? "20000",
  // `next start` is a production server, which refuses to start without it.
  AUTH_SECRET: process.env.AUTH_SECRET || "turnaround-e2e-secret-not-for-production-0000000000",
  PORT: port,
};

/** The setup server's own database: `<test database>_setup`, dropped and made again. */
async function freshSetupDatabase() {
  const base = new URL(process.env.TEST_DATABASE_URL ?? "");
  const name = `${base.pathname.slice(1)}_setup`.replace(/[^a-zA-Z0-9_]/g, "_");
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

if (engine === "setup") {
  if (!process.env.TEST_DATABASE_URL) throw new Error("the setup server needs TEST_DATABASE_URL");
  env.DATABASE_URL = await freshSetupDatabase();
  delete env.TURNAROUND_DEMO;
  delete env.TURNAROUND_SEED;
} else if (env.DATABASE_URL) {
  // The browser tests sign in as the demo's people: a server database seeds it only when asked.
  env.TURNAROUND_DEMO = "on";
}

const logFile = engine === "setup" ? fs.createWriteStream(path.join(dataDir, "server.log")) : null;
const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port], {
  stdio: logFile ? ["ignore", "pipe", "pipe"] : "inherit",
  env,
});
if (logFile) {
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    from.on("data", (chunk) => {
      to.write(chunk);
      logFile.write(chunk);
    });
  }
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
