import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import {
  advocacySignals,
  complaints,
  complaintSteps,
  customerUpdates,
  followUps,
  organisations,
  outcomes,
  playbookSteps,
  remedies,
  rootCauses,
  teamMemberships,
  teams,
  users,
  type Complaint,
} from "@/db/schema";
import type { Tx } from "@/lib/audit";
import { toMinorUnits } from "@/lib/money";
import { actorCan } from "@/lib/permissions";
import { awaitingApprovalMessage, needsApproval } from "./approval";
import { promiseProblem, statusTimeProblems } from "./consistency";
import { editComplaint, refuse } from "./edit";
import {
  approveRemedySchema,
  assignSchema,
  changeStatusSchema,
  completeFollowUpSchema,
  customerUpdateSchema,
  decideRemedySchema,
  offerRemedySchema,
  recordOutcomeSchema,
  recordStepSchema,
  deliverRemedySchema,
  scheduleFollowUpSchema,
  setPromiseSchema,
  setRootCauseSchema,
} from "./validation";

const scope = (c: Complaint) => and(eq(complaints.orgId, c.orgId), eq(complaints.id, c.id));

/**
 * The first contact with the customer sets first response and moves a new complaint on. First
 * response never comes after resolution (received ≤ first response ≤ resolved): contact after a
 * complaint was resolved without a recorded response leaves it unknown rather than "now".
 */
async function markContact(tx: Tx, complaint: Complaint, at: Date): Promise<void> {
  const afterResolution = complaint.resolvedAt !== null && complaint.resolvedAt < at;
  const earlier = complaint.firstResponseAt !== null && at < complaint.firstResponseAt;
  // The earliest contact: history recorded later may move it back.
  const firstResponseAt = earlier
    ? at
    : (complaint.firstResponseAt ?? (afterResolution ? null : at));
  const status = complaint.status === "new" ? "in_progress" : complaint.status;
  if (firstResponseAt === complaint.firstResponseAt && status === complaint.status) return;
  await tx.update(complaints).set({ firstResponseAt, status }).where(scope(complaint));
}

/** The organisation's remedy approval limit in minor units (null: no approval needed). */
async function approvalLimit(tx: Tx, orgId: string): Promise<number | null> {
  const [org] = await tx
    .select({ limit: organisations.remedyApprovalLimitMinor })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  return org?.limit ?? null;
}

function refuseWhenClosed(complaint: Complaint): void {
  if (complaint.status === "closed")
    refuse("_form", "This complaint is closed; reopen it to change it.");
}

/** Ticks off a playbook step (who, when, optional note). */
export function recordStep(raw: unknown) {
  return editComplaint(
    "edit",
    recordStepSchema,
    raw,
    async ({ tx, actor, complaint, input, now }) => {
      refuseWhenClosed(complaint);
      const [step] = await tx
        .select()
        .from(playbookSteps)
        .where(
          and(
            eq(playbookSteps.orgId, actor.orgId),
            eq(playbookSteps.id, input.stepId),
            eq(playbookSteps.active, true),
          ),
        );
      if (!step) refuse("stepId", "Unknown playbook step.");
      const inserted = await tx
        .insert(complaintSteps)
        .values({
          orgId: actor.orgId,
          complaintId: complaint.id,
          stepId: step.id,
          doneBy: actor.userId,
          doneAt: now,
          note: input.note,
        })
        .onConflictDoNothing()
        .returning({ id: complaintSteps.id });
      if (!inserted.length) refuse("stepId", `"${step.name}" is already done on this complaint.`);
      if (step.customerFacing) await markContact(tx, complaint, now);
      return {
        audit: {
          action: "step.done",
          entity: "complaint_step",
          entityId: inserted[0]!.id,
          after: { step: step.name, note: input.note ?? null },
        },
        data: { id: inserted[0]!.id },
        message: `${step.name}: done.`,
      };
    },
  );
}

/**
 * Offers a remedy (kind, description, cost, whether the customer suggested it). One costing more
 * than the organisation's approval limit waits for a manager's approval before delivery.
 */
export function offerRemedy(raw: unknown) {
  return editComplaint(
    "edit",
    offerRemedySchema,
    raw,
    async ({ tx, actor, complaint, input, now }) => {
      refuseWhenClosed(complaint);
      const costMinor = input.costUnknown ? null : toMinorUnits(input.cost, input.currency);
      if (costMinor === null && !input.costUnknown)
        refuse("cost", `${input.currency} amounts have fewer decimals.`);
      const approvalNeeded = needsApproval(costMinor, await approvalLimit(tx, actor.orgId));
      const values = {
        orgId: actor.orgId,
        complaintId: complaint.id,
        kind: input.kind,
        description: input.description ?? "",
        costMinor,
        currency: input.currency,
        suggestedByCustomer: input.suggestedByCustomer,
        offeredAt: now,
        offeredBy: actor.userId,
        approvalNeeded,
      };
      const [remedy] = await tx.insert(remedies).values(values).returning({ id: remedies.id });
      await markContact(tx, complaint, now);
      return {
        audit: {
          action: "remedy.offered",
          entity: "remedy",
          entityId: remedy!.id,
          after: { ...values, orgId: undefined },
        },
        data: { id: remedy!.id },
        message: approvalNeeded
          ? "Remedy offered; it needs a manager's approval before it is delivered."
          : "Remedy offered.",
      };
    },
  );
}

async function lockRemedy(tx: Tx, complaint: Complaint, remedyId: string) {
  const [remedy] = await tx
    .select()
    .from(remedies)
    .where(
      and(
        eq(remedies.orgId, complaint.orgId),
        eq(remedies.complaintId, complaint.id),
        eq(remedies.id, remedyId),
      ),
    );
  if (!remedy) refuse("remedyId", "Unknown remedy.");
  return remedy;
}

/** Records whether the customer accepted or declined a remedy. */
export function decideRemedy(raw: unknown) {
  return editComplaint("edit", decideRemedySchema, raw, async ({ tx, complaint, input, now }) => {
    refuseWhenClosed(complaint);
    const remedy = await lockRemedy(tx, complaint, input.remedyId);
    if (remedy.deliveredAt) refuse("decision", "This remedy was already delivered.");
    if (now < remedy.offeredAt) refuse("at", "A remedy is decided after it was offered.");
    await tx
      .update(remedies)
      .set({ decision: input.decision, decidedAt: now })
      .where(and(eq(remedies.orgId, remedy.orgId), eq(remedies.id, remedy.id)));
    return {
      audit: {
        action: `remedy.${input.decision}`,
        entity: "remedy",
        entityId: remedy.id,
        before: { decision: remedy.decision },
        after: { decision: input.decision },
      },
      data: { id: remedy.id },
      message: `Remedy ${input.decision}.`,
    };
  });
}

/**
 * Marks an accepted remedy delivered; its cost now counts as recovery cost. One above the
 * approval limit is delivered only once a manager approved it.
 */
export function deliverRemedy(raw: unknown) {
  return editComplaint("edit", deliverRemedySchema, raw, async ({ tx, complaint, input, now }) => {
    refuseWhenClosed(complaint);
    const remedy = await lockRemedy(tx, complaint, input.remedyId);
    if (remedy.decision === "declined") refuse("remedyId", "The customer declined this remedy.");
    if (remedy.deliveredAt) refuse("remedyId", "This remedy was already delivered.");
    if (remedy.approvalNeeded && !remedy.approvedAt) {
      const limit = await approvalLimit(tx, complaint.orgId);
      refuse("remedyId", awaitingApprovalMessage(remedy.costMinor, remedy.currency, limit));
    }
    if (remedy.approvedAt && now < remedy.approvedAt)
      refuse("at", "A remedy is delivered after it was approved.");
    if (now < remedy.offeredAt) refuse("at", "A remedy is delivered after it was offered.");
    await tx
      .update(remedies)
      .set({ deliveredAt: now, decision: "accepted", decidedAt: remedy.decidedAt ?? now })
      .where(and(eq(remedies.orgId, remedy.orgId), eq(remedies.id, remedy.id)));
    return {
      audit: {
        action: "remedy.delivered",
        entity: "remedy",
        entityId: remedy.id,
        before: { deliveredAt: null },
        after: { deliveredAt: now },
      },
      data: { id: remedy.id },
      message: "Remedy delivered.",
    };
  });
}

/**
 * Approves a remedy above the organisation's limit, so it can be delivered: a manager of the
 * complaint's team, or an admin (lib/permissions.ts "remedy:approve"; never an API token).
 */
export function approveRemedy(raw: unknown) {
  return editComplaint(
    "approve-remedy",
    approveRemedySchema,
    raw,
    async ({ tx, actor, complaint, input, now }) => {
      refuseWhenClosed(complaint);
      const remedy = await lockRemedy(tx, complaint, input.remedyId);
      if (!remedy.approvalNeeded) refuse("remedyId", "This remedy needs no approval.");
      if (remedy.approvedAt) refuse("remedyId", "This remedy is approved already.");
      if (remedy.deliveredAt) refuse("remedyId", "This remedy was already delivered.");
      if (remedy.decision === "declined") refuse("remedyId", "The customer declined this remedy.");
      await tx
        .update(remedies)
        .set({ approvedBy: actor.userId, approvedAt: now })
        .where(and(eq(remedies.orgId, remedy.orgId), eq(remedies.id, remedy.id)));
      return {
        audit: {
          action: "remedy.approved",
          entity: "remedy",
          entityId: remedy.id,
          before: { approvedAt: null },
          after: { approvedBy: actor.userId, approvedAt: now },
        },
        data: { id: remedy.id },
        message: "Remedy approved; it can be delivered now.",
      };
    },
  );
}

/** Sets or changes the promised-by date ("under-promise and over-deliver"). */
export function setPromise(raw: unknown) {
  return editComplaint("edit", setPromiseSchema, raw, async ({ tx, complaint, input }) => {
    refuseWhenClosed(complaint);
    const promise = promiseProblem(input.promisedBy, complaint.receivedAt);
    if (promise) refuse("promisedBy", promise);
    await tx.update(complaints).set({ promisedBy: input.promisedBy }).where(scope(complaint));
    return {
      audit: {
        action: "promise.set",
        before: { promisedBy: complaint.promisedBy },
        after: { promisedBy: input.promisedBy },
      },
      data: null,
      message: "Promise recorded.",
    };
  });
}

const presetDays = { tomorrow: 1, week: 7, month: 30 } as const;

/** Schedules a follow-up: tomorrow, in a week, in a month, or on a date. */
export function scheduleFollowUp(raw: unknown) {
  return editComplaint(
    "edit",
    scheduleFollowUpSchema,
    raw,
    async ({ tx, actor, complaint, input, now }) => {
      refuseWhenClosed(complaint);
      const dueAt = input.dueAt ?? new Date(now.getTime() + presetDays[input.preset!] * 86_400_000);
      if (dueAt <= complaint.receivedAt)
        refuse("dueAt", "A follow-up must be after the complaint came in.");
      const [row] = await tx
        .insert(followUps)
        .values({ orgId: actor.orgId, complaintId: complaint.id, dueAt })
        .returning({ id: followUps.id });
      return {
        audit: {
          action: "follow-up.scheduled",
          entity: "follow_up",
          entityId: row!.id,
          after: { dueAt },
        },
        data: { id: row!.id },
        message: "Follow-up scheduled.",
      };
    },
  );
}

/** Marks a follow-up done, with how the customer was reached and how they feel now. */
export function completeFollowUp(raw: unknown) {
  return editComplaint(
    "edit",
    completeFollowUpSchema,
    raw,
    async ({ tx, actor, complaint, input, now }) => {
      const [followUp] = await tx
        .select()
        .from(followUps)
        .where(
          and(
            eq(followUps.orgId, actor.orgId),
            eq(followUps.complaintId, complaint.id),
            eq(followUps.id, input.followUpId),
          ),
        );
      if (!followUp) refuse("followUpId", "Unknown follow-up.");
      if (followUp.doneAt) refuse("followUpId", "This follow-up is already done.");
      const after = {
        doneAt: now,
        channel: input.channel,
        sentiment: input.sentiment ?? null,
        nps: input.nps ?? null,
        note: input.note ?? null,
      };
      await tx
        .update(followUps)
        .set({ ...after, doneBy: actor.userId })
        .where(and(eq(followUps.orgId, actor.orgId), eq(followUps.id, followUp.id)));
      await markContact(tx, complaint, now);
      return {
        audit: {
          action: "follow-up.done",
          entity: "follow_up",
          entityId: followUp.id,
          before: { doneAt: null },
          after,
        },
        data: { id: followUp.id },
        message: "Follow-up done.",
      };
    },
  );
}

/** Records how the customer ended up: final sentiment/NPS and advocacy signals. */
export function recordOutcome(raw: unknown) {
  return editComplaint(
    "edit",
    recordOutcomeSchema,
    raw,
    async ({ tx, actor, complaint, input, now }) => {
      if (
        input.finalSentiment === undefined &&
        input.finalNps === undefined &&
        input.signals.length === 0
      ) {
        refuse("finalSentiment", "Record a final sentiment, NPS or an advocacy signal.");
      }
      const [before] = await tx
        .select()
        .from(outcomes)
        .where(and(eq(outcomes.orgId, actor.orgId), eq(outcomes.complaintId, complaint.id)));
      const values = {
        finalSentiment: input.finalSentiment ?? null,
        finalNps: input.finalNps ?? null,
        recordedAt: now,
        recordedBy: actor.userId,
      };
      await tx
        .insert(outcomes)
        .values({ orgId: actor.orgId, complaintId: complaint.id, ...values })
        .onConflictDoUpdate({ target: [outcomes.orgId, outcomes.complaintId], set: values });
      if (input.signals.length) {
        await tx
          .insert(advocacySignals)
          .values(
            input.signals.map((kind) => ({
              orgId: actor.orgId,
              complaintId: complaint.id,
              kind,
              occurredAt: now,
            })),
          )
          .onConflictDoNothing();
      }
      return {
        audit: {
          action: "outcome.recorded",
          before: before
            ? { finalSentiment: before.finalSentiment, finalNps: before.finalNps }
            : null,
          after: {
            finalSentiment: values.finalSentiment,
            finalNps: values.finalNps,
            signals: input.signals,
          },
        },
        data: null,
        message: "Outcome recorded.",
      };
    },
  );
}

/**
 * Moves a complaint through new → in progress → resolved → closed, or reopens it. Resolving needs
 * a delivered remedy or a reason for none; closing needs an outcome or "customer unreachable".
 */
export function changeStatus(raw: unknown) {
  return editComplaint(
    "edit",
    changeStatusSchema,
    raw,
    async ({ tx, actor, complaint, input, now }) => {
      const from = complaint.status;
      const set: Partial<typeof complaints.$inferInsert> = {};
      if (input.to === "in_progress") {
        if (from !== "new") refuse("to", "Only a new complaint can be started.");
        set.status = "in_progress";
      } else if (input.to === "resolved") {
        if (from !== "new" && from !== "in_progress")
          refuse("to", "Only an open complaint can be resolved.");
        const delivered = await tx
          .select({ id: remedies.id })
          .from(remedies)
          .where(
            and(
              eq(remedies.orgId, actor.orgId),
              eq(remedies.complaintId, complaint.id),
              isNotNull(remedies.deliveredAt),
            ),
          )
          .limit(1);
        if (!delivered.length && !input.noRemedyReason) {
          refuse("noRemedyReason", "Deliver a remedy first, or say why there is none.");
        }
        Object.assign(set, {
          status: "resolved",
          resolvedAt: now,
          noRemedyReason: delivered.length ? complaint.noRemedyReason : input.noRemedyReason,
        });
      } else if (input.to === "closed") {
        if (from !== "resolved") refuse("to", "Resolve the complaint before closing it.");
        const [outcome] = await tx
          .select({ id: outcomes.complaintId })
          .from(outcomes)
          .where(and(eq(outcomes.orgId, actor.orgId), eq(outcomes.complaintId, complaint.id)));
        if (!outcome && !input.customerUnreachable) {
          refuse(
            "customerUnreachable",
            "Record the outcome first, or mark the customer unreachable.",
          );
        }
        Object.assign(set, {
          status: "closed",
          closedAt: now,
          customerUnreachable: !outcome && input.customerUnreachable,
        });
      } else {
        if (from !== "resolved" && from !== "closed")
          refuse("to", "Only a resolved or closed complaint can be reopened.");
        Object.assign(set, {
          status: "in_progress",
          resolvedAt: null,
          closedAt: null,
          reopenCount: complaint.reopenCount + 1,
        });
      }
      // History from another system (`at`) must keep received ≤ first response ≤ resolved ≤ closed.
      const [problem] = statusTimeProblems({
        status: set.status ?? from,
        receivedAt: complaint.receivedAt,
        firstResponseAt: complaint.firstResponseAt,
        resolvedAt: "resolvedAt" in set ? (set.resolvedAt ?? null) : complaint.resolvedAt,
        closedAt: "closedAt" in set ? (set.closedAt ?? null) : complaint.closedAt,
      });
      if (problem) refuse("at", problem.message);
      await tx.update(complaints).set(set).where(scope(complaint));
      const label = input.to === "reopen" ? "reopened" : input.to.replace("_", " ");
      return {
        audit: {
          action: input.to === "reopen" ? "complaint.reopened" : "status.changed",
          before: { status: from },
          after: set,
        },
        data: null,
        message: `Complaint ${label}.`,
      };
    },
  );
}

/** Hands the complaint to another owner (and team). Managers within their teams, and admins. */
export function assignComplaint(raw: unknown) {
  return editComplaint("reassign", assignSchema, raw, async ({ tx, actor, complaint, input }) => {
    const teamId = input.teamId ?? complaint.teamId;
    const [owner] = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(
        and(eq(users.orgId, actor.orgId), eq(users.id, input.ownerId), eq(users.active, true)),
      );
    if (!owner) refuse("ownerId", "Choose an owner from the list.");
    if (teamId) {
      const [team] = await tx
        .select({ id: teams.id })
        .from(teams)
        .where(and(eq(teams.orgId, actor.orgId), eq(teams.id, teamId)));
      if (!team) refuse("teamId", "Choose a team from the list.");
      if (!actorCan(actor, "complaint:edit-any") && !actor.teamIds.includes(teamId))
        refuse("teamId", "You can assign within your own teams only.");
      const [member] = await tx
        .select({ userId: teamMemberships.userId })
        .from(teamMemberships)
        .where(
          and(
            eq(teamMemberships.orgId, actor.orgId),
            eq(teamMemberships.teamId, teamId),
            eq(teamMemberships.userId, owner.id),
          ),
        );
      if (!member) refuse("ownerId", `${owner.name} is not in that team.`);
    }
    await tx.update(complaints).set({ ownerId: owner.id, teamId }).where(scope(complaint));
    return {
      audit: {
        action: "complaint.assigned",
        before: { ownerId: complaint.ownerId, teamId: complaint.teamId },
        after: { ownerId: owner.id, teamId },
      },
      data: null,
      message: `Assigned to ${owner.name}.`,
    };
  });
}

/** Logs what the customer was told ("keep them apprised"); it counts as a contact. */
export function logCustomerUpdate(raw: unknown) {
  return editComplaint(
    "edit",
    customerUpdateSchema,
    raw,
    async ({ tx, actor, complaint, input, now }) => {
      const [row] = await tx
        .insert(customerUpdates)
        .values({
          orgId: actor.orgId,
          complaintId: complaint.id,
          sentAt: now,
          sentBy: actor.userId,
          channel: input.channel,
          message: input.message,
        })
        .returning({ id: customerUpdates.id });
      await markContact(tx, complaint, now);
      return {
        audit: {
          action: "customer.updated",
          entity: "customer_update",
          entityId: row!.id,
          after: { channel: input.channel, message: input.message },
        },
        data: { id: row!.id },
        message: "Update logged.",
      };
    },
  );
}

/** Sets the root cause and its 5-whys note: quality on any complaint, and admins. */
export function setRootCause(raw: unknown) {
  return editComplaint(
    "root-cause",
    setRootCauseSchema,
    raw,
    async ({ tx, actor, complaint, input }) => {
      const [cause] = await tx
        .select({ id: rootCauses.id, name: rootCauses.name })
        .from(rootCauses)
        .where(
          and(
            eq(rootCauses.orgId, actor.orgId),
            eq(rootCauses.id, input.rootCauseId),
            eq(rootCauses.active, true),
          ),
        );
      if (!cause) refuse("rootCauseId", "Choose a root cause from the taxonomy.");
      await tx
        .update(complaints)
        .set({ rootCauseId: cause.id, fiveWhys: input.fiveWhys ?? null })
        .where(scope(complaint));
      return {
        audit: {
          action: "root-cause.set",
          before: { rootCauseId: complaint.rootCauseId, fiveWhys: complaint.fiveWhys },
          after: { rootCauseId: cause.id, rootCause: cause.name, fiveWhys: input.fiveWhys ?? null },
        },
        data: null,
        message: `Root cause: ${cause.name}.`,
      };
    },
  );
}
