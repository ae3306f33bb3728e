import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { customerActivities, customers, type CustomerActivity } from "@/db/schema";
import { fieldError, invalid, refused, type ActionResult } from "@/lib/action-result";
import { refreshCustomerFacts } from "@/lib/rollups/maintain";
import { recordAudit, type Tx } from "@/lib/audit";
import { authorise, type Actor } from "@/lib/auth/guard";
import { toMinorUnits } from "@/lib/money";
import { customerActivitySchema, type CustomerActivityInput } from "./activity-validation";

export interface RecordedActivity {
  id: string;
  customerId: string;
  /** False when an activity with the same reference was already recorded (nothing changed). */
  created: boolean;
  activity: {
    kind: CustomerActivity["kind"];
    occurredAt: string;
    amountMinor: number;
    currency: string;
    score: number | null;
    externalRef: string | null;
    note: string | null;
  };
}

/** The customer with this reference; else one with this email (given the reference); else a new one. */
async function resolveCustomer(tx: Tx, actor: Actor, input: CustomerActivityInput) {
  const byRef = and(eq(customers.orgId, actor.orgId), eq(customers.externalRef, input.customerRef));
  const [found] = await tx.select({ id: customers.id }).from(customers).where(byRef);
  if (found) return found.id;
  if (input.customerEmail) {
    const [byEmail] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(
        and(
          eq(customers.orgId, actor.orgId),
          sql`lower(${customers.email}) = ${input.customerEmail.toLowerCase()}`,
          isNull(customers.externalRef),
        ),
      )
      .limit(1);
    if (byEmail) {
      await tx
        .update(customers)
        .set({ externalRef: input.customerRef })
        .where(and(eq(customers.orgId, actor.orgId), eq(customers.id, byEmail.id)));
      return byEmail.id;
    }
  }
  const name = input.customerName || input.customerRef;
  const [created] = await tx
    .insert(customers)
    .values({
      orgId: actor.orgId,
      name,
      email: input.customerEmail?.toLowerCase(),
      externalRef: input.customerRef,
    })
    .returning({ id: customers.id });
  await recordAudit(tx, actor, {
    entity: "customer",
    entityId: created!.id,
    action: "customer.created",
    after: { name, email: input.customerEmail ?? null, externalRef: input.customerRef },
  });
  return created!.id;
}

function view(row: CustomerActivity): RecordedActivity["activity"] {
  return {
    kind: row.kind,
    occurredAt: row.occurredAt.toISOString(),
    amountMinor: row.amountMinor,
    currency: row.currency,
    score: row.score,
    externalRef: row.externalRef,
    note: row.note,
  };
}

/**
 * Records one customer activity (purchase, renewal, cancellation, referral, review, survey) —
 * the facts retention and ROI are computed from. Idempotent by the activity's own reference:
 * posting it again returns the first record and changes nothing.
 */
export async function recordCustomerActivity(
  raw: unknown,
): Promise<ActionResult<RecordedActivity>> {
  const auth = await authorise("activity:record");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = customerActivitySchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const input = parsed.data;
  const amountMinor = toMinorUnits(input.amount ?? "0", input.currency);
  if (amountMinor === null) {
    return fieldError("amount", `${input.currency} amounts have fewer decimals.`);
  }
  if (!Number.isSafeInteger(amountMinor)) return fieldError("amount", "The amount is too large.");
  const { db } = await getDatabase();
  return db.transaction(async (tx) => {
    if (input.externalRef) {
      const [existing] = await tx
        .select()
        .from(customerActivities)
        .where(
          and(
            eq(customerActivities.orgId, actor.orgId),
            eq(customerActivities.externalRef, input.externalRef),
          ),
        );
      if (existing) {
        return {
          ok: true as const,
          data: {
            id: existing.id,
            customerId: existing.customerId,
            created: false,
            activity: view(existing),
          },
          message: "This activity was already recorded.",
        };
      }
    }
    const customerId = await resolveCustomer(tx, actor, input);
    const [row] = await tx
      .insert(customerActivities)
      .values({
        orgId: actor.orgId,
        customerId,
        kind: input.kind,
        occurredAt: input.occurredAt,
        amountMinor,
        currency: input.currency,
        score: input.score ?? null,
        externalRef: input.externalRef ?? null,
        note: input.note ?? null,
      })
      .returning();
    await refreshCustomerFacts(tx, actor.orgId, [customerId]);
    await recordAudit(tx, actor, {
      entity: "customer_activity",
      entityId: row!.id,
      action: "activity.recorded",
      after: { ...view(row!), customerId },
    });
    return {
      ok: true as const,
      data: { id: row!.id, customerId, created: true, activity: view(row!) },
      message: "Activity recorded.",
    };
  });
}
