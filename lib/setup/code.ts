import crypto from "node:crypto";

/** No 0/O or 1/I: a code read off a terminal and typed again should survive the trip. */
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const GROUPS = 3;
const GROUP_LENGTH = 4;
export const SETUP_CODE_LENGTH = GROUPS * GROUP_LENGTH;
/** How long a printed code stays good; a restart prints a fresh one. */
export const SETUP_CODE_HOURS = 24;

/** A fresh one-time code, e.g. "K7QM-3XPA-WD9R" (60 random bits). */
export function generateSetupCode(): string {
  const chars = Array.from({ length: SETUP_CODE_LENGTH }, () => ALPHABET[crypto.randomInt(32)]!);
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i++)
    groups.push(chars.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH).join(""));
  return groups.join("-");
}

/** What the person typed, as stored: upper case, without dashes or spaces. */
export function normaliseSetupCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]+/g, "");
}

/** True when the text could be a code at all (12 characters of the alphabet). */
export function isWellFormedSetupCode(normalised: string): boolean {
  return (
    normalised.length === SETUP_CODE_LENGTH && [...normalised].every((c) => ALPHABET.includes(c))
  );
}

/** Only this is stored: a database dump never holds a usable code. */
export function hashSetupCode(code: string): string {
  return crypto.createHash("sha256").update(normaliseSetupCode(code)).digest("hex");
}
