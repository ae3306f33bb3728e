/** Building blocks of the named sets: predicates over one `complaints` row. */
import { sql } from "drizzle-orm";
import { advocacySignals, complaints, outcomes } from "@/db/schema";

/** Intake sentiment ≤ 2, or intake NPS 0–6 (PRODUCT.md "angry"). */
export const angry = sql`(${complaints.intakeSentiment} <= 2 or ${complaints.intakeNps} between 0 and 6)`;

/** Outcome NPS 9–10, or any advocacy signal after the complaint (PRODUCT.md "advocate"). */
export const advocate = sql`(exists (select 1 from ${outcomes} where ${outcomes.orgId} = ${complaints.orgId} and ${outcomes.complaintId} = ${complaints.id} and ${outcomes.finalNps} >= 9) or exists (select 1 from ${advocacySignals} where ${advocacySignals.orgId} = ${complaints.orgId} and ${advocacySignals.complaintId} = ${complaints.id} and ${advocacySignals.occurredAt} >= ${complaints.receivedAt}))`;

export const open = sql`${complaints.status} in ('new', 'in_progress')`;
export const resolved = sql`${complaints.resolvedAt} is not null`;
