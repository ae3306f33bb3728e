/**
 * When an API token stops working, and how the list says so. Pure, so the form, the command, the
 * list and the tests share one rule.
 */

const DAY_MS = 86_400_000;

/** What the form offers; 90 days is preselected. "date" means the date in `expiresOn`. */
export const expiryChoices = ["7", "30", "90", "365", "date"] as const;
export type ExpiryChoice = (typeof expiryChoices)[number];
export const DEFAULT_EXPIRY: ExpiryChoice = "90";
/** No token lives longer than a year: a leaked secret cannot outlast that. */
export const MAX_EXPIRY_DAYS = 365;

export const expiryLabels: Record<ExpiryChoice, string> = {
  "7": "7 days",
  "30": "30 days",
  "90": "90 days",
  "365": "1 year",
  date: "On a date…",
};

/** YYYY-MM-DD of a UTC day. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The dates a token may be set to expire on: tomorrow to a year from today (UTC days). */
export function expiryDateBounds(now: Date): { min: string; max: string } {
  return {
    min: isoDay(now.getTime() + DAY_MS),
    max: isoDay(now.getTime() + MAX_EXPIRY_DAYS * DAY_MS),
  };
}

/**
 * The moment a new token expires: N days from now, or — for a date — the end of that day in UTC
 * (the token works through the whole date it was given).
 */
export function expiresAtFor(choice: ExpiryChoice, expiresOn: string | undefined, now: Date): Date {
  if (choice === "date") return new Date(Date.parse(`${expiresOn}T00:00:00Z`) + DAY_MS);
  return new Date(now.getTime() + Number(choice) * DAY_MS);
}

export type ExpiryState =
  | { kind: "expires"; days: number; text: string }
  | { kind: "expired"; text: string }
  /** Made before tokens had an expiry: it keeps working, and the list asks for a replacement. */
  | { kind: "none"; text: string };

/** "Expires in 12 days", "Expires within a day", "Expired", "No expiry — replace it". */
export function expiryState(expiresAt: string | Date | null, now: Date): ExpiryState {
  if (expiresAt === null) return { kind: "none", text: "No expiry — replace it" };
  const left = new Date(expiresAt).getTime() - now.getTime();
  if (left <= 0) return { kind: "expired", text: "Expired" };
  if (left < DAY_MS) return { kind: "expires", days: 0, text: "Expires within a day" };
  // Rounded up: a token just made for 90 days says 90, not 89.
  const days = Math.ceil(left / DAY_MS);
  return { kind: "expires", days, text: `Expires in ${days} day${days === 1 ? "" : "s"}` };
}
