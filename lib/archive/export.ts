/**
 * Writes an organisation's archive (format.ts) as JSON Lines, streamed: settings first, then
 * customers, activity, complaints (one line each, with their whole history) and corrective
 * actions, read in keyset pages so memory stays flat at any size.
 */
import "server-only";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { getDatabase, type Db } from "@/db";
import {
  advocacySignals,
  complaintSteps,
  complaints,
  correctiveActions,
  customerActivities,
  customerUpdates,
  customers,
  followUps,
  holidays,
  organisations,
  outcomes,
  playbookSteps,
  products,
  regulatedIssues,
  remedies,
  rootCauseCategories,
  rootCauses,
  slaPolicies,
  slaTargets,
  teamMemberships,
  teams,
  users,
} from "@/db/schema";
import { refused, type ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import { authorise, type Actor } from "@/lib/auth/guard";
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchiveLine } from "./format";

const PAGE = 500;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const refOf = (row: { id: string; externalRef: string | null }) => row.externalRef ?? row.id;

/** The archive as lines of text, each ending in "\n". Admins only; the download is audited. */
export async function exportArchive(): Promise<ActionResult<AsyncIterable<string>>> {
  const auth = await authorise("archive:export");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const { db } = await getDatabase();
  await db.transaction((tx) =>
    recordAudit(tx, auth.actor, {
      entity: "organisation",
      entityId: auth.actor.orgId,
      action: "archive.exported",
    }),
  );
  return { ok: true, data: archiveLines(db, auth.actor) };
}

async function* archiveLines(db: Db, actor: Actor): AsyncIterable<string> {
  for await (const line of archiveRecords(db, actor.orgId)) yield `${JSON.stringify(line)}\n`;
}

async function* archiveRecords(db: Db, orgId: string): AsyncIterable<ArchiveLine> {
  const [org] = await db.select().from(organisations).where(eq(organisations.id, orgId));
  if (!org) return;
  yield {
    type: "archive",
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: new Date().toISOString(),
    organisation: {
      name: org.name,
      currency: org.currency,
      remedyApprovalLimitMinor: org.remedyApprovalLimitMinor,
    },
  };

  const teamRows = await db
    .select()
    .from(teams)
    .where(eq(teams.orgId, orgId))
    .orderBy(asc(teams.name));
  const teamName = new Map(teamRows.map((t) => [t.id, t.name]));
  for (const t of teamRows) yield { type: "team", name: t.name };

  const userRows = await db
    .select()
    .from(users)
    .where(eq(users.orgId, orgId))
    .orderBy(asc(users.email));
  const memberships = await db
    .select()
    .from(teamMemberships)
    .where(eq(teamMemberships.orgId, orgId));
  const email = new Map(userRows.map((u) => [u.id, u.email]));
  const who = (id: string | null) => (id ? (email.get(id) ?? null) : null);
  for (const u of userRows) {
    yield {
      type: "user",
      email: u.email,
      name: u.name,
      role: u.role,
      active: u.active,
      teams: memberships
        .filter((m) => m.userId === u.id)
        .map((m) => teamName.get(m.teamId)!)
        .sort(),
    };
  }

  const stepRows = await db
    .select()
    .from(playbookSteps)
    .where(eq(playbookSteps.orgId, orgId))
    .orderBy(asc(playbookSteps.position), asc(playbookSteps.key));
  const stepKey = new Map(stepRows.map((s) => [s.id, s.key]));
  for (const s of stepRows) {
    yield {
      type: "playbookStep",
      key: s.key,
      name: s.name,
      guidance: s.guidance,
      position: s.position,
      required: s.required,
      customerFacing: s.customerFacing,
      active: s.active,
    };
  }

  const [policy] = await db
    .select()
    .from(slaPolicies)
    .where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.isDefault, true)))
    .limit(1);
  if (policy) {
    const targets = await db
      .select()
      .from(slaTargets)
      .where(and(eq(slaTargets.orgId, orgId), eq(slaTargets.policyId, policy.id)))
      .orderBy(asc(slaTargets.severity));
    const days = await db
      .select()
      .from(holidays)
      .where(and(eq(holidays.orgId, orgId), eq(holidays.policyId, policy.id)))
      .orderBy(asc(holidays.day));
    yield {
      type: "slaPolicy",
      name: policy.name,
      timezone: policy.timezone,
      workingDays: policy.workingDays,
      workdayStartMinute: policy.workdayStartMinute,
      workdayEndMinute: policy.workdayEndMinute,
      closedLoopHours: policy.closedLoopHours,
      targets: targets.map((t) => ({
        severity: t.severity,
        firstResponseHours: t.firstResponseHours,
        resolutionHours: t.resolutionHours,
        businessHours: t.businessHours,
      })),
      holidays: days.map((h) => ({ day: h.day, name: h.name })),
    };
  }

  const productRows = await db.select().from(products).where(eq(products.orgId, orgId));
  const byId = new Map(productRows.map((p) => [p.id, p]));
  const productPath = new Map<string, string[]>();
  const pathOf = (id: string): string[] => {
    const known = productPath.get(id);
    if (known) return known;
    const p = byId.get(id)!;
    const path = p.parentId ? [...pathOf(p.parentId), p.name] : [p.name];
    productPath.set(id, path);
    return path;
  };
  // Parents before children, so an importer can create them in file order.
  const ordered = productRows
    .map((p) => ({ p, path: pathOf(p.id) }))
    .sort(
      (a, b) => a.path.length - b.path.length || a.path.join("\0").localeCompare(b.path.join("\0")),
    );
  for (const { p, path } of ordered) yield { type: "product", path, ref: p.externalRef };

  const categoryRows = await db
    .select()
    .from(rootCauseCategories)
    .where(eq(rootCauseCategories.orgId, orgId))
    .orderBy(asc(rootCauseCategories.position), asc(rootCauseCategories.key));
  const categoryKey = new Map(categoryRows.map((c) => [c.id, c.key]));
  for (const c of categoryRows)
    yield { type: "rootCauseCategory", key: c.key, name: c.name, position: c.position };
  const causeRows = await db
    .select()
    .from(rootCauses)
    .where(eq(rootCauses.orgId, orgId))
    .orderBy(asc(rootCauses.name), asc(rootCauses.id));
  const causeKey = new Map(
    causeRows.map((c) => [c.id, { category: categoryKey.get(c.categoryId)!, name: c.name }]),
  );
  for (const c of causeRows) {
    yield {
      type: "rootCause",
      category: categoryKey.get(c.categoryId)!,
      name: c.name,
      description: c.description,
      recurrenceWindowWeeks: c.recurrenceWindowWeeks,
      active: c.active,
    };
  }

  const customerRef = new Map<string, string>();
  for await (const page of pages(db, customers, orgId)) {
    for (const c of page) {
      customerRef.set(c.id, refOf(c));
      yield {
        type: "customer",
        ref: refOf(c),
        name: c.name,
        email: c.email,
        phone: c.phone,
        segment: c.segment,
        lifetimeValueMinor: c.lifetimeValueMinor,
        currency: c.currency,
        createdAt: iso(c.createdAt),
      };
    }
  }
  for await (const page of pages(db, customerActivities, orgId, 5_000)) {
    for (const a of page) {
      yield {
        type: "activity",
        ref: refOf(a),
        customer: customerRef.get(a.customerId)!,
        kind: a.kind,
        occurredAt: a.occurredAt.toISOString(),
        amountMinor: a.amountMinor,
        currency: a.currency,
        score: a.score,
        note: a.note,
      };
    }
  }

  const issueRows = await db.select().from(regulatedIssues).where(eq(regulatedIssues.orgId, orgId));
  const issue = new Map(
    issueRows.map((r) => [
      r.id,
      { product: r.product, subProduct: r.subProduct, issue: r.issue, subIssue: r.subIssue },
    ]),
  );
  for await (const page of pages(db, complaints, orgId)) {
    const ids = page.map((c) => c.id);
    const within = <T extends { orgId: unknown; complaintId: unknown }>(table: T) =>
      and(
        eq(table.orgId as typeof complaints.orgId, orgId),
        inArray(table.complaintId as typeof complaints.id, ids),
      );
    const [stepsDone, offered, followUpRows, updateRows, outcomeRows, signalRows] =
      await Promise.all([
        db
          .select()
          .from(complaintSteps)
          .where(within(complaintSteps))
          .orderBy(asc(complaintSteps.doneAt), asc(complaintSteps.id)),
        db
          .select()
          .from(remedies)
          .where(within(remedies))
          .orderBy(asc(remedies.offeredAt), asc(remedies.id)),
        db
          .select()
          .from(followUps)
          .where(within(followUps))
          .orderBy(asc(followUps.dueAt), asc(followUps.id)),
        db
          .select()
          .from(customerUpdates)
          .where(within(customerUpdates))
          .orderBy(asc(customerUpdates.sentAt), asc(customerUpdates.id)),
        db.select().from(outcomes).where(within(outcomes)),
        db
          .select()
          .from(advocacySignals)
          .where(within(advocacySignals))
          .orderBy(asc(advocacySignals.kind)),
      ]);
    const group = <T extends { complaintId: string }>(rows: T[]) => {
      const map = new Map<string, T[]>();
      for (const r of rows) map.set(r.complaintId, [...(map.get(r.complaintId) ?? []), r]);
      return (id: string) => map.get(id) ?? [];
    };
    const stepsOf = group(stepsDone);
    const remediesOf = group(offered);
    const followUpsOf = group(followUpRows);
    const updatesOf = group(updateRows);
    const signalsOf = group(signalRows);
    const outcomeOf = new Map(outcomeRows.map((o) => [o.complaintId, o]));
    for (const c of page) {
      const outcome = outcomeOf.get(c.id);
      yield {
        type: "complaint",
        ref: refOf(c),
        customer: customerRef.get(c.customerId)!,
        receivedAt: c.receivedAt.toISOString(),
        channel: c.channel,
        product: c.productId ? pathOf(c.productId) : null,
        team: c.teamId ? (teamName.get(c.teamId) ?? null) : null,
        owner: who(c.ownerId),
        severity: c.severity,
        summary: c.summary,
        story: c.story,
        paraphrase: c.paraphrase,
        intakeSentiment: c.intakeSentiment,
        intakeNps: c.intakeNps,
        status: c.status,
        slaDueAt: iso(c.slaDueAt),
        promisedBy: iso(c.promisedBy),
        firstResponseAt: iso(c.firstResponseAt),
        resolvedAt: iso(c.resolvedAt),
        closedAt: iso(c.closedAt),
        reopenCount: c.reopenCount,
        noRemedyReason: c.noRemedyReason,
        customerUnreachable: c.customerUnreachable,
        rootCause: c.rootCauseId ? (causeKey.get(c.rootCauseId) ?? null) : null,
        fiveWhys: c.fiveWhys,
        regulatedIssue: c.regulatedIssueId ? (issue.get(c.regulatedIssueId) ?? null) : null,
        timelyResponse: c.timelyResponse,
        timesInferred: c.timesInferred,
        imported: c.imported,
        createdAt: iso(c.createdAt),
        steps: stepsOf(c.id).map((s) => ({
          step: stepKey.get(s.stepId)!,
          doneBy: who(s.doneBy),
          doneAt: s.doneAt.toISOString(),
          note: s.note,
        })),
        remedies: remediesOf(c.id).map((r) => ({
          kind: r.kind,
          description: r.description,
          costMinor: r.costMinor,
          currency: r.currency,
          suggestedByCustomer: r.suggestedByCustomer,
          offeredAt: r.offeredAt.toISOString(),
          offeredBy: who(r.offeredBy),
          decision: r.decision,
          decidedAt: iso(r.decidedAt),
          deliveredAt: iso(r.deliveredAt),
          approvalNeeded: r.approvalNeeded,
          approvedBy: who(r.approvedBy),
          approvedAt: iso(r.approvedAt),
        })),
        followUps: followUpsOf(c.id).map((f) => ({
          dueAt: f.dueAt.toISOString(),
          doneAt: iso(f.doneAt),
          doneBy: who(f.doneBy),
          channel: f.channel,
          sentiment: f.sentiment,
          nps: f.nps,
          note: f.note,
          createdAt: iso(f.createdAt),
        })),
        updates: updatesOf(c.id).map((u) => ({
          sentAt: u.sentAt.toISOString(),
          sentBy: who(u.sentBy),
          channel: u.channel,
          message: u.message,
        })),
        outcome: outcome
          ? {
              finalSentiment: outcome.finalSentiment,
              finalNps: outcome.finalNps,
              churnedAt: iso(outcome.churnedAt),
              recordedAt: outcome.recordedAt.toISOString(),
              recordedBy: who(outcome.recordedBy),
            }
          : null,
        signals: signalsOf(c.id).map((s) => ({
          kind: s.kind,
          occurredAt: s.occurredAt.toISOString(),
          note: s.note,
        })),
      };
    }
  }

  for await (const page of pages(db, correctiveActions, orgId)) {
    for (const a of page) {
      yield {
        type: "correctiveAction",
        ref: a.id,
        rootCause: causeKey.get(a.rootCauseId)!,
        title: a.title,
        description: a.description,
        owner: who(a.ownerId),
        status: a.status,
        dueAt: iso(a.dueAt),
        doneAt: iso(a.doneAt),
        verifiedAt: iso(a.verifiedAt),
        verificationNote: a.verificationNote,
        createdAt: iso(a.createdAt),
      };
    }
  }
}

type Keyed =
  typeof customers | typeof customerActivities | typeof complaints | typeof correctiveActions;

/** An organisation's rows of one table, by id, a page at a time. */
async function* pages<T extends Keyed>(
  db: Db,
  table: T,
  orgId: string,
  size = PAGE,
): AsyncIterable<T["$inferSelect"][]> {
  let after: string | null = null;
  for (;;) {
    const t = table as typeof customers;
    const rows: T["$inferSelect"][] = (await db
      .select()
      .from(t)
      .where(and(eq(t.orgId, orgId), after ? gt(t.id, after) : undefined))
      .orderBy(asc(t.id))
      .limit(size)) as T["$inferSelect"][];
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    if (rows.length < size) return;
  }
}
