// Takes screenshots of pages as a signed-in user: node scripts/screenshots.mjs <baseURL> <outDir> <email> <path>...
import { chromium } from "@playwright/test";

const [baseURL = "http://localhost:3000", outDir = "/tmp/shots", email, ...paths] =
  process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const page = await browser.newPage({ baseURL, viewport: { width: 1366, height: 900 } });
if (email) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(process.env.PASSWORD ?? "turnaround-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}
for (const p of paths.length ? paths : ["/sign-in"]) {
  await page.goto(p);
  await page.waitForLoadState("networkidle");
  // Charts draw after hydration and their panels stream in: give them a moment.
  await page.waitForTimeout(Number(process.env.SETTLE_MS ?? 1500));
  const name = p.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "root";
  await page.screenshot({
    path: `${outDir}/${(email ?? "anon").split("@")[0]}-${name}.png`,
    fullPage: true,
  });
  console.log("shot", p, page.url());
}
await browser.close();
