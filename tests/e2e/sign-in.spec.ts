import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "../../db/seed/demo";
import { homeFor } from "../../lib/permissions";
import { submitSignIn as signIn } from "./support/sign-in";

const headings = {
  agent: "My queue",
  manager: "Recovery performance",
  quality: "Root causes",
  executive: "Retention",
  admin: "Users and roles",
} as const;

for (const user of DEMO_USERS) {
  test(`the demo ${user.role} signs in and lands on their home`, async ({ page }) => {
    await signIn(page, user.email, user.password);
    await expect(page).toHaveURL(new RegExp(`${homeFor(user.role)}$`));
    await expect(page.getByRole("heading", { level: 1, name: headings[user.role] })).toBeVisible();
    await expect(page.getByTestId("signed-in-user")).toHaveText(user.name);
  });
}

test("a wrong password is refused with a generic message", async ({ page }) => {
  const agent = DEMO_USERS.find((u) => u.role === "agent")!;
  await signIn(page, agent.email, "not the password");
  await expect(page.getByTestId("sign-in-error")).toHaveText(
    "That email and password do not match an account.",
  );
  await expect(page).toHaveURL(/\/sign-in/);
  // What was typed stays, so the user only retypes the password.
  await expect(page.getByLabel("Email")).toHaveValue(agent.email);
});

test("an agent opening an admin page gets the 403 page", async ({ page }) => {
  const agent = DEMO_USERS.find((u) => u.role === "agent")!;
  await signIn(page, agent.email, agent.password);
  await expect(page).toHaveURL(/\/queue$/);
  const response = await page.goto("/settings/users");
  expect(response?.status()).toBe(403);
  await expect(
    page.getByRole("heading", { name: "You don't have access to this page" }),
  ).toBeVisible();
  await expect(page.getByText("Users and roles")).toHaveCount(0);
});

test("a visitor without a session is sent to sign-in, then back where they were going", async ({
  page,
}) => {
  await page.goto("/dashboards/quality");
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fdashboards%2Fquality/);
  const quality = DEMO_USERS.find((u) => u.role === "quality")!;
  await page.getByLabel("Email").fill(quality.email);
  await page.getByLabel("Password").fill(quality.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboards\/quality$/);
});

test("an admin adds a person who can then sign in; signing out ends the session", async ({
  page,
}) => {
  const admin = DEMO_USERS.find((u) => u.role === "admin")!;
  await signIn(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/settings\/users$/);

  // A bad field keeps what was typed and says what is wrong beside the field.
  await page.getByLabel("Name").fill("Ines Duarte");
  await page.getByLabel("Email").fill(`ines-${Date.now()}@example.test`);
  await page.getByLabel("Initial password").fill("short");
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByTestId("password-error")).toHaveText("Use at least 12 characters.");
  await expect(page.getByLabel("Name")).toHaveValue("Ines Duarte");

  const email = `ines-${Date.now()}@example.test`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("executive");
  await page.getByLabel("Initial password").fill("a sufficiently long one");
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByTestId("create-user-message")).toHaveText("Ines Duarte can now sign in.");
  await expect(page.getByRole("cell", { name: email })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/settings/users");
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, email, "a sufficiently long one");
  // Embedded PGlite answers one query at a time: an earlier test's executive dashboard may still
  // be computing on the server, so the landing can wait behind it (see BENCHMARKS / notes).
  await expect(page).toHaveURL(/\/dashboards\/executive$/, { timeout: 60_000 });
  await expect(page.getByTestId("signed-in-user")).toHaveText("Ines Duarte");
});
