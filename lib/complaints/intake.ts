import "server-only";
import { and, eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { complaints, customers, products, teams, users } from "@/db/schema";
import { invalid, refused, type ActionResult } from "@/lib/action-result";
import { refreshComplaintFacts } from "@/lib/rollups/maintain";
import { recordAudit, type Tx } from "@/lib/audit";
import { authorise, type Actor } from "@/lib/auth/guard";
import { claimKey, requestHash, storeResult } from "@/lib/idempotency";
import { actorCan } from "@/lib/permissions";
import { getSlaPolicy, slaDueAt } from "@/lib/sla";
import { Refusal, refuse } from "./edit";
import { intakeSchema, type IntakeInput } from "./validation";

export interface RecordedComplaint {
  id: string;
  customerId: string;
}

async function exists(query: PromiseLike<unknown[]>): Promise<boolean> {
  return (await query).length > 0;
}

/** The customer named by the form: the one picked, one matched by reference, or a new one. */
async function resolveCustomer(tx: Tx, actor: Actor, input: IntakeInput): Promise<string> {
  if (input.customerId) {
    const [found] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.orgId, actor.orgId), eq(customers.id, input.customerId)));
    if (!found) refuse("customerId", "Choose a customer from the list.");
    return found.id;
  }
  if (input.customerExternalRef) {
    const [found] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(
        and(eq(customers.orgId, actor.orgId), eq(customers.externalRef, input.customerExternalRef)),
      );
    if (found) return found.id;
  }
  const [created] = await tx
    .insert(customers)
    .values({
      orgId: actor.orgId,
      name: input.customerName!,
      email: input.customerEmail?.toLowerCase(),
      phone: input.customerPhone,
      externalRef: input.customerExternalRef,
    })
    .returning({ id: customers.id });
  await recordAudit(tx, actor, {
    entity: "customer",
    entityId: created!.id,
    action: "customer.created",
    after: { name: input.customerName, email: input.customerEmail ?? null },
  });
  return created!.id;
}

/**
 * Records a new complaint (intake). Idempotent: the form carries a key, and every retry or double
 * click with that key gets the first result back without creating anything.
 */
export async function recordComplaint(raw: unknown): Promise<ActionResult<RecordedComplaint>> {
  const auth = await authorise("complaint:create");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = intakeSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const input = parsed.data;
  const operation = "complaint.create";
  const hash = requestHash({ ...input, idempotencyKey: undefined });
  const { db } = await getDatabase();

  try {
    return await db.transaction(async (tx) => {
      const claim = await claimKey(tx, actor.orgId, input.idempotencyKey, operation, hash);
      if (claim.kind === "replay") return claim.body as ActionResult<RecordedComplaint>;
      if (claim.kind === "mismatch") {
        return refused<RecordedComplaint>(
          "conflict",
          "This form was already submitted with other content. Reload it to record a new complaint.",
        );
      }

      const teamId = input.teamId ?? actor.teamIds[0] ?? null;
      if (teamId) {
        const known = await exists(
          tx
            .select({ id: teams.id })
            .from(teams)
            .where(and(eq(teams.orgId, actor.orgId), eq(teams.id, teamId))),
        );
        if (!known) refuse("teamId", "Choose a team from the list.");
        if (!actorCan(actor, "complaint:edit-any") && !actor.teamIds.includes(teamId)) {
          refuse("teamId", "You can record complaints for your own teams only.");
        }
      }
      const ownerId = input.ownerId ?? actor.userId;
      const owner = await exists(
        tx
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.orgId, actor.orgId), eq(users.id, ownerId), eq(users.active, true))),
      );
      if (!owner) refuse("ownerId", "Choose an owner from the list.");
      if (input.productId) {
        const known = await exists(
          tx
            .select({ id: products.id })
            .from(products)
            .where(and(eq(products.orgId, actor.orgId), eq(products.id, input.productId))),
        );
        if (!known) refuse("productId", "Choose a product from the list.");
      }

      const customerId = await resolveCustomer(tx, actor, input);
      const receivedAt = input.receivedAt ?? new Date();
      const policy = await getSlaPolicy(tx, actor.orgId);
      const values = {
        orgId: actor.orgId,
        customerId,
        receivedAt,
        channel: input.channel,
        productId: input.productId ?? null,
        teamId,
        ownerId,
        severity: input.severity,
        summary: input.summary,
        story: input.story,
        paraphrase: input.paraphrase ?? null,
        intakeSentiment: input.intakeSentiment ?? null,
        intakeNps: input.intakeNps ?? null,
        slaDueAt: slaDueAt(policy, input.severity, receivedAt),
        promisedBy: input.promisedBy ?? null,
      };
      const [complaint] = await tx
        .insert(complaints)
        .values(values)
        .returning({ id: complaints.id });
      await recordAudit(tx, actor, {
        entity: "complaint",
        entityId: complaint!.id,
        complaintId: complaint!.id,
        action: "complaint.created",
        after: { ...values, orgId: undefined },
      });
      const result: ActionResult<RecordedComplaint> = {
        ok: true,
        data: { id: complaint!.id, customerId },
        message: "Complaint recorded.",
      };
      await storeResult(tx, actor.orgId, input.idempotencyKey, operation, 201, result);
      // Last before commit: the rollup rows it updates stay locked for the shortest time.
      await refreshComplaintFacts(tx, actor.orgId, [complaint!.id]);
      return result;
    });
  } catch (error) {
    if (error instanceof Refusal) return error.result;
    throw error;
  }
}
