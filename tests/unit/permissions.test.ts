import { describe, expect, it } from "vitest";
import { roles } from "@/db/schema";
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

  describe("API tokens act by scope, whatever role they carry", () => {
    const token = (scope: "read" | "write") =>
      ({ role: "admin", via: { kind: "api_token", scope } }) as const;

    it("lets a read token read complaints and metrics, and nothing else", () => {
      const allowed = operations.filter((op) => actorCan(token("read"), op));
      expect(allowed.sort()).toEqual(
        [
          "complaint:read",
          "dashboard:executive",
          "dashboard:manager",
          "dashboard:quality",
          "export:run",
        ].sort(),
      );
    });

    it("lets a write token also record complaints, recovery steps and activity", () => {
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
      ] as const) {
        expect(actorCan(token("write"), op)).toBe(false);
      }
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
