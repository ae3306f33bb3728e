/** Named complaint sets behind the root causes figures (see sets.ts). */
import { sql, type SQL } from "drizzle-orm";
import { complaints, remedies } from "@/db/schema";

/** Days after an earlier complaint's resolution within which a new one counts as a repeat. */
export const REPEAT_WINDOW_DAYS = 90;

/**
 * PRODUCT.md "repeat complaint": a new complaint from the same customer with the same root cause
 * within 90 days of the last one being resolved. Choice: the complaint is a repeat when an earlier
 * complaint (received before it) of the same customer and root cause was resolved at or before
 * this one was received, and at most 90 days before. Complaints without a root cause are never
 * repeats. Raw SQL with an alias (`prev`) so the correlation to the outer `complaints` row holds.
 */
export const repeatComplaint = sql`(${complaints.rootCauseId} is not null and exists (select 1 from complaints prev where prev.org_id = ${complaints.orgId} and prev.customer_id = ${complaints.customerId} and prev.root_cause_id = ${complaints.rootCauseId} and prev.id <> ${complaints.id} and prev.received_at < ${complaints.receivedAt} and prev.resolved_at is not null and prev.resolved_at <= ${complaints.receivedAt} and prev.resolved_at >= ${complaints.receivedAt} - interval '90 days'))`;

/** Complaints with at least one delivered remedy with a known cost in the currency `arg`. */
export function remedyCostIn(currency: string): SQL {
  return sql`exists (select 1 from ${remedies} where ${remedies.orgId} = ${complaints.orgId} and ${remedies.complaintId} = ${complaints.id} and ${remedies.deliveredAt} is not null and ${remedies.costMinor} is not null and ${remedies.currency} = ${currency})`;
}

export const rootCauseSets = {
  repeat: {
    label: "Repeat complaints (same customer, same cause, ≤ 90 days)",
    predicate: repeatComplaint,
  },
  "remedy-cost": { label: "With a delivered remedy cost in the currency", predicate: remedyCostIn },
} satisfies Record<string, { label: string; predicate: SQL | ((arg: string) => SQL) }>;
