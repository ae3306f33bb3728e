/**
 * Sanity bounds every input path applies — the forms, the API and the importer (issue #11): a
 * past event happened between 1970 and now, a promise or a due date is at most five years ahead,
 * a currency is an ISO 4217 code, a remedy costs at most MAX_REMEDY_COST in major units. Each
 * rule returns its message, or null when the value is within bounds.
 */

/** The earliest event a complaint, its steps or a customer's activity can record. */
export const EARLIEST_EVENT = Date.UTC(1970, 0, 1);
/** Client clocks run a little ahead: "now" from a form may be minutes past the server's. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** How far ahead a promise or a follow-up may be set. */
export const HORIZON_YEARS = 5;
/** The largest remedy cost in major units: anything above it is a typo, not a remedy. */
export const MAX_REMEDY_COST = 1_000_000;

/** A past event: between 1970-01-01 and now. */
export function pastEventProblem(date: Date, label: string, now = Date.now()): string | null {
  if (date.getTime() > now + CLOCK_SKEW_MS) return `${label} cannot be in the future.`;
  if (date.getTime() < EARLIEST_EVENT) return `${label} must be on or after 1970-01-01.`;
  return null;
}

/** The latest a promise or a follow-up may be due, from `now`. */
export function horizonFrom(now = Date.now()): Date {
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() + HORIZON_YEARS);
  return limit;
}

/** A time ahead (a promise, a due date): at most HORIZON_YEARS from now, and after 1970. */
export function horizonProblem(date: Date, label: string, now = Date.now()): string | null {
  if (date.getTime() > horizonFrom(now).getTime())
    return `${label} can be at most ${HORIZON_YEARS} years ahead.`;
  if (date.getTime() < EARLIEST_EVENT) return `${label} must be on or after 1970-01-01.`;
  return null;
}

let isoCurrencies: Set<string> | null = null;

/** ISO 4217 codes, as the runtime's ICU data knows them (USD, EUR, JPY, BHD, …). */
export function isIsoCurrency(code: string): boolean {
  isoCurrencies ??= new Set(Intl.supportedValuesOf("currency"));
  return isoCurrencies.has(code);
}

export const CURRENCY_MESSAGE = "Use an ISO 4217 currency code such as USD, EUR or GBP.";

/** A cost in major units as typed ("25.50"): within MAX_REMEDY_COST. */
export function remedyCostProblem(major: string): string | null {
  return Number(major) > MAX_REMEDY_COST
    ? `A remedy costs at most ${MAX_REMEDY_COST.toLocaleString("en")} — check the amount.`
    : null;
}
