import { defineConfig, devices } from "@playwright/test";

// End-to-end tests run against the production build (`next build` first; `npm test` does it).
// One server on embedded PGlite always; a second on PostgreSQL when TEST_DATABASE_URL is set, and
// a third on a fresh PostgreSQL database without the demo, for the first-run setup page.
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const postgresUrl = process.env.TEST_DATABASE_URL;

const engines = [
  { name: "pglite", port: 3100, env: {} as Record<string, string> },
  ...(postgresUrl ? [{ name: "postgres", port: 3101, env: { DATABASE_URL: postgresUrl } }] : []),
];
const setupServer = postgresUrl
  ? [{ name: "setup", port: 3102, env: {} as Record<string, string> }]
  : [];

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  // Generous: on 2 cores the embedded database serves one query at a time across both workers.
  expect: { timeout: 30_000 },
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
  // Dashboards run after the tests that record and close complaints on the same server, so
  // their figures and drill-downs see settled data (and the embedded database, which serves one
  // query at a time, is not asked for a dashboard while another test waits on a page).
  projects: [
    ...engines.flatMap((engine) => {
      // One hostname everywhere (localhost), so Auth.js cookies and callbacks agree.
      const use = { ...devices["Desktop Chrome"], baseURL: `http://localhost:${engine.port}` };
      return [
        { name: engine.name, use, testIgnore: [/dashboards\.spec\.ts/, /setup\.spec\.ts/] },
        {
          name: `${engine.name}-dashboards`,
          use,
          testMatch: /dashboards\.spec\.ts/,
          dependencies: [engine.name],
        },
      ];
    }),
    ...setupServer.map((server) => ({
      name: server.name,
      use: { ...devices["Desktop Chrome"], baseURL: `http://localhost:${server.port}` },
      testMatch: /setup\.spec\.ts/,
    })),
  ],
  webServer: [...engines, ...setupServer].map((engine) => ({
    command: `node scripts/e2e-server.mjs ${engine.name} ${engine.port}`,
    url: `http://localhost:${engine.port}/sign-in`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { ...engine.env, NEXT_TELEMETRY_DISABLED: "1" },
  })),
});
