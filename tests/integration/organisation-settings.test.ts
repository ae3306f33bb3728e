/**
 * The organisation settings page (issue #11): the admin sets the remedy approval limit in major
 * units of the organisation's currency (blank = no approval), audited; every other role and
 * nobody signed in are refused, and each bad value gets a clear error on the field — the
 * database unchanged. The page's read is admin-only too.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setApprovalLimitAction } from "@/app/(app)/settings/organisation/actions";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, organisations } from "@/db/schema";
import { setApprovalLimit } from "@/lib/organisations/commands";
import { getOrganisationSettings } from "@/lib/organisations/queries";
import { engines } from "../helpers/db";
import { createTestOrg, orgSnapshot, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

/** requirePermission's refusal: Next's forbidden() (the 403 page), not just any error. */
const FORBIDDEN = { digest: "NEXT_HTTP_ERROR_FALLBACK;403" };
// As next.config.ts's experimental.authInterrupts does (without it forbidden() throws a plain
// "experimental" Error, which any-error assertions took for the refusal).
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

describe.each(engines)("organisation settings on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Settings");
    other = await createTestOrg(handle.db, "Bystander");
  });
  afterAll(async () => {
    await handle.close();
  });
  beforeEach(async () => {
    await setStored(org.orgId, 100_000, "USD");
  });

  async function setStored(orgId: string, limit: number | null, currency: string) {
    await handle.db
      .update(organisations)
      .set({ remedyApprovalLimitMinor: limit, currency })
      .where(eq(organisations.id, orgId));
  }
  const stored = async (orgId = org.orgId) =>
    (
      await handle.db
        .select({ limit: organisations.remedyApprovalLimitMinor })
        .from(organisations)
        .where(eq(organisations.id, orgId))
    )[0]!.limit;
  /** What a refused change must leave as it was: the limits of both orgs and their audit trails. */
  const snapshot = async () => ({
    limit: await stored(),
    otherLimit: await stored(other.orgId),
    org: await orgSnapshot(handle.db, org.orgId),
    other: await orgSnapshot(handle.db, other.orgId),
  });

  it("lets the admin set a limit in major units, audited", async () => {
    actAs(org.users.admin);
    const result = await setApprovalLimitAction(null, form({ approvalLimit: " 1500.5 " }));
    expect(result).toMatchObject({
      ok: true,
      data: { approvalLimitMinor: 150_050 },
      message: "Remedies above $1,500.50 now need a manager's approval.",
    });
    expect(await stored()).toBe(150_050);
    // Only this organisation's.
    expect(await stored(other.orgId)).toBe(100_000);
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.orgId, org.orgId),
          eq(auditEvents.action, "organisation.approval-limit-set"),
        ),
      );
    expect(events.at(-1)).toMatchObject({
      actorId: org.users.admin.userId,
      entity: "organisation",
      entityId: org.orgId,
      before: { remedyApprovalLimitMinor: 100_000 },
      after: { remedyApprovalLimitMinor: 150_050, currency: "USD" },
    });
    const page = await getOrganisationSettings();
    expect(page).toMatchObject({
      currency: "USD",
      approvalLimitMinor: 150_050,
      approvalLimit: "1500.50",
      approvalLimitFormatted: "$1,500.50",
    });
  });

  it("takes a blank limit as no approval, and 0 as approval for any cost", async () => {
    actAs(org.users.admin);
    expect(await setApprovalLimit({ approvalLimit: "" })).toMatchObject({
      ok: true,
      data: { approvalLimitMinor: null },
      message: "No remedy needs a manager's approval now.",
    });
    expect(await stored()).toBeNull();
    expect(await getOrganisationSettings()).toMatchObject({
      approvalLimit: "",
      approvalLimitFormatted: null,
    });
    expect(await setApprovalLimit({ approvalLimit: "0" })).toMatchObject({ ok: true });
    expect(await stored()).toBe(0);
    // The largest remedy cost is allowed as a limit.
    expect(await setApprovalLimit({ approvalLimit: "1000000" })).toMatchObject({ ok: true });
    expect(await stored()).toBe(100_000_000);
  });

  it("reads the limit in the organisation's own currency's digits", async () => {
    await setStored(org.orgId, 5_000, "JPY");
    actAs(org.users.admin);
    expect(await getOrganisationSettings()).toMatchObject({
      approvalLimit: "5000",
      approvalLimitFormatted: "¥5,000",
    });
    expect(await setApprovalLimit({ approvalLimit: "20000" })).toMatchObject({ ok: true });
    expect(await stored()).toBe(20_000);
    const before = await snapshot();
    const result = await setApprovalLimit({ approvalLimit: "1.5" });
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    expect(!result.ok && result.fieldErrors?.approvalLimit?.[0]).toBe(
      "JPY amounts have no decimals.",
    );
    expect(await snapshot()).toEqual(before);
  });

  it("records nothing when the limit is unchanged", async () => {
    actAs(org.users.admin);
    const before = await snapshot();
    expect(await setApprovalLimit({ approvalLimit: "1000.00" })).toMatchObject({ ok: true });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["negative", "-5", /cannot be negative/],
    ["negative with decimals", "-0.01", /cannot be negative/],
    ["text", "a thousand", /Enter the limit as a number, e\.g\. 1000\.00, or leave it blank/],
    ["a thousands separator", "1,000", /Enter the limit as a number/],
    ["above the largest remedy cost", "1000000.01", /at most 1,000,000/],
    ["far above it", "99999999999", /at most 1,000,000/],
    ["too many decimals for USD", "10.001", /USD amounts have at most 2 decimals/],
    ["too long", "1".repeat(21), /Enter the limit as a number/],
    ["exponent notation", "1e3", /Enter the limit as a number/],
  ])("refuses %s (%j) on the field, keeping what was typed", async (_, value, words) => {
    actAs(org.users.admin);
    const before = await snapshot();
    const result = await setApprovalLimitAction(null, form({ approvalLimit: value }));
    expect(result).toMatchObject({
      ok: false,
      reason: "invalid",
      values: { approvalLimit: value },
    });
    expect(result && !result.ok && result.fieldErrors?.approvalLimit?.[0]).toMatch(words);
    expect(result && !result.ok && result.formError).toBeTruthy();
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["an object", { approvalLimit: { amount: 5 } }],
    ["an array", { approvalLimit: ["5"] }],
  ])("refuses %s for the limit on the field", async (_, raw) => {
    actAs(org.users.admin);
    const before = await snapshot();
    const result = await setApprovalLimit(raw);
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    expect(!result.ok && result.fieldErrors?.approvalLimit?.[0]).toMatch(/Enter the limit/);
    expect(await snapshot()).toEqual(before);
  });

  it.each(["agent", "manager", "quality", "executive"] as const)(
    "refuses %s, changing nothing; the page is refused too",
    async (role) => {
      actAs(org.users[role]);
      const before = await snapshot();
      const result = await setApprovalLimitAction(null, form({ approvalLimit: "5" }));
      expect(result).toMatchObject({ ok: false, reason: "forbidden" });
      expect(await snapshot()).toEqual(before);
      // requirePermission: Next's 403 interrupt.
      await expect(getOrganisationSettings()).rejects.toMatchObject(FORBIDDEN);
    },
  );

  it("refuses nobody signed in, changing nothing", async () => {
    actAs(null);
    const before = await snapshot();
    expect(await setApprovalLimit({ approvalLimit: "5" })).toMatchObject({
      ok: false,
      reason: "unauthenticated",
    });
    expect(await snapshot()).toEqual(before);
  });
});
