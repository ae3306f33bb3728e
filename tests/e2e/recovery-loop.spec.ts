import { expect, test } from "@playwright/test";
import { DEFAULT_PLAYBOOK } from "../../db/defaults";
import { signInAs } from "./support/sign-in";

test.describe.configure({ mode: "serial" });

const stamp = Date.now().toString(36);
const summary = `Furnace visit 90 minutes late ${stamp}`;
let complaintUrl = "";

test("an agent records an angry complaint and walks it to an advocate outcome", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAs(page, "agent");
  await page.goto("/complaints/new");

  // A new customer, typed straight into the search box.
  await page.getByRole("combobox", { name: "Find the customer" }).fill(`Zelda Harrow ${stamp}`);
  await page.getByRole("button", { name: "New customer" }).click();
  await expect(page.getByLabel("Customer name")).toHaveValue(`Zelda Harrow ${stamp}`);
  await page.getByLabel("Email").fill(`zelda-${stamp}@example.test`);
  await page.getByLabel("Channel").selectOption("phone");
  await page.getByLabel("Severity").selectOption("major");
  await page.getByLabel("Summary").fill(summary);
  await page
    .getByLabel("The customer's story")
    .fill("I took the morning off.\nThe technician came 90 minutes late and nobody called.");
  await page
    .getByLabel("Validated paraphrase")
    .fill("What bothered you is that nobody told you he'd be late, is that correct?");
  await page.getByRole("radio", { name: "1 Furious" }).check();
  await page.getByRole("button", { name: "Record complaint" }).click();
  await page.waitForURL(/\/complaints\/[0-9a-f-]{36}$/);
  complaintUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: summary })).toBeVisible();
  await expect(page.getByTestId("status-badge")).toHaveText(/new/i);

  // Every playbook step, in order; each shows who did it once done.
  for (const step of DEFAULT_PLAYBOOK) {
    const row = page.getByTestId(`step-${step.key}`);
    await row.getByRole("button", { name: `Mark ${step.name} done` }).click();
    await expect(row).toContainText("Alex Rivera");
  }
  await expect(page.getByTestId("playbook-progress")).toContainText("9 of 9 required steps done");
  await expect(page.getByTestId("status-badge")).toHaveText(/in progress/i);

  // A remedy the customer suggested: offered, then delivered.
  const remedies = page.getByTestId("remedies");
  await remedies.getByLabel("Kind").selectOption("refund");
  await remedies.getByLabel("Cost").fill("45.00");
  await remedies.getByLabel("Description").fill("Refund of the call-out fee");
  await remedies.getByLabel("Suggested by the customer").check();
  await remedies.getByRole("button", { name: "Offer remedy" }).click();
  await expect(remedies.getByTestId("remedy")).toHaveCount(1);
  await remedies.getByRole("button", { name: "Mark delivered" }).click();
  await expect(remedies.getByTestId("remedy-status")).toHaveText(/delivered/i);

  // A follow-up tomorrow, then done with the customer's NPS then.
  const followUps = page.getByTestId("follow-ups");
  await followUps.getByRole("button", { name: "Tomorrow" }).click();
  await expect(followUps.getByTestId("follow-up")).toHaveCount(1);
  await followUps.getByLabel("Follow-up channel").selectOption("phone");
  await followUps.getByLabel("NPS then").selectOption("9");
  await followUps.getByLabel("Follow-up note").fill("Furnace works; thanked us for the call");
  await followUps.getByRole("button", { name: "Mark follow-up done" }).click();
  await expect(followUps.getByTestId("follow-up")).toContainText(/done/i);

  // An advocate outcome: NPS 10 and a referral.
  const outcome = page.getByTestId("outcome");
  await outcome.getByLabel("Final NPS").selectOption("10");
  await outcome.getByLabel("Referral").check();
  await outcome.getByRole("button", { name: "Record outcome" }).click();
  await expect(outcome.getByTestId("form-message")).toHaveText("Outcome recorded.");

  const status = page.getByTestId("status");
  await status.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByTestId("status-badge")).toHaveText(/resolved/i);
  await status.getByRole("button", { name: "Close" }).click();
  await expect(page.getByTestId("status-badge")).toHaveText(/closed/i);

  // The timeline shows each step of the recovery, in order.
  const timeline = page.getByTestId("timeline");
  const expected = [
    "recorded the complaint",
    ...DEFAULT_PLAYBOOK.map((s) => `marked ${s.name} done`),
    "offered a remedy",
    "Remedy delivered",
    "scheduled a follow-up",
    "followed up by phone",
    "recorded the outcome",
    "resolved the complaint",
    "closed the complaint",
  ];
  const text = (await timeline.innerText()).replace(/\s+/g, " ");
  let at = -1;
  for (const entry of expected) {
    const next = text.indexOf(entry, at + 1);
    expect(next, `timeline shows "${entry}" after the previous entry`).toBeGreaterThan(at);
    at = next;
  }
});

test("a manager filters the list to that complaint through the URL and exports it as CSV", async ({
  page,
}) => {
  expect(complaintUrl, "the agent's test recorded the complaint").not.toBe("");
  const id = complaintUrl.split("/").pop()!;
  await signInAs(page, "manager");
  await page.goto(
    `/complaints?q=${encodeURIComponent(stamp)}&severity=major&status=closed&angry=1`,
  );
  await expect(page.getByTestId("complaint-count")).toHaveText("1");
  const row = page.getByTestId("complaint-row");
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute("data-complaint-id", id);
  await expect(row.getByTestId("complaint-link")).toHaveText(summary);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-csv").click(),
  ]);
  const csv = await (await download.createReadStream()).toArray();
  const { parse } = await import("csv-parse/sync");
  const records = parse(Buffer.concat(csv), { columns: true }) as Record<string, string>[];
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({
    id,
    summary,
    channel: "phone",
    severity: "major",
    status: "closed",
    customer_name: `Zelda Harrow ${stamp}`,
    intake_sentiment: "1",
    remedy_cost_delivered_minor: "4500",
    remedy_currency: "USD",
    outcome_nps: "10",
  });
  expect(records[0]!.story).toBe(
    "I took the morning off.\nThe technician came 90 minutes late and nobody called.",
  );
});
