import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { getDatabase, type Db } from "@/db";
import { apiTokens, teamMemberships, users, type TokenScope } from "@/db/schema";
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
 * When this process last wrote a token's last_used_at: within the minute the conditional update
 * would change nothing, so the request skips its round trip. Only the time of a write is kept
 * (never the token or its user), so revocation and deactivation still apply at once.
 */
const lastUsedWritten = new Map<string, number>();
/** Far more tokens than are in use at once; beyond it, entries over a minute old are dropped. */
const LAST_USED_REMEMBERED = 10_000;

async function noteUse(db: Db, orgId: string, tokenId: string): Promise<void> {
  const now = Date.now();
  const written = lastUsedWritten.get(tokenId);
  if (written !== undefined && now - written < LAST_USED_EVERY_MS) return;
  const updated = await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.orgId, orgId),
        eq(apiTokens.id, tokenId),
        or(
          isNull(apiTokens.lastUsedAt),
          lt(apiTokens.lastUsedAt, new Date(now - LAST_USED_EVERY_MS)),
        ),
      ),
    )
    .returning({ id: apiTokens.id });
  // Not updated: another process wrote it within the minute, at a time this one does not know.
  if (updated.length === 0) return;
  if (lastUsedWritten.size >= LAST_USED_REMEMBERED) {
    for (const [id, at] of lastUsedWritten) {
      if (now - at >= LAST_USED_EVERY_MS) lastUsedWritten.delete(id);
    }
  }
  lastUsedWritten.set(tokenId, now);
}

const invalidToken = { "www-authenticate": 'Bearer realm="turnaround", error="invalid_token"' };

/**
 * The actor an `Authorization: Bearer trn_…` header stands for. The token's hash is unique, so
 * the row found names the organisation. The token acts for the person who created it as they are
 * now: their current role and teams, read by the same query at every request, so a demotion
 * applies at once; it may do what both its scope and that role allow (lib/permissions.ts
 * actorCan). An expired or revoked token, or one whose creator is deactivated, gets 401.
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
      expiresAt: apiTokens.expiresAt,
      userName: users.name,
      userEmail: users.email,
      userRole: users.role,
      userActive: users.active,
      // The creator's teams in the same round trip: a token costs one query per request.
      teamIds: sql<
        string[]
      >`coalesce((select json_agg(${teamMemberships.teamId} order by ${teamMemberships.teamId})
        from ${teamMemberships}
        where ${teamMemberships.orgId} = ${apiTokens.orgId}
          and ${teamMemberships.userId} = ${apiTokens.createdBy}), '[]'::json)`,
    })
    .from(apiTokens)
    .innerJoin(users, and(eq(users.orgId, apiTokens.orgId), eq(users.id, apiTokens.createdBy)))
    .where(and(eq(apiTokens.tokenHash, hashSecret(secret)), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!token?.createdBy) {
    throw new ApiError("unauthenticated", "This token is unknown or has been revoked.", {
      headers: invalidToken,
    });
  }
  // Tokens made before expiry existed have none (null): they keep working, and Settings → API
  // tokens asks for their replacement (docs/api-tokens.md).
  if (token.expiresAt && token.expiresAt.getTime() <= Date.now()) {
    throw new ApiError(
      "unauthenticated",
      `This token expired at ${token.expiresAt.toISOString()}. An admin can create a new one in Settings → API tokens.`,
      { headers: invalidToken },
    );
  }
  // A token acts for the person who created it: when they leave (deactivated), so does the token.
  if (!token.userActive) {
    throw new ApiError(
      "unauthenticated",
      "This token's creator has been deactivated, so the token no longer works. An admin can create a new one.",
      { headers: invalidToken },
    );
  }
  await noteUse(db, token.orgId, token.id);
  return {
    userId: token.createdBy,
    orgId: token.orgId,
    role: token.userRole,
    name: token.userName,
    email: token.userEmail,
    teamIds: token.teamIds,
    via: { kind: "api_token", tokenId: token.id, scope: token.scope },
  };
}
