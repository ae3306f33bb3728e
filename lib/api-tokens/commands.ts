import "server-only";
import { and, eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { apiTokens, type TokenScope } from "@/db/schema";
import { fieldError, invalid, refused, type ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import { authorise } from "@/lib/auth/guard";
import { generateSecret, hashSecret } from "./secret";
import { createTokenSchema, revokeTokenSchema } from "./validation";

export interface CreatedToken {
  id: string;
  name: string;
  scope: TokenScope;
  /** The only time the secret leaves the server. */
  secret: string;
}

/** Creates a token for the admin's organisation; the secret is returned once, its hash stored. */
export async function createApiToken(raw: unknown): Promise<ActionResult<CreatedToken>> {
  const auth = await authorise("api-token:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = createTokenSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { name, scope } = parsed.data;
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
      })
      .returning({ id: apiTokens.id });
    // The audit trail names the token, never its secret or hash.
    await recordAudit(tx, actor, {
      entity: "api_token",
      entityId: token!.id,
      action: "api-token.created",
      after: { name, scope },
    });
    return {
      ok: true as const,
      data: { id: token!.id, name, scope, secret },
      message: `Token "${name}" created. Copy it now: it will not be shown again.`,
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
