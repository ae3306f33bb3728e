import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { signInAs } from "./support/sign-in";

test.describe.configure({ mode: "serial" });

// Fresh external references per run, so the test can run again against the same server.
const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const template = fs.readFileSync(
  path.join(import.meta.dirname, "fixtures/import/complaints.csv"),
  "utf8",
);
const csv = template.replaceAll("{suffix}", suffix);
const fileName = `helpdesk-${suffix}.csv`;

// Computed from the file, not typed in: records, and the one whose date cannot exist.
const records = parse(csv, { columns: true, info: true }) as {
  record: Record<string, string>;
  info: { lines: number };
}[];
const bad = records.filter((r) => r.record.Created === "2026-13-45");
const good = records.length - bad.length;
// The bad record is on one line: where it ends is where it starts.
const badLine = bad[0]!.info.lines;

async function chooseFile(page: Page) {
  await page.goto("/import");
  await expect(page.getByRole("heading", { level: 1, name: "Import" })).toBeVisible();
  await page.getByRole("radio", { name: /^Complaints/ }).check();
  await page.getByLabel("CSV file").setInputFiles({
    name: fileName,
    mimeType: "text/csv",
    buffer: Buffer.from(csv, "utf8"),
  });
  await page.getByRole("button", { name: "Continue to mapping" }).click();
  await expect(page.getByRole("heading", { name: "Map columns" })).toBeVisible();
}

async function importWithSummary(page: Page, expected: RegExp | string) {
  await page.getByRole("button", { name: "Preview the first rows" }).click();
  await expect(page.getByRole("heading", { name: "Preview" })).toBeVisible();
  await page.getByRole("radio", { name: "Skip bad rows and report them" }).check();
  await page.getByRole("button", { name: "Import the whole file" }).click();
  await expect(page.getByTestId("import-summary")).toHaveText(expected);
}

test("a manager imports a helpdesk CSV, sees the bad row, downloads the report, and re-imports it", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAs(page, "manager");
  await chooseFile(page);

  // Mapping suggested from the header names.
  await expect(page.getByLabel(/^External reference/)).toHaveValue("Ticket ID");
  await expect(page.getByLabel(/^Received at/)).toHaveValue("Created");
  await expect(page.getByLabel(/^Summary/)).toHaveValue("Subject");
  await expect(page.getByLabel(/^Customer email/)).toHaveValue("Customer email");

  // The preview marks the impossible date, on its line, with a reason.
  await page.getByRole("button", { name: "Preview the first rows" }).click();
  const row = page.locator(`[data-testid="preview-row"][data-line="${badLine}"]`);
  await expect(row).toBeVisible();
  const marked = row.getByTestId("preview-error");
  await expect(marked).toHaveCount(1);
  await expect(marked).toHaveAttribute("data-field", "receivedAt");
  await expect(marked).not.toHaveText("2026-13-45");
  await expect(page.getByTestId("preview-error")).toHaveCount(bad.length);
  await expect(page.getByTestId("file-errors")).toHaveCount(0);

  await page.getByRole("radio", { name: "Skip bad rows and report them" }).check();
  await page.getByRole("button", { name: "Import the whole file" }).click();
  await expect(page.getByTestId("import-progress")).toBeVisible();
  await expect(page.getByTestId("import-summary")).toHaveText(
    `${good} imported: ${good} new, 0 updated, 0 unchanged · ${bad.length} rejected`,
  );
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");

  // The validation report names the bad line.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("report-link").click(),
  ]);
  const report = parse(fs.readFileSync((await download.path())!, "utf8"), {
    columns: true,
  }) as Record<string, string>[];
  expect(report).toHaveLength(bad.length);
  expect(report[0]).toMatchObject({ line: String(badLine), value: "2026-13-45" });
  // The report names the column as the file does.
  expect(report[0]!.field).toBe("Created");
  expect(report[0]!.reason).not.toBe("");

  // The run is in the history, and the complaints are in the list.
  await expect(page.getByTestId("import-run").filter({ hasText: fileName }).first()).toBeVisible();
  await page.getByRole("link", { name: "See imported complaints" }).click();
  await expect(page.getByTestId("source-banner")).toHaveText(/Created or changed by one import/);
  await expect(page.getByTestId("complaint-count")).toHaveText(String(good));
  await expect(
    page.getByTestId("complaint-row").filter({ hasText: "Invoice charged" }),
  ).toHaveCount(1);

  // The same file again: nothing new.
  await chooseFile(page);
  await importWithSummary(
    page,
    `${good} imported: 0 new, 0 updated, ${good} unchanged · ${bad.length} rejected`,
  );
  await expect(page.getByTestId("import-run").filter({ hasText: fileName })).toHaveCount(2);
});

test("an agent cannot open the import page", async ({ page }) => {
  await signInAs(page, "agent");
  const response = await page.goto("/import");
  expect(response?.status()).toBe(403);
});
