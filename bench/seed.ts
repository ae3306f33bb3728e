// Seeding benchmark: `npm run bench:seed -- [--complaints 20000] [--runs 3]`.
// Each run seeds a fresh database (a new PGlite folder, or a new PostgreSQL database when
// BENCH_DATABASE_URL points at a server whose user may create databases) and reports the median.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { seedDemo } from "../db/seed/demo";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const complaints = flag("complaints", 20_000);
const runs = flag("runs", 3);
const serverUrl = process.env.BENCH_DATABASE_URL;
const anchor = new Date("2026-11-23T00:00:00Z");

async function once(run: number): Promise<number> {
  if (serverUrl) {
    const name = `turnaround_bench_${process.pid}_${run}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ url: url.toString() });
    try {
      await migrateDatabase(handle);
      return (await seedDemo(handle, { complaints, anchor })).ms;
    } finally {
      await handle.close();
      await admin.unsafe(`drop database ${name} with (force)`);
      await admin.end();
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "turnaround-bench-"));
  const handle = await openDatabase({ dataDir: dir });
  try {
    await migrateDatabase(handle);
    return (await seedDemo(handle, { complaints, anchor })).ms;
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const times: number[] = [];
for (let run = 0; run < runs; run++) {
  const ms = await once(run);
  times.push(ms);
  console.log(`run ${run + 1}: ${(ms / 1000).toFixed(1)} s`);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(
  `${serverUrl ? "PostgreSQL" : "PGlite (file)"}: ${complaints.toLocaleString("en-US")} complaints, median ${(median / 1000).toFixed(1)} s over ${runs} runs (min ${(times[0]! / 1000).toFixed(1)} s, max ${(times.at(-1)! / 1000).toFixed(1)} s)`,
);
