import { currencyDigits } from "@/lib/money";

/** 2550 USD → "25.50", 500 JPY → "500": exact, by string, never through a float. */
export function majorUnits(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  const whole = digits ? text.slice(0, -digits) : text;
  const sign = minor < 0 ? "-" : "";
  return digits ? `${sign}${whole}.${text.slice(-digits)}` : `${sign}${whole}`;
}
