import { expect, test } from "@playwright/test";
import { signIn, signInAs, submitSignIn } from "./support/sign-in";

// A person of its own (never a demo user: other specs sign in with the demo passwords).
test("a person resets their password with an admin's code, changes it, and an admin deactivates them", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const admin = await browser.newPage();
  const person = await browser.newPage();
  const email = `rosa-${Date.now()}@example.test`;
  const name = "Rosa Lindqvist";

  // The admin adds Rosa, then issues a reset code: shown once, with a link that prefills it.
  await signInAs(admin, "admin");
  await expect(admin).toHaveURL(/\/settings\/users$/);
  await admin.getByLabel("Name").fill(name);
  await admin.getByLabel("Email").fill(email);
  await admin.getByLabel("Initial password").fill("the first password given");
  await admin.getByRole("button", { name: "Add person" }).click();
  await expect(admin.getByTestId("create-user-message")).toHaveText(`${name} can now sign in.`);
  const row = admin.getByTestId(`user-row-${email}`);
  await row.getByRole("button", { name: `Reset password of ${name}` }).click();
  const code = await row.getByTestId("reset-code").inputValue();
  expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await expect(row.getByText("Reset code unused until")).toBeVisible();

  // Rosa, signed out, follows the link the admin copied: email and code are filled in.
  const link = `/reset-password#${new URLSearchParams({ email, code })}`;
  await person.goto(link);
  await expect(person.getByLabel("Email")).toHaveValue(email);
  await expect(person.getByLabel("Reset code")).toHaveValue(code);
  // The code leaves the address bar once read.
  await expect(person).toHaveURL(/\/reset-password$/);
  await person.getByLabel("New password", { exact: true }).fill("rosa's own passphrase");
  await person.getByLabel("New password again").fill("rosa's own passphrase!");
  await person.getByRole("button", { name: "Set new password" }).click();
  await expect(person.getByTestId("confirmPassword-error")).toHaveText(
    "The two new passwords differ; type the same one twice.",
  );
  await person.getByLabel("New password", { exact: true }).fill("rosa's own passphrase");
  await person.getByLabel("New password again").fill("rosa's own passphrase");
  await person.getByRole("button", { name: "Set new password" }).click();
  await expect(person.getByTestId("reset-password-done")).toContainText(
    "Your new password is set.",
  );

  // She signs in and changes it herself, by keyboard, from Your account.
  await signIn(person, email, "rosa's own passphrase");
  await person.getByRole("link", { name: "Your account" }).click();
  await expect(person.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await person.getByLabel("Current password").fill("not it at all");
  await person.getByLabel("New password", { exact: true }).fill("a newer passphrase here");
  await person.getByLabel("New password again").fill("a newer passphrase here");
  await person.getByLabel("New password again").press("Enter");
  await expect(person.getByTestId("currentPassword-error")).toHaveText(
    "That is not your current password.",
  );
  await person.getByLabel("Current password").fill("rosa's own passphrase");
  await person.getByLabel("New password", { exact: true }).fill("a newer passphrase here");
  await person.getByLabel("New password again").fill("a newer passphrase here");
  await person.getByLabel("New password again").press("Enter");
  await expect(person.getByTestId("change-password-message")).toContainText(
    "Every session has ended, this one too",
  );
  // This browser's session ended with the change.
  await person.goto("/queue");
  await expect(person).toHaveURL(/\/sign-in/);
  await submitSignIn(person, email, "rosa's own passphrase");
  await expect(person.getByTestId("sign-in-error")).toBeVisible();
  await signIn(person, email, "a newer passphrase here");
  await expect(person.getByTestId("signed-in-user")).toHaveText(name);

  // The admin deactivates her: her open session ends on its next page.
  await admin.reload();
  await admin
    .getByTestId(`user-row-${email}`)
    .getByRole("button", { name: `Deactivate ${name}` })
    .click();
  await admin
    .getByTestId(`user-row-${email}`)
    .getByRole("button", { name: `Confirm: deactivate ${name}` })
    .click();
  await expect(
    admin.getByTestId(`user-row-${email}`).getByText("Deactivated", { exact: true }),
  ).toBeVisible();
  await person.goto("/queue");
  await expect(person).toHaveURL(/\/sign-in/);
  await submitSignIn(person, email, "a newer passphrase here");
  await expect(person.getByTestId("sign-in-error")).toBeVisible();
});
