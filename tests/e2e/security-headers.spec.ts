import { expect, test, type APIResponse, type Response } from "@playwright/test";
import { signInAs } from "./support/sign-in";

// The security baseline (docs/security.md): headers on pages, API answers and sign-in, and the
// pages still working under their Content-Security-Policy.

function headersOf(response: Response | APIResponse | null): Record<string, string> {
  expect(response).not.toBeNull();
  return response!.headers();
}

function expectEverywhereHeaders(headers: Record<string, string>) {
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["permissions-policy"]).toContain("microphone=()");
  expect(headers["permissions-policy"]).toContain("geolocation=()");
  // Served over plain HTTP here: no HSTS, whatever the client claims.
  expect(headers["strict-transport-security"]).toBeUndefined();
}

function expectPagePolicy(headers: Record<string, string>): string {
  const policy = headers["content-security-policy"] ?? "";
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).not.toContain("'unsafe-eval'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("base-uri 'self'");
  expect(policy).toContain("form-action 'self'");
  return nonce!;
}

test("the sign-in page carries the headers and a fresh nonce per answer", async ({ request }) => {
  const first = await request.get("/sign-in");
  expect(first.status()).toBe(200);
  expectEverywhereHeaders(first.headers());
  const nonce = expectPagePolicy(first.headers());
  // Next puts the nonce on its own scripts; a second answer gets another one.
  expect(await first.text()).toContain(`nonce="${nonce}"`);
  const second = await request.get("/sign-in");
  expect(expectPagePolicy(second.headers())).not.toBe(nonce);
});

test("HSTS and the client address cannot be claimed by the client", async ({ request }) => {
  const forged = await request.get("/sign-in", {
    headers: {
      "x-forwarded-proto": "https",
      "x-turnaround-proto": "https",
      "x-forwarded-for": "203.0.113.50",
      "x-turnaround-client": "203.0.113.50",
    },
  });
  expect(forged.status()).toBe(200);
  expect(forged.headers()["strict-transport-security"]).toBeUndefined();
});

test("an API answer carries the headers and a policy that allows nothing", async ({ request }) => {
  const refused = await request.get("/api/v1/complaints");
  expect(refused.status()).toBe(401);
  const headers = refused.headers();
  expectEverywhereHeaders(headers);
  expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  // Auth.js's answers are API answers too: the same strict policy, once.
  const csrf = await request.get("/api/auth/csrf");
  expect(csrf.headers()["content-security-policy"]).toBe(
    "default-src 'none'; frame-ancestors 'none'",
  );
});

test("a signed-in dashboard works under its policy: charts drawn, no violation reported", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to (load|execute|apply)/i.test(message.text())) {
      violations.push(message.text());
    }
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  await signInAs(page, "manager");
  const response = await page.goto("/dashboards/manager");
  expect(response?.status()).toBe(200);
  expectEverywhereHeaders(headersOf(response));
  expectPagePolicy(headersOf(response));
  // Hydrated and drawn: recharts renders its SVG on the client, with inline styles.
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  // A client-side navigation works too (scripts loaded through 'strict-dynamic').
  await page.goto("/complaints");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});
