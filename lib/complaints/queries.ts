import "server-only";
import { and, asc, desc, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { getDatabase } from "@/db";
import {
  advocacySignals,
  auditEvents,
  complaints,
  complaintSteps,
  customerActivities,
  customers,
  customerUpdates,
  followUps,
  organisations,
  outcomes,
  playbookSteps,
  products,
  remedies,
  rootCauseCategories,
  rootCauses,
  slaPolicies,
  teamMemberships,
  teams,
  users,
  type Channel,
  type Complaint,
  type ComplaintStatus,
  type RemedyKind,
  type Severity,
} from "@/db/schema";
import { requirePermission, type Actor } from "@/lib/auth/guard";
import { formatMoney } from "@/lib/money";
import { actorCan } from "@/lib/permissions";
import { productsWithPaths } from "@/lib/products/queries";
import { mayChangeComplaint } from "./access";
import { approvalNote } from "./approval";
import { describeTimeline } from "./timeline";
import type { statusTransitions } from "./validation";

/*
 * Reads for the complaint pages. Each function authorises itself and scopes every WHERE by the
 * actor's organisation. Results are plain serialisable objects: times are ISO strings.
 */

export type StatusTransition = (typeof statusTransitions)[number];
export type RemedyStatus = "offered" | "accepted" | "declined" | "delivered";

export interface NamedRef {
  id: string;
  name: string;
}

export interface PlaybookStepState {
  id: string;
  key: string;
  name: string;
  guidance: string;
  required: boolean;
  active: boolean;
  done: { by: string | null; at: string; note: string | null } | null;
}

export interface RemedyRow {
  id: string;
  kind: RemedyKind;
  description: string;
  costMinor: number | null;
  currency: string;
  /** "$25.00", or null when the cost is unknown. */
  cost: string | null;
  suggestedByCustomer: boolean;
  offeredAt: string;
  offeredBy: string | null;
  decidedAt: string | null;
  deliveredAt: string | null;
  status: RemedyStatus;
  /** Above the organisation's limit when offered: a manager approves it before delivery. */
  approvalNeeded: boolean;
  /** "Needs a manager's approval (limit $1,000.00)", or null when none is needed. */
  approvalNote: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  /** Approval needed and not given yet: it cannot be delivered. */
  awaitingApproval: boolean;
}

export interface FollowUpRow {
  id: string;
  dueAt: string;
  doneAt: string | null;
  doneBy: string | null;
  channel: Channel | null;
  sentiment: number | null;
  nps: number | null;
  note: string | null;
}

export interface CustomerUpdateRow {
  id: string;
  sentAt: string;
  sentBy: string | null;
  channel: Channel;
  message: string;
}

export interface OutcomeState {
  finalSentiment: number | null;
  finalNps: number | null;
  churnedAt: string | null;
  recordedAt: string;
  recordedBy: string | null;
  signals: string[];
}

export interface MoneyTotal {
  currency: string;
  minor: number;
  formatted: string;
}

export interface HistoryComplaint {
  id: string;
  summary: string;
  status: ComplaintStatus;
  severity: Severity;
  receivedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  /** Delivered remedies of that complaint, per currency. */
  remedyTotals: MoneyTotal[];
}

export interface ActivityRow {
  id: string;
  kind: string;
  occurredAt: string;
  amountMinor: number;
  currency: string;
  amount: string | null;
  score: number | null;
  note: string | null;
}

export interface TimelineEvent {
  id: string;
  at: string;
  actorName: string;
  /** Whether `text` already names the actor (otherwise the UI shows them beside the time). */
  actorInText: boolean;
  action: string;
  text: string;
  detail: string | null;
  before: unknown;
  after: unknown;
}

export interface ComplaintDetail {
  id: string;
  version: number;
  status: ComplaintStatus;
  severity: Severity;
  channel: Channel;
  summary: string;
  story: string;
  paraphrase: string | null;
  intakeSentiment: number | null;
  intakeNps: number | null;
  receivedAt: string;
  slaDueAt: string | null;
  promisedBy: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  reopenCount: number;
  noRemedyReason: string | null;
  customerUnreachable: boolean;
  fiveWhys: string | null;
  externalRef: string | null;
  customer: {
    id: string;
    name: string;
    email: string | null;
    phone: string | null;
    segment: string | null;
    externalRef: string | null;
    lifetimeValue: string;
  };
  product: NamedRef | null;
  team: NamedRef | null;
  owner: NamedRef | null;
  rootCause: { id: string; name: string; category: string } | null;
  steps: PlaybookStepState[];
  requiredDone: number;
  requiredTotal: number;
  remedies: RemedyRow[];
  /** Delivered remedies of this complaint, per currency. */
  deliveredTotals: MoneyTotal[];
  hasDeliveredRemedy: boolean;
  followUps: FollowUpRow[];
  updates: CustomerUpdateRow[];
  outcome: OutcomeState | null;
  history: {
    complaints: HistoryComplaint[];
    /** Delivered remedies over all of the customer's complaints, this one included. */
    remedyTotals: MoneyTotal[];
    activity: ActivityRow[];
  };
  timeline: TimelineEvent[];
  /** The organisation's reporting currency: the default for a new remedy. */
  currency: string;
  /** IANA zone of the organisation's SLA policy, in which times are shown. */
  timezone: string;
  /** When this was read: relative times ("due in 3 h") are computed against it. */
  readAt: string;
  canEdit: boolean;
  canReassign: boolean;
  canSetRootCause: boolean;
  /** Whether the actor may approve remedies above the limit on this complaint (not closed). */
  canApproveRemedies: boolean;
  /** The status changes the actor may make now (empty when they may not edit). */
  transitions: StatusTransition[];
}

const uuidSchema = z.uuid();
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** A complaint row's own facts as the complaint page (and the API) show them, times in ISO. */
export function complaintFields(
  row: Pick<
    Complaint,
    | "id"
    | "version"
    | "status"
    | "severity"
    | "channel"
    | "summary"
    | "story"
    | "paraphrase"
    | "intakeSentiment"
    | "intakeNps"
    | "receivedAt"
    | "slaDueAt"
    | "promisedBy"
    | "firstResponseAt"
    | "resolvedAt"
    | "closedAt"
    | "reopenCount"
    | "noRemedyReason"
    | "customerUnreachable"
    | "externalRef"
  >,
) {
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    severity: row.severity,
    channel: row.channel,
    summary: row.summary,
    story: row.story,
    paraphrase: row.paraphrase,
    intakeSentiment: row.intakeSentiment,
    intakeNps: row.intakeNps,
    receivedAt: iso(row.receivedAt),
    slaDueAt: isoOrNull(row.slaDueAt),
    promisedBy: isoOrNull(row.promisedBy),
    firstResponseAt: isoOrNull(row.firstResponseAt),
    resolvedAt: isoOrNull(row.resolvedAt),
    closedAt: isoOrNull(row.closedAt),
    reopenCount: row.reopenCount,
    noRemedyReason: row.noRemedyReason,
    customerUnreachable: row.customerUnreachable,
    externalRef: row.externalRef,
  };
}

function transitionsFrom(status: ComplaintStatus): StatusTransition[] {
  switch (status) {
    case "new":
      return ["in_progress", "resolved"];
    case "in_progress":
      return ["resolved"];
    case "resolved":
      return ["closed", "reopen"];
    case "closed":
      return ["reopen"];
  }
}

function totals(rows: { currency: string; minor: number }[]): MoneyTotal[] {
  const byCurrency = new Map<string, number>();
  for (const row of rows)
    byCurrency.set(row.currency, (byCurrency.get(row.currency) ?? 0) + row.minor);
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, minor]) => ({ currency, minor, formatted: formatMoney(minor, currency) }));
}

/** The organisation's display zone: its default SLA policy's, else UTC. */
async function orgSettings(
  orgId: string,
): Promise<{ timezone: string; currency: string; approvalLimitMinor: number | null }> {
  const { db } = await getDatabase();
  const [org] = await db
    .select({
      currency: organisations.currency,
      approvalLimitMinor: organisations.remedyApprovalLimitMinor,
    })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  const [policy] = await db
    .select({ timezone: slaPolicies.timezone })
    .from(slaPolicies)
    .where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.isDefault, true)))
    .limit(1);
  return {
    timezone: policy?.timezone ?? "UTC",
    currency: org?.currency ?? "USD",
    approvalLimitMinor: org?.approvalLimitMinor ?? null,
  };
}

/**
 * Everything the complaint page shows, or null when the id is not a uuid or the complaint is not
 * in the actor's organisation.
 */
export async function getComplaintDetail(id: string): Promise<ComplaintDetail | null> {
  const actor = await requirePermission("complaint:read");
  if (!uuidSchema.safeParse(id).success) return null;
  const { db } = await getDatabase();
  const orgId = actor.orgId;
  const owner = alias(users, "owner");

  const [row] = await db
    .select({
      id: complaints.id,
      version: complaints.version,
      status: complaints.status,
      severity: complaints.severity,
      channel: complaints.channel,
      summary: complaints.summary,
      story: complaints.story,
      paraphrase: complaints.paraphrase,
      intakeSentiment: complaints.intakeSentiment,
      intakeNps: complaints.intakeNps,
      receivedAt: complaints.receivedAt,
      slaDueAt: complaints.slaDueAt,
      promisedBy: complaints.promisedBy,
      firstResponseAt: complaints.firstResponseAt,
      resolvedAt: complaints.resolvedAt,
      closedAt: complaints.closedAt,
      reopenCount: complaints.reopenCount,
      noRemedyReason: complaints.noRemedyReason,
      customerUnreachable: complaints.customerUnreachable,
      fiveWhys: complaints.fiveWhys,
      externalRef: complaints.externalRef,
      teamId: complaints.teamId,
      ownerId: complaints.ownerId,
      customerId: customers.id,
      customerName: customers.name,
      customerEmail: customers.email,
      customerPhone: customers.phone,
      customerSegment: customers.segment,
      customerRef: customers.externalRef,
      customerLtv: customers.lifetimeValueMinor,
      customerCurrency: customers.currency,
      productId: products.id,
      productName: products.name,
      teamName: teams.name,
      ownerName: owner.name,
      rootCauseId: rootCauses.id,
      rootCauseName: rootCauses.name,
      rootCauseCategory: rootCauseCategories.name,
    })
    .from(complaints)
    .innerJoin(
      customers,
      and(eq(customers.orgId, complaints.orgId), eq(customers.id, complaints.customerId)),
    )
    .leftJoin(
      products,
      and(eq(products.orgId, complaints.orgId), eq(products.id, complaints.productId)),
    )
    .leftJoin(teams, and(eq(teams.orgId, complaints.orgId), eq(teams.id, complaints.teamId)))
    .leftJoin(owner, and(eq(owner.orgId, complaints.orgId), eq(owner.id, complaints.ownerId)))
    .leftJoin(
      rootCauses,
      and(eq(rootCauses.orgId, complaints.orgId), eq(rootCauses.id, complaints.rootCauseId)),
    )
    .leftJoin(
      rootCauseCategories,
      and(
        eq(rootCauseCategories.orgId, rootCauses.orgId),
        eq(rootCauseCategories.id, rootCauses.categoryId),
      ),
    )
    .where(and(eq(complaints.orgId, orgId), eq(complaints.id, id)));
  if (!row) return null;

  const doneBy = alias(users, "done_by");
  const approver = alias(users, "approver");
  const [
    settings,
    stepRows,
    remedyRows,
    followUpRows,
    updateRows,
    outcomeRows,
    signalRows,
    historyRows,
    activityRows,
    auditRows,
  ] = await Promise.all([
    orgSettings(orgId),
    db
      .select({
        id: playbookSteps.id,
        key: playbookSteps.key,
        name: playbookSteps.name,
        guidance: playbookSteps.guidance,
        required: playbookSteps.required,
        active: playbookSteps.active,
        doneAt: complaintSteps.doneAt,
        note: complaintSteps.note,
        doneBy: doneBy.name,
      })
      .from(playbookSteps)
      .leftJoin(
        complaintSteps,
        and(
          eq(complaintSteps.orgId, playbookSteps.orgId),
          eq(complaintSteps.stepId, playbookSteps.id),
          eq(complaintSteps.complaintId, id),
        ),
      )
      .leftJoin(
        doneBy,
        and(eq(doneBy.orgId, complaintSteps.orgId), eq(doneBy.id, complaintSteps.doneBy)),
      )
      .where(
        and(
          eq(playbookSteps.orgId, orgId),
          or(eq(playbookSteps.active, true), isNotNull(complaintSteps.id)),
        ),
      )
      .orderBy(asc(playbookSteps.position), asc(playbookSteps.name)),
    db
      .select({
        id: remedies.id,
        kind: remedies.kind,
        description: remedies.description,
        costMinor: remedies.costMinor,
        currency: remedies.currency,
        suggestedByCustomer: remedies.suggestedByCustomer,
        offeredAt: remedies.offeredAt,
        offeredBy: users.name,
        decision: remedies.decision,
        decidedAt: remedies.decidedAt,
        deliveredAt: remedies.deliveredAt,
        approvalNeeded: remedies.approvalNeeded,
        approvedAt: remedies.approvedAt,
        approvedBy: approver.name,
      })
      .from(remedies)
      .leftJoin(users, and(eq(users.orgId, remedies.orgId), eq(users.id, remedies.offeredBy)))
      .leftJoin(
        approver,
        and(eq(approver.orgId, remedies.orgId), eq(approver.id, remedies.approvedBy)),
      )
      .where(and(eq(remedies.orgId, orgId), eq(remedies.complaintId, id)))
      .orderBy(asc(remedies.offeredAt), asc(remedies.id)),
    db
      .select({
        id: followUps.id,
        dueAt: followUps.dueAt,
        doneAt: followUps.doneAt,
        doneBy: users.name,
        channel: followUps.channel,
        sentiment: followUps.sentiment,
        nps: followUps.nps,
        note: followUps.note,
      })
      .from(followUps)
      .leftJoin(users, and(eq(users.orgId, followUps.orgId), eq(users.id, followUps.doneBy)))
      .where(and(eq(followUps.orgId, orgId), eq(followUps.complaintId, id)))
      .orderBy(asc(followUps.dueAt), asc(followUps.id)),
    db
      .select({
        id: customerUpdates.id,
        sentAt: customerUpdates.sentAt,
        sentBy: users.name,
        channel: customerUpdates.channel,
        message: customerUpdates.message,
      })
      .from(customerUpdates)
      .leftJoin(
        users,
        and(eq(users.orgId, customerUpdates.orgId), eq(users.id, customerUpdates.sentBy)),
      )
      .where(and(eq(customerUpdates.orgId, orgId), eq(customerUpdates.complaintId, id)))
      .orderBy(desc(customerUpdates.sentAt), desc(customerUpdates.id)),
    db
      .select({
        finalSentiment: outcomes.finalSentiment,
        finalNps: outcomes.finalNps,
        churnedAt: outcomes.churnedAt,
        recordedAt: outcomes.recordedAt,
        recordedBy: users.name,
      })
      .from(outcomes)
      .leftJoin(users, and(eq(users.orgId, outcomes.orgId), eq(users.id, outcomes.recordedBy)))
      .where(and(eq(outcomes.orgId, orgId), eq(outcomes.complaintId, id))),
    db
      .select({ kind: advocacySignals.kind })
      .from(advocacySignals)
      .where(and(eq(advocacySignals.orgId, orgId), eq(advocacySignals.complaintId, id)))
      .orderBy(asc(advocacySignals.occurredAt), asc(advocacySignals.kind)),
    db
      .select({
        id: complaints.id,
        summary: complaints.summary,
        status: complaints.status,
        severity: complaints.severity,
        receivedAt: complaints.receivedAt,
        resolvedAt: complaints.resolvedAt,
        closedAt: complaints.closedAt,
      })
      .from(complaints)
      .where(
        and(
          eq(complaints.orgId, orgId),
          eq(complaints.customerId, row.customerId),
          ne(complaints.id, id),
        ),
      )
      .orderBy(desc(complaints.receivedAt))
      .limit(20),
    db
      .select({
        id: customerActivities.id,
        kind: customerActivities.kind,
        occurredAt: customerActivities.occurredAt,
        amountMinor: customerActivities.amountMinor,
        currency: customerActivities.currency,
        score: customerActivities.score,
        note: customerActivities.note,
      })
      .from(customerActivities)
      .where(
        and(eq(customerActivities.orgId, orgId), eq(customerActivities.customerId, row.customerId)),
      )
      .orderBy(desc(customerActivities.occurredAt))
      .limit(20),
    db
      .select({
        id: auditEvents.id,
        occurredAt: auditEvents.occurredAt,
        actorKind: auditEvents.actorKind,
        actorName: users.name,
        entity: auditEvents.entity,
        entityId: auditEvents.entityId,
        action: auditEvents.action,
        before: auditEvents.before,
        after: auditEvents.after,
      })
      .from(auditEvents)
      .leftJoin(users, and(eq(users.orgId, auditEvents.orgId), eq(users.id, auditEvents.actorId)))
      .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.complaintId, id)))
      .orderBy(asc(auditEvents.occurredAt), asc(auditEvents.id)),
  ]);

  // Delivered remedy totals over all of the customer's complaints (this one included).
  const customerRemedyRows = await db
    .select({
      complaintId: remedies.complaintId,
      currency: remedies.currency,
      minor: sql<number>`coalesce(sum(${remedies.costMinor}), 0)`.mapWith(Number),
    })
    .from(remedies)
    .innerJoin(
      complaints,
      and(eq(complaints.orgId, remedies.orgId), eq(complaints.id, remedies.complaintId)),
    )
    .where(
      and(
        eq(remedies.orgId, orgId),
        eq(complaints.customerId, row.customerId),
        isNotNull(remedies.deliveredAt),
      ),
    )
    .groupBy(remedies.complaintId, remedies.currency);

  const remedyList: RemedyRow[] = remedyRows.map((r) => ({
    id: r.id,
    kind: r.kind,
    description: r.description,
    costMinor: r.costMinor,
    currency: r.currency,
    cost: r.costMinor === null ? null : formatMoney(r.costMinor, r.currency),
    suggestedByCustomer: r.suggestedByCustomer,
    offeredAt: iso(r.offeredAt),
    offeredBy: r.offeredBy,
    decidedAt: isoOrNull(r.decidedAt),
    deliveredAt: isoOrNull(r.deliveredAt),
    status: r.deliveredAt
      ? "delivered"
      : r.decision === "pending"
        ? "offered"
        : (r.decision as "accepted" | "declined"),
    approvalNeeded: r.approvalNeeded,
    approvalNote: r.approvalNeeded ? approvalNote(settings.approvalLimitMinor, r.currency) : null,
    approvedAt: isoOrNull(r.approvedAt),
    approvedBy: r.approvedBy,
    awaitingApproval: r.approvalNeeded && !r.approvedAt && !r.deliveredAt,
  }));

  const steps: PlaybookStepState[] = stepRows.map((s) => ({
    id: s.id,
    key: s.key,
    name: s.name,
    guidance: s.guidance,
    required: s.required,
    active: s.active,
    done: s.doneAt ? { by: s.doneBy, at: iso(s.doneAt), note: s.note } : null,
  }));
  const required = steps.filter((s) => s.required && s.active);

  const complaintRef = { teamId: row.teamId, ownerId: row.ownerId };
  const canEdit = mayChangeComplaint(actor, complaintRef, "edit");
  const outcomeRow = outcomeRows[0];

  const timeline = await describeTimeline(orgId, settings.timezone, auditRows, remedyList);

  return {
    ...complaintFields(row),
    fiveWhys: row.fiveWhys,
    customer: {
      id: row.customerId,
      name: row.customerName,
      email: row.customerEmail,
      phone: row.customerPhone,
      segment: row.customerSegment,
      externalRef: row.customerRef,
      lifetimeValue: formatMoney(row.customerLtv, row.customerCurrency),
    },
    product: row.productId ? { id: row.productId, name: row.productName ?? "" } : null,
    team: row.teamId ? { id: row.teamId, name: row.teamName ?? "" } : null,
    owner: row.ownerId ? { id: row.ownerId, name: row.ownerName ?? "" } : null,
    rootCause: row.rootCauseId
      ? {
          id: row.rootCauseId,
          name: row.rootCauseName ?? "",
          category: row.rootCauseCategory ?? "",
        }
      : null,
    steps,
    requiredDone: required.filter((s) => s.done).length,
    requiredTotal: required.length,
    remedies: remedyList,
    deliveredTotals: totals(
      remedyList
        .filter((r) => r.deliveredAt && r.costMinor !== null)
        .map((r) => ({ currency: r.currency, minor: r.costMinor! })),
    ),
    hasDeliveredRemedy: remedyList.some((r) => r.deliveredAt),
    followUps: followUpRows.map((f) => ({
      id: f.id,
      dueAt: iso(f.dueAt),
      doneAt: isoOrNull(f.doneAt),
      doneBy: f.doneBy,
      channel: f.channel,
      sentiment: f.sentiment,
      nps: f.nps,
      note: f.note,
    })),
    updates: updateRows.map((u) => ({
      id: u.id,
      sentAt: iso(u.sentAt),
      sentBy: u.sentBy,
      channel: u.channel,
      message: u.message,
    })),
    outcome: outcomeRow
      ? {
          finalSentiment: outcomeRow.finalSentiment,
          finalNps: outcomeRow.finalNps,
          churnedAt: isoOrNull(outcomeRow.churnedAt),
          recordedAt: iso(outcomeRow.recordedAt),
          recordedBy: outcomeRow.recordedBy,
          signals: signalRows.map((s) => s.kind),
        }
      : null,
    history: {
      complaints: historyRows.map((h) => ({
        id: h.id,
        summary: h.summary,
        status: h.status,
        severity: h.severity,
        receivedAt: iso(h.receivedAt),
        resolvedAt: isoOrNull(h.resolvedAt),
        closedAt: isoOrNull(h.closedAt),
        remedyTotals: totals(customerRemedyRows.filter((r) => r.complaintId === h.id)),
      })),
      remedyTotals: totals(customerRemedyRows),
      activity: activityRows.map((a) => ({
        id: a.id,
        kind: a.kind,
        occurredAt: iso(a.occurredAt),
        amountMinor: a.amountMinor,
        currency: a.currency,
        amount: a.amountMinor > 0 ? formatMoney(a.amountMinor, a.currency) : null,
        score: a.score,
        note: a.note,
      })),
    },
    timeline,
    currency: settings.currency,
    timezone: settings.timezone,
    readAt: new Date().toISOString(),
    canEdit,
    canReassign: mayChangeComplaint(actor, complaintRef, "reassign"),
    canSetRootCause: mayChangeComplaint(actor, complaintRef, "root-cause"),
    canApproveRemedies:
      row.status !== "closed" && mayChangeComplaint(actor, complaintRef, "approve-remedy"),
    transitions: canEdit ? transitionsFrom(row.status) : [],
  };
}

// ---------------------------------------------------------------- option lists

export interface IntakeOptions {
  products: NamedRef[];
  teams: NamedRef[];
  owners: (NamedRef & { teamIds: string[] })[];
  defaultTeamId: string | null;
  defaultOwnerId: string;
  /** The organisation's zone, in which the form's date/time fields are read. */
  timezone: string;
}

/** Teams an actor may record for or assign within: all for edit-any, else their own. */
async function actorTeams(actor: Actor): Promise<NamedRef[]> {
  const { db } = await getDatabase();
  const all = actorCan(actor, "complaint:edit-any");
  if (!all && actor.teamIds.length === 0) return [];
  return db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(and(eq(teams.orgId, actor.orgId), all ? undefined : inArray(teams.id, actor.teamIds)))
    .orderBy(asc(teams.name));
}

/** Active members of the given teams, each with the teams they are in. */
async function activeMembers(orgId: string, teamIds: string[]) {
  if (!teamIds.length) return [];
  const { db } = await getDatabase();
  const rows = await db
    .select({ id: users.id, name: users.name, teamId: teamMemberships.teamId })
    .from(teamMemberships)
    .innerJoin(
      users,
      and(eq(users.orgId, teamMemberships.orgId), eq(users.id, teamMemberships.userId)),
    )
    .where(
      and(
        eq(teamMemberships.orgId, orgId),
        inArray(teamMemberships.teamId, teamIds),
        eq(users.active, true),
      ),
    )
    .orderBy(asc(users.name));
  const byId = new Map<string, NamedRef & { teamIds: string[] }>();
  for (const row of rows) {
    const member = byId.get(row.id) ?? { id: row.id, name: row.name, teamIds: [] };
    member.teamIds.push(row.teamId);
    byId.set(row.id, member);
  }
  return [...byId.values()];
}

/** What the intake form offers: products, the actor's teams, owners in them, and defaults. */
export async function getIntakeOptions(): Promise<IntakeOptions> {
  const actor = await requirePermission("complaint:create");
  const [productRows, teamList, settings] = await Promise.all([
    productsWithPaths(actor.orgId),
    actorTeams(actor),
    orgSettings(actor.orgId),
  ]);
  const owners = await activeMembers(
    actor.orgId,
    teamList.map((t) => t.id),
  );
  if (!owners.some((o) => o.id === actor.userId)) {
    owners.push({ id: actor.userId, name: actor.name, teamIds: actor.teamIds });
    owners.sort((a, b) => a.name.localeCompare(b.name));
  }
  const productList = productRows.map((p) => ({ id: p.id, name: p.path }));
  const ownTeam = actor.teamIds.find((id) => teamList.some((t) => t.id === id));
  return {
    products: productList,
    teams: teamList,
    owners,
    defaultTeamId: ownTeam ?? teamList[0]?.id ?? null,
    defaultOwnerId: actor.userId,
    timezone: settings.timezone,
  };
}

export interface RootCauseGroup {
  category: string;
  causes: NamedRef[];
}

/** Active root causes grouped by category, in the taxonomy's order, for the root-cause select. */
export async function getRootCauseOptions(): Promise<RootCauseGroup[]> {
  const actor = await requirePermission("complaint:read");
  const { db } = await getDatabase();
  const rows = await db
    .select({
      id: rootCauses.id,
      name: rootCauses.name,
      category: rootCauseCategories.name,
    })
    .from(rootCauses)
    .innerJoin(
      rootCauseCategories,
      and(
        eq(rootCauseCategories.orgId, rootCauses.orgId),
        eq(rootCauseCategories.id, rootCauses.categoryId),
      ),
    )
    .where(and(eq(rootCauses.orgId, actor.orgId), eq(rootCauses.active, true)))
    .orderBy(
      asc(rootCauseCategories.position),
      asc(rootCauseCategories.name),
      asc(rootCauses.name),
    );
  const groups: RootCauseGroup[] = [];
  for (const row of rows) {
    let group = groups.at(-1);
    if (group?.category !== row.category) {
      group = { category: row.category, causes: [] };
      groups.push(group);
    }
    group.causes.push({ id: row.id, name: row.name });
  }
  return groups;
}

export interface AssignmentTeam extends NamedRef {
  members: NamedRef[];
}

/**
 * Where the actor may hand a complaint: their teams (all teams for admins), each with its active
 * members; the complaint's own team comes first.
 */
export async function getAssignmentOptions(
  complaintTeamId: string | null,
): Promise<AssignmentTeam[]> {
  const actor = await requirePermission("complaint:read");
  if (!actorCan(actor, "complaint:reassign")) return [];
  const teamList = await actorTeams(actor);
  const members = await activeMembers(
    actor.orgId,
    teamList.map((t) => t.id),
  );
  return teamList
    .map((team) => ({
      ...team,
      members: members
        .filter((m) => m.teamIds.includes(team.id))
        .map((m) => ({ id: m.id, name: m.name })),
    }))
    .sort((a, b) => Number(b.id === complaintTeamId) - Number(a.id === complaintTeamId));
}
