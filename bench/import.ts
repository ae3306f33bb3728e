// Import benchmark: `npm run bench:import -- [--rows 1000000] [--runs 1]`.
// Generates a complaint CSV on disk (streamed), imports it into a fresh PostgreSQL database
// (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) through the CLI's
// code path, and reports wall time, rows/s and this process's peak RSS.
// lib/ imports "server-only": a no-op here (see the shim). lib/ is loaded with import() below.
import "../scripts/server-only-shim";

const fs = await import("node:fs");
const os = await import("node:os");
const path = await import("node:path");
const { default: postgres } = await import("postgres");
const { openDatabase } = await import("../db/client");
const { migrateDatabase } = await import("../db/migrate");
const { useDatabase: installDatabase } = await import("../db");
const { createOrganisationDefaults } = await import("../db/defaults");
const schema = await import("../db/schema");
const { runAsActor } = await import("../lib/auth/actor-context");
const { importFile } = await import("../lib/import/file");
const { generateComplaintCsv } = await import("./import-generate");

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const rows = flag("rows", 1_000_000);
const runs = flag("runs", 1);
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const file = path.join(os.tmpdir(), `turnaround-import-${rows}-dated.csv`);

if (!fs.existsSync(file)) {
  const t = Date.now();
  await generateComplaintCsv(file + ".part", rows);
  fs.renameSync(file + ".part", file);
  console.log(
    `generated ${file} (${(fs.statSync(file).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );
}

async function once(run: number) {
  const name = `bench_import_${process.pid}_${run}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  try {
    await migrateDatabase(handle);
    installDatabase(handle);
    const [org] = await handle.db
      .insert(schema.organisations)
      .values({ name: "Bench" })
      .returning();
    await createOrganisationDefaults(handle.db, org!.id);
    const [user] = await handle.db
      .insert(schema.users)
      .values({
        orgId: org!.id,
        email: "admin@bench.test",
        name: "Bench admin",
        role: "admin",
        passwordHash: "x",
      })
      .returning();
    const actor = {
      userId: user!.id,
      orgId: org!.id,
      role: "admin" as const,
      name: "Bench admin",
      email: "admin@bench.test",
      teamIds: [],
    };
    const started = Date.now();
    let last = 0;
    const result = await runAsActor(actor, () =>
      importFile({
        file,
        onProgress: (p) => {
          if (Date.now() - last < 5_000) return;
          last = Date.now();
          console.log(
            `  ${p.rowsRead.toLocaleString("en")} rows, ${p.rowsPerSecond.toLocaleString("en")} rows/s, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
          );
        },
      }),
    );
    const ms = Date.now() - started;
    if (!result.ok) throw new Error(JSON.stringify(result));
    return { ms, progress: result.data };
  } finally {
    await handle.close();
    await admin.unsafe(`drop database ${name} with (force)`);
    await admin.end();
  }
}

const times: number[] = [];
for (let run = 0; run < runs; run++) {
  const { ms, progress } = await once(run);
  times.push(ms);
  console.log(`run ${run + 1}: ${(ms / 1000).toFixed(1)} s — ${progress.message}`);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `PostgreSQL: ${rows.toLocaleString("en")} rows, median ${(median / 1000).toFixed(1)} s over ${runs} runs (min ${(times[0]! / 1000).toFixed(1)} s, max ${(times.at(-1)! / 1000).toFixed(1)} s), ${Math.round(rows / (median / 1000)).toLocaleString("en")} rows/s, peak RSS ${peakMb.toFixed(0)} MB`,
);
