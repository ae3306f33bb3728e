/** Building blocks of the named sets: predicates over one `complaints` row. */
import { sql } from "drizzle-orm";
import {
  advocacySignals,
  complaints,
  followUps,
  outcomes,
  remedies,
  slaPolicies,
} from "@/db/schema";

/** Intake sentiment ≤ 2, or intake NPS 0–6 (PRODUCT.md "angry"). */
export const angry = sql`(${complaints.intakeSentiment} <= 2 or ${complaints.intakeNps} between 0 and 6)`;

/** Outcome NPS 9–10, or any advocacy signal after the complaint (PRODUCT.md "advocate"). */
export const advocate = sql`(exists (select 1 from ${outcomes} where ${outcomes.orgId} = ${complaints.orgId} and ${outcomes.complaintId} = ${complaints.id} and ${outcomes.finalNps} >= 9) or exists (select 1 from ${advocacySignals} where ${advocacySignals.orgId} = ${complaints.orgId} and ${advocacySignals.complaintId} = ${complaints.id} and ${advocacySignals.occurredAt} >= ${complaints.receivedAt}))`;

/**
 * The resolved/closed times were completed by a documented rule (an import whose source omitted
 * them, e.g. CFPB "Closed with explanation"): time-based figures — anything reading first
 * response, resolved or closed as a time — leave such a complaint out and say how many.
 */
export const timesInferred = sql`${complaints.timesInferred}`;
export const timesKnown = sql`(not ${complaints.timesInferred})`;

/**
 * History from another system that nobody here owns (imported, no owner): it never counts as
 * open, overdue (SLA or promise) or queued — only an owned, open complaint is work to do.
 */
export const unownedHistory = sql`(${complaints.imported} and ${complaints.ownerId} is null)`;

/** Open: status new or in progress, and not unowned history. */
export const open = sql`(${complaints.status} in ('new', 'in_progress') and not ${unownedHistory})`;
export const resolved = sql`${complaints.resolvedAt} is not null`;

/** The default policy's closed-loop window in hours (48 when the org has no policy). */
export const closedLoopHoursSql = sql`coalesce((select ${slaPolicies.closedLoopHours} from ${slaPolicies} where ${slaPolicies.orgId} = ${complaints.orgId} and ${slaPolicies.isDefault} limit 1), 48)`;

/**
 * Contacted within the closed-loop window: a first response (the first customer-facing step)
 * within `closedLoopHours` calendar hours of receipt — the manager's closed-loop rate and the
 * executive funnel's "contacted" stage. Never when the complaint's times were inferred.
 */
export const contactedInLoop = sql`(${complaints.firstResponseAt} is not null and ${timesKnown} and ${complaints.firstResponseAt} <= ${complaints.receivedAt} + ${closedLoopHoursSql} * interval '1 hour')`;

/** At least one remedy delivered. */
export const remedyDelivered = sql`exists (select 1 from ${remedies} where ${remedies.orgId} = ${complaints.orgId} and ${remedies.complaintId} = ${complaints.id} and ${remedies.deliveredAt} is not null)`;

/** At least one follow-up done. */
export const followedUp = sql`exists (select 1 from ${followUps} where ${followUps.orgId} = ${complaints.orgId} and ${followUps.complaintId} = ${complaints.id} and ${followUps.doneAt} is not null)`;

/** Required, active playbook steps done on the complaint (playbook adherence). */
export const requiredStepsDone = sql`(select count(*) from complaint_steps cs join playbook_steps ps on ps.org_id = cs.org_id and ps.id = cs.step_id where cs.org_id = ${complaints.orgId} and cs.complaint_id = ${complaints.id} and ps.required and ps.active)`;
