/**
 * Direct inserts of customers, complaints and what hangs off them, with exactly the values a
 * test names: no commands, no SLA arithmetic, so expected results can be computed from the input.
 * Like an import, each insert that can move a figure refreshes the complaint's facts and rollups.
 */
import type { Db } from "@/db/client";
import { refreshComplaintFacts } from "@/lib/rollups/maintain";
import {
  complaints,
  customers,
  followUps,
  outcomes,
  products,
  remedies,
  rootCauseCategories,
  rootCauses,
  teams,
  type Complaint,
  type NewComplaint,
} from "@/db/schema";

export async function insertCustomer(
  db: Db,
  orgId: string,
  values: { name?: string; email?: string | null } = {},
): Promise<string> {
  const [row] = await db
    .insert(customers)
    .values({ orgId, name: values.name ?? "Dana Whitfield", email: values.email ?? null })
    .returning({ id: customers.id });
  return row!.id;
}

export type ComplaintValues = Partial<Omit<NewComplaint, "orgId">> & { customerId: string };

export async function insertComplaint(
  db: Db,
  orgId: string,
  values: ComplaintValues,
): Promise<Complaint> {
  const [row] = await db
    .insert(complaints)
    .values({
      receivedAt: new Date("2025-01-15T10:00:00Z"),
      channel: "phone",
      severity: "minor",
      summary: "A complaint",
      story: "",
      ...values,
      orgId,
    })
    .returning();
  await refreshComplaintFacts(db, orgId, [row!.id]);
  return row!;
}

export async function insertTeam(db: Db, orgId: string, name: string): Promise<string> {
  const [row] = await db.insert(teams).values({ orgId, name }).returning({ id: teams.id });
  return row!.id;
}

export async function insertProduct(
  db: Db,
  orgId: string,
  name: string,
  parentId: string | null = null,
): Promise<string> {
  const [row] = await db
    .insert(products)
    .values({ orgId, name, parentId })
    .returning({ id: products.id });
  return row!.id;
}

export async function insertRootCause(db: Db, orgId: string, name: string): Promise<string> {
  const [category] = await db
    .insert(rootCauseCategories)
    .values({ orgId, key: `cat-${crypto.randomUUID().slice(0, 8)}`, name: `Category of ${name}` })
    .returning({ id: rootCauseCategories.id });
  const [cause] = await db
    .insert(rootCauses)
    .values({ orgId, categoryId: category!.id, name })
    .returning({ id: rootCauses.id });
  return cause!.id;
}

export async function insertFollowUp(
  db: Db,
  orgId: string,
  complaintId: string,
  values: { dueAt: Date; doneAt?: Date | null },
): Promise<string> {
  const [row] = await db
    .insert(followUps)
    .values({ orgId, complaintId, dueAt: values.dueAt, doneAt: values.doneAt ?? null })
    .returning({ id: followUps.id });
  await refreshComplaintFacts(db, orgId, [complaintId]);
  return row!.id;
}

export async function insertRemedy(
  db: Db,
  orgId: string,
  complaintId: string,
  values: { costMinor: number | null; currency?: string; deliveredAt?: Date | null },
): Promise<void> {
  await db.insert(remedies).values({
    orgId,
    complaintId,
    kind: "refund",
    costMinor: values.costMinor,
    currency: values.currency ?? "USD",
    offeredAt: new Date("2025-01-16T10:00:00Z"),
    decision: "accepted",
    deliveredAt: values.deliveredAt ?? null,
  });
  await refreshComplaintFacts(db, orgId, [complaintId]);
}

export async function insertOutcome(
  db: Db,
  orgId: string,
  complaintId: string,
  values: { finalNps?: number | null; finalSentiment?: number | null },
): Promise<void> {
  await db.insert(outcomes).values({
    orgId,
    complaintId,
    finalNps: values.finalNps ?? null,
    finalSentiment: values.finalSentiment ?? null,
    recordedAt: new Date("2025-02-01T10:00:00Z"),
  });
  await refreshComplaintFacts(db, orgId, [complaintId]);
}
