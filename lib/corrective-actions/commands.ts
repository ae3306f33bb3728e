import "server-only";
import { and, eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { correctiveActions, rootCauses, users } from "@/db/schema";
import { fieldError, invalid, refused, type ActionResult } from "@/lib/action-result";
import { recordAudit, type Tx } from "@/lib/audit";
import type { Actor } from "@/lib/auth/guard";
import { authorise } from "@/lib/auth/guard";
import {
  createCorrectiveActionSchema,
  updateCorrectiveActionSchema,
  type CreateCorrectiveActionInput,
} from "./validation";

const day = (d: string | undefined) => (d ? new Date(`${d}T00:00:00Z`) : null);

/** The root cause and owner must belong to the actor's organisation (and the owner be active). */
async function checkReferences(
  tx: Tx,
  actor: Actor,
  input: Pick<CreateCorrectiveActionInput, "rootCauseId" | "ownerId">,
): Promise<ActionResult<never> | null> {
  const [cause] = await tx
    .select({ id: rootCauses.id })
    .from(rootCauses)
    .where(and(eq(rootCauses.orgId, actor.orgId), eq(rootCauses.id, input.rootCauseId)));
  if (!cause) return fieldError("rootCauseId", "Choose a root cause from the list.");
  if (input.ownerId) {
    const [owner] = await tx
      .select({ id: users.id })
      .from(users)
      .where(
        and(eq(users.orgId, actor.orgId), eq(users.id, input.ownerId), eq(users.active, true)),
      );
    if (!owner) return fieldError("ownerId", "Choose an owner from the list.");
  }
  return null;
}

function columns(input: CreateCorrectiveActionInput, previous?: { verifiedAt: Date | null }) {
  return {
    rootCauseId: input.rootCauseId,
    title: input.title,
    description: input.description ?? null,
    ownerId: input.ownerId ?? null,
    status: input.status,
    dueAt: day(input.dueAt),
    doneAt: day(input.doneAt),
    verificationNote: input.verificationNote ?? null,
    verifiedAt: input.status === "verified" ? (previous?.verifiedAt ?? new Date()) : null,
  };
}

function auditable(values: ReturnType<typeof columns>) {
  return {
    ...values,
    dueAt: values.dueAt?.toISOString().slice(0, 10) ?? null,
    doneAt: values.doneAt?.toISOString().slice(0, 10) ?? null,
    verifiedAt: values.verifiedAt?.toISOString() ?? null,
  };
}

/** Records a corrective action against a root cause (quality and admin). */
export async function createCorrectiveAction(raw: unknown): Promise<ActionResult<{ id: string }>> {
  const auth = await authorise("corrective-action:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = createCorrectiveActionSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const input = parsed.data;
  const { db } = await getDatabase();
  return db.transaction(async (tx) => {
    const bad = await checkReferences(tx, actor, input);
    if (bad) return bad;
    const values = columns(input);
    const [row] = await tx
      .insert(correctiveActions)
      .values({ orgId: actor.orgId, ...values })
      .returning({ id: correctiveActions.id });
    if (!row) throw new Error("insert returned no corrective action");
    await recordAudit(tx, actor, {
      entity: "corrective_action",
      entityId: row.id,
      action: "corrective-action.created",
      after: auditable(values),
    });
    return { ok: true as const, data: { id: row.id }, message: `“${input.title}” recorded.` };
  });
}

/** Changes a corrective action; refuses a stale version (someone else changed it meanwhile). */
export async function updateCorrectiveAction(raw: unknown): Promise<ActionResult> {
  const auth = await authorise("corrective-action:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = updateCorrectiveActionSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { id, version, ...input } = parsed.data;
  const { db } = await getDatabase();
  return db.transaction(async (tx) => {
    const where = and(eq(correctiveActions.orgId, actor.orgId), eq(correctiveActions.id, id));
    const [current] = await tx.select().from(correctiveActions).where(where).for("update");
    if (!current) return refused("not-found", "That corrective action does not exist.");
    if (current.version !== version)
      return refused("conflict", "Someone changed this action meanwhile; reload and try again.");
    const bad = await checkReferences(tx, actor, input);
    if (bad) return bad;
    const values = columns(input, current);
    await tx
      .update(correctiveActions)
      .set({ ...values, version: current.version + 1 })
      .where(where);
    await recordAudit(tx, actor, {
      entity: "corrective_action",
      entityId: id,
      action: "corrective-action.updated",
      before: auditable({
        rootCauseId: current.rootCauseId,
        title: current.title,
        description: current.description,
        ownerId: current.ownerId,
        status: current.status,
        dueAt: current.dueAt,
        doneAt: current.doneAt,
        verificationNote: current.verificationNote,
        verifiedAt: current.verifiedAt,
      }),
      after: auditable(values),
    });
    return { ok: true as const, data: null, message: `“${input.title}” updated.` };
  });
}
