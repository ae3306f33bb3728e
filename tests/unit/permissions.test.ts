import { describe, expect, it } from "vitest";
import { roles, type Role } from "@/db/schema";
import { actorCan, can, homeFor, navigationFor, operations } from "@/lib/permissions";

describe("permissions", () => {
  it("lets admin do everything", () => {
    for (const op of operations) expect(can("admin", op)).toBe(true);
  });

  // The refusals that matter most, listed explicitly.
  it.each([
    ["agent", "user:manage"],
    ["agent", "dashboard:executive"],
    ["agent", "complaint:reassign"],
    ["agent", "taxonomy:manage"],
    ["manager", "user:manage"],
    ["manager", "taxonomy:manage"],
    ["quality", "complaint:create"],
    ["quality", "user:manage"],
    ["executive", "complaint:create"],
    ["executive", "complaint:edit-team"],
    ["executive", "root-cause:assign"],
    ["executive", "user:manage"],
  ] as const)("refuses %s → %s", (role, op) => {
    expect(can(role, op)).toBe(false);
  });

  it.each([
    ["agent", "complaint:create"],
    ["agent", "queue:view"],
    ["manager", "complaint:reassign"],
    ["manager", "dashboard:manager"],
    ["quality", "root-cause:assign"],
    ["quality", "corrective-action:manage"],
    ["executive", "dashboard:executive"],
  ] as const)("allows %s → %s", (role, op) => {
    expect(can(role, op)).toBe(true);
  });

  it("sends each role to a home it may open", () => {
    const homes = new Set(roles.map(homeFor));
    expect(homes.size).toBe(roles.length);
    for (const role of roles) {
      expect(navigationFor(role).map((i) => i.href)).toContain(homeFor(role));
    }
  });

  it("shows settings only to admins", () => {
    for (const role of roles) {
      const hasSettings = navigationFor(role).some((i) => i.href.startsWith("/settings"));
      expect(hasSettings).toBe(role === "admin");
    }
  });

  describe("API tokens do what both their scope and their creator's current role allow", () => {
    const token = (scope: "read" | "write", role: Role = "admin") =>
      ({ role, via: { kind: "api_token", scope } }) as const;
    const allowedFor = (scope: "read" | "write", role: Role) =>
      operations.filter((op) => actorCan(token(scope, role), op)).sort();

    it("lets an admin's read token read complaints and metrics, and nothing else", () => {
      expect(allowedFor("read", "admin")).toEqual(
        [
          "complaint:read",
          "dashboard:executive",
          "dashboard:manager",
          "dashboard:quality",
          "export:run",
        ].sort(),
      );
    });

    it("lets an admin's write token also record complaints, edit any complaint and record activity", () => {
      for (const op of ["complaint:create", "complaint:edit-any", "activity:record"] as const) {
        expect(actorCan(token("write"), op)).toBe(true);
        expect(actorCan(token("read"), op)).toBe(false);
      }
    });

    it("never reaches administration with a token, even one an admin created", () => {
      for (const op of [
        "user:manage",
        "api-token:manage",
        "import:run",
        "taxonomy:manage",
        "root-cause:assign",
        "complaint:reassign",
        "remedy:approve",
        "archive:export",
      ] as const) {
        expect(actorCan(token("write"), op)).toBe(false);
      }
    });

    it.each(roles)("never lets a %s's token do what the role may not", (role) => {
      for (const scope of ["read", "write"] as const)
        for (const op of allowedFor(scope, role)) expect(can(role, op)).toBe(true);
    });

    it("shrinks a write token to its creator's new role after a demotion", () => {
      // Agent: records complaints and edits its teams' ones, never any complaint or activity.
      expect(allowedFor("write", "agent")).toEqual(
        ["complaint:create", "complaint:edit-team", "complaint:read", "export:run"].sort(),
      );
      // Manager: the same writes, and the manager's dashboard.
      expect(allowedFor("write", "manager")).toEqual(
        [
          "complaint:create",
          "complaint:edit-team",
          "complaint:read",
          "dashboard:manager",
          "export:run",
        ].sort(),
      );
      // Executive and quality: a write token no longer writes; it reads what the role reads.
      expect(allowedFor("write", "executive")).toEqual(
        ["complaint:read", "dashboard:executive", "export:run"].sort(),
      );
      expect(allowedFor("write", "quality")).toEqual(
        ["complaint:read", "dashboard:quality", "export:run"].sort(),
      );
      expect(allowedFor("read", "executive")).toEqual(allowedFor("write", "executive"));
    });

    it("refuses a token without a valid scope everything, whatever its role", () => {
      const odd = [
        { role: "admin", via: { kind: "api_token" } },
        { role: "admin", via: { kind: "api_token", scope: "admin" } },
        { role: "admin", via: { kind: "api_token", scope: "__proto__" } },
      ] as const;
      for (const actor of odd)
        for (const op of operations) expect(actorCan(actor as never, op)).toBe(false);
    });

    it("falls back to the role for people, also when they run an import", () => {
      expect(actorCan({ role: "manager" }, "import:run")).toBe(true);
      expect(actorCan({ role: "agent", via: { kind: "import" } }, "import:run")).toBe(false);
    });
  });

  it("shows Import to managers and admins, Exports to every role that may export", () => {
    for (const role of roles) {
      const hrefs = navigationFor(role).map((i) => i.href);
      expect(hrefs.includes("/import")).toBe(role === "manager" || role === "admin");
      expect(hrefs.includes("/exports")).toBe(true);
    }
  });
});
