import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { apiTokens, users, type TokenScope } from "@/db/schema";
import { hashSecret, TOKEN_PREFIX } from "@/lib/api-tokens/secret";
import type { Actor } from "@/lib/auth/guard";
import { ApiError } from "./errors";

export interface TokenActor extends Actor {
  via: { kind: "api_token"; tokenId: string; scope: TokenScope };
}

const bearer = /^Bearer\s+(\S+)\s*$/i;
/** last_used_at is written at most this often per token: a busy client costs one update a minute. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * The actor an `Authorization: Bearer trn_…` header stands for. The token's hash is unique, so
 * the row found names the organisation; the token acts for the admin who created it, with the
 * permissions of its scope (lib/permissions.ts actorCan), never their role.
 */
export async function authenticate(request: Request): Promise<TokenActor> {
  const header = request.headers.get("authorization") ?? "";
  const secret = bearer.exec(header)?.[1];
  if (!secret || !secret.startsWith(TOKEN_PREFIX)) {
    throw new ApiError(
      "unauthenticated",
      "Send an API token: Authorization: Bearer trn_… (admins create tokens in Settings → API tokens).",
      { headers: { "www-authenticate": 'Bearer realm="turnaround"' } },
    );
  }
  const { db } = await getDatabase();
  const [token] = await db
    .select({
      id: apiTokens.id,
      orgId: apiTokens.orgId,
      scope: apiTokens.scope,
      createdBy: apiTokens.createdBy,
      userName: users.name,
      userEmail: users.email,
      userActive: users.active,
    })
    .from(apiTokens)
    .innerJoin(users, and(eq(users.orgId, apiTokens.orgId), eq(users.id, apiTokens.createdBy)))
    .where(and(eq(apiTokens.tokenHash, hashSecret(secret)), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!token?.createdBy) {
    throw new ApiError("unauthenticated", "This token is unknown or has been revoked.", {
      headers: { "www-authenticate": 'Bearer realm="turnaround", error="invalid_token"' },
    });
  }
  // A token acts for the person who created it: when they leave (deactivated), so does the token.
  if (!token.userActive) {
    throw new ApiError(
      "unauthenticated",
      "This token's creator has been deactivated, so the token no longer works. An admin can create a new one.",
      { headers: { "www-authenticate": 'Bearer realm="turnaround", error="invalid_token"' } },
    );
  }
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.orgId, token.orgId),
        eq(apiTokens.id, token.id),
        or(
          isNull(apiTokens.lastUsedAt),
          lt(apiTokens.lastUsedAt, new Date(Date.now() - LAST_USED_EVERY_MS)),
        ),
      ),
    );
  return {
    userId: token.createdBy,
    orgId: token.orgId,
    role: "admin",
    name: token.userName,
    email: token.userEmail,
    teamIds: [],
    via: { kind: "api_token", tokenId: token.id, scope: token.scope },
  };
}
