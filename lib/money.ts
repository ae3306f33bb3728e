/** Digits after the decimal point for a currency (2 for USD, 0 for JPY, 3 for BHD). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** "25.5" USD → 2550 minor units; null when the amount has more decimals than the currency. */
export function toMinorUnits(amount: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const [whole = "0", fraction = ""] = amount.trim().split(".");
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** 2550, "USD" → "$25.50". */
export function formatMoney(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(
    minor / 10 ** digits,
  );
}
