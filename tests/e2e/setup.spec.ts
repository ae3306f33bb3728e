import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";

/*
 * Issue #12, point 1, in the browser: a fresh PostgreSQL database started with DATABASE_URL and
 * no TURNAROUND_DEMO (scripts/e2e-server.mjs "setup", port 3102) has no organisation, so the
 * first visit lands on /setup; the one-time code is read from that server's log, as an operator
 * would. One story, in order: the organisation made here exists for good on that database.
 */
test.describe.configure({ mode: "serial" });

const log = path.resolve(".test-data", "e2e-setup", "server.log");
const PASSWORD = "first admin's long password";

function printedCode(): string {
  const text = fs.readFileSync(log, "utf8");
  const codes = [...text.matchAll(/open \S+\/setup and enter the code (\S{4}-\S{4}-\S{4})/g)];
  expect(codes.length, "the setup code line in the server log").toBeGreaterThan(0);
  return codes.at(-1)![1]!;
}

async function fill(page: Page, code: string, confirmation = PASSWORD) {
  await page.getByLabel("Setup code").fill(code);
  await page.getByLabel("Organisation name").fill("Harbour Outfitters");
  await page.getByLabel("Your name").fill("Hana Harbour");
  await page.getByLabel("Your email").fill("hana@harbour.example");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Password again").fill(confirmation);
}

test("the first visit on a fresh server database is the setup page, which fits a phone", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { level: 1, name: "Set up Turnaround" })).toBeVisible();
  await expect(page.getByLabel("Setup code")).toBeFocused();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});

test("a wrong code and differing passwords are refused on their fields; nothing is set up", async ({
  page,
}) => {
  await page.goto("/setup");
  await fill(page, "AAAA-BBBB-CCCC");
  await page.getByLabel("Password again").press("Enter");
  await expect(page.getByTestId("code-error")).toHaveText(/That code is not valid/);
  await expect(page.getByLabel("Setup code")).toHaveAttribute("aria-invalid", "true");
  // What was typed stays, except the passwords.
  await expect(page.getByLabel("Your email")).toHaveValue("hana@harbour.example");
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");

  await fill(page, printedCode(), "something else entirely");
  await page.getByRole("button", { name: "Create organisation and admin" }).click();
  await expect(page.getByTestId("passwordConfirmation-error")).toHaveText(/passwords differ/);
  // Still not set up: sign-in sends visitors back here.
  await page.goto("/sign-in");
  await expect(page).toHaveURL(/\/setup$/);
});

test("the code from the log creates the organisation and its admin, who signs in", async ({
  page,
}) => {
  await page.goto("/setup");
  await fill(page, printedCode().toLowerCase());
  await page.getByRole("button", { name: "Create organisation and admin" }).click();
  await expect(page).toHaveURL(/\/sign-in\?setup=done$/);
  await expect(page.getByTestId("setup-done")).toContainText("Your organisation is set up");
  // No demo here: the sign-in page does not point to demo sign-ins.
  await expect(page.getByText("Demo sign-ins")).toHaveCount(0);

  await page.getByLabel("Email").fill("hana@harbour.example");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings\/users$/);
  await expect(page.getByRole("heading", { level: 1, name: "Users and roles" })).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toHaveText("Hana Harbour");
});

test("once set up, /setup is closed: it sends visitors to sign-in", async ({ page }) => {
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { level: 1, name: "Turnaround" })).toBeVisible();
});
