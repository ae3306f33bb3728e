/** Number formats shared by tiles, charts, tables and CSV files (safe on server and client). */
import { formatMoney as formatMinor } from "@/lib/money";

export type ValueFormat = "percent" | "number" | "hours" | "money";

const dash = "—";

/** 0.834 → "83.4 %". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value == null || !Number.isFinite(value)) return dash;
  return `${(value * 100).toFixed(digits)} %`;
}

/** Hours → "35 min", "5.3 h", "3.2 d" (days of 24 h, from one day up). */
export function formatHours(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return dash;
  const abs = Math.abs(value);
  if (abs < 1) return `${Math.round(value * 60)} min`;
  if (abs < 24) return `${value.toFixed(1)} h`;
  return `${(value / 24).toFixed(1)} d`;
}

/** 12345 → "12,345"; fractions keep up to one decimal. */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value == null || !Number.isFinite(value)) return dash;
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(value);
}

/** Minor units in a currency → "$1,234.50"; never adds currencies together. */
export function formatMoney(minor: number | null | undefined, currency = "USD"): string {
  if (minor == null || !Number.isFinite(minor)) return dash;
  return formatMinor(minor, currency);
}

/** A value in one of the formats. */
export function formatValue(
  value: number | null | undefined,
  format: ValueFormat = "number",
  currency?: string,
): string {
  switch (format) {
    case "percent":
      return formatPercent(value);
    case "hours":
      return formatHours(value);
    case "money":
      return formatMoney(value, currency);
    default:
      return formatNumber(value);
  }
}

export interface Delta {
  /** "+4.2 pts", "−12 %", "+3.1 h"; null when either side is missing. */
  text: string | null;
  direction: "up" | "down" | "flat";
}

/**
 * The change from `previous` to `value`: percentage points for rates, relative change for counts
 * and money, absolute hours for durations (a relative change of a duration reads badly).
 */
export function formatDelta(
  value: number | null | undefined,
  previous: number | null | undefined,
  format: ValueFormat = "number",
  currency?: string,
): Delta {
  if (value == null || previous == null || !Number.isFinite(value) || !Number.isFinite(previous))
    return { text: null, direction: "flat" };
  const diff = value - previous;
  const direction = Math.abs(diff) < 1e-9 ? "flat" : diff > 0 ? "up" : "down";
  const sign = diff > 0 ? "+" : diff < 0 ? "−" : "±";
  const abs = Math.abs(diff);
  let text: string;
  switch (format) {
    case "percent":
      text = `${sign}${(abs * 100).toFixed(1)} pts`;
      break;
    case "hours":
      text = `${sign}${formatHours(abs)}`;
      break;
    case "money":
      text =
        previous === 0
          ? `${sign}${formatMoney(abs, currency)}`
          : `${sign}${((abs / Math.abs(previous)) * 100).toFixed(0)} %`;
      break;
    default:
      text =
        previous === 0
          ? `${sign}${formatNumber(abs)}`
          : `${sign}${((abs / Math.abs(previous)) * 100).toFixed(0)} %`;
  }
  return { text, direction };
}
