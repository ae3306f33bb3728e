import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { rootCauseCategories, rootCauses, users } from "@/db/schema";
import { requirePermission } from "@/lib/auth/guard";

export interface CorrectiveActionChoices {
  rootCauses: { id: string; name: string; category: string }[];
  owners: { id: string; name: string }[];
}

/** What the corrective-action forms offer: the organisation's active causes and active people. */
export async function correctiveActionChoices(): Promise<CorrectiveActionChoices> {
  const actor = await requirePermission("corrective-action:manage");
  const { db } = await getDatabase();
  const [causes, owners] = await Promise.all([
    db
      .select({ id: rootCauses.id, name: rootCauses.name, category: rootCauseCategories.name })
      .from(rootCauses)
      .innerJoin(
        rootCauseCategories,
        and(
          eq(rootCauseCategories.orgId, rootCauses.orgId),
          eq(rootCauseCategories.id, rootCauses.categoryId),
        ),
      )
      .where(and(eq(rootCauses.orgId, actor.orgId), eq(rootCauses.active, true)))
      .orderBy(asc(rootCauseCategories.position), asc(rootCauses.name)),
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.orgId, actor.orgId), eq(users.active, true)))
      .orderBy(asc(users.name)),
  ]);
  return { rootCauses: causes, owners };
}
