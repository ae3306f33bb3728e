/**
 * Writes one batch of imported complaints inside the caller's transaction, set-based: customers,
 * products and regulated issues resolved in a few statements; complaints inserted, updated
 * (version bumped, audit event with before → after of the changed fields) or left alone when
 * nothing changed, which is what makes a second import of the same file create nothing.
 */
import { sql } from "drizzle-orm";
import { refreshComplaintFacts } from "@/lib/rollups/maintain";
import { queryRows } from "@/db";
import type { Tx } from "@/lib/audit";
import type { Severity } from "@/db/schema";
import type { ComplaintDraft } from "./complaint-rows";
import { customerKeyOf, resolveCustomers } from "./customers";
import { timeOrderedId } from "./ids";
import { timed } from "./profile";
import { regulatedKey, type TaxonomyCache } from "./taxonomy";
import { json } from "./payload";

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
} satisfies Record<keyof Stored, 0>) as (keyof Stored)[];

/** Ids of what a batch's rows name: created before its complaints are written (see run.ts). */
export interface PreparedComplaints {
  customers: Map<string, string>;
  products: Map<string, string>;
  regulated: Map<string, { id: string; rootCauseId: string | null }>;
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
  return { customers, products, regulated };
}

export async function writeComplaintBatch(
  tx: Tx,
  ctx: BatchContext,
  drafts: ComplaintDraft[],
  prepared: PreparedComplaints,
): Promise<BatchCounts> {
  const { orgId } = ctx;
  const { customers, products, regulated } = prepared;
  const refs = json(drafts.map((d) => d.externalRef));
  const existing = await timed("existing", () =>
    queryRows<Stored & { id: string; external_ref: string; remedies: string | null }>(
      tx,
      sql`select c.id, c.external_ref, c.customer_id, to_json(c.received_at) #>> '{}' as received_at, c.channel, c.severity,
        c.summary, c.story, c.status, to_json(c.resolved_at) #>> '{}' as resolved_at,
        to_json(c.closed_at) #>> '{}' as closed_at, to_json(c.first_response_at) #>> '{}' as first_response_at,
        to_json(c.promised_by) #>> '{}' as promised_by, c.intake_sentiment, c.intake_nps,
        c.timely_response, c.product_id, c.team_id, c.regulated_issue_id,
        (select string_agg(r.kind || ': ' || r.description, ' | ' order by r.kind, r.description) from remedies r
          where r.org_id = c.org_id and r.complaint_id = c.id and r.description like 'CFPB: %') as remedies
      from json_array_elements_text(${refs}::json) as r(ref)
      join complaints c on c.org_id = ${orgId} and c.external_ref = r.ref`,
    ),
  );
  const byRef = new Map(existing.map((e) => [e.external_ref, e]));

  const inserts = new NewComplaints();
  const updates: Record<string, unknown>[] = [];
  // Audit events of updated complaints; created ones get theirs in the insert statement.
  const audits: { event: string; id: string; action: string; before: unknown; after: unknown }[] =
    [];
  const remedies: { complaint_id: string; kind: string; description: string; at: string }[] = [];
  let unchanged = 0;

  for (const d of drafts) {
    const reg = d.regulated ? regulated.get(regulatedKey(d.regulated)) : undefined;
    const customerId = customers.get(customerKeyOf(d.customer))!;
    const productId = d.productPath.length ? products.get(d.productPath.join("\u001f"))! : null;
    const resolvedAt = d.resolvedAt?.toISOString() ?? null;
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
        due?.toISOString() ?? null,
      );
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
      if (changed.length === 0 && !remedyAdded) unchanged++;
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
          ${column(c.regulated, "uuid")}, ${column(c.rootCause, "uuid")}, ${column(c.due, "timestamptz")})
          as x(id, event, line, ref, customer, received, channel, severity, summary, story, status, resolved,
            closed, first_response, promised, sentiment, nps, timely, product, team, regulated, root_cause, due)
      ), created as (
        insert into complaints (org_id, id, external_ref, customer_id, received_at, channel, severity, summary, story,
          status, resolved_at, closed_at, first_response_at, promised_by, intake_sentiment, intake_nps,
          timely_response, product_id, team_id, regulated_issue_id, root_cause_id, sla_due_at)
        select ${orgId}, x.id, x.ref, x.customer, x.received, x.channel, x.severity, x.summary, x.story,
          x.status, x.resolved, case when x.status = 'closed' then coalesce(x.closed, x.resolved) end,
          x.first_response, x.promised, x.sentiment, x.nps, x.timely, x.product, x.team,
          x.regulated, x.root_cause, x.due
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
        regulated_issue_id = x.regulated_issue_id, version = c.version + 1, updated_at = now()
      from json_to_recordset(${json(updates)}::json) as x(id uuid, customer_id uuid, received_at timestamptz,
        channel channel, severity severity, summary text, story text, status complaint_status, resolved_at timestamptz,
        closed_at timestamptz, first_response_at timestamptz, promised_by timestamptz, intake_sentiment smallint,
        intake_nps smallint, timely_response boolean, product_id uuid, team_id uuid, regulated_issue_id uuid)
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
    c.rootCause.push(regulated?.rootCauseId ?? "");
    c.due.push(due ?? "");
  }
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

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
