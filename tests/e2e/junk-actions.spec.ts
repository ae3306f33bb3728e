import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { roles } from "../../db/schema";
import { signInAs } from "./support/sign-in";

// Issue #12, point 6: a complaint whose text carries HTML shows it as text — on its page and in
// the list — and no script of it runs.
const stamp = Date.now().toString(36);
const summary = `<img src=x onerror="window.__pwned=1"> Late ${stamp}`;
const story = `<script>window.__pwned=2</script> The engineer never came <b>twice</b>.`;

test("HTML typed into a complaint renders as inert text on its page and in the list", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signInAs(page, "agent");
  await page.goto("/complaints/new");
  await page.getByRole("combobox", { name: "Find the customer" }).fill(`<i>Mallory</i> ${stamp}`);
  await page.getByRole("button", { name: "New customer" }).click();
  await page.getByLabel("Channel").selectOption("web");
  await page.getByLabel("Severity").selectOption("minor");
  await page.getByLabel("Summary").fill(summary);
  await page.getByLabel("The customer's story").fill(story);
  await page.getByRole("radio", { name: "1 Furious" }).check();
  await page.getByRole("button", { name: "Record complaint" }).click();
  await page.waitForURL(/\/complaints\/[0-9a-f-]{36}$/);

  // The text as typed, angle brackets and all; no element made of it.
  await expect(page.getByRole("heading", { level: 1, name: summary })).toBeVisible();
  await expect(page.getByText(story)).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator("b", { hasText: "twice" })).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

  await page.goto(`/complaints?q=${encodeURIComponent(stamp)}`);
  await expect(page.getByText(summary)).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

// Issue #12, point 4: every action of this build (its server-reference manifest) called with
// junk bodies — argument lists React would encode and bodies it never would — anonymously,
// with a forged session cookie and as each demo role: never a 5xx. scripts/probe-actions.mjs
// runs the same against any server, with more bodies.
const manifestPath = path.join(
  process.env.NEXT_DIST_DIR ?? ".next",
  "server",
  "server-reference-manifest.json",
);
const junkBodies: [string, string][] = [
  ["[]", "text/plain;charset=UTF-8"],
  ['["junk"]', "text/plain;charset=UTF-8"],
  ["[null,42]", "text/plain;charset=UTF-8"],
  ['[{},{"__proto__":{"x":1}}]', "text/plain;charset=UTF-8"],
  ["this is {not json", "text/plain;charset=UTF-8"],
  ['"junk"', "text/plain;charset=UTF-8"],
  ['["$K1","$Q2","$@3"]', "text/plain;charset=UTF-8"],
  ["garbage", "multipart/form-data; boundary=xyz"],
];

for (const caller of ["anonymous", "forged", ...roles] as const) {
  test(`junk to every server action (${caller}): never a 5xx`, async ({ page, request }) => {
    test.setTimeout(180_000);
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as {
      node: Record<string, { exportedName: string }>;
    };
    let cookie = "";
    if (caller === "forged") cookie = "authjs.session-token=forged.forged.forged.forged.forged";
    else if (caller !== "anonymous") {
      await signInAs(page, caller);
      const session = (await page.context().cookies()).find(
        (c) => c.name === "authjs.session-token",
      );
      cookie = `authjs.session-token=${session!.value}`;
    }
    const failures: string[] = [];
    for (const [id, entry] of Object.entries(manifest.node)) {
      // Signing out would end this caller's session: its junk is the same as any other's.
      for (const [body, type] of junkBodies) {
        const response = await request.post("/sign-in", {
          headers: { "next-action": id, "content-type": type, ...(cookie ? { cookie } : {}) },
          data: body,
          maxRedirects: 0,
        });
        if (response.status() >= 500)
          failures.push(`${entry.exportedName} ${body}: ${response.status()}`);
      }
    }
    expect(failures).toEqual([]);
  });
}
