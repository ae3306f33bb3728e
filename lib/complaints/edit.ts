import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDatabase } from "@/db";
import { auditEvents, complaints, slaPolicies, users, type Complaint } from "@/db/schema";
import { invalid, refused, type ActionResult } from "@/lib/action-result";
import { recordAudit, type Tx } from "@/lib/audit";
import { getActor, type Actor } from "@/lib/auth/guard";
import { refreshComplaintFacts } from "@/lib/rollups/maintain";
import { mayChangeComplaint, mayMakeChange, type ComplaintChange } from "./access";

/** Thrown inside a transaction to roll it back and return a typed refusal instead. */
export class Refusal extends Error {
  constructor(readonly result: ActionResult<never>) {
    super("refused");
  }
}

/** Refuses the change from inside `apply`; nothing written so far is kept. */
export function refuse(field: string, message: string): never {
  throw new Refusal({
    ok: false,
    reason: "invalid",
    fieldErrors: { [field]: [message] },
    formError: message,
  });
}

export interface EditContext<I> {
  tx: Tx;
  actor: Actor;
  complaint: Complaint;
  input: I;
  now: Date;
}

export interface Applied<T> {
  /** What the audit trail records as the change; also what the timeline shows. */
  audit: { action: string; entity?: string; entityId?: string; before?: unknown; after?: unknown };
  data: T;
  message?: string;
}

/** "Changed by Morgan Lee at 14:05 — reload": who made the change this edit did not see. */
async function conflictMessage(tx: Tx, orgId: string, complaintId: string): Promise<string> {
  const [last] = await tx
    .select({ at: auditEvents.occurredAt, name: users.name })
    .from(auditEvents)
    .leftJoin(users, and(eq(users.orgId, auditEvents.orgId), eq(users.id, auditEvents.actorId)))
    .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.complaintId, complaintId)))
    .orderBy(desc(auditEvents.occurredAt))
    .limit(1);
  const who = last?.name ?? "someone else";
  const [policy] = await tx
    .select({ timezone: slaPolicies.timezone })
    .from(slaPolicies)
    .where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.isDefault, true)))
    .limit(1);
  // In the organisation's zone, as every other time on the complaint page.
  const when = last
    ? new Intl.DateTimeFormat("en-GB", {
        timeZone: policy?.timezone ?? "UTC",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
      }).format(last.at)
    : "just now";
  return `This complaint was changed by ${who} at ${when} — reload to see their change, then try again.`;
}

/**
 * The one path every change to a complaint takes: authorise, validate, lock the row, check the
 * version the edit was based on, apply, bump the version and record the audit event — all in
 * one transaction, so a refused or failed edit leaves nothing behind.
 */
export async function editComplaint<
  S extends z.ZodType<{ complaintId: string; version: number }>,
  T,
>(
  change: ComplaintChange,
  schema: S,
  raw: unknown,
  apply: (ctx: EditContext<z.infer<S>>) => Promise<Applied<T>>,
): Promise<ActionResult<T & { version: number }>> {
  const actor = await getActor();
  if (!actor) return refused("unauthenticated", "Sign in to continue.");
  if (!mayMakeChange(actor, change)) {
    return refused("forbidden", "Your role does not allow this change.");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const input = parsed.data;
  const { db } = await getDatabase();
  try {
    return await db.transaction(async (tx) => {
      const [complaint] = await tx
        .select()
        .from(complaints)
        .where(and(eq(complaints.orgId, actor.orgId), eq(complaints.id, input.complaintId)))
        .for("update");
      if (!complaint)
        throw new Refusal(
          refused("not-found", "That complaint does not exist in your organisation."),
        );
      if (!mayChangeComplaint(actor, complaint, change)) {
        throw new Refusal(
          refused("forbidden", "Your role does not allow this change to this complaint."),
        );
      }
      if (complaint.version !== input.version) {
        throw new Refusal(
          refused("conflict", await conflictMessage(tx, actor.orgId, complaint.id)),
        );
      }
      // The event's time: now, or the `at` history from another system gives (past, checked by
      // the schema; never before the complaint came in).
      const at = (input as { at?: Date }).at;
      if (at && at < complaint.receivedAt)
        refuse("at", "This cannot have happened before the complaint was received.");
      const now = at ?? new Date();
      const applied = await apply({ tx, actor, complaint, input, now });
      await refreshComplaintFacts(tx, actor.orgId, [complaint.id]);
      const [bumped] = await tx
        .update(complaints)
        .set({ version: sql`${complaints.version} + 1`, updatedAt: new Date() })
        .where(and(eq(complaints.orgId, actor.orgId), eq(complaints.id, complaint.id)))
        .returning({ version: complaints.version });
      await recordAudit(tx, actor, {
        entity: applied.audit.entity ?? "complaint",
        entityId: applied.audit.entityId ?? complaint.id,
        complaintId: complaint.id,
        action: applied.audit.action,
        before: applied.audit.before,
        after: applied.audit.after,
      });
      return {
        ok: true as const,
        data: { ...applied.data, version: bumped!.version },
        message: applied.message,
      };
    });
  } catch (error) {
    if (error instanceof Refusal) return error.result;
    throw error;
  }
}
