import crypto from "node:crypto";

/** Every secret starts with this, so a leaked one is recognisable (and greppable) as ours. */
export const TOKEN_PREFIX = "trn_";

/** A new secret: the prefix and 32 random bytes. Shown once; only its hash is stored. */
export function generateSecret(): string {
  return TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
}

/** SHA-256 hex: the secret has 256 bits of entropy, so a slow hash would add nothing. */
export function hashSecret(secret: string): string {
  return crypto.createHash("sha256").update(secret, "utf8").digest("hex");
}
