import crypto from "node:crypto";

// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** 16 symbols × 5 bits = 80 bits: with attempts throttled per email, guessing is hopeless. */
export const RESET_CODE_LENGTH = 16;
/** How long an issued code works. */
export const RESET_CODE_HOURS = 24;

/** A new one-time code, grouped for reading: XXXX-XXXX-XXXX-XXXX. Only its hash is stored. */
export function generateResetCode(): string {
  const bytes = crypto.randomBytes(RESET_CODE_LENGTH);
  let code = "";
  for (const byte of bytes) code += alphabet[byte & 31];
  return code.match(/.{4}/g)!.join("-");
}

/** What the person typed, as the code was generated: upper case, no spaces or dashes, O→0, I/L→1. */
export function normaliseResetCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

export function isResetCodeShape(normalised: string): boolean {
  return (
    normalised.length === RESET_CODE_LENGTH && [...normalised].every((c) => alphabet.includes(c))
  );
}

/** SHA-256 hex of the normalised code: 80 random bits need no slow hash. */
export function hashResetCode(code: string): string {
  return crypto.createHash("sha256").update(normaliseResetCode(code), "utf8").digest("hex");
}

/** Compares two hex hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && crypto.timingSafeEqual(left, right);
}
