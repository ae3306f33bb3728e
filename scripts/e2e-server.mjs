// Starts the built app for one end-to-end engine on a fresh PGlite folder (or the given
// DATABASE_URL), so every run begins from a newly seeded demo organisation.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const [engine = "pglite", port = "3100"] = process.argv.slice(2);
const dataDir = path.resolve(".test-data", `e2e-${engine}`);
fs.rmSync(dataDir, { recursive: true, force: true });

const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port], {
  stdio: "inherit",
  env: {
    ...process.env,
    TURNAROUND_DATA_DIR: dataDir,
    TURNAROUND_SEED_COMPLAINTS: process.env.TURNAROUND_SEED_COMPLAINTS ?? "20000",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
