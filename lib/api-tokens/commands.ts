import "server-only";
import { and, eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { apiTokens, type TokenScope } from "@/db/schema";
import { fieldError, invalid, refused, type ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import { authorise } from "@/lib/auth/guard";
import { expiresAtFor } from "./expiry";
import { generateSecret, hashSecret } from "./secret";
import { createTokenSchema, revokeTokenSchema } from "./validation";

export interface CreatedToken {
  id: string;
  name: string;
  scope: TokenScope;
  /** ISO time after which the token no longer authenticates. */
  expiresAt: string;
  /** The only time the secret leaves the server. */
  secret: string;
}

/**
 * Creates a token for the admin's organisation; the secret is returned once, its hash stored.
 * Every token expires (at most a year ahead); it acts for its creator with their role at the time
 * of each request, within its scope (lib/permissions.ts actorCan).
 */
export async function createApiToken(raw: unknown): Promise<ActionResult<CreatedToken>> {
  const auth = await authorise("api-token:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = createTokenSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { name, scope, expiresIn, expiresOn } = parsed.data;
  const expiresAt = expiresAtFor(expiresIn, expiresOn, new Date());
  const secret = generateSecret();
  const { db } = await getDatabase();
  return db.transaction(async (tx) => {
    const [token] = await tx
      .insert(apiTokens)
      .values({
        orgId: actor.orgId,
        name,
        scope,
        tokenHash: hashSecret(secret),
        createdBy: actor.userId,
        expiresAt,
      })
      .returning({ id: apiTokens.id });
    // The audit trail names the token, never its secret or hash.
    await recordAudit(tx, actor, {
      entity: "api_token",
      entityId: token!.id,
      action: "api-token.created",
      after: { name, scope, expiresAt: expiresAt.toISOString() },
    });
    return {
      ok: true as const,
      data: { id: token!.id, name, scope, expiresAt: expiresAt.toISOString(), secret },
      message: `Token "${name}" created; it works until ${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC. Copy it now: it will not be shown again.`,
    };
  });
}

/** Revokes a token at once: the next request with it gets 401. */
export async function revokeApiToken(raw: unknown): Promise<ActionResult> {
  const auth = await authorise("api-token:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = revokeTokenSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { db } = await getDatabase();
  return db.transaction(async (tx) => {
    const where = and(eq(apiTokens.orgId, actor.orgId), eq(apiTokens.id, parsed.data.tokenId));
    const [token] = await tx
      .select({ name: apiTokens.name, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(where)
      .for("update");
    if (!token) return refused("not-found", "That token does not exist in your organisation.");
    if (token.revokedAt) return fieldError("tokenId", "This token is already revoked.");
    const revokedAt = new Date();
    await tx.update(apiTokens).set({ revokedAt }).where(where);
    await recordAudit(tx, actor, {
      entity: "api_token",
      entityId: parsed.data.tokenId,
      action: "api-token.revoked",
      before: { revokedAt: null },
      after: { name: token.name, revokedAt },
    });
    return { ok: true as const, data: null, message: `Token "${token.name}" revoked.` };
  });
}
