/**
 * A small hand-built dataset for the root-cause metrics: four causes, three products (one a
 * sub-product), three customers, remedies in two currencies, repeats and a corrective action
 * with complaints before and after it. Tests compute every expected figure from `rcSpecs` in
 * plain TypeScript.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { correctiveActions, remedies, rootCauses, type Channel } from "@/db/schema";
import { insertComplaint, insertCustomer, insertProduct, insertRootCause } from "./complaints";
import { rebuildRollups } from "@/lib/rollups/rebuild";

export type CauseKey = "A" | "B" | "C" | "D";
export type ProductKey = "P1" | "P1a" | "P2";
export type CustomerKey = "cu1" | "cu2" | "cu3";

export interface RcRemedy {
  costMinor: number | null;
  currency: string;
  delivered: boolean;
}

export interface RcSpec {
  key: string;
  customer: CustomerKey;
  receivedAt: string;
  resolvedAt: string | null;
  cause: CauseKey | null;
  product: ProductKey | null;
  channel: Channel;
  remedies?: RcRemedy[];
}

export const rcSpecs: RcSpec[] = [
  {
    key: "c11",
    customer: "cu3",
    receivedAt: "2024-09-01T10:00:00Z",
    resolvedAt: "2024-09-05T10:00:00Z",
    cause: "A",
    product: "P1",
    channel: "phone",
  },
  {
    key: "c12",
    customer: "cu3",
    receivedAt: "2025-01-02T10:00:00Z",
    resolvedAt: null,
    cause: "A",
    product: "P1",
    channel: "phone",
  },
  {
    key: "c01",
    customer: "cu1",
    receivedAt: "2025-01-05T09:00:00Z",
    resolvedAt: "2025-01-10T09:00:00Z",
    cause: "A",
    product: "P1",
    channel: "phone",
    remedies: [{ costMinor: 1000, currency: "USD", delivered: true }],
  },
  {
    key: "c04",
    customer: "cu2",
    receivedAt: "2025-01-15T12:00:00Z",
    resolvedAt: null,
    cause: "A",
    product: "P2",
    channel: "phone",
  },
  {
    key: "c05",
    customer: "cu2",
    receivedAt: "2025-01-20T12:00:00Z",
    resolvedAt: "2025-01-21T12:00:00Z",
    cause: "B",
    product: "P2",
    channel: "chat",
    remedies: [
      { costMinor: 5000, currency: "USD", delivered: true },
      { costMinor: 300, currency: "EUR", delivered: true },
    ],
  },
  {
    key: "c02",
    customer: "cu1",
    receivedAt: "2025-02-01T09:00:00Z",
    resolvedAt: "2025-02-03T09:00:00Z",
    cause: "A",
    product: "P1a",
    channel: "email",
  },
  {
    key: "c06",
    customer: "cu3",
    receivedAt: "2025-02-10T09:00:00Z",
    resolvedAt: "2025-02-11T09:00:00Z",
    cause: "B",
    product: "P1",
    channel: "web",
  },
  {
    key: "c07",
    customer: "cu3",
    receivedAt: "2025-03-05T09:00:00Z",
    resolvedAt: null,
    cause: "B",
    product: "P1",
    channel: "web",
    remedies: [{ costMinor: 200, currency: "USD", delivered: false }],
  },
  {
    key: "c08",
    customer: "cu2",
    receivedAt: "2025-03-10T09:00:00Z",
    resolvedAt: null,
    cause: "C",
    product: null,
    channel: "phone",
    remedies: [{ costMinor: null, currency: "USD", delivered: true }],
  },
  {
    key: "c09",
    customer: "cu1",
    receivedAt: "2025-03-20T09:00:00Z",
    resolvedAt: null,
    cause: "D",
    product: "P2",
    channel: "email",
    remedies: [{ costMinor: 100, currency: "USD", delivered: true }],
  },
  {
    key: "c10",
    customer: "cu1",
    receivedAt: "2025-03-25T09:00:00Z",
    resolvedAt: null,
    cause: null,
    product: "P1",
    channel: "phone",
  },
  {
    key: "c13",
    customer: "cu2",
    receivedAt: "2025-04-15T09:00:00Z",
    resolvedAt: null,
    cause: "A",
    product: "P1",
    channel: "phone",
  },
];

/** Corrective actions: one done long ago (measurable), one done recently (not yet), one proposed. */
export const caSpecs = [
  {
    key: "ca1",
    cause: "A" as CauseKey,
    title: "Fix router firmware",
    status: "verified" as const,
    doneAt: "2025-01-20",
  },
  {
    key: "ca2",
    cause: "B" as CauseKey,
    title: "Retrain chat team",
    status: "done" as const,
    doneAt: "2025-03-01",
  },
  {
    key: "ca3",
    cause: "C" as CauseKey,
    title: "Rewrite the policy",
    status: "proposed" as const,
    doneAt: null,
  },
];

export interface RcData {
  causes: Record<CauseKey, string>;
  products: Record<ProductKey, string>;
  complaints: Record<string, string>;
  actions: Record<string, string>;
}

export async function insertRootCauseData(db: Db, orgId: string): Promise<RcData> {
  const causes = {} as Record<CauseKey, string>;
  for (const key of ["A", "B", "C", "D"] as const)
    causes[key] = await insertRootCause(db, orgId, `Cause ${key}`);
  // Cause B is minor: a 4-week window (the others keep the default 8).
  await db.update(rootCauses).set({ recurrenceWindowWeeks: 4 }).where(eq(rootCauses.id, causes.B));
  const p1 = await insertProduct(db, orgId, "Router");
  const products: Record<ProductKey, string> = {
    P1: p1,
    P1a: await insertProduct(db, orgId, "Router mesh add-on", p1),
    P2: await insertProduct(db, orgId, "Billing portal"),
  };
  const customers: Record<CustomerKey, string> = {
    cu1: await insertCustomer(db, orgId, { name: "Ana" }),
    cu2: await insertCustomer(db, orgId, { name: "Ben" }),
    cu3: await insertCustomer(db, orgId, { name: "Cy" }),
  };
  const complaintIds: Record<string, string> = {};
  for (const s of rcSpecs) {
    const row = await insertComplaint(db, orgId, {
      customerId: customers[s.customer],
      receivedAt: new Date(s.receivedAt),
      resolvedAt: s.resolvedAt ? new Date(s.resolvedAt) : null,
      status: s.resolvedAt ? "resolved" : "in_progress",
      rootCauseId: s.cause ? causes[s.cause] : null,
      productId: s.product ? products[s.product] : null,
      channel: s.channel,
      summary: `Complaint ${s.key}`,
    });
    complaintIds[s.key] = row.id;
    for (const r of s.remedies ?? [])
      await db.insert(remedies).values({
        orgId,
        complaintId: row.id,
        kind: "refund",
        costMinor: r.costMinor,
        currency: r.currency,
        offeredAt: new Date(s.receivedAt),
        decision: "accepted",
        deliveredAt: r.delivered ? new Date(s.receivedAt) : null,
      });
  }
  const actions: Record<string, string> = {};
  for (const a of caSpecs) {
    const [row] = await db
      .insert(correctiveActions)
      .values({
        orgId,
        rootCauseId: causes[a.cause],
        title: a.title,
        status: a.status,
        doneAt: a.doneAt ? new Date(`${a.doneAt}T15:00:00Z`) : null,
        verificationNote: a.status === "verified" ? "Fewer calls" : null,
      })
      .returning({ id: correctiveActions.id });
    actions[a.key] = row!.id;
  }
  // Rows written straight to the tables, as an import would: their facts and rollups follow.
  await rebuildRollups(db, orgId);
  return { causes, products, complaints: complaintIds, actions };
}
