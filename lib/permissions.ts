/**
 * The one role → operation table. Pages, server actions and route handlers ask `can()` (through
 * lib/auth/guard.ts); nothing else decides who may do what.
 */
import type { Role, TokenScope } from "@/db/schema";

export const operations = [
  "complaint:read",
  "complaint:create",
  "complaint:edit-team",
  "complaint:edit-any",
  "complaint:reassign",
  "root-cause:assign",
  "taxonomy:manage",
  "corrective-action:manage",
  "dashboard:manager",
  "dashboard:quality",
  "dashboard:executive",
  "queue:view",
  "import:run",
  "export:run",
  "audit:read",
  "user:manage",
  "team:manage",
  "playbook:manage",
  "sla-policy:manage",
  "api-token:manage",
  "activity:record",
  // The whole organisation out and in (lib/archive): admins only, as no role list names them.
  "archive:export",
  "archive:import",
  "remedy:approve",
  "organisation:manage",
] as const;
export type Operation = (typeof operations)[number];

const byRole: Record<Exclude<Role, "admin">, readonly Operation[]> = {
  agent: ["complaint:read", "complaint:create", "complaint:edit-team", "queue:view", "export:run"],
  manager: [
    "complaint:read",
    "complaint:create",
    "complaint:edit-team",
    "complaint:reassign",
    "remedy:approve",
    "queue:view",
    "dashboard:manager",
    "import:run",
    "export:run",
    "audit:read",
  ],
  quality: [
    "complaint:read",
    "root-cause:assign",
    "taxonomy:manage",
    "corrective-action:manage",
    "dashboard:quality",
    "export:run",
    "audit:read",
  ],
  executive: ["complaint:read", "dashboard:executive", "export:run"],
};

/** Whether a role may perform an operation. Admin may do everything. */
export function can(role: Role, operation: Operation): boolean {
  if (role === "admin") return true;
  return byRole[role].includes(operation);
}

/**
 * What an API token's scope allows. A read token reads the whole organisation (integrations are
 * org-wide); a write token also records complaints, remedies, follow-ups, outcomes and activity.
 * Nothing administrative is reachable with a token. A token acts for its creator, so it does only
 * what both its scope and the creator's current role allow (actorCan): write names both ways of
 * editing and the role picks — an admin's token edits any complaint, an agent's or a manager's
 * only their teams' (and their own), an executive's none.
 */
const readScope: readonly Operation[] = [
  "complaint:read",
  "dashboard:manager",
  "dashboard:quality",
  "dashboard:executive",
  "export:run",
];
const byScope: Record<TokenScope, readonly Operation[]> = {
  read: readScope,
  write: [
    ...readScope,
    "complaint:create",
    "complaint:edit-team",
    "complaint:edit-any",
    "activity:record",
  ],
};

/** Whether a token's scope names an operation (its creator's role must allow it too). */
export function scopeAllows(scope: TokenScope, operation: Operation): boolean {
  return Object.hasOwn(byScope, scope) && byScope[scope].includes(operation);
}

/** The subject of a permission check: a signed-in user, or an API token acting for its creator. */
export interface Permitted {
  role: Role;
  via?: { kind: "api_token"; scope: TokenScope } | { kind: string };
}

/**
 * Whether this actor may perform an operation: by role for people (also when they run an
 * import); for an API token, by its scope AND its creator's current role (the actor's role is
 * the creator's, re-read at every request), so a demoted creator's token shrinks with them.
 */
export function actorCan(actor: Permitted, operation: Operation): boolean {
  const via = actor.via;
  if (via && via.kind === "api_token") {
    // A token without a scope is refused everything rather than acting as its creator.
    if (!("scope" in via) || !scopeAllows(via.scope as TokenScope, operation)) return false;
  }
  return can(actor.role, operation);
}

/** Where each role lands after signing in. */
export function homeFor(role: Role): string {
  switch (role) {
    case "agent":
      return "/queue";
    case "manager":
      return "/dashboards/manager";
    case "quality":
      return "/dashboards/quality";
    case "executive":
      return "/dashboards/executive";
    case "admin":
      return "/settings/users";
  }
}

export interface NavItem {
  href: string;
  label: string;
}

const navigation: { item: NavItem; needs: Operation }[] = [
  { item: { href: "/queue", label: "My queue" }, needs: "queue:view" },
  { item: { href: "/complaints", label: "Complaints" }, needs: "complaint:read" },
  {
    item: { href: "/dashboards/manager", label: "Recovery performance" },
    needs: "dashboard:manager",
  },
  { item: { href: "/dashboards/quality", label: "Root causes" }, needs: "dashboard:quality" },
  { item: { href: "/dashboards/executive", label: "Retention" }, needs: "dashboard:executive" },
  { item: { href: "/import", label: "Import" }, needs: "import:run" },
  { item: { href: "/exports", label: "Exports" }, needs: "export:run" },
  { item: { href: "/settings/users", label: "Settings" }, needs: "user:manage" },
];

/** The navigation a role sees: only what it may open. */
export function navigationFor(role: Role): NavItem[] {
  return navigation.filter((entry) => can(role, entry.needs)).map((entry) => entry.item);
}
