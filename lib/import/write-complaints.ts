/**
 * Writes one batch of imported complaints inside the caller's transaction, set-based: customers,
 * products and regulated issues resolved in a few statements; complaints inserted, updated
 * (version bumped, audit event with before → after of the changed fields) or left alone when
 * nothing changed, which is what makes a second import of the same file create nothing.
 */
import { sql } from "drizzle-orm";
import { needsApproval } from "@/lib/complaints/approval";
import { refreshComplaintFacts } from "@/lib/rollups/maintain";
import { queryRows } from "@/db";
import type { Tx } from "@/lib/audit";
import type { Severity } from "@/db/schema";
import type { ComplaintDraft } from "./complaint-rows";
import { customerKeyOf, resolveCustomers } from "./customers";
import { timeOrderedId } from "./ids";
import { timed } from "./profile";
import { regulatedKey, rootCauseKey, type TaxonomyCache } from "./taxonomy";
import { json } from "./payload";
import { IMPORTED_REMEDY } from "./values";

export interface BatchContext {
  orgId: string;
  userId: string;
  runId: string;
  slaDueAt: (severity: Severity, receivedAt: Date) => Date | null;
  taxonomy: TaxonomyCache;
  currency: string;
}

export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** The fields an import owns: compared to decide "changed", and written on update. */
type Stored = {
  customer_id: string;
  received_at: string;
  channel: string;
  severity: string;
  summary: string;
  story: string;
  status: string;
  resolved_at: string | null;
  closed_at: string | null;
  first_response_at: string | null;
  promised_by: string | null;
  intake_sentiment: number | null;
  intake_nps: number | null;
  timely_response: boolean | null;
  product_id: string | null;
  team_id: string | null;
  regulated_issue_id: string | null;
  root_cause_id: string | null;
  times_inferred: boolean;
};
const compared = Object.keys({
  customer_id: 0,
  received_at: 0,
  channel: 0,
  severity: 0,
  summary: 0,
  story: 0,
  status: 0,
  resolved_at: 0,
  closed_at: 0,
  first_response_at: 0,
  promised_by: 0,
  intake_sentiment: 0,
  intake_nps: 0,
  timely_response: 0,
  product_id: 0,
  team_id: 0,
  regulated_issue_id: 0,
  root_cause_id: 0,
  times_inferred: 0,
} satisfies Record<keyof Stored, 0>) as (keyof Stored)[];

/** Ids of what a batch's rows name: created before its complaints are written (see run.ts). */
export interface PreparedComplaints {
  customers: Map<string, string>;
  products: Map<string, string>;
  regulated: Map<string, { id: string; rootCauseId: string | null }>;
  /** rootCauseKey → id of the causes generic rows name (new ones created). */
  rootCauses: Map<string, string>;
}

/**
 * Customers, products and regulated issues a batch names, found or created in a transaction of
 * their own. Committed before the complaints are written, so two batches written at the same time
 * never wait on each other's new customers; a failed batch leaves only these, which a re-import
 * reuses.
 */
export async function prepareComplaintBatch(
  tx: Tx,
  ctx: BatchContext,
  drafts: ComplaintDraft[],
): Promise<PreparedComplaints> {
  const { orgId } = ctx;
  const customers = await timed("customers", () =>
    resolveCustomers(
      tx,
      orgId,
      drafts.map((d) => d.customer),
      ctx.currency,
    ),
  );
  const products = await timed("taxonomy", () =>
    ctx.taxonomy.productIds(
      tx,
      drafts.map((d) => d.productPath),
    ),
  );
  const regulatedPaths = drafts.flatMap((d) => (d.regulated ? [d.regulated] : []));
  const regulated = regulatedPaths.length
    ? await ctx.taxonomy.regulatedIssues(tx, regulatedPaths)
    : new Map<string, { id: string; rootCauseId: string | null }>();
  const causes = drafts.flatMap((d) => (d.rootCause ? [d.rootCause] : []));
  const rootCauses = causes.length
    ? await ctx.taxonomy.rootCauseIds(tx, causes)
    : new Map<string, string>();
  return { customers, products, regulated, rootCauses };
}

export async function writeComplaintBatch(
  tx: Tx,
  ctx: BatchContext,
  drafts: ComplaintDraft[],
  prepared: PreparedComplaints,
): Promise<BatchCounts> {
  const { orgId } = ctx;
  const { customers, products, regulated, rootCauses } = prepared;
  const refs = json(drafts.map((d) => d.externalRef));
  const existing = await timed("existing", () =>
    queryRows<Stored & { id: string; external_ref: string; remedies: string | null }>(
      tx,
      sql`select c.id, c.external_ref, c.customer_id, to_json(c.received_at) #>> '{}' as received_at, c.channel, c.severity,
        c.summary, c.story, c.status, to_json(c.resolved_at) #>> '{}' as resolved_at,
        to_json(c.closed_at) #>> '{}' as closed_at, to_json(c.first_response_at) #>> '{}' as first_response_at,
        to_json(c.promised_by) #>> '{}' as promised_by, c.intake_sentiment, c.intake_nps,
        c.timely_response, c.product_id, c.team_id, c.regulated_issue_id, c.root_cause_id, c.times_inferred,
        (select string_agg(r.kind || ': ' || r.description, ' | ' order by r.kind, r.description) from remedies r
          where r.org_id = c.org_id and r.complaint_id = c.id and r.description like 'CFPB: %') as remedies
      from json_array_elements_text(${refs}::json) as r(ref)
      join complaints c on c.org_id = ${orgId} and c.external_ref = r.ref`,
    ),
  );
  const byRef = new Map(existing.map((e) => [e.external_ref, e]));
  const history = await storedHistory(
    tx,
    orgId,
    drafts.flatMap((d) => {
      const old = byRef.get(d.externalRef);
      return old && (d.importedRemedy || d.outcome) ? [old.id] : [];
    }),
  );
  const limit = drafts.some((d) => d.importedRemedy?.costMinor != null)
    ? await approvalLimit(tx, orgId)
    : null;

  const inserts = new NewComplaints();
  const updates: Record<string, unknown>[] = [];
  // Audit events of updated complaints; created ones get theirs in the insert statement.
  const audits: { event: string; id: string; action: string; before: unknown; after: unknown }[] =
    [];
  const remedies: { complaint_id: string; kind: string; description: string; at: string }[] = [];
  // The rows' own remedies and outcomes, written after the complaints (new or changed ones only).
  const ownRemedies: (RemedyRow & { id: string | null; complaint_id: string })[] = [];
  const ownOutcomes: (OutcomeRow & { complaint_id: string })[] = [];
  let unchanged = 0;

  for (const d of drafts) {
    const reg = d.regulated ? regulated.get(regulatedKey(d.regulated)) : undefined;
    const customerId = customers.get(customerKeyOf(d.customer))!;
    const productId = d.productPath.length ? products.get(d.productPath.join("\u001f"))! : null;
    const resolvedAt = d.resolvedAt?.toISOString() ?? null;
    const rootCauseId = d.rootCause ? rootCauses.get(rootCauseKey(d.rootCause))! : null;
    const remedyRow = d.importedRemedy && remedyRowOf(d.importedRemedy, limit);
    const old = byRef.get(d.externalRef);
    let id: string;
    if (!old) {
      id = timeOrderedId();
      const due = ctx.slaDueAt(d.severity, d.receivedAt);
      inserts.add(
        id,
        d,
        customerId,
        resolvedAt,
        productId,
        reg ?? null,
        rootCauseId ?? reg?.rootCauseId ?? null,
        due?.toISOString() ?? null,
      );
      if (remedyRow) ownRemedies.push({ ...remedyRow, id: null, complaint_id: id });
      if (d.outcome) ownOutcomes.push({ ...outcomeRowOf(d.outcome, null), complaint_id: id });
    } else {
      id = old.id;
      const next: Stored = {
        customer_id: customerId,
        received_at: d.receivedAt.toISOString(),
        channel: d.channel,
        severity: d.severity,
        summary: d.summary,
        story: d.story,
        status: d.status,
        resolved_at: resolvedAt,
        closed_at: iso(d.closedAt),
        // History a file does not carry is kept (a first response recorded in Turnaround).
        first_response_at: iso(d.firstResponseAt) ?? old.first_response_at,
        promised_by: iso(d.promisedBy) ?? old.promised_by,
        intake_sentiment: d.intakeSentiment ?? old.intake_sentiment,
        intake_nps: d.intakeNps ?? old.intake_nps,
        timely_response: d.timelyResponse,
        product_id: productId,
        team_id: d.teamId,
        regulated_issue_id: reg?.id ?? null,
        // A file without a root cause (and CFPB files, whose cause follows the issue) keeps it;
        // a CFPB complaint without one gets its issue's cause as this import maps it.
        root_cause_id: rootCauseId ?? old.root_cause_id ?? reg?.rootCauseId ?? null,
        times_inferred: d.timesInferred,
      };
      // An import never clears a team someone assigned in Turnaround.
      const changed = compared.filter(
        (k) => !same(old[k], next[k]) && !(k === "team_id" && next.team_id === null),
      );
      // A new company response that implies a remedy changes the complaint too.
      const remedy = d.remedy ? `${d.remedy.kind}: ${d.remedy.description}` : null;
      const remedyAdded = remedy !== null && !(old.remedies ?? "").split(" | ").includes(remedy);
      const before: Record<string, unknown> = Object.fromEntries(
        changed.map((k) => [camel(k), old[k]]),
      );
      const after: Record<string, unknown> = Object.fromEntries(
        changed.map((k) => [camel(k), next[k]]),
      );
      if (remedyAdded) {
        before.remedies = old.remedies;
        after.remedies = old.remedies ? `${old.remedies} | ${remedy}` : remedy;
      }
      // The row's remedy and outcome, compared with the stored ones (see IMPORTED_REMEDY).
      const stored = history.get(id);
      const oldRemedy = stored?.remedy ?? null;
      const remedyChanged = remedyRow !== null && !sameRow(oldRemedy, remedyRow);
      if (remedyRow && remedyChanged) {
        before.remedy = oldRemedy && { ...oldRemedy, id: undefined };
        after.remedy = remedyRow;
        ownRemedies.push({ ...remedyRow, id: oldRemedy?.id ?? null, complaint_id: id });
      }
      const outcomeRow = d.outcome && outcomeRowOf(d.outcome, stored?.outcome ?? null);
      const outcomeChanged = outcomeRow !== null && !sameRow(stored?.outcome ?? null, outcomeRow);
      if (outcomeRow && outcomeChanged) {
        before.outcome = stored?.outcome ?? null;
        after.outcome = outcomeRow;
        ownOutcomes.push({ ...outcomeRow, complaint_id: id });
      }
      if (changed.length === 0 && !remedyAdded && !remedyChanged && !outcomeChanged) unchanged++;
      else {
        updates.push({ ...next, team_id: next.team_id ?? old.team_id, id });
        audits.push({
          event: timeOrderedId(),
          id,
          action: "complaint.import-updated",
          before,
          after: { ...after, runId: ctx.runId, line: d.line },
        });
      }
    }
    if (d.remedy) {
      remedies.push({
        complaint_id: id,
        kind: d.remedy.kind,
        description: d.remedy.description,
        at: d.receivedAt.toISOString(),
      });
    }
  }

  if (inserts.length) {
    // The complaints and their "imported" audit events from one payload in one statement.
    const c = inserts.columns;
    await timed("insert", () =>
      tx.execute(sql`with x as materialized (
        select * from unnest(${column(c.id, "uuid")}, ${column(c.event, "uuid")}, ${column(c.line, "integer")},
          ${column(c.ref, "text")}, ${column(c.customer, "uuid")}, ${column(c.received, "timestamptz")},
          ${column(c.channel, "channel")}, ${column(c.severity, "severity")}, ${column(c.summary, "text")},
          ${column(c.story, "text")}, ${column(c.status, "complaint_status")}, ${column(c.resolved, "timestamptz")},
          ${column(c.closed, "timestamptz")}, ${column(c.firstResponse, "timestamptz")}, ${column(c.promised, "timestamptz")},
          ${column(c.sentiment, "integer")}, ${column(c.nps, "integer")},
          ${column(c.timely, "boolean")}, ${column(c.product, "uuid")}, ${column(c.team, "uuid")},
          ${column(c.regulated, "uuid")}, ${column(c.rootCause, "uuid")}, ${column(c.due, "timestamptz")},
          ${column(c.inferred, "boolean")})
          as x(id, event, line, ref, customer, received, channel, severity, summary, story, status, resolved,
            closed, first_response, promised, sentiment, nps, timely, product, team, regulated, root_cause, due,
            inferred)
      ), created as (
        insert into complaints (org_id, id, external_ref, customer_id, received_at, channel, severity, summary, story,
          status, resolved_at, closed_at, first_response_at, promised_by, intake_sentiment, intake_nps,
          timely_response, product_id, team_id, regulated_issue_id, root_cause_id, sla_due_at, times_inferred,
          imported)
        select ${orgId}, x.id, x.ref, x.customer, x.received, x.channel, x.severity, x.summary, x.story,
          x.status, x.resolved, case when x.status = 'closed' then coalesce(x.closed, x.resolved) end,
          x.first_response, x.promised, x.sentiment, x.nps, x.timely, x.product, x.team,
          x.regulated, x.root_cause, x.due, x.inferred, true
        from x
      )
      insert into audit_events (org_id, id, actor_kind, actor_id, entity, entity_id, complaint_id, action, before, after)
      select ${orgId}, x.event, 'import', ${ctx.userId}, 'complaint', x.id::text, x.id, 'complaint.imported', null,
        jsonb_build_object('runId', ${ctx.runId}::text, 'line', x.line, 'externalRef', x.ref)
      from x`),
    );
  }
  if (updates.length) {
    await tx.execute(sql`update complaints c set customer_id = x.customer_id, received_at = x.received_at, channel = x.channel,
        severity = x.severity, summary = x.summary, story = x.story, status = x.status, resolved_at = x.resolved_at,
        -- Closed rows close at the file's closed time, else at their resolved time (kept if closed
        -- later in Turnaround); other rows are not closed.
        closed_at = case when x.status = 'closed' then coalesce(x.closed_at, greatest(coalesce(c.closed_at, x.resolved_at), x.resolved_at)) end,
        first_response_at = x.first_response_at, promised_by = x.promised_by,
        intake_sentiment = x.intake_sentiment, intake_nps = x.intake_nps,
        timely_response = x.timely_response, product_id = x.product_id, team_id = x.team_id,
        regulated_issue_id = x.regulated_issue_id, root_cause_id = x.root_cause_id,
        times_inferred = x.times_inferred, version = c.version + 1, updated_at = now()
      from json_to_recordset(${json(updates)}::json) as x(id uuid, customer_id uuid, received_at timestamptz,
        channel channel, severity severity, summary text, story text, status complaint_status, resolved_at timestamptz,
        closed_at timestamptz, first_response_at timestamptz, promised_by timestamptz, intake_sentiment smallint,
        intake_nps smallint, timely_response boolean, product_id uuid, team_id uuid, regulated_issue_id uuid,
        root_cause_id uuid, times_inferred boolean)
      where c.org_id = ${orgId} and c.id = x.id`);
  }
  if (remedies.length) {
    // The remedy a CFPB response implies, once: a re-import finds it already there.
    await tx.execute(sql`insert into remedies (org_id, complaint_id, kind, description, cost_minor, currency, offered_at,
        decision, decided_at, delivered_at)
      select ${orgId}, x.complaint_id, x.kind, x.description, null, ${ctx.currency}, x.at, 'accepted', x.at, x.at
      from json_to_recordset(${json(remedies)}::json) as x(complaint_id uuid, kind remedy_kind, description text, at timestamptz)
      where not exists (select 1 from remedies r where r.org_id = ${orgId} and r.complaint_id = x.complaint_id
        and r.kind = x.kind and r.description = x.description)`);
  }
  await writeOwnRemedies(tx, orgId, ownRemedies);
  await writeOwnOutcomes(tx, orgId, ownOutcomes);
  if (audits.length) {
    await timed("audit", () =>
      tx.execute(sql`insert into audit_events (org_id, id, actor_kind, actor_id, entity, entity_id, complaint_id, action, before, after)
      select ${orgId}, x.event, 'import', ${ctx.userId}, 'complaint', x.id::text, x.id, x.action, x.before, x.after
      from json_to_recordset(${json(audits)}::json) as x(event uuid, id uuid, action text, before jsonb, after jsonb)`),
    );
  }
  // Facts and rollups of every complaint this batch created or changed (remedies included).
  const touched: string[] = [
    ...inserts.columns.id,
    ...updates.map((u) => String(u.id)),
    ...remedies.map((r) => r.complaint_id),
  ];
  await timed("rollups", () => refreshComplaintFacts(tx, orgId, [...new Set(touched)]));
  return { created: inserts.length, updated: updates.length, unchanged };
}

/**
 * The batch's new complaints column by column: each column travels as one text parameter, split
 * in SQL (`column`). PostgreSQL does about half the work it does for the same rows as JSON objects
 * (json_to_recordset hashes every key of every row; BENCHMARKS.md).
 */
class NewComplaints {
  readonly columns = {
    id: [] as string[],
    event: [] as string[],
    line: [] as string[],
    ref: [] as string[],
    customer: [] as string[],
    received: [] as string[],
    channel: [] as string[],
    severity: [] as string[],
    summary: [] as string[],
    story: [] as string[],
    status: [] as string[],
    resolved: [] as string[],
    closed: [] as string[],
    firstResponse: [] as string[],
    promised: [] as string[],
    sentiment: [] as string[],
    nps: [] as string[],
    timely: [] as string[],
    product: [] as string[],
    team: [] as string[],
    regulated: [] as string[],
    rootCause: [] as string[],
    due: [] as string[],
    inferred: [] as string[],
  };
  get length(): number {
    return this.columns.id.length;
  }
  add(
    id: string,
    d: ComplaintDraft,
    customerId: string,
    resolvedAt: string | null,
    productId: string | null,
    regulated: { id: string; rootCauseId: string | null } | null,
    rootCauseId: string | null,
    due: string | null,
  ): void {
    const c = this.columns;
    c.id.push(id);
    c.event.push(timeOrderedId());
    c.line.push(String(d.line));
    c.ref.push(d.externalRef);
    c.customer.push(customerId);
    c.received.push(d.receivedAt.toISOString());
    c.channel.push(d.channel);
    c.severity.push(d.severity);
    c.summary.push(d.summary);
    c.story.push(d.story);
    c.status.push(d.status);
    // An empty string is NULL in typed columns (see `column`).
    c.resolved.push(resolvedAt ?? "");
    c.closed.push(iso(d.closedAt) ?? "");
    c.firstResponse.push(iso(d.firstResponseAt) ?? "");
    c.promised.push(iso(d.promisedBy) ?? "");
    c.sentiment.push(d.intakeSentiment === null ? "" : String(d.intakeSentiment));
    c.nps.push(d.intakeNps === null ? "" : String(d.intakeNps));
    c.timely.push(d.timelyResponse === null ? "" : String(d.timelyResponse));
    c.product.push(productId ?? "");
    c.team.push(d.teamId ?? "");
    c.regulated.push(regulated?.id ?? "");
    c.rootCause.push(rootCauseId ?? "");
    c.due.push(due ?? "");
    c.inferred.push(String(d.timesInferred));
  }
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A remedy as the importer writes and compares it (times as ISO text). */
type RemedyRow = {
  kind: string;
  cost_minor: number | null;
  currency: string;
  offered_at: string;
  delivered_at: string | null;
  approval_needed: boolean;
};

/** An outcome with its advocacy signals (kind → when), as written and compared. */
type OutcomeRow = {
  final_nps: number | null;
  final_sentiment: number | null;
  recorded_at: string;
  signals: Record<string, string>;
};

function remedyRowOf(
  r: NonNullable<ComplaintDraft["importedRemedy"]>,
  limit: number | null,
): RemedyRow {
  return {
    kind: r.kind,
    cost_minor: r.costMinor,
    currency: r.currency,
    offered_at: r.offeredAt.toISOString(),
    delivered_at: iso(r.deliveredAt),
    // The shared rule (lib/complaints/approval.ts). An imported remedy was approved in the source
    // system before the import: stored approved when offered, by nobody here (writeOwnRemedies).
    approval_needed: needsApproval(r.costMinor, limit),
  };
}

/** The row's outcome over the stored one: a blank score keeps the stored score, signals add up. */
function outcomeRowOf(
  o: NonNullable<ComplaintDraft["outcome"]>,
  old: OutcomeRow | null,
): OutcomeRow {
  const at = o.at.toISOString();
  return {
    final_nps: o.nps ?? old?.final_nps ?? null,
    final_sentiment: o.sentiment ?? old?.final_sentiment ?? null,
    recorded_at: at,
    signals: { ...old?.signals, ...Object.fromEntries(o.signals.map((k) => [k, at])) },
  };
}

/** Field by field, timestamps compared as instants (`same`); signals by kind and time. */
function sameRow(a: object | null, b: object): boolean {
  if (!a) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return Object.keys(y).every((k) =>
    k === "signals"
      ? Object.keys(x[k] as object).length === Object.keys(y[k] as object).length &&
        Object.entries(y[k] as Record<string, string>).every(([kind, at]) =>
          same((x[k] as Record<string, string>)[kind], at),
        )
      : same(x[k], y[k]),
  );
}

async function approvalLimit(tx: Tx, orgId: string): Promise<number | null> {
  const [org] = await queryRows<{ limit: string | number | null }>(
    tx,
    sql`select remedy_approval_limit_minor as "limit" from organisations where id = ${orgId}`,
  );
  return org?.limit == null ? null : Number(org.limit);
}

/** The stored imported remedy (see IMPORTED_REMEDY) and outcome of complaints a batch updates. */
async function storedHistory(
  tx: Tx,
  orgId: string,
  ids: string[],
): Promise<
  Map<string, { remedy: (RemedyRow & { id: string }) | null; outcome: OutcomeRow | null }>
> {
  const out = new Map<
    string,
    { remedy: (RemedyRow & { id: string }) | null; outcome: OutcomeRow | null }
  >();
  if (!ids.length) return out;
  const payload = json(ids);
  const remedyRows = await queryRows<
    Omit<RemedyRow, "cost_minor"> & {
      id: string;
      complaint_id: string;
      cost_minor: string | number | null;
    }
  >(
    tx,
    sql`select complaint_id, id, kind, cost_minor, currency, offered_at, delivered_at, approval_needed from (
        select r.complaint_id, r.id, r.kind, r.cost_minor, r.currency, to_json(r.offered_at) #>> '{}' as offered_at,
          to_json(r.delivered_at) #>> '{}' as delivered_at, r.approval_needed,
          r.description = ${IMPORTED_REMEDY} as imported, count(*) over (partition by r.complaint_id) as n,
          row_number() over (partition by r.complaint_id
            order by (r.description = ${IMPORTED_REMEDY}) desc, r.offered_at, r.id) as rank
        from json_array_elements_text(${payload}::json) as c(id)
        join remedies r on r.org_id = ${orgId} and r.complaint_id = c.id::uuid
      ) r where rank = 1 and (imported or n = 1)`,
  );
  const outcomeRows = await queryRows<{
    complaint_id: string;
    final_nps: number | null;
    final_sentiment: number | null;
    recorded_at: string;
    signals: Record<string, string> | string | null;
  }>(
    tx,
    sql`select o.complaint_id, o.final_nps, o.final_sentiment, to_json(o.recorded_at) #>> '{}' as recorded_at,
        (select json_object_agg(s.kind, s.occurred_at) from advocacy_signals s
          where s.org_id = o.org_id and s.complaint_id = o.complaint_id) as signals
      from json_array_elements_text(${payload}::json) as c(id)
      join outcomes o on o.org_id = ${orgId} and o.complaint_id = c.id::uuid`,
  );
  for (const id of ids) out.set(id, { remedy: null, outcome: null });
  for (const r of remedyRows)
    out.get(r.complaint_id)!.remedy = {
      ...r,
      cost_minor: r.cost_minor === null ? null : Number(r.cost_minor),
    };
  for (const o of outcomeRows) {
    const signals = typeof o.signals === "string" ? JSON.parse(o.signals) : (o.signals ?? {});
    out.get(o.complaint_id)!.outcome = {
      final_nps: o.final_nps,
      final_sentiment: o.final_sentiment,
      recorded_at: o.recorded_at,
      signals,
    };
  }
  return out;
}

/**
 * The rows' remedies: a new one (id null) described as IMPORTED_REMEDY, or the imported one updated
 * in place. Delivered: accepted when delivered; else pending (a new one) or as it was decided.
 * Above the approval limit: approved when offered, by nobody here (it happened before the import).
 */
async function writeOwnRemedies(
  tx: Tx,
  orgId: string,
  rows: (RemedyRow & { id: string | null; complaint_id: string })[],
): Promise<void> {
  const fresh = rows.filter((r) => r.id === null);
  const changed = rows.filter((r) => r.id !== null);
  if (fresh.length) {
    await tx.execute(sql`insert into remedies (org_id, complaint_id, kind, description, cost_minor, currency, offered_at,
        decision, decided_at, delivered_at, approval_needed, approved_at)
      select ${orgId}, x.complaint_id, x.kind, ${IMPORTED_REMEDY}, x.cost_minor, x.currency, x.offered_at,
        case when x.delivered_at is null then 'pending' else 'accepted' end::remedy_decision, x.delivered_at,
        x.delivered_at, x.approval_needed, case when x.approval_needed then x.offered_at end
      from json_to_recordset(${json(fresh)}::json) as x(complaint_id uuid, kind remedy_kind, cost_minor bigint,
        currency text, offered_at timestamptz, delivered_at timestamptz, approval_needed boolean)`);
  }
  if (changed.length) {
    await tx.execute(sql`update remedies r set kind = x.kind, cost_minor = x.cost_minor, currency = x.currency,
        offered_at = x.offered_at, delivered_at = x.delivered_at,
        decision = case when x.delivered_at is null then r.decision else 'accepted' end,
        decided_at = case when x.delivered_at is not null then x.delivered_at
          when r.decided_at is not null then greatest(r.decided_at, x.offered_at) end,
        -- An approval given here stays; one that happened before the import is dated at the offer.
        approval_needed = x.approval_needed,
        approved_at = case when x.approval_needed then coalesce(r.approved_at, x.offered_at) end,
        approved_by = case when x.approval_needed then r.approved_by end
      from json_to_recordset(${json(changed)}::json) as x(id uuid, kind remedy_kind, cost_minor bigint,
        currency text, offered_at timestamptz, delivered_at timestamptz, approval_needed boolean)
      where r.org_id = ${orgId} and r.id = x.id`);
  }
}

/** The rows' outcomes (one per complaint) and their advocacy signals (one per kind), upserted. */
async function writeOwnOutcomes(
  tx: Tx,
  orgId: string,
  rows: (OutcomeRow & { complaint_id: string })[],
): Promise<void> {
  if (!rows.length) return;
  await tx.execute(sql`insert into outcomes (org_id, complaint_id, final_sentiment, final_nps, recorded_at)
    select ${orgId}, x.complaint_id, x.final_sentiment, x.final_nps, x.recorded_at
    from json_to_recordset(${json(rows)}::json) as x(complaint_id uuid, final_sentiment smallint, final_nps smallint,
      recorded_at timestamptz)
    on conflict (org_id, complaint_id) do update set final_sentiment = excluded.final_sentiment,
      final_nps = excluded.final_nps, recorded_at = excluded.recorded_at`);
  const signals = rows.flatMap((r) =>
    Object.entries(r.signals).map(([kind, at]) => ({ complaint_id: r.complaint_id, kind, at })),
  );
  if (signals.length) {
    await tx.execute(sql`insert into advocacy_signals (org_id, complaint_id, kind, occurred_at)
      select ${orgId}, x.complaint_id, x.kind, x.at
      from json_to_recordset(${json(signals)}::json) as x(complaint_id uuid, kind advocacy_kind, at timestamptz)
      on conflict (org_id, complaint_id, kind) do update set occurred_at = excluded.occurred_at
        where advocacy_signals.occurred_at is distinct from excluded.occurred_at`);
  }
}

const UNIT_SEPARATOR = "\u001f";

/**
 * One column as `string_to_array(…)::type[]`. Values are joined by U+001F, which the importer
 * rejects in every cell (complaint-rows.ts), behind a leading separator so that a single empty
 * value is still one element; in typed columns an empty value is NULL.
 */
function column(values: string[], type: "uuid" | "integer" | "text" | "timestamptz" | Enum) {
  const joined = UNIT_SEPARATOR + values.join(UNIT_SEPARATOR);
  return type === "text"
    ? sql`(string_to_array(${joined}, ${UNIT_SEPARATOR}))[2:]`
    : sql`(string_to_array(${joined}, ${UNIT_SEPARATOR}, ''))[2:]::${sql.raw(type)}[]`;
}
type Enum = "channel" | "severity" | "complaint_status" | "boolean";

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "string" && typeof b === "string") {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    // Timestamps come back as text in the server's format; compare the instants.
    if (/^\d{4}-\d{2}-\d{2}T/.test(a) && !Number.isNaN(ta) && ta === tb) return true;
  }
  return false;
}

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
