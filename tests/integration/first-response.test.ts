/**
 * First response is the earliest customer-facing event and never later than resolution
 * (issue #11): a remedy offered through the API on a complaint resolved months ago without a
 * recorded response leaves first response unknown — it used to stamp "now", after resolution —
 * while the same offer on an open complaint records it.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as remedyRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, type Complaint } from "@/db/schema";
import { call, issueToken } from "../helpers/api-client";
import { createComplaint } from "../helpers/complaint-fixtures";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const DAY = 86_400_000;

describe.each(engines)("first response on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let write: string;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "First response");
    write = await issueToken(handle.db, org, "write");
  });
  afterAll(async () => {
    await handle.close();
  });

  const offer = (c: Complaint) =>
    call(remedyRoute.POST, "POST", `/complaints/${c.id}/remedies`, {
      token: write,
      params: { id: c.id },
      body: { version: c.version, kind: "coupon", cost: 10, currency: "USD" },
    });
  const stored = async (c: Complaint) =>
    (
      await handle.db
        .select({ firstResponseAt: complaints.firstResponseAt, resolvedAt: complaints.resolvedAt })
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), eq(complaints.id, c.id)))
    )[0]!;

  it("is not stamped after resolution by a late remedy", async () => {
    const resolvedAt = new Date(Date.now() - 120 * DAY);
    const c = await createComplaint(handle.db, org, {
      receivedAt: new Date(Date.now() - 130 * DAY),
      status: "resolved",
      resolvedAt,
    });
    expect((await offer(c)).status).toBe(201);
    expect(await stored(c)).toEqual({ firstResponseAt: null, resolvedAt });
  });

  it("is recorded by the first offer on an open complaint", async () => {
    const c = await createComplaint(handle.db, org);
    const before = Date.now();
    expect((await offer(c)).status).toBe(201);
    const { firstResponseAt } = await stored(c);
    expect(firstResponseAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});
