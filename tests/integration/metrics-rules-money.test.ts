/**
 * Money that binary floating point cannot hold (issue #12 point 10, "1.15 money rounding"): 1.15
 * is 1.149999…, so `Math.floor(1.15 * 100)` or `Math.trunc(parseFloat("1.15") * 100)` make 114
 * cents. Costs typed as text on the form, sent as JSON numbers and text on the API, and amounts of
 * customer activity, in a 2-digit (USD), 0-digit (JPY) and 3-digit (BHD) currency, must arrive as
 * exact minor units, and recovery cost — manager's (by delivery day) and executive's (by receipt)
 * — must be their exact sum on the rollups, the raw-row reference and GET /api/v1/metrics, shown
 * as the amount typed.
 *
 * Hand-worked: USD 1.15 (form) + 1.15 (API number) + 0.29 (form) + 4.35 (API number) + 8.20
 * (API text) = 115 + 115 + 29 + 435 + 820 = 1,514 cents = $15.14 on 2 complaints (the truncating
 * rule gives 114 + 114 + 28 + 434 + 819 = 1,509). BHD 1.115 = 1,115 fils; JPY 115 = ¥115.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as activityRoute from "@/app/api/v1/customer-activities/route";
import * as deliveryRoute from "@/app/api/v1/complaints/[id]/remedies/[remedyId]/delivery/route";
import * as remedyRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, customerActivities, remedies } from "@/db/schema";
import { deliverRemedy, offerRemedy } from "@/lib/complaints/commands";
import { parseDashboardFilters } from "@/lib/metrics/filters";
import * as perf from "@/lib/metrics/performance";
import * as perfRef from "@/lib/metrics/reference/performance";
import * as retRef from "@/lib/metrics/reference/retention";
import * as ret from "@/lib/metrics/retention";
import { formatMoney } from "@/lib/money";
import { call, issueToken } from "../helpers/api-client";
import { createComplaint } from "../helpers/complaint-fixtures";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const LAST_30 = { range: "30d" };
const F = parseDashboardFilters(LAST_30);

describe.each(engines)("money in minor units, exactly, on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let write: string;
  let read: string;

  const versionOf = async (id: string) => {
    const [row] = await handle.db
      .select({ version: complaints.version })
      .from(complaints)
      .where(and(eq(complaints.orgId, org.orgId), eq(complaints.id, id)));
    return row!.version;
  };

  /** Offers and delivers a remedy through the commands the complaint page's form calls. */
  async function onTheForm(complaintId: string, cost: string, currency: string) {
    const offered = await offerRemedy({
      complaintId,
      version: await versionOf(complaintId),
      kind: "credit",
      cost,
      currency,
    });
    if (!offered.ok) throw new Error(`offer refused: ${JSON.stringify(offered)}`);
    const delivered = await deliverRemedy({
      complaintId,
      version: await versionOf(complaintId),
      remedyId: offered.data.id,
    });
    expect(delivered).toMatchObject({ ok: true });
    return offered.data.id;
  }

  /** The same through the API, the cost as the JSON value given (a number or text). */
  async function onTheApi(complaintId: string, cost: number | string, currency: string) {
    const offered = await call(remedyRoute.POST, "POST", `/complaints/${complaintId}/remedies`, {
      token: write,
      params: { id: complaintId },
      body: { version: await versionOf(complaintId), kind: "refund", cost, currency },
    });
    expect(offered.status, JSON.stringify(offered.body)).toBe(201);
    const remedyId = offered.body.data.id as string;
    const delivered = await call(deliveryRoute.POST, "POST", "/x", {
      token: write,
      params: { id: complaintId, remedyId },
      body: { version: await versionOf(complaintId) },
    });
    expect(delivered.status, JSON.stringify(delivered.body)).toBeLessThan(300);
    return remedyId;
  }

  const costOf = async (remedyId: string) => {
    const [row] = await handle.db
      .select({ cost: remedies.costMinor })
      .from(remedies)
      .where(and(eq(remedies.orgId, org.orgId), eq(remedies.id, remedyId)));
    return row!.cost;
  };

  async function api(name: string) {
    const reply = await call(metricRoute.GET, "GET", `/metrics/${name}`, {
      token: read,
      params: { name },
      query: LAST_30,
    });
    expect(reply.status).toBe(200);
    return reply.body.data;
  }

  const remedyIds: Record<string, string> = {};

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Money");
    write = await issueToken(handle.db, org, "write");
    read = await issueToken(handle.db, org, "read");
    actAs(org.users.admin);
    const a = await createComplaint(handle.db, org, { intakeSentiment: 3 });
    const b = await createComplaint(handle.db, org, { intakeSentiment: 3 });
    remedyIds.form115 = await onTheForm(a.id, "1.15", "USD");
    remedyIds.api115 = await onTheApi(a.id, 1.15, "USD");
    remedyIds.form029 = await onTheForm(b.id, "0.29", "USD");
    remedyIds.api435 = await onTheApi(b.id, 4.35, "USD");
    remedyIds.api820 = await onTheApi(b.id, "8.20", "USD");
    remedyIds.bhd = await onTheForm(a.id, "1.115", "BHD");
    remedyIds.jpy = await onTheApi(b.id, 115, "JPY");
  });
  afterAll(async () => {
    await handle.close();
  });

  it("stores each cost in exact minor units, whichever way it was typed", async () => {
    expect(await costOf(remedyIds.form115!)).toBe(115);
    expect(await costOf(remedyIds.api115!)).toBe(115);
    expect(await costOf(remedyIds.form029!)).toBe(29);
    expect(await costOf(remedyIds.api435!)).toBe(435);
    expect(await costOf(remedyIds.api820!)).toBe(820);
    expect(await costOf(remedyIds.bhd!)).toBe(1115);
    expect(await costOf(remedyIds.jpy!)).toBe(115);
  });

  it("manager's remedy cost: the exact sum per currency, on the rollups, the reference and the API", async () => {
    for (const figure of [
      await perf.remedyCost(F),
      await perfRef.remedyCost(F),
      await api("remedy-cost"),
    ]) {
      const by = Object.fromEntries(
        figure.byCurrency.map((c: { currency: string; costMinor: number; complaints: number }) => [
          c.currency,
          [c.costMinor, c.complaints],
        ]),
      );
      expect(by).toEqual({ USD: [1514, 2], BHD: [1115, 1], JPY: [115, 1] });
    }
  });

  it("executive's recovery cost: the same exact sums, by receipt", async () => {
    for (const figure of [
      await ret.getRecoveryCost(F),
      await retRef.getRecoveryCost(F),
      await api("recovery-cost"),
    ]) {
      const by = Object.fromEntries(
        (figure as { currency: string; costMinor: number }[]).map((c) => [c.currency, c.costMinor]),
      );
      expect(by).toEqual({ USD: 1514, BHD: 1115, JPY: 115 });
    }
  });

  it("shows the sums as the amounts typed", () => {
    expect(formatMoney(1514, "USD")).toBe("$15.14");
    expect(formatMoney(115, "USD")).toBe("$1.15");
    // Intl separates the code with a no-break space.
    expect(formatMoney(1115, "BHD")).toBe("BHD\u00a01.115");
    expect(formatMoney(115, "JPY")).toBe("¥115");
  });

  it("refuses a cost with more decimals than its currency, on the cost field, and records nothing", async () => {
    const c = await createComplaint(handle.db, org);
    for (const [cost, currency] of [
      ["1.155", "USD"],
      ["1.5", "JPY"],
    ] as const) {
      const result = await offerRemedy({
        complaintId: c.id,
        version: await versionOf(c.id),
        kind: "credit",
        cost,
        currency,
      });
      expect(result).toMatchObject({
        ok: false,
        reason: "invalid",
        fieldErrors: { cost: [`${currency} amounts have fewer decimals.`] },
      });
    }
    const rows = await handle.db
      .select()
      .from(remedies)
      .where(and(eq(remedies.orgId, org.orgId), eq(remedies.complaintId, c.id)));
    expect(rows).toHaveLength(0);
  });

  it("customer activity: an amount of 1.15 (text or number) is 115 cents", async () => {
    for (const [amount, ref] of [
      ["1.15", "INV-115-text"],
      [1.15, "INV-115-number"],
    ] as const) {
      const reply = await call(activityRoute.POST, "POST", "/customer-activities", {
        token: write,
        body: {
          customerRef: "CUST-115",
          customerName: "Lena Park",
          kind: "purchase",
          occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
          amount,
          currency: "USD",
          externalRef: ref,
        },
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      const [row] = await handle.db
        .select({ amount: customerActivities.amountMinor })
        .from(customerActivities)
        .where(
          and(eq(customerActivities.orgId, org.orgId), eq(customerActivities.externalRef, ref)),
        );
      expect(row!.amount).toBe(115);
    }
  });
});
