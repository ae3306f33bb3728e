// `npm test`: every check the project has, in order, then one line "N passed, N failed".
// Static checks count as one test each; vitest and Playwright report their own counts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
fs.mkdirSync("test-results", { recursive: true });

const results = [];

function run(name, command, args, extraEnv = {}) {
  console.log(`\n▶ ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const child = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: child.status === 0, seconds };
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function check(name, command, args) {
  const { ok, seconds } = run(name, command, args);
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, seconds });
  return ok;
}

const npx = "npx";
check("format (prettier)", npx, ["prettier", "--check", "."]);
check("lint (eslint)", npx, ["eslint", "."]);
check("types (tsc)", npx, ["tsc", "--noEmit"]);

{
  fs.rmSync("test-results/vitest.json", { force: true });
  const { ok, seconds } = run("unit + integration (vitest)", npx, [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    "--outputFile=test-results/vitest.json",
  ]);
  const report = readJson("test-results/vitest.json");
  const passed = report?.numPassedTests ?? 0;
  // A crash that leaves no report, or failed files with no failed test, still counts as a failure.
  const failed = (report?.numFailedTests ?? 0) + (ok || report?.numFailedTests ? 0 : 1);
  results.push({ name: "unit + integration (vitest)", passed, failed, seconds });
}

const built = check("production build (next build)", npx, ["next", "build"]);
if (built) {
  fs.rmSync("test-results/e2e.json", { force: true });
  const { ok, seconds } = run("end to end (playwright)", npx, ["playwright", "test"]);
  const stats = readJson("test-results/e2e.json")?.stats;
  const passed = (stats?.expected ?? 0) + (stats?.flaky ?? 0);
  const failed = (stats?.unexpected ?? 0) + (ok || stats?.unexpected ? 0 : 1);
  results.push({ name: "end to end (playwright)", passed, failed, seconds });
} else {
  results.push({ name: "end to end (playwright)", passed: 0, failed: 1, seconds: "0" });
}

// Crash safety (docs/resilience.md): the same build under SIGKILLs and a PostgreSQL crash; one test.
if (built) {
  const { ok, seconds } = run(
    "crash safety (resilience)",
    npx,
    ["tsx", "tests/resilience/run.ts"],
    {
      RESILIENCE_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
    },
  );
  results.push({
    name: "crash safety (resilience)",
    passed: ok ? 1 : 0,
    failed: ok ? 0 : 1,
    seconds,
  });
} else {
  results.push({ name: "crash safety (resilience)", passed: 0, failed: 1, seconds: "0" });
}

console.log("\nSummary");
for (const r of results) {
  console.log(
    `  ${r.failed ? "✗" : "✓"} ${r.name.padEnd(32)} ${r.passed} passed, ${r.failed} failed (${r.seconds} s)`,
  );
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
