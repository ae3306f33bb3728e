/**
 * Customers named by a batch of imported rows: matched by external reference, else by email, and
 * created when new — two or three statements per batch, never one per row.
 */
import { sql } from "drizzle-orm";
import { queryRows } from "@/db";
import type { Tx } from "@/lib/audit";
import { timeOrderedId } from "./ids";
import { json } from "./payload";

export interface CustomerKey {
  ref: string | null;
  email: string | null;
  name: string;
}

/** Customer id per key, as `ref:<ref>` or `email:<email>` (see customerKeyOf). */
export async function resolveCustomers(
  tx: Tx,
  orgId: string,
  keys: CustomerKey[],
  currency: string,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const byRef = new Map<string, CustomerKey>();
  const byEmail = new Map<string, CustomerKey>();
  for (const k of keys) {
    if (k.ref) {
      if (!byRef.has(k.ref)) byRef.set(k.ref, k);
    } else if (k.email && !byEmail.has(k.email)) byEmail.set(k.email, k);
  }
  if (byRef.size) {
    const rows = [...byRef.values()].map((k) => ({
      id: timeOrderedId(),
      ref: k.ref,
      name: k.name,
      email: k.email,
    }));
    // Found and created in one statement: a customer named in many batches costs one look-up.
    const resolved = await queryRows<{ id: string; external_ref: string }>(
      tx,
      sql`with x as materialized (
          select * from json_to_recordset(${json(rows)}::json) as x(id uuid, ref text, name text, email text)
        ), found as materialized (
          select c.id, c.external_ref from x join customers c on c.org_id = ${orgId} and c.external_ref = x.ref
        ), created as (
          insert into customers (org_id, id, name, email, external_ref, currency)
          select ${orgId}, x.id, x.name, x.email, x.ref, ${currency} from x
          where not exists (select 1 from found f where f.external_ref = x.ref)
          -- In reference order, so two imports creating the same customers cannot deadlock.
          order by x.ref
          on conflict (org_id, external_ref) do nothing
          returning id, external_ref
        )
        select id, external_ref from found union all select id, external_ref from created`,
    );
    for (const r of resolved) ids.set(`ref:${r.external_ref}`, r.id);
    if (resolved.length < rows.length) {
      // Created by another import since this statement's snapshot was taken.
      const rest = json(rows.filter((r) => !ids.has(`ref:${r.ref}`)).map((r) => r.ref));
      const found = await queryRows<{ id: string; external_ref: string }>(
        tx,
        sql`select c.id, c.external_ref from json_array_elements_text(${rest}::json) as r(ref)
          join customers c on c.org_id = ${orgId} and c.external_ref = r.ref`,
      );
      for (const r of found) ids.set(`ref:${r.external_ref}`, r.id);
    }
  }
  if (byEmail.size) {
    const emails = json([...byEmail.keys()]);
    // Several customers may share an email; the oldest is the one matched.
    const found = await queryRows<{ id: string; email: string }>(
      tx,
      sql`select distinct on (c.email) c.id, c.email from json_array_elements_text(${emails}::json) as r(email)
        join customers c on c.org_id = ${orgId} and c.email = r.email
        order by c.email, c.created_at, c.id`,
    );
    for (const r of found) ids.set(`email:${r.email}`, r.id);
    const missing = [...byEmail.values()].filter((k) => !ids.has(`email:${k.email}`));
    if (missing.length) {
      const created = await queryRows<{ id: string; email: string }>(
        tx,
        sql`insert into customers (org_id, name, email, currency)
          select ${orgId}, x.name, x.email, ${currency} from json_to_recordset(${json(missing)}::json) as x(name text, email text)
          returning id, email`,
      );
      for (const r of created) ids.set(`email:${r.email}`, r.id);
    }
  }
  return ids;
}

export const customerKeyOf = (k: CustomerKey) => (k.ref ? `ref:${k.ref}` : `email:${k.email}`);
