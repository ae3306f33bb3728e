/**
 * Writes the organisation's archive (JSON Lines, docs/archive.md) to a file:
 *   npm run export:archive -- --out org.jsonl [--as <admin email>]
 * Uses DATABASE_URL when set, else the embedded database (TURNAROUND_DATA_DIR or .data). Runs as
 * the given admin (default: the first active admin). Exit codes: 0 written, 1 failed, 2 bad usage.
 */
// lib/ imports "server-only": a no-op here (see the shim). lib/ is loaded with import() below.
import "./server-only-shim";

const USAGE = "usage: npm run export:archive -- --out <file.jsonl> [--as <admin email>]";

function parseArgs(argv: string[]): { out: string; as?: string } {
  const args: { out?: string; as?: string } = {};
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
    else if (name === "--as") args.as = value();
    else if (name === "--help" || name === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${name}\n${USAGE}`);
  }
  if (!args.out) throw new Error(USAGE);
  return { out: args.out, as: args.as };
}

async function main(): Promise<number> {
  let args: { out: string; as?: string };
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const { getDatabase } = await import("../db");
  const { findImporter } = await import("../lib/import/cli");
  const { exportArchiveFile } = await import("../lib/archive/file");
  const { runAsActor } = await import("../lib/auth/actor-context");
  const handle = await getDatabase();
  try {
    const actor = await findImporter(handle.db, args.as, "archive:export");
    if (!actor.ok) {
      console.error(actor.message);
      return 2;
    }
    const started = Date.now();
    const result = await runAsActor(actor.actor, () => exportArchiveFile(args.out));
    if (!result.ok) {
      console.error(result.formError ?? result.reason);
      return 1;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `${result.data.lines.toLocaleString("en")} lines written to ${args.out} in ${seconds} s.`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
