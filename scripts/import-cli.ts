/**
 * Imports a CSV file from the command line:
 *   npm run import -- <file.csv> [--kind complaints|activities] [--preset cfpb|generic]
 *   npm run import -- <org.jsonl> --kind archive [--mode skip|stop] [--as <admin email>]
 *     [--mode skip|stop] [--as <user email>] [--mapping mapping.json] [--report rejected.csv]
 * Uses DATABASE_URL when set, else the embedded database (TURNAROUND_DATA_DIR or .data). Runs as
 * the given user (default: the first active admin) through exactly the code the /import page uses.
 * A CFPB file's issues, unless the mapping names `options.causes`, are filed as the wizard would
 * propose: under an existing cause of the same name, else a new one under the guessed category.
 * Exit codes: 0 done (rows may have been rejected), 1 the file could not be imported, 2 bad usage.
 */
// lib/ imports "server-only": a no-op here (see the shim). lib/ is loaded with import() below.
import "./server-only-shim";

const USAGE =
  "usage: npm run import -- <file.csv|org.jsonl> [--kind complaints|activities|archive] [--preset cfpb|generic] [--mode skip|stop] [--as <email>] [--mapping mapping.json] [--report rejected.csv]";

interface Args {
  file: string;
  kind: "complaints" | "activities" | "archive";
  preset?: "cfpb" | "generic";
  mode: "skip" | "stop";
  as?: string;
  mapping?: string;
  report?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = { kind: "complaints", mode: "skip" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] =
      arg.startsWith("--") && arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    const oneOf = <T extends string>(v: string, allowed: readonly T[]): T => {
      if (!(allowed as readonly string[]).includes(v))
        throw new Error(`${name} is one of ${allowed.join(", ")}\n${USAGE}`);
      return v as T;
    };
    if (name === "--kind")
      args.kind = oneOf(value(), ["complaints", "activities", "archive"] as const);
    else if (name === "--preset") args.preset = oneOf(value(), ["cfpb", "generic"] as const);
    else if (name === "--mode") args.mode = oneOf(value(), ["skip", "stop"] as const);
    else if (name === "--as") args.as = value();
    else if (name === "--mapping") args.mapping = value();
    else if (name === "--report") args.report = value();
    else if (name === "--help" || name === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (name?.startsWith("--")) throw new Error(`unknown option ${name}\n${USAGE}`);
    else if (!args.file) args.file = name;
    else throw new Error(`one file at a time\n${USAGE}`);
  }
  if (!args.file) throw new Error(USAGE);
  return args as Args;
}

const n = (v: number) => v.toLocaleString("en");

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const fs = await import("node:fs");
  if (!fs.existsSync(args.file)) {
    console.error(`No such file: ${args.file}`);
    return 2;
  }
  const { getDatabase } = await import("../db");
  const { findImporter, importFile, writeRejections } = await import("../lib/import/cli");
  const { importArchiveFile } = await import("../lib/archive/file");
  const { runAsActor } = await import("../lib/auth/actor-context");
  const handle = await getDatabase();
  try {
    const archive = args.kind === "archive";
    const actor = await findImporter(handle.db, args.as, archive ? "archive:import" : "import:run");
    if (!actor.ok) {
      console.error(actor.message);
      return 2;
    }
    const mapping = args.mapping ? JSON.parse(fs.readFileSync(args.mapping, "utf8")) : undefined;
    const tty = process.stderr.isTTY;
    let lastPrint = 0;
    const onProgress = (p: {
      rowsRead: number;
      rowsPerSecond: number;
      rowsRejected: number;
      bytesRead: number;
      totalBytes: number | null;
    }) => {
      const now = Date.now();
      if (!tty && now - lastPrint < 3_000) return;
      lastPrint = now;
      const pct = p.totalBytes ? ` ${Math.round((100 * p.bytesRead) / p.totalBytes)}%` : "";
      const line = `${n(p.rowsRead)} ${archive ? "lines" : "rows"}${pct}, ${n(p.rowsPerSecond)} ${archive ? "lines" : "rows"}/s, ${n(p.rowsRejected)} rejected`;
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
      else process.stderr.write(`${line}\n`);
    };
    const kind = args.kind;
    const result = await runAsActor(actor.actor, () =>
      kind === "archive"
        ? importArchiveFile({ file: args.file, mode: args.mode, onProgress })
        : importFile({
            file: args.file,
            kind,
            mode: args.mode,
            preset: args.preset,
            mapping,
            onProgress,
          }),
    );
    if (tty) process.stderr.write("\n");
    if (!result.ok) {
      console.error(
        result.formError ?? result.reason,
        result.fieldErrors ? JSON.stringify(result.fieldErrors) : "",
      );
      return 1;
    }
    const p = result.data;
    const imported = p.rowsCreated + p.rowsUpdated + p.rowsUnchanged;
    const first = await runAsActor(actor.actor, () =>
      writeRejections(handle.db, actor.actor.orgId, p.runId, args.report),
    );
    console.log(
      `${n(imported)} imported (${n(p.rowsCreated)} created, ${n(p.rowsUpdated)} updated, ${n(p.rowsUnchanged)} unchanged), ${n(p.rowsRejected)} rejected` +
        (first ? ` — line ${n(first.line)}: ${first.field}: ${first.reason}` : ""),
    );
    if (p.status !== "completed" && p.message) console.log(p.message);
    if (p.rowsRejected > 0 || p.status !== "completed") {
      console.log(
        args.report
          ? `Rejected rows written to ${args.report}.`
          : `Full report: --report rejected.csv, or the /import page (run ${p.runId}).`,
      );
    }
    return p.status === "failed" ? 1 : 0;
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
