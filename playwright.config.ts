import { defineConfig, devices } from "@playwright/test";

// End-to-end tests run against the production build (`next build` first; `npm test` does it).
// One server on embedded PGlite always; a second on PostgreSQL when TEST_DATABASE_URL is set.
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const postgresUrl = process.env.TEST_DATABASE_URL;

const engines = [
  { name: "pglite", port: 3100, env: {} as Record<string, string> },
  ...(postgresUrl ? [{ name: "postgres", port: 3101, env: { DATABASE_URL: postgresUrl } }] : []),
];

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: engines.map((engine) => ({
    name: engine.name,
    // One hostname everywhere (localhost), so Auth.js cookies and callbacks agree.
    use: { ...devices["Desktop Chrome"], baseURL: `http://localhost:${engine.port}` },
  })),
  webServer: engines.map((engine) => ({
    command: `node scripts/e2e-server.mjs ${engine.name} ${engine.port}`,
    url: `http://localhost:${engine.port}/sign-in`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { ...engine.env, NEXT_TELEMETRY_DISABLED: "1" },
  })),
});
