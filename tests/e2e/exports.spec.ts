import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { expect, test } from "@playwright/test";
import { demoUser, signInAs } from "./support/sign-in";

test("quality downloads today's audit trail from the exports page, its own download included", async ({
  page,
}) => {
  await signInAs(page, "quality");
  await page.goto("/exports");
  await expect(page.getByRole("heading", { level: 1, name: "Exports" })).toBeVisible();
  const today = new Date().toISOString().slice(0, 10);
  const card = page.getByTestId("export-audit-trail");
  // Keyboard only: type the dates, press Enter to submit the form.
  await card.getByLabel("From").fill(today);
  await card.getByLabel("To (inclusive)").fill(today);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    card.getByLabel("To (inclusive)").press("Enter"),
  ]);
  expect(download.suggestedFilename()).toBe(`audit-trail-${today}-to-${today}.csv`);
  const rows = parse(fs.readFileSync(await download.path()), { columns: true }) as Record<
    string,
    string
  >[];
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row.occurred_at_utc!.slice(0, 10)).toBe(today);
  // Its own download is in it (not necessarily last: tests on the other worker write events too).
  expect(
    rows.some(
      (r) =>
        r.action === "export.downloaded" &&
        r.entity_id === "audit-trail" &&
        r.actor_kind === "user" &&
        r.actor === demoUser("quality").name,
    ),
  ).toBe(true);
  // Still on the page: a download does not navigate away.
  await expect(page).toHaveURL(/\/exports$/);
});

test("an executive is told the audit trail is not theirs, and the URL refuses with 403", async ({
  page,
}) => {
  await signInAs(page, "executive");
  await page.goto("/exports");
  const card = page.getByTestId("export-audit-trail");
  await expect(card).toContainText("Your role cannot download this export.");
  await expect(card.getByRole("button", { name: "Download CSV" })).toHaveCount(0);
  const response = await page.request.get("/exports/audit-trail");
  expect(response.status()).toBe(403);
});
