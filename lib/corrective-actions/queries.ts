import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDatabase } from "@/db";
import { correctiveActions, rootCauseCategories, rootCauses, users } from "@/db/schema";
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

/** What every corrective-action read shows: the action and its root cause's name. */
export const correctiveActionColumns = {
  id: correctiveActions.id,
  version: correctiveActions.version,
  title: correctiveActions.title,
  description: correctiveActions.description,
  rootCauseId: correctiveActions.rootCauseId,
  rootCause: rootCauses.name,
  ownerId: correctiveActions.ownerId,
  status: correctiveActions.status,
  dueAt: correctiveActions.dueAt,
  doneAt: correctiveActions.doneAt,
  verificationNote: correctiveActions.verificationNote,
};

/** Joins a corrective action to its root cause (same organisation). */
export const rootCauseOfAction = and(
  eq(rootCauses.orgId, correctiveActions.orgId),
  eq(rootCauses.id, correctiveActions.rootCauseId),
);

/** One corrective action as its edit form shows it (dates as UTC days), or null if not in the organisation. */
export interface CorrectiveActionForEdit {
  id: string;
  version: number;
  rootCauseId: string;
  rootCause: string;
  title: string;
  description: string | null;
  ownerId: string | null;
  status: (typeof correctiveActions.$inferSelect)["status"];
  dueAt: string | null;
  doneAt: string | null;
  verificationNote: string | null;
}

export async function correctiveActionForEdit(id: string): Promise<CorrectiveActionForEdit | null> {
  const actor = await requirePermission("corrective-action:manage");
  // A malformed id in the URL is simply "not found", never a database error.
  if (!z.uuid().safeParse(id).success) return null;
  const { db } = await getDatabase();
  const [row] = await db
    .select(correctiveActionColumns)
    .from(correctiveActions)
    .innerJoin(rootCauses, rootCauseOfAction)
    .where(and(eq(correctiveActions.orgId, actor.orgId), eq(correctiveActions.id, id)));
  if (!row) return null;
  return {
    ...row,
    dueAt: row.dueAt?.toISOString().slice(0, 10) ?? null,
    doneAt: row.doneAt?.toISOString().slice(0, 10) ?? null,
  };
}
