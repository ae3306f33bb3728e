import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { topUpWrites } from "../helpers/top-up";

describe("topUpWrites (the property tests' non-vacuity top-up)", () => {
  const write = fc.record({ kind: fc.constantFrom("intake", "remedy", "step"), n: fc.nat(9) });

  it("applies writes of a kind that never succeeded until one does, and only those", async () => {
    const done: Record<string, number> = { intake: 3, step: 0, deliver: 0 };
    const applied: string[] = [];
    await topUpWrites(
      write,
      done,
      async (w) => {
        applied.push(w.kind);
        // A step succeeds on its third try; a remedy delivers at once.
        if (w.kind === "step" && applied.filter((k) => k === "step").length >= 3) done.step = 1;
        if (w.kind === "remedy") done.deliver = 1;
      },
      { deliver: "remedy" },
    );
    expect(done).toEqual({ intake: 3, step: 1, deliver: 1 });
    expect(applied.filter((k) => k === "step")).toHaveLength(3);
    expect(applied).not.toContain("intake");
  });

  it("applies nothing when every kind already succeeded", async () => {
    const applied: string[] = [];
    await topUpWrites(write, { intake: 1, step: 2 }, async (w) => void applied.push(w.kind));
    expect(applied).toEqual([]);
  });
});
