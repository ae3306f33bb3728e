import "server-only";
import { and, asc, count, eq, ilike, inArray, max, or, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { complaints, customers } from "@/db/schema";
import { requirePermission } from "@/lib/auth/guard";

export interface CustomerMatch {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  externalRef: string | null;
  segment: string | null;
  /** Complaints this customer made before (all of them: the new one is not recorded yet). */
  complaintCount: number;
  lastComplaintAt: string | null;
}

/** `%` and `_` typed by a person are literal characters, not wildcards. */
const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Customers of the actor's organisation whose name contains the text, or whose email or external
 * reference starts with it: at most 8, names starting with the text first.
 */
export async function searchCustomers(q: string): Promise<CustomerMatch[]> {
  const actor = await requirePermission("complaint:create");
  const text = q.trim().slice(0, 100);
  if (text.length < 2) return [];
  const { db } = await getDatabase();
  const escaped = escapeLike(text);
  const prefix = `${escaped}%`;
  const rows = await db
    .select({
      id: customers.id,
      name: customers.name,
      email: customers.email,
      phone: customers.phone,
      externalRef: customers.externalRef,
      segment: customers.segment,
    })
    .from(customers)
    .where(
      and(
        eq(customers.orgId, actor.orgId),
        or(
          ilike(customers.name, `%${escaped}%`),
          ilike(customers.email, prefix),
          ilike(customers.externalRef, prefix),
        ),
      ),
    )
    .orderBy(sql`(${customers.name} ilike ${prefix}) desc`, asc(customers.name))
    .limit(8);
  if (!rows.length) return [];
  const counts = await db
    .select({
      customerId: complaints.customerId,
      complaintCount: count(),
      lastComplaintAt: max(complaints.receivedAt),
    })
    .from(complaints)
    .where(
      and(
        eq(complaints.orgId, actor.orgId),
        inArray(
          complaints.customerId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .groupBy(complaints.customerId);
  const byCustomer = new Map(counts.map((c) => [c.customerId, c]));
  return rows.map((row) => {
    const seen = byCustomer.get(row.id);
    return {
      ...row,
      complaintCount: seen?.complaintCount ?? 0,
      lastComplaintAt: seen?.lastComplaintAt ? seen.lastComplaintAt.toISOString() : null,
    };
  });
}
