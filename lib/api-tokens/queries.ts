import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { apiTokens, users, type Role, type TokenScope } from "@/db/schema";
import { requirePermission } from "@/lib/auth/guard";

export interface ApiTokenRow {
  id: string;
  name: string;
  scope: TokenScope;
  createdBy: string | null;
  /** The creator's role now: the token does no more than it allows (lib/permissions.ts). */
  creatorRole: Role | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Null only on tokens made before expiry existed: they keep working until replaced. */
  expiresAt: string | null;
  /** False when the creator is deactivated: the token then no longer authenticates. */
  creatorActive: boolean;
}

/** The organisation's tokens, active ones first, newest first; never their hashes. */
export async function listApiTokens(): Promise<ApiTokenRow[]> {
  const actor = await requirePermission("api-token:manage");
  const { db } = await getDatabase();
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scope: apiTokens.scope,
      createdBy: users.name,
      creatorRole: users.role,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      expiresAt: apiTokens.expiresAt,
      creatorActive: sql<boolean>`coalesce(${users.active}, false)`,
    })
    .from(apiTokens)
    .leftJoin(users, and(eq(users.orgId, apiTokens.orgId), eq(users.id, apiTokens.createdBy)))
    .where(eq(apiTokens.orgId, actor.orgId))
    .orderBy(sql`${apiTokens.revokedAt} is not null`, desc(apiTokens.createdAt));
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
  }));
}
