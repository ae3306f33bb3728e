import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { getDatabase } from "@/db";
import { rootCauseCategories, rootCauses } from "@/db/schema";
import { fieldError, invalid, refused, type ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import { authorise } from "@/lib/auth/guard";
import { createRootCauseSchema, updateRootCauseSchema } from "./validation";

const taken = "A cause with this name already exists in the category.";

/** Adds a root cause under one of the organisation's categories. */
export async function createRootCause(raw: unknown): Promise<ActionResult<{ id: string }>> {
  const auth = await authorise("taxonomy:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = createRootCauseSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const input = parsed.data;
  const { db } = await getDatabase();
  return db.transaction(async (tx) => {
    const [category] = await tx
      .select({ id: rootCauseCategories.id })
      .from(rootCauseCategories)
      .where(
        and(
          eq(rootCauseCategories.orgId, actor.orgId),
          eq(rootCauseCategories.id, input.categoryId),
        ),
      );
    if (!category)
      return fieldError<{ id: string }>("categoryId", "Choose a category from the list.");
    const [duplicate] = await tx
      .select({ id: rootCauses.id })
      .from(rootCauses)
      .where(
        and(
          eq(rootCauses.orgId, actor.orgId),
          eq(rootCauses.categoryId, input.categoryId),
          eq(rootCauses.name, input.name),
        ),
      );
    if (duplicate) return fieldError<{ id: string }>("name", taken);
    const values = {
      categoryId: input.categoryId,
      name: input.name,
      description: input.description ?? null,
      recurrenceWindowWeeks: input.recurrenceWindowWeeks,
    };
    const [row] = await tx
      .insert(rootCauses)
      .values({ orgId: actor.orgId, ...values })
      .returning({ id: rootCauses.id });
    if (!row) throw new Error("insert returned no root cause");
    await recordAudit(tx, actor, {
      entity: "root_cause",
      entityId: row.id,
      action: "root-cause.created",
      after: values,
    });
    return { ok: true as const, data: { id: row.id }, message: `“${input.name}” added.` };
  });
}

/** Renames, re-describes, changes the recurrence window, deactivates or reactivates a cause. */
export async function updateRootCause(raw: unknown): Promise<ActionResult> {
  const auth = await authorise("taxonomy:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = updateRootCauseSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { id, ...input } = parsed.data;
  const { db } = await getDatabase();
  return db.transaction(async (tx) => {
    const where = and(eq(rootCauses.orgId, actor.orgId), eq(rootCauses.id, id));
    const [current] = await tx.select().from(rootCauses).where(where).for("update");
    if (!current) return refused("not-found", "That root cause does not exist.");
    const [duplicate] = await tx
      .select({ id: rootCauses.id })
      .from(rootCauses)
      .where(
        and(
          eq(rootCauses.orgId, actor.orgId),
          eq(rootCauses.categoryId, current.categoryId),
          eq(rootCauses.name, input.name),
          ne(rootCauses.id, id),
        ),
      );
    if (duplicate) return fieldError("name", taken);
    const values = {
      name: input.name,
      description: input.description ?? null,
      recurrenceWindowWeeks: input.recurrenceWindowWeeks,
      active: input.active,
    };
    await tx.update(rootCauses).set(values).where(where);
    await recordAudit(tx, actor, {
      entity: "root_cause",
      entityId: id,
      action: "root-cause.updated",
      before: {
        name: current.name,
        description: current.description,
        recurrenceWindowWeeks: current.recurrenceWindowWeeks,
        active: current.active,
      },
      after: values,
    });
    return { ok: true as const, data: null, message: `“${input.name}” saved.` };
  });
}
