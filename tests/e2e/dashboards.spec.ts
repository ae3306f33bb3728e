import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./support/sign-in";

test.describe.configure({ timeout: 180_000 });

/** Every chart card on the page has drawn data (an SVG or a grid), not its empty state. */
async function expectChartsWithData(page: Page, ids: string[]) {
  for (const id of ids) {
    const card = page.getByTestId(id);
    await expect(card, `${id} renders`).toBeVisible({ timeout: 90_000 });
    await expect(card.getByTestId(`${id}-empty`), `${id} has data`).toHaveCount(0);
  }
}

/** Clicking a tile opens the complaint list with exactly the tile's count. */
async function expectTileDrillsDown(page: Page, tile: string) {
  const value = await page.getByTestId(`${tile}-value`).getAttribute("data-value");
  expect(Number(value), `${tile} has a count`).toBeGreaterThan(0);
  await page.getByTestId(tile).click();
  await page.waitForURL(/\/complaints\?/);
  await expect(page.getByTestId("complaint-count")).toHaveText(String(Number(value)));
}

test("the manager's dashboard: figures, a filter in the URL, and a drill-down with the same count", async ({
  page,
}) => {
  await signInAs(page, "manager");
  await expect(page).toHaveURL(/\/dashboards\/manager$/);
  await expect(page.getByTestId("tile-overdue-value")).toBeVisible({ timeout: 90_000 });
  await expectChartsWithData(page, [
    "chart-ttr-trend",
    "chart-ttr-histogram",
    "chart-backlog",
    "chart-step-adherence",
    "chart-playbook-effect",
  ]);
  const before = await page.getByTestId("tile-received-value").getAttribute("data-value");

  await page.getByLabel("Severity").selectOption("critical");
  await expect(page).toHaveURL(/severity=critical/);
  await expect(page.getByTestId("tile-received-value")).not.toHaveAttribute(
    "data-value",
    before ?? "",
    {
      timeout: 90_000,
    },
  );
  await expectTileDrillsDown(page, "tile-received");
  await expect(page).toHaveURL(/severity=critical/);
});

test("the manager's long lists: every owner to filter by, every agent and practice one click away", async ({
  page,
}) => {
  await signInAs(page, "manager");
  // The filter bar lists the organisation's people once the page runs, and picking one filters.
  const owner = page.getByLabel("Owner");
  await expect(owner.locator("option")).not.toHaveCount(2, { timeout: 90_000 });
  const name = (await owner.locator("option").nth(2).innerText()).trim();
  await owner.selectOption({ label: name });
  await expect(page).toHaveURL(/owner=[0-9a-f-]{36}/);
  await expect(owner.locator("option:checked")).toHaveText(name);
  await page.goto("/dashboards/manager");

  // The per-agent table shows the busiest ten; the rest on "show all", each figure a list link.
  const agents = page.getByTestId("agent-row");
  await expect(agents.first()).toBeVisible({ timeout: 90_000 });
  const more = page.getByTestId("agent-table-more");
  if (await more.isVisible()) {
    await expect(agents).toHaveCount(10);
    await more.click();
    await expect(agents).not.toHaveCount(10);
  }
  const volume = agents.first().getByRole("link").first();
  const count = (await volume.innerText()).replace(/[^0-9]/g, "");
  await volume.click();
  await page.waitForURL(/\/complaints\?owner=/);
  await expect(page.getByTestId("complaint-count")).toHaveText(count);
  await page.goBack();

  // "Does the playbook work?": the steps first, the other practices on "show more".
  const effect = page.getByTestId("playbook-effect-row");
  await expect(effect.first()).toBeVisible({ timeout: 90_000 });
  const steps = await effect.count();
  await page.getByTestId("playbook-effect-more").click();
  await expect(effect).not.toHaveCount(steps);
  await expect(page.getByTestId("playbook-effect-table")).toContainText("Remedy kind");
  await expect(effect.first().getByRole("link").first()).toHaveAttribute(
    "href",
    /^\/complaints\?.*set=step-done/,
  );
});

test("the quality lead's dashboard: Pareto and corrective actions, drill-down from a tile", async ({
  page,
}) => {
  await signInAs(page, "quality");
  await expect(page).toHaveURL(/\/dashboards\/quality$/);
  await expectChartsWithData(page, [
    "chart-pareto",
    "table-corrective-actions",
    "chart-trend",
    "chart-heatmap",
    "chart-repeats",
  ]);
  await expectTileDrillsDown(page, "tile-repeat");
});

test("the quality lead's heat map: a cell opens exactly its complaints; more causes on request", async ({
  page,
}) => {
  await signInAs(page, "quality");
  const heat = page.getByTestId("chart-heatmap");
  await expect(heat).toBeVisible({ timeout: 90_000 });
  const rows = heat.locator("tbody tr");
  const more = heat.getByTestId("heatmap-more");
  if (await more.isVisible()) {
    const before = await rows.count();
    await more.click();
    await expect(rows).not.toHaveCount(before);
  }
  const cell = heat.locator("tbody a").first();
  const count = (await cell.innerText()).replace(/[^0-9]/g, "");
  await cell.click();
  await page.waitForURL(/\/complaints\?.*rootCause=/);
  await expect(page.getByTestId("complaint-count")).toHaveText(count);
});

test("the executive's dashboard: retention, funnel and the playbook's effect", async ({ page }) => {
  await signInAs(page, "executive");
  await expect(page).toHaveURL(/\/dashboards\/executive$/);
  await expectChartsWithData(page, [
    "chart-retention-by-recovery",
    "chart-funnel",
    "chart-conversion-by-month",
    "chart-conversion-by-remedy",
    "chart-conversion-by-ttr",
    "chart-retention",
    "chart-nps",
    "chart-roi-by-month",
    "chart-playbook-effect",
  ]);
  // The funnel as a table: its first stage's count equals the list it links to.
  const funnel = page.getByTestId("chart-funnel");
  await funnel.getByTestId("chart-funnel-toggle-table").click();
  const first = funnel.getByTestId("chart-funnel-table").locator("tbody tr").first();
  const count = (await first.locator("td").nth(1).innerText()).replace(/[^0-9]/g, "");
  expect(Number(count)).toBeGreaterThan(0);
  await first.getByRole("link").click();
  await page.waitForURL(/\/complaints\?/);
  await expect(page.getByTestId("complaint-count")).toHaveText(count);
});

test("a corrective action is added and edited on its own page, and the dashboard lists it", async ({
  page,
}) => {
  await signInAs(page, "quality");
  await page.getByTestId("corrective-action-create").click();
  await page.waitForURL(/\/dashboards\/quality\/corrective-actions\/new/);

  // Nothing typed: the errors sit beside their fields and nothing is saved.
  await page.getByRole("button", { name: "Add corrective action" }).click();
  await expect(page.getByTestId("corrective-action-message")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");

  const title = `Packing checklist ${Date.now()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Root cause").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Add corrective action" }).click();
  await expect(page.getByTestId("corrective-action-message")).toHaveText(/recorded/);

  await page.getByTestId("back-to-root-causes").click();
  const row = page.getByTestId("corrective-action-row").filter({ hasText: title });
  await expect(row).toBeVisible({ timeout: 90_000 });
  await row.getByRole("link", { name: `Edit ${title}` }).click();
  await page.waitForURL(/\/dashboards\/quality\/corrective-actions\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await page.getByLabel("Status").selectOption("in_progress");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("corrective-action-message")).toHaveText(/updated/);
});
