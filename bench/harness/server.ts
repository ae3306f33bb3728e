/** `next start` for one benchmark database, in its own process group so it stops cleanly. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { timedRequest, waitForUrl } from "./http";

/** Fixed so minted session cookies stay valid across runs; the server is on loopback only. */
export const BENCH_AUTH_SECRET = "turnaround-bench-secret-not-for-production-0000000000";

export interface ServerOptions {
  port: number;
  /** The checkout to start (its node_modules, next.config and build). */
  appDir: string;
  distDir: string;
  logFile: string;
  /** PostgreSQL URL, or undefined for PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
  /** How long start-up may take: it migrates and, on new data, builds the rollups. */
  startTimeoutMs: number;
}

export interface RunningServer {
  baseUrl: string;
  /** From spawn to the first answer of /sign-in. */
  readySeconds: number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

// A harness stopped with Ctrl-C must not leave a server holding the port or a PGlite folder.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const child of running) killGroup(child, "SIGKILL");
    process.exit(130);
  });
}
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

export function builtDistDir(appDir: string, distDir: string): boolean {
  return fs.existsSync(path.join(appDir, distDir, "BUILD_ID"));
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  // Another server on the port would answer our readiness check and be measured instead.
  const before = await timedRequest(`${baseUrl}/sign-in`, { timeoutMs: 2000, keepBody: false });
  if (before.status > 0)
    throw new Error(`port ${options.port} is already in use: pick another with --port`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_DIST_DIR: options.distDir,
    NEXT_TELEMETRY_DISABLED: "1",
    AUTH_SECRET: BENCH_AUTH_SECRET,
    AUTH_URL: baseUrl,
    // The intake run sends thousands of requests a minute with one token.
    TURNAROUND_API_RATE_LIMIT: "100000000",
    // Never seed into a benchmark database: it is generated before the server starts.
    TURNAROUND_SEED: "off",
  };
  delete env.DATABASE_URL;
  delete env.TURNAROUND_DATA_DIR;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.dataDir) env.TURNAROUND_DATA_DIR = options.dataDir;

  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const spawned = Date.now();
  const log = fs.openSync(options.logFile, "a");
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(options.port), "-H", "127.0.0.1"],
    { cwd: options.appDir, env, stdio: ["ignore", log, log], detached: true },
  );
  fs.closeSync(log);
  running.add(child);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      running.delete(child);
      resolve();
    }),
  );
  const stop = async () => {
    if (exited) return;
    killGroup(child, "SIGTERM");
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5000);
    await exit;
    clearTimeout(timer);
  };
  try {
    await waitForUrl(`${baseUrl}/sign-in`, options.startTimeoutMs, () => !exited);
  } catch (error) {
    await stop();
    throw new Error(
      `${(error as Error).message}; see ${options.logFile}:\n${fs.readFileSync(options.logFile, "utf8").slice(-2000)}`,
    );
  }
  return { baseUrl, readySeconds: (Date.now() - spawned) / 1000, stop };
}
