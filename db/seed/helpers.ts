/** Small formatting helpers for the demo text. */

export const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export const money = (cents: number, currency = "USD") =>
  `${currency === "USD" ? "$" : currency === "EUR" ? "€" : "£"}${(cents / 100).toFixed(2)}`;

/** Replaces `{slot}` placeholders; unknown slots become empty. */
export function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => slots[key] ?? "");
}
