import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { apiTokens, users, type TokenScope } from "@/db/schema";
import { requirePermission } from "@/lib/auth/guard";

export interface ApiTokenRow {
  id: string;
  name: string;
  scope: TokenScope;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
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
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
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
  }));
}
