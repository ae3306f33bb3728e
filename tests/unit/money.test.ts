import { describe, expect, it } from "vitest";
import { formatMoney, toMinorUnits } from "@/lib/money";

describe("money", () => {
  it.each([
    ["25", "USD", 2500],
    ["25.5", "USD", 2550],
    ["0.07", "EUR", 7],
    ["1200", "JPY", 1200],
    ["1.234", "BHD", 1234],
  ])("%s %s is %d minor units", (amount, currency, minor) => {
    expect(toMinorUnits(amount, currency)).toBe(minor);
  });

  it("refuses more decimals than the currency has", () => {
    expect(toMinorUnits("12.345", "USD")).toBeNull();
    expect(toMinorUnits("12.5", "JPY")).toBeNull();
  });

  it("formats minor units in the currency", () => {
    expect(formatMoney(2550, "USD")).toBe("$25.50");
    expect(formatMoney(1200, "JPY")).toBe("¥1,200");
  });
});
