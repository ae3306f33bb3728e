/**
 * The demo's remedies keep the approval rule (issue #11): a seeded remedy above the demo
 * organisation's limit is marked as needing approval and was approved after its offer and before
 * its delivery — so the demo, and any e2e test delivering a seeded remedy, never meets one that
 * the commands would have refused to deliver. Remedies within the limit need no approval.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type DatabaseHandle } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { DEMO_ORG_ID, seedDemo } from "../../db/seed/demo";

const ANCHOR = new Date("2025-06-01T00:00:00Z");

describe("seeded remedies and the approval limit", () => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await openDatabase({ dataDir: "memory://" });
    await migrateDatabase(handle);
    await seedDemo(handle, { complaints: 2_000, anchor: ANCHOR });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("marks and approves exactly the remedies above the organisation's limit", async () => {
    const [row] = await queryRows<{
      limit: number;
      above: number;
      needed: number;
      mismatched: number;
      unapproved: number;
      misplaced: number;
      approvedWithout: number;
    }>(
      handle.db,
      sql`with org as (
          select remedy_approval_limit_minor as lim from organisations where id = ${DEMO_ORG_ID})
        select
          (select lim from org)::int as "limit",
          (select count(*)::int from remedies, org where cost_minor > org.lim) as above,
          (select count(*)::int from remedies where approval_needed) as needed,
          (select count(*)::int from remedies, org
            where approval_needed <> coalesce(cost_minor > org.lim, false)) as mismatched,
          (select count(*)::int from remedies where approval_needed and approved_at is null)
            as unapproved,
          (select count(*)::int from remedies where approval_needed and (approved_at < offered_at
            or approved_at > coalesce(delivered_at, approved_at) or approved_at > ${ANCHOR}))
            as misplaced,
          (select count(*)::int from remedies where not approval_needed and approved_at is not null)
            as "approvedWithout"`,
    );
    expect(row).toMatchObject({
      limit: 100_000,
      mismatched: 0,
      unapproved: 0,
      misplaced: 0,
      approvedWithout: 0,
    });
    // The demo's costs do go above the limit, so the rule is exercised.
    expect(row!.above).toBeGreaterThan(0);
    expect(row!.needed).toBe(row!.above);
  });
});
