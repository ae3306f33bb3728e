/**
 * Seeds the demo organisation: `tsx db/seed/cli.ts [--complaints N] [--anchor YYYY-MM-DD]`.
 * Uses DATABASE_URL when set, else the embedded database (TURNAROUND_DATA_DIR or .data).
 * Run from the repository root (migrations are read from db/migrations).
 */
import { openDatabase, type DatabaseHandle } from "../client";
import { migrateDatabase } from "../migrate";
import { DEMO_DEFAULT_COMPLAINTS, DEMO_PASSWORD, DEMO_USERS, seedDemo } from "./demo";

const USAGE = "usage: tsx db/seed/cli.ts [--complaints N] [--anchor YYYY-MM-DD]";

interface Args {
  complaints: number;
  anchor?: Date;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { complaints: DEMO_DEFAULT_COMPLAINTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] =
      flag?.startsWith("--") && flag.includes("=") ? flag.split("=", 2) : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    if (name === "--complaints") {
      const n = Number(value().replace(/_/g, ""));
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`--complaints must be a whole number ≥ 0\n${USAGE}`);
      args.complaints = n;
    } else if (name === "--anchor") {
      const v = value();
      const anchor = new Date(`${v}T00:00:00Z`);
      if (Number.isNaN(anchor.getTime()) || anchor.toISOString().slice(0, 10) !== v) {
        throw new Error(`--anchor must be a date like 2025-06-30\n${USAGE}`);
      }
      args.anchor = anchor;
    } else if (name === "--help" || name === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const url = process.env.DATABASE_URL || undefined;
  let handle: DatabaseHandle | undefined;
  try {
    handle = await openDatabase({ url });
    console.log(`Database: ${handle.engine === "postgres" ? "PostgreSQL" : "PGlite"}`);
    await migrateDatabase(handle);
    const anchorText = args.anchor ? args.anchor.toISOString().slice(0, 10) : "today";
    console.log(
      `Seeding ${args.complaints.toLocaleString("en-US")} demo complaints (anchor ${anchorText}) …`,
    );
    const result = await seedDemo(handle, {
      complaints: args.complaints,
      anchor: args.anchor,
      log: (msg) => console.log(msg),
    });
    if (!result.seeded) {
      console.log("The demo organisation already exists; nothing was changed.");
    } else {
      console.log("\nRows written:");
      const width = Math.max(...Object.keys(result.counts).map((k) => k.length));
      for (const [table, n] of Object.entries(result.counts)) {
        console.log(`  ${table.padEnd(width)}  ${n.toLocaleString("en-US").padStart(10)}`);
      }
      console.log(`\nSeeded in ${(result.ms / 1000).toFixed(1)} s.`);
    }
    console.log(`\nDemo sign-ins (password "${DEMO_PASSWORD}"):`);
    for (const user of DEMO_USERS) console.log(`  ${user.role.padEnd(10)} ${user.email}`);
  } finally {
    await handle?.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && error.cause) console.error(error.cause);
  process.exitCode = 1;
});
