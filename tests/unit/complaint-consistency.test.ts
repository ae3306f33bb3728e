import { describe, expect, it } from "vitest";
import { statusTimeProblems, type StatusAndTimes } from "@/lib/complaints/consistency";

const at = (day: number) => new Date(Date.UTC(2025, 0, day));
const base: StatusAndTimes = { status: "new", receivedAt: at(1), resolvedAt: null, closedAt: null };
const fields = (t: Partial<StatusAndTimes>) =>
  statusTimeProblems({ ...base, ...t }).map((p) => p.field);

describe("the status and times of a complaint", () => {
  it("accept each status with the times it implies", () => {
    expect(fields({})).toEqual([]);
    expect(fields({ status: "in_progress", firstResponseAt: at(2) })).toEqual([]);
    expect(fields({ status: "resolved", firstResponseAt: at(2), resolvedAt: at(3) })).toEqual([]);
    expect(fields({ status: "closed", resolvedAt: at(3), closedAt: at(3) })).toEqual([]);
  });
  it("refuse a resolved or closed complaint without its times", () => {
    expect(fields({ status: "resolved" })).toEqual(["resolvedAt"]);
    expect(fields({ status: "closed" })).toEqual(["resolvedAt", "closedAt"]);
    expect(fields({ status: "closed", resolvedAt: at(3) })).toEqual(["closedAt"]);
  });
  it("refuse a new or in-progress complaint with a resolved or closed time", () => {
    expect(fields({ resolvedAt: at(3) })).toEqual(["status"]);
    expect(fields({ status: "in_progress", closedAt: at(3), resolvedAt: at(3) })).toEqual([
      "status",
    ]);
  });
  it("refuse times out of order: received ≤ first response ≤ resolved ≤ closed", () => {
    expect(fields({ status: "in_progress", firstResponseAt: at(0) })).toEqual(["firstResponseAt"]);
    expect(fields({ status: "resolved", firstResponseAt: at(5), resolvedAt: at(4) })).toEqual([
      "resolvedAt",
    ]);
    expect(fields({ status: "closed", resolvedAt: at(5), closedAt: at(4) })).toEqual(["closedAt"]);
    expect(statusTimeProblems({ ...base, status: "resolved", resolvedAt: at(0) })).toEqual([
      { field: "resolvedAt", message: "Resolved at is before received at." },
    ]);
  });
});
