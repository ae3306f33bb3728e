import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { complaints, rootCauseCategories, rootCauses } from "@/db/schema";
import { requirePermission } from "@/lib/auth/guard";

export interface TaxonomyCause {
  id: string;
  name: string;
  description: string | null;
  recurrenceWindowWeeks: number;
  active: boolean;
  complaints: number;
}

export interface TaxonomyCategory {
  id: string;
  key: string;
  name: string;
  causes: TaxonomyCause[];
}

/** The organisation's taxonomy, inactive causes included, with how many complaints use each. */
export async function taxonomyTree(): Promise<TaxonomyCategory[]> {
  const actor = await requirePermission("taxonomy:manage");
  const { db } = await getDatabase();
  const [categories, causes] = await Promise.all([
    db
      .select({
        id: rootCauseCategories.id,
        key: rootCauseCategories.key,
        name: rootCauseCategories.name,
      })
      .from(rootCauseCategories)
      .where(eq(rootCauseCategories.orgId, actor.orgId))
      .orderBy(asc(rootCauseCategories.position), asc(rootCauseCategories.name)),
    db
      .select({
        id: rootCauses.id,
        categoryId: rootCauses.categoryId,
        name: rootCauses.name,
        description: rootCauses.description,
        recurrenceWindowWeeks: rootCauses.recurrenceWindowWeeks,
        active: rootCauses.active,
        complaints: sql<number>`(select count(*)::int from ${complaints} where ${complaints.orgId} = ${rootCauses.orgId} and ${complaints.rootCauseId} = ${rootCauses.id})`,
      })
      .from(rootCauses)
      .where(and(eq(rootCauses.orgId, actor.orgId)))
      .orderBy(asc(rootCauses.name)),
  ]);
  return categories.map((c) => ({
    ...c,
    causes: causes
      .filter((r) => r.categoryId === c.id)
      .map(({ categoryId: _, ...r }) => ({ ...r, complaints: Number(r.complaints) })),
  }));
}
