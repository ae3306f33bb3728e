import "server-only";
import { eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { organisations } from "@/db/schema";
import { fieldError, invalid, refused, type ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import { authorise } from "@/lib/auth/guard";
import { currencyDigits, formatMoney, toMinorUnits } from "@/lib/money";
import { approvalLimitSchema } from "./validation";

/**
 * Sets the remedy approval limit (admins only): a remedy offered above it waits for a manager's
 * approval before delivery. Typed in major units of the organisation's currency; blank = none.
 * Remedies offered earlier keep what they were offered with.
 */
export async function setApprovalLimit(
  raw: unknown,
): Promise<ActionResult<{ approvalLimitMinor: number | null }>> {
  const auth = await authorise("organisation:manage");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = approvalLimitSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { db } = await getDatabase();
  return db.transaction(async (tx) => {
    const [org] = await tx
      .select({ currency: organisations.currency, limit: organisations.remedyApprovalLimitMinor })
      .from(organisations)
      .where(eq(organisations.id, actor.orgId))
      .for("update");
    if (!org) return refused("not-found", "Your organisation no longer exists.");
    const typed = parsed.data.approvalLimit;
    const limit = typed === null ? null : toMinorUnits(typed, org.currency);
    if (typed !== null && limit === null) {
      const digits = currencyDigits(org.currency);
      return fieldError(
        "approvalLimit",
        digits === 0
          ? `${org.currency} amounts have no decimals.`
          : `${org.currency} amounts have at most ${digits} decimal${digits === 1 ? "" : "s"}.`,
      );
    }
    const said =
      limit === null
        ? "No remedy needs a manager's approval now."
        : `Remedies above ${formatMoney(limit, org.currency)} now need a manager's approval.`;
    if (limit === org.limit) {
      return { ok: true as const, data: { approvalLimitMinor: limit }, message: said };
    }
    await tx
      .update(organisations)
      .set({ remedyApprovalLimitMinor: limit })
      .where(eq(organisations.id, actor.orgId));
    await recordAudit(tx, actor, {
      entity: "organisation",
      entityId: actor.orgId,
      action: "organisation.approval-limit-set",
      before: { remedyApprovalLimitMinor: org.limit },
      after: { remedyApprovalLimitMinor: limit, currency: org.currency },
    });
    return { ok: true as const, data: { approvalLimitMinor: limit }, message: said };
  });
}
