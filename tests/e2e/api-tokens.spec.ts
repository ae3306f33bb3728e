import { expect, test } from "@playwright/test";
import { signInAs } from "./support/sign-in";

test("an admin creates a token that expires, sees it once, uses it, and revokes it", async ({
  page,
  request,
}) => {
  const name = `E2E sync ${Date.now()}`;
  await signInAs(page, "admin");
  await page.goto("/settings/api-tokens");
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();

  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Scope").selectOption("read");
  // 90 days unless chosen otherwise; a date field appears only for "On a date…".
  await expect(page.getByLabel("Expires")).toHaveValue("90");
  await expect(page.getByLabel("Expiry date")).toHaveCount(0);
  await page.getByLabel("Expires").selectOption("30");
  await page.getByRole("button", { name: "Create token" }).click();
  const secretField = page.getByTestId("new-token-secret");
  await expect(secretField).toBeVisible();
  const secret = await secretField.inputValue();
  expect(secret).toMatch(/^trn_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("new-token-expiry")).toContainText("It works until");

  const row = page.getByTestId("api-token-row").filter({ hasText: name });
  await expect(row).toContainText("read");
  await expect(row.getByTestId("token-status")).toHaveText("Active");
  await expect(row.getByTestId("token-expiry")).toContainText("Expires in 30 days");
  await expect(row.getByTestId("token-creator-role")).toHaveText("(admin)");

  const ok = await request.get("/api/v1/complaints?limit=5", {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(ok.status()).toBe(200);
  const page1 = await ok.json();
  expect(page1.data.length).toBeGreaterThan(0);
  expect(page1.data.length).toBeLessThanOrEqual(5);

  // Shown once: after a reload only the row remains, now with a last-used time.
  await page.reload();
  await expect(page.getByTestId("new-token-secret")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(secret);
  await expect(row).not.toContainText("Never");

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await row.getByRole("button", { name: `Confirm: revoke ${name}` }).click();
  await expect(row.getByTestId("token-status")).toContainText("Revoked");

  const refused = await request.get("/api/v1/complaints", {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("unauthenticated");
});

test("an expiry date is checked on its field, by keyboard, before any token is made", async ({
  page,
}) => {
  const name = `E2E dated ${Date.now()}`;
  await signInAs(page, "admin");
  await page.goto("/settings/api-tokens");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Expires").selectOption("date");
  const date = page.getByLabel("Expiry date");
  await expect(date).toBeVisible();
  // Two years ahead: over the one-year limit, refused on the date field with what was typed kept.
  const tooLate = new Date(Date.now() + 730 * 86_400_000).toISOString().slice(0, 10);
  await date.fill(tooLate);
  const create = page.getByRole("button", { name: "Create token" });
  await create.press("Enter");
  await expect(page.getByTestId("expiresOn-error")).toContainText("at most a year");
  await expect(date).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await expect(page.getByLabel("Expires")).toHaveValue("date");
  await expect(page.getByTestId("new-token-secret")).toHaveCount(0);
  await expect(page.getByTestId("api-token-row").filter({ hasText: name })).toHaveCount(0);

  const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  await date.fill(inTenDays);
  await create.press("Enter");
  await expect(page.getByTestId("new-token-secret")).toBeVisible();
  const row = page.getByTestId("api-token-row").filter({ hasText: name });
  // Through the whole of that day: 10 days and a part of one left.
  await expect(row.getByTestId("token-expiry")).toContainText(/Expires in 1[01] days/);
  // The next token's form starts again from 90 days.
  await expect(page.getByLabel("Expires")).toHaveValue("90");
  await expect(page.getByLabel("Expiry date")).toHaveCount(0);
});

test("a write token records a complaint once, however often the call is retried", async ({
  page,
  request,
}) => {
  const name = `E2E writer ${Date.now()}`;
  await signInAs(page, "admin");
  await page.goto("/settings/api-tokens");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Scope").selectOption("write");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = await page.getByTestId("new-token-secret").inputValue();
  const headers = { authorization: `Bearer ${secret}`, "idempotency-key": `e2e-${Date.now()}` };
  const data = {
    customerName: "E2E Customer",
    channel: "web",
    severity: "minor",
    summary: `Recorded through the API ${name}`,
    story: "The parcel arrived open.",
    intakeNps: 3,
  };
  const first = await request.post("/api/v1/complaints", { headers, data });
  expect(first.status()).toBe(201);
  const created = await first.json();
  const retry = await request.post("/api/v1/complaints", { headers, data });
  expect(retry.status()).toBe(201);
  expect(retry.headers()["idempotent-replayed"]).toBe("true");
  expect(await retry.json()).toEqual(created);
  const found = await request.get(`/api/v1/complaints?q=${encodeURIComponent(name)}`, { headers });
  expect((await found.json()).data.map((c: { id: string }) => c.id)).toEqual([created.data.id]);
  // The complaint page shows it like any other.
  await page.goto(`/complaints/${created.data.id}`);
  await expect(page.getByText(data.summary).first()).toBeVisible();
});

test("the API reference lists the endpoints and the document is public", async ({
  page,
  request,
}) => {
  await signInAs(page, "admin");
  await page.goto("/settings/api");
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  for (const path of Object.keys(doc.paths)) {
    await expect(page.locator("code", { hasText: `/api/v1${path}` }).first()).toBeVisible();
  }
});
