/**
 * Customer-activity import (purchases, renewals, cancellations, referrals, reviews, surveys): the
 * rows retention and ROI are computed from. Same machinery as complaints; idempotent by the
 * activity's own reference, or by a hash of customer, kind, date, amount and currency without one.
 */
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { refreshCustomerFacts } from "@/lib/rollups/maintain";
import { queryRows } from "@/db";
import type { Tx } from "@/lib/audit";
import { customerActivitySchema } from "@/lib/customers/activity-validation";
import { toMinorUnits } from "@/lib/money";
import { RowCheck, type RowContext, type RowResult } from "./complaint-rows";
import { customerKeyOf, resolveCustomers, type CustomerKey } from "./customers";
import { readDate } from "./values";
import type { BatchCounts } from "./write-complaints";
import { json } from "./payload";

export interface ActivityDraft {
  line: number;
  externalRef: string;
  customer: CustomerKey;
  kind: string;
  occurredAt: Date;
  amountMinor: number;
  /** False when the amount cell was blank (a review, a referral): stored as 0, previewed as none. */
  amountGiven: boolean;
  currency: string;
  score: number | null;
  note: string | null;
}

export function activityReader(ctx: RowContext) {
  const defaultCurrency = ctx.mapping.options.defaultCurrency ?? "USD";

  return function read(line: number, values: string[]): RowResult<ActivityDraft> {
    const row = new RowCheck(ctx, values);
    const { rejections } = row;
    if (rejections.length) return { ok: false, rejections };
    const date = readDate(row.cell("occurredAt"), "Date");
    if (!date.ok) row.reject("occurredAt", date.reason);
    const parsed = customerActivitySchema.safeParse({
      customerRef: row.cell("customerRef"),
      customerEmail: row.optional("customerEmail")?.trim(),
      customerName: row.optional("customerName"),
      kind: row.cell("kind"),
      occurredAt: date.ok ? date.value : new Date(0),
      amount: row.optional("amount"),
      currency: row.optional("currency") ?? defaultCurrency,
      score: row.optional("score"),
      externalRef: row.optional("externalRef"),
      note: row.optional("note"),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        row.reject(String(issue.path[0] ?? "customerRef"), issue.message);
      return { ok: false, rejections };
    }
    if (rejections.length) return { ok: false, rejections };
    const a = parsed.data;
    const amountMinor = a.amount ? toMinorUnits(a.amount, a.currency) : 0;
    if (amountMinor === null) {
      row.reject("amount", `${a.currency} has fewer decimal places than ${a.amount}.`);
      return { ok: false, rejections };
    }
    const occurredAt = a.occurredAt.toISOString();
    const externalRef =
      a.externalRef ??
      `sha256:${crypto
        .createHash("sha256")
        .update([a.customerRef, a.kind, occurredAt, amountMinor, a.currency].join("\u001f"))
        .digest("hex")}`;
    return {
      ok: true,
      draft: {
        line,
        externalRef,
        customer: {
          ref: a.customerRef,
          email: a.customerEmail?.toLowerCase() ?? null,
          name: (a.customerName ?? a.customerEmail ?? a.customerRef).slice(0, 200),
        },
        kind: a.kind,
        occurredAt: a.occurredAt,
        amountMinor,
        amountGiven: a.amount !== undefined,
        currency: a.currency,
        score: a.score ?? null,
        note: a.note ?? null,
      },
    };
  };
}

type StoredActivity = {
  customer_id: string;
  kind: string;
  occurred_at: string;
  amount_minor: number;
  currency: string;
  score: number | null;
  note: string | null;
};

export async function writeActivityBatch(
  tx: Tx,
  ctx: { orgId: string; userId: string; runId: string; currency: string },
  drafts: ActivityDraft[],
): Promise<BatchCounts> {
  const { orgId } = ctx;
  const customers = await resolveCustomers(
    tx,
    orgId,
    drafts.map((d) => d.customer),
    ctx.currency,
  );
  const refs = json(drafts.map((d) => d.externalRef));
  const existing = await queryRows<StoredActivity & { id: string; external_ref: string }>(
    tx,
    sql`select a.id, a.external_ref, a.customer_id, a.kind, to_json(a.occurred_at) #>> '{}' as occurred_at,
        a.amount_minor::float8 as amount_minor, a.currency, a.score, a.note
      from json_array_elements_text(${refs}::json) as r(ref)
      join customer_activities a on a.org_id = ${orgId} and a.external_ref = r.ref`,
  );
  const byRef = new Map(existing.map((e) => [e.external_ref, e]));
  const inserts: (StoredActivity & { external_ref: string })[] = [];
  const updates: (StoredActivity & { id: string })[] = [];
  const audits: { id: string; before: unknown; after: unknown }[] = [];
  let unchanged = 0;
  const moved: string[] = [];
  for (const d of drafts) {
    const next: StoredActivity = {
      customer_id: customers.get(customerKeyOf(d.customer))!,
      kind: d.kind,
      occurred_at: d.occurredAt.toISOString(),
      amount_minor: d.amountMinor,
      currency: d.currency,
      score: d.score,
      note: d.note,
    };
    const old = byRef.get(d.externalRef);
    if (!old) {
      inserts.push({ ...next, external_ref: d.externalRef });
      continue;
    }
    const keys = Object.keys(next) as (keyof StoredActivity)[];
    const changed = keys.filter((k) =>
      k === "occurred_at"
        ? Date.parse(old.occurred_at) !== Date.parse(next.occurred_at)
        : Number.isFinite(next[k] as number)
          ? Number(old[k]) !== next[k]
          : old[k] !== next[k],
    );
    if (!changed.length) {
      unchanged++;
      continue;
    }
    updates.push({ ...next, id: old.id });
    if (old.customer_id !== next.customer_id) moved.push(old.customer_id);
    audits.push({
      id: old.id,
      before: Object.fromEntries(changed.map((k) => [k, old[k]])),
      after: {
        ...Object.fromEntries(changed.map((k) => [k, next[k]])),
        runId: ctx.runId,
        line: d.line,
      },
    });
  }
  if (inserts.length) {
    await tx.execute(sql`insert into customer_activities (org_id, customer_id, kind, occurred_at, amount_minor, currency, score, external_ref, note)
      select ${orgId}, x.customer_id, x.kind, x.occurred_at, x.amount_minor, x.currency, x.score, x.external_ref, x.note
      from json_to_recordset(${json(inserts)}::json) as x(customer_id uuid, kind activity_kind, occurred_at timestamptz,
        amount_minor bigint, currency text, score smallint, external_ref text, note text)`);
  }
  if (updates.length) {
    await tx.execute(sql`update customer_activities a set customer_id = x.customer_id, kind = x.kind, occurred_at = x.occurred_at,
        amount_minor = x.amount_minor, currency = x.currency, score = x.score, note = x.note
      from json_to_recordset(${json(updates)}::json) as x(id uuid, customer_id uuid, kind activity_kind, occurred_at timestamptz,
        amount_minor bigint, currency text, score smallint, note text)
      where a.org_id = ${orgId} and a.id = x.id`);
    await tx.execute(sql`insert into audit_events (org_id, actor_kind, actor_id, entity, entity_id, action, before, after)
      select ${orgId}, 'import', ${ctx.userId}, 'customer_activity', x.id::text, 'activity.import-updated', x.before, x.after
      from json_to_recordset(${json(audits)}::json) as x(id uuid, before jsonb, after jsonb)`);
  }
  // Retention of these customers' complaints may have moved (a moved activity: both customers).
  const touched = [
    ...inserts.map((x) => x.customer_id),
    ...updates.map((x) => x.customer_id),
    ...moved,
  ];
  await refreshCustomerFacts(tx, orgId, [...new Set(touched)]);
  return { created: inserts.length, updated: updates.length, unchanged };
}
