import "server-only";
import { and, asc, count, eq, isNotNull } from "drizzle-orm";
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
  const [categories, causes, counts] = await Promise.all([
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
      })
      .from(rootCauses)
      .where(eq(rootCauses.orgId, actor.orgId))
      .orderBy(asc(rootCauses.name)),
    // Counted apart, grouped (an index-only scan of complaints_root_cause_idx): a correlated
    // count in the select list rendered its columns unqualified and counted 0 for every cause.
    db
      .select({ id: complaints.rootCauseId, complaints: count() })
      .from(complaints)
      .where(and(eq(complaints.orgId, actor.orgId), isNotNull(complaints.rootCauseId)))
      .groupBy(complaints.rootCauseId),
  ]);
  const countOf = new Map(counts.map((c) => [c.id, Number(c.complaints)]));
  return categories.map((c) => ({
    ...c,
    causes: causes
      .filter((r) => r.categoryId === c.id)
      .map(({ categoryId: _, ...r }) => ({ ...r, complaints: countOf.get(r.id) ?? 0 })),
  }));
}
