/**
 * Page access, pinned per role: one row per app/**\/page.tsx (found by enumerate.ts; a page
 * without a row fails tests/integration/permission-matrix.test.ts and tests/e2e/page-access.spec.ts).
 * A role listed gets 200; every other signed-in role the 403 page with status 403; a visitor
 * without a session is sent to sign-in. Written out from the product (who the page is for), not
 * computed from lib/permissions.ts, so a change there shows up here as a failure.
 * No server imports: the Playwright spec reads this file too.
 */
export type PageRole = "admin" | "manager" | "quality" | "executive" | "agent";

export interface PageRow {
  /**
   * Roles that get the page (200); other roles get 403. "redirect": every role is sent on
   * (home, or sign-in) with a 3xx.
   */
  roles: readonly PageRole[] | "redirect";
  /** What a visitor without a session gets: sent to sign-in, or the page itself (200). */
  anonymous: "sign-in" | 200;
  /** A dynamic segment filled from the demo data (see the spec). */
  fill?: "complaint" | "corrective-action";
}

const all: readonly PageRole[] = ["admin", "manager", "quality", "executive", "agent"];

export const pageRows: Record<string, PageRow> = {
  // Each role's home; a visitor goes to sign-in.
  "/": { roles: "redirect", anonymous: "sign-in" },
  // A signed-in user is sent home from sign-in.
  "/sign-in": { roles: "redirect", anonymous: 200 },
  "/queue": { roles: ["admin", "manager", "agent"], anonymous: "sign-in" },
  "/complaints": { roles: all, anonymous: "sign-in" },
  "/complaints/new": { roles: ["admin", "manager", "agent"], anonymous: "sign-in" },
  "/complaints/[id]": { roles: all, anonymous: "sign-in", fill: "complaint" },
  "/dashboards/manager": { roles: ["admin", "manager"], anonymous: "sign-in" },
  "/dashboards/quality": { roles: ["admin", "quality"], anonymous: "sign-in" },
  "/dashboards/quality/taxonomy": { roles: ["admin", "quality"], anonymous: "sign-in" },
  "/dashboards/quality/corrective-actions/new": {
    roles: ["admin", "quality"],
    anonymous: "sign-in",
  },
  "/dashboards/quality/corrective-actions/[id]": {
    roles: ["admin", "quality"],
    anonymous: "sign-in",
    fill: "corrective-action",
  },
  "/dashboards/executive": { roles: ["admin", "executive"], anonymous: "sign-in" },
  "/import": { roles: ["admin", "manager"], anonymous: "sign-in" },
  "/exports": { roles: all, anonymous: "sign-in" },
  "/settings/users": { roles: ["admin"], anonymous: "sign-in" },
  "/settings/api-tokens": { roles: ["admin"], anonymous: "sign-in" },
  "/settings/api": { roles: ["admin"], anonymous: "sign-in" },
  "/settings/organisation": { roles: ["admin"], anonymous: "sign-in" },
  // One's own password and sessions: every signed-in person.
  "/account": { roles: all, anonymous: "sign-in" },
  // A visitor with a one-time code sets a new password (the code is the credential).
  "/reset-password": { roles: all, anonymous: 200 },
  // First run only: once an organisation exists (the demo here) everyone is sent to sign-in.
  "/setup": { roles: "redirect", anonymous: "sign-in" },
};
