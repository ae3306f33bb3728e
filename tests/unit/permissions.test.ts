import { describe, expect, it } from "vitest";
import { roles } from "@/db/schema";
import { can, homeFor, navigationFor, operations } from "@/lib/permissions";

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
});
