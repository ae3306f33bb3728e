import type { Page } from "@playwright/test";
import { DEMO_USERS } from "../../../db/seed/demo";
import type { Role } from "../../../db/schema";

/** The demo user of a role. */
export function demoUser(role: Role) {
  return DEMO_USERS.find((u) => u.role === role)!;
}

/** Fills and submits the sign-in form, as a person would (whatever the outcome). */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits to leave the sign-in page. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await submitSignIn(page, email, password);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

export async function signInAs(page: Page, role: Role): Promise<void> {
  const user = demoUser(role);
  await signIn(page, user.email, user.password);
}
