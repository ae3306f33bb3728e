import { describe, expect, it } from "vitest";
import { roles } from "@/db/schema";
import { approvalNote, awaitingApprovalMessage, needsApproval } from "@/lib/complaints/approval";
import { actorCan, can } from "@/lib/permissions";

describe("remedy approval rules", () => {
  it.each([
    [100_001, 100_000, true],
    [100_000, 100_000, false],
    [99_999, 100_000, false],
    [1, 0, true],
    [0, 0, false],
    [999_999_999, null, false],
    [null, 100_000, false],
  ])("cost %s against limit %s: approval needed = %s", (cost, limit, expected) => {
    expect(needsApproval(cost, limit)).toBe(expected);
  });

  it("names the limit in the remedy's own currency", () => {
    expect(approvalNote(100_000, "USD")).toBe("Needs a manager's approval (limit $1,000.00)");
    expect(approvalNote(100_000, "JPY")).toBe("Needs a manager's approval (limit ¥100,000)");
    expect(approvalNote(null, "USD")).toBe("Needs a manager's approval");
    expect(awaitingApprovalMessage(150_000, "USD", 100_000)).toMatch(
      /^Waiting for a manager's approval: \$1,500\.00 is above the organisation's limit of \$1,000\.00\./,
    );
  });

  it("lets managers and admins approve, nobody else, and no token", () => {
    for (const role of roles)
      expect(can(role, "remedy:approve")).toBe(role === "manager" || role === "admin");
    for (const scope of ["read", "write"] as const)
      expect(actorCan({ role: "admin", via: { kind: "api_token", scope } }, "remedy:approve")).toBe(
        false,
      );
  });

  it("lets only admins manage the organisation's settings, and no token", () => {
    for (const role of roles) expect(can(role, "organisation:manage")).toBe(role === "admin");
    expect(
      actorCan(
        { role: "admin", via: { kind: "api_token", scope: "write" } },
        "organisation:manage",
      ),
    ).toBe(false);
  });
});
