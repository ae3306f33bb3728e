import { and, count, eq, sum } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, customerActivities, customers } from "@/db/schema";
import { importFile } from "@/lib/import/file";
import { csvFiles } from "../helpers/csv-files";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const file = csvFiles("import-activities");

const HEADER = "Order ID,Customer ID,Email,Name,Type,Date,Amount,Currency,Rating";
const good = [
  "O-1,C-1,ana@example.test,Ana,purchase,2024-01-05,25.50,USD,",
  "O-2,C-1,ana@example.test,Ana,renewal,2024-02-05,25.50,USD,",
  "O-3,C-2,,Ben,purchase,01/20/2024,1000,JPY,",
  ",C-2,,Ben,review,2024-03-01,,,9",
  "O-5,C-3,cy@example.test,,cancellation,2024-03-02T10:00:00Z,0,EUR,",
];

describe.each(engines)("importing customer activity on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Shop");
  });
  afterAll(async () => {
    await handle.close();
  });

  async function totals() {
    const [a] = await handle.db
      .select({ n: count(), minor: sum(customerActivities.amountMinor) })
      .from(customerActivities)
      .where(eq(customerActivities.orgId, org.orgId));
    const [c] = await handle.db
      .select({ n: count() })
      .from(customers)
      .where(eq(customers.orgId, org.orgId));
    return { activities: a!.n, minor: Number(a!.minor ?? 0), customers: c!.n };
  }

  it("creates activities and their customers, in minor units of each currency", async () => {
    actAs(org.users.manager);
    const result = await importFile({
      file: file("acts.csv", [HEADER, ...good]),
      kind: "activities",
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ status: "completed", rowsCreated: 5, rowsRejected: 0 });
    // 2550 + 2550 (USD cents) + 1000 (JPY has no minor unit) + 0 + 0.
    expect(await totals()).toEqual({ activities: 5, minor: 2550 + 2550 + 1000, customers: 3 });
    const [ana] = await handle.db
      .select({ name: customers.name, email: customers.email })
      .from(customers)
      .where(and(eq(customers.orgId, org.orgId), eq(customers.externalRef, "C-1")));
    expect(ana).toEqual({ name: "Ana", email: "ana@example.test" });
    const [review] = await handle.db
      .select({ score: customerActivities.score, ref: customerActivities.externalRef })
      .from(customerActivities)
      .where(and(eq(customerActivities.orgId, org.orgId), eq(customerActivities.kind, "review")));
    expect(review!.score).toBe(9);
    // No reference of its own: a hash of customer, kind, date, amount and currency.
    expect(review!.ref).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("changes nothing when the same file comes again; a changed row is updated and audited", async () => {
    actAs(org.users.admin);
    const again = await importFile({
      file: file("acts.csv", [HEADER, ...good]),
      kind: "activities",
    });
    if (!again.ok) throw new Error(JSON.stringify(again));
    expect(again.data).toMatchObject({ rowsCreated: 0, rowsUpdated: 0, rowsUnchanged: 5 });
    const changed = [HEADER, good[0]!.replace("25.50", "30.00"), ...good.slice(1)];
    const result = await importFile({ file: file("acts2.csv", changed), kind: "activities" });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ rowsCreated: 0, rowsUpdated: 1, rowsUnchanged: 4 });
    expect((await totals()).minor).toBe(3000 + 2550 + 1000);
    const events = await handle.db
      .select({ before: auditEvents.before, after: auditEvents.after, kind: auditEvents.actorKind })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.action, "activity.import-updated")),
      );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: "import",
      before: { amount_minor: 2550 },
      after: { amount_minor: 3000 },
    });
  });

  it("rejects bad rows with their line and field, and imports the rest", async () => {
    actAs(org.users.manager);
    const before = await totals();
    const rows = [
      HEADER,
      "B-1,,x@example.test,X,purchase,2024-01-05,1,USD,", // no customer
      "B-2,C-9,,,gift,2024-01-05,1,USD,", // unknown kind
      "B-3,C-9,,,purchase,2024-01-05,-4,USD,", // negative amount
      "B-4,C-9,,,purchase,2024-01-05,1.234,USD,", // more decimals than USD
      "B-5,C-9,,,review,2024-01-05,,USD,11", // score out of range
      "B-6,C-9,,,purchase,not a date,1,USD,",
      "B-7,C-9,not-an-email,,purchase,2024-01-05,1,USD,",
      "B-8,C-9,,,purchase,2024-01-05,1,DOLLARS,",
      "B-9,C-9,,,purchase,2024-01-05,1,USD,",
    ];
    const result = await importFile({ file: file("bad.csv", rows), kind: "activities" });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ rowsCreated: 1, rowsRejected: 8 });
    expect((await totals()).activities).toBe(before.activities + 1);
    const stop = await importFile({
      file: file("bad2.csv", rows),
      kind: "activities",
      mode: "stop",
    });
    if (!stop.ok) throw new Error(JSON.stringify(stop));
    expect(stop.data.status).toBe("stopped");
    expect(stop.data.message).toMatch(/^Stopped at line 2: Customer ID/);
    expect((await totals()).activities).toBe(before.activities + 1);
  });
});
