import { getDatabase, type DatabaseHandle } from "@/db";
import { authSecretProblem } from "@/lib/auth/secret";
import { ensureRollups } from "@/lib/rollups/rebuild";
import { issueSetupCode } from "@/lib/setup/commands";
import { isSetupNeeded } from "@/lib/setup/queries";
import { DEMO_USERS, isDemoSeeded, seedDemo } from "@/db/seed/demo";

type Env = Record<string, string | undefined>;

/**
 * Whether the demo organisation (public passwords, in the README) may be seeded:
 * TURNAROUND_DEMO=on seeds it on any engine, =off never; unset, only into an empty embedded
 * database — never into a server database (DATABASE_URL) nobody asked to fill with it.
 * TURNAROUND_SEED=off, the older switch, still means off.
 */
export type DemoSetting = "on" | "off" | "default";

export function demoSetting(env: Env): DemoSetting | { problem: string } {
  const value = env.TURNAROUND_DEMO?.trim().toLowerCase() ?? "";
  if (value !== "" && value !== "on" && value !== "off")
    return { problem: `TURNAROUND_DEMO must be "on" or "off" (it is "${env.TURNAROUND_DEMO}").` };
  if (value === "on") return "on";
  if (value === "off" || env.TURNAROUND_SEED === "off") return "off";
  return "default";
}

/** What stops this server from starting, each a message for the log; empty when it may start. */
export function startupProblems(env: Env): string[] {
  const problems: string[] = [];
  const secret = authSecretProblem(env);
  if (secret) problems.push(secret);
  const demo = demoSetting(env);
  if (typeof demo === "object") problems.push(demo.problem);
  return problems;
}

/** Called before serving: a misconfigured production server stops here, saying why. */
export function refuseToStartIfMisconfigured(env: Env = process.env): void {
  const problems = startupProblems(env);
  if (problems.length === 0) return;
  for (const problem of problems)
    for (const line of problem.split("\n")) console.error(`[turnaround] ${line}`);
  console.error("[turnaround] not starting.");
  process.exit(1);
}

export interface PrepareOptions {
  /** Default: the process-wide database (getDatabase). */
  handle?: DatabaseHandle;
  env?: Env;
  log?: (message: string) => void;
}

export interface PrepareResult {
  /** "seeded" now, "present" from before, "absent": not in this database. */
  demo: "seeded" | "present" | "absent";
  /** The one-time code printed when no organisation exists yet. */
  setupCode?: string;
}

/**
 * Migrates; seeds the demo where allowed (see demoSetting); on a database without any
 * organisation, issues a one-time setup code and prints where to use it.
 */
export async function prepareDatabase(options: PrepareOptions = {}): Promise<PrepareResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((m: string) => console.log(`[turnaround] ${m}`));
  const handle = options.handle ?? (await getDatabase());
  const where =
    handle.engine === "pglite" ? `PGlite in ${env.TURNAROUND_DATA_DIR ?? ".data"}` : "PostgreSQL";
  log(`database ready (${where})`);

  const setting = demoSetting(env);
  if (typeof setting === "object") throw new Error(setting.problem);
  let demo: PrepareResult["demo"] = (await isDemoSeeded(handle.db)) ? "present" : "absent";
  const seed =
    demo === "absent" &&
    (setting === "on" ||
      (setting === "default" && handle.engine === "pglite" && (await isSetupNeeded(handle.db))));
  if (seed) {
    const complaints = Number(env.TURNAROUND_SEED_COMPLAINTS ?? 20000);
    log(`seeding the demo organisation (${complaints} complaints)…`);
    const result = await seedDemo(handle, { complaints, log });
    log(`demo data ready in ${(result.ms / 1000).toFixed(1)} s`);
    demo = "seeded";
  }
  await ensureRollups(handle.db, log);

  if (demo !== "absent" && setting !== "off" && (setting === "on" || handle.engine === "pglite")) {
    log("demo sign-ins:");
    for (const user of DEMO_USERS) log(`  ${user.role.padEnd(9)} ${user.email}  ${user.password}`);
  } else if (demo !== "absent") {
    // A database seeded by an older version, whose demo passwords anyone can read in the README.
    log(
      "warning: this database holds the demo organisation, whose passwords are public. " +
        "Deactivate its users, or set TURNAROUND_DEMO=on if it is meant to be a demo.",
    );
  }

  if (!(await isSetupNeeded(handle.db))) return { demo };
  const { code } = await issueSetupCode(handle.db);
  log(`no organisation yet: open ${publicUrl(env)}/setup and enter the code ${code}`);
  log("(the code works once, for 24 hours; restarting the server prints a new one)");
  return { demo, setupCode: code };
}

/** Where the operator reaches this server, for the setup line (AUTH_URL when set). */
function publicUrl(env: Env): string {
  const configured = env.AUTH_URL ?? env.NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // fall through to the local address
    }
  }
  return `http://localhost:${env.PORT ?? 3000}`;
}
