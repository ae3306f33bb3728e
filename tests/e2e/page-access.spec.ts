/**
 * Page access per role against the real server (issue #12, point 5): every page found under
 * app/ (tests/permission-matrix/enumerate.ts) has a row in tests/permission-matrix/pages.ts, and
 * each demo role gets what its row says — 200, or the 403 page with status 403 (not 200 with the
 * 403 page's content, as a guard below a loading boundary gave) — and a visitor without a session
 * is sent to sign-in. Dynamic segments are filled from the demo data.
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_USERS } from "../../db/seed/demo";
import { pages } from "../permission-matrix/enumerate";
import { pageRows, type PageRole } from "../permission-matrix/pages";
import { signIn } from "./support/sign-in";

const found = pages();
const roles: PageRole[] = ["admin", "manager", "quality", "executive", "agent"];
const isRedirect = (status: number) => [301, 302, 303, 307, 308].includes(status);
const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

test("every page has a page-access row", () => {
  const missing = found.filter((p) => !(p.path in pageRows)).map((p) => p.path);
  expect(missing, `Pages without a row in tests/permission-matrix/pages.ts: ${missing}`).toEqual(
    [],
  );
});

/** One demo record's id for each kind of dynamic segment, read from pages an admin sees. */
async function fills(request: APIRequestContext): Promise<Record<string, string>> {
  const first = async (path: string, pattern: RegExp) => {
    const html = await (await request.get(path)).text();
    const id = pattern.exec(html)?.[1];
    expect(id, `no ${pattern} on ${path}`).toBeTruthy();
    return id!;
  };
  return {
    complaint: await first("/complaints", new RegExp(`/complaints/(${uuid})`)),
    "corrective-action": await first(
      "/dashboards/quality",
      new RegExp(`/dashboards/quality/corrective-actions/(${uuid})`),
    ),
  };
}

let ids: Record<string, string> = {};

// The demo ids the dynamic segments take, read once as the admin (who may open every page).
test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  ids = await fills(await signedIn(page, "admin"));
  await context.close();
});

function urlOf(path: string, row: (typeof pageRows)[string]): string {
  if (!row.fill) return path;
  return path.replace(/\[[^\]]+\]/, ids[row.fill]!);
}

async function signedIn(page: Page, role: PageRole): Promise<APIRequestContext> {
  const user = DEMO_USERS.find((u) => u.role === role)!;
  await signIn(page, user.email, user.password);
  return page.request;
}

for (const role of roles) {
  test(`the ${role} gets each page with the status its row pins`, async ({ page }) => {
    test.setTimeout(180_000);
    const request = await signedIn(page, role);
    const seen: string[] = [];
    for (const { path } of found) {
      const row = pageRows[path];
      if (!row) continue; // reported by the row test above
      const response = await request.get(urlOf(path, row), { maxRedirects: 0 });
      const status = response.status();
      const expected = row.roles === "redirect" ? "3xx" : row.roles.includes(role) ? "200" : "403";
      seen.push(`${path} ${status}`);
      if (expected === "3xx") {
        expect(isRedirect(status), `${role} ${path}: ${status}`).toBe(true);
      } else {
        expect(status, `${role} ${path}`).toBe(Number(expected));
        if (expected === "403") {
          // The 403 page (app/forbidden.tsx): in the HTML, or in the payload the browser renders.
          const html = await response.text();
          expect(html.includes("have access to this page"), `${role} ${path}: the 403 page`).toBe(
            true,
          );
        }
      }
    }
    expect(seen.length).toBe(found.filter((p) => p.path in pageRows).length);
  });
}

test("a visitor without a session is sent to sign-in from every signed-in page", async ({
  playwright,
  baseURL,
}) => {
  const request = await playwright.request.newContext({ baseURL });
  for (const { path } of found) {
    const row = pageRows[path];
    if (!row) continue;
    const response = await request.get(urlOf(path, row), { maxRedirects: 0 });
    if (row.anonymous === 200) {
      expect(response.status(), path).toBe(200);
    } else {
      expect(isRedirect(response.status()), `${path}: ${response.status()}`).toBe(true);
      expect(response.headers().location ?? "", path).toMatch(/\/sign-in/);
    }
  }
  await request.dispose();
});
