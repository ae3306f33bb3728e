import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./support/sign-in";

test.describe.configure({ mode: "serial" });

/** The start of a download, read in the browser and then cancelled: the demo is 20,000 complaints. */
async function firstLine(page: Page, href: string) {
  return page.evaluate(async (url) => {
    const response = await fetch(url);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    return {
      status: response.status,
      type: response.headers.get("content-type"),
      disposition: response.headers.get("content-disposition"),
      line: text.slice(0, text.indexOf("\n")),
    };
  }, href);
}

let header = "";

test("the admin downloads the organisation archive from Exports: JSON Lines, the header first", async ({
  page,
}) => {
  await signInAs(page, "admin");
  await page.goto("/exports");
  const card = page.getByTestId("export-archive");
  await expect(card.getByRole("heading", { name: "Organisation archive" })).toBeVisible();
  await expect(card.getByRole("link", { name: "JSON Schema" })).toHaveAttribute(
    "href",
    "/api/v1/archive-schema",
  );
  const link = card.getByRole("link", { name: "Download archive (.jsonl)" });
  const today = new Date().toISOString().slice(0, 10);
  // Keyboard: focus the link and press Enter; the browser starts the download.
  await link.focus();
  const [download] = await Promise.all([page.waitForEvent("download"), link.press("Enter")]);
  expect(download.suggestedFilename()).toBe(`turnaround-archive-${today}.jsonl`);
  await download.cancel();

  const start = await firstLine(page, (await link.getAttribute("href"))!);
  expect(start.status).toBe(200);
  expect(start.type).toBe("application/x-ndjson; charset=utf-8");
  expect(start.disposition).toBe(`attachment; filename="turnaround-archive-${today}.jsonl"`);
  expect(JSON.parse(start.line)).toMatchObject({
    type: "archive",
    format: "turnaround-archive",
    version: 1,
    organisation: { name: expect.any(String), currency: expect.any(String) },
  });
  header = start.line;

  const schema = await page.request.get("/api/v1/archive-schema");
  expect(schema.status()).toBe(200);
  expect(Array.isArray(((await schema.json()) as { anyOf?: unknown }).anyOf)).toBe(true);
});

test("the admin imports an archive from the Import page: no mapping, live result, run history", async ({
  page,
}) => {
  test.skip(!header, "needs the header the download test read");
  await signInAs(page, "admin");
  await page.goto("/import");
  await page.getByRole("radio", { name: /^Organisation archive/ }).check();
  // Nothing to map or preview: two steps.
  await expect(page.getByRole("list", { name: "Steps" }).getByRole("listitem")).toHaveCount(2);
  await expect(page.getByTestId("archive-format").getByRole("link")).toHaveAttribute(
    "href",
    "/api/v1/archive-schema",
  );
  // A header and one line that names no team: nothing is written to the demo, one is rejected.
  const fileName = `archive-${Date.now().toString(36)}.jsonl`;
  await page.getByLabel("Archive file (.jsonl)").setInputFiles({
    name: fileName,
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(`${header}\n{"type":"team"}\n`, "utf8"),
  });
  await page.getByRole("radio", { name: "Skip bad lines and report them" }).check();
  await page.getByRole("button", { name: "Import the archive" }).click();
  await expect(page.locator("#import-step-heading")).toHaveText("Import");
  await expect(page.getByTestId("import-summary")).toHaveText(
    "0 imported: 0 new, 0 updated, 0 unchanged · 1 rejected",
  );
  await expect(page.getByTestId("report-link")).toBeVisible();
  const run = page.getByTestId("import-run").filter({ hasText: fileName });
  await expect(run).toContainText("Organisation archive");
});

test("a manager, who may import CSV files, is not offered the archive", async ({ page }) => {
  await signInAs(page, "manager");
  await page.goto("/import");
  await expect(page.getByRole("radio", { name: /^Complaints/ })).toBeVisible();
  await expect(page.getByRole("radio", { name: /Organisation archive/ })).toHaveCount(0);
  await page.goto("/exports");
  await expect(page.getByTestId("export-archive")).toContainText(
    "Your role cannot download this export.",
  );
  expect((await page.request.get("/exports/archive")).status()).toBe(403);
});
