/**
 * Taking complaints out of the rollups before deleting them (the benchmark's intake clean-up):
 * afterwards the facts and every rollup equal the raw rows again — including the other complaint
 * of the same customer, which stops being a repeat complaint once the earlier one is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray, sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/db";
import { complaints, remedies } from "@/db/schema";
import { forgetComplaints, refreshCustomerFacts } from "@/lib/rollups/maintain";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import {
  insertComplaint,
  insertCustomer,
  insertRemedy,
  insertRootCause,
} from "../helpers/complaints";
import { expectRollupsExact } from "../helpers/rollup-checks";

describe.each(engines)("forgetting complaints keeps the rollups exact, on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    org = await createTestOrg(handle.db, "Forget");
  });
  afterAll(async () => {
    await handle.close();
  });

  it("subtracts the complaints, and their customer's other complaint is no longer a repeat", async () => {
    const db = handle.db;
    const cause = await insertRootCause(db, org.orgId, "Late delivery");
    const customer = await insertCustomer(db, org.orgId);
    const first = await insertComplaint(db, org.orgId, {
      customerId: customer,
      rootCauseId: cause,
      receivedAt: new Date("2025-03-01T10:00:00Z"),
      resolvedAt: new Date("2025-03-02T10:00:00Z"),
    });
    await insertRemedy(db, org.orgId, first.id, {
      costMinor: 2500,
      deliveredAt: new Date("2025-03-02T09:00:00Z"),
    });
    const second = await insertComplaint(db, org.orgId, {
      customerId: customer,
      rootCauseId: cause,
      receivedAt: new Date("2025-03-20T10:00:00Z"),
    });
    // Another customer's complaint, untouched: two complaints remain counted.
    await insertComplaint(db, org.orgId, {
      customerId: await insertCustomer(db, org.orgId),
    });
    const repeat = async (id: string) =>
      (
        await queryRows<{ repeat: boolean }>(
          db,
          sql`select repeat from complaint_facts where org_id = ${org.orgId} and complaint_id = ${id}`,
        )
      )[0]?.repeat;
    expect(await repeat(second.id)).toBe(true);

    const customers = await db.transaction((tx) => forgetComplaints(tx, org.orgId, [first.id]));
    expect(customers).toEqual([customer]);
    await db.delete(remedies).where(inArray(remedies.complaintId, [first.id]));
    await db.delete(complaints).where(inArray(complaints.id, [first.id]));
    await db.transaction((tx) => refreshCustomerFacts(tx, org.orgId, customers));

    expect(await repeat(second.id)).toBe(false);
    const counted = await queryRows<{ n: number }>(
      db,
      sql`select coalesce(sum(complaints), 0)::int as n from complaint_rollups
        where org_id = ${org.orgId} and basis = 0 and dim = 0`,
    );
    expect(counted[0]?.n).toBe(2);
    await expectRollupsExact(db, org.orgId);
  });
});
