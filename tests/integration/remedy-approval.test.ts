/**
 * Remedy approval (issue #11): a remedy offered above the organisation's limit (compared in its
 * own currency's minor units; no limit, no approval) is marked as needing a manager's approval,
 * cannot be delivered — by the form or the API — until a manager of its team or an admin approved
 * it, and the approval is audited and told on the timeline. Every refusal (roles, an API token,
 * bad input) leaves the database as it was.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as actions from "@/app/(app)/complaints/actions";
import * as complaintRoute from "@/app/api/v1/complaints/[id]/route";
import * as deliveryRoute from "@/app/api/v1/complaints/[id]/remedies/[remedyId]/delivery/route";
import * as remedyRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, organisations, remedies, type Complaint } from "@/db/schema";
import { runAsActor } from "@/lib/auth/actor-context";
import { approveRemedy, decideRemedy, deliverRemedy, offerRemedy } from "@/lib/complaints/commands";
import { getComplaintDetail } from "@/lib/complaints/queries";
import { apiSnapshot, call, issueToken } from "../helpers/api-client";
import { complaintSnapshot, createComplaint, createOutsider } from "../helpers/complaint-fixtures";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

describe.each(engines)("remedy approval on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let complaint: Complaint;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Approvals");
  });
  afterAll(async () => {
    await handle.close();
  });
  beforeEach(async () => {
    actAs(org.users.agent);
    complaint = await createComplaint(handle.db, org);
  });

  const setLimit = (limit: number | null) =>
    handle.db
      .update(organisations)
      .set({ remedyApprovalLimitMinor: limit })
      .where(eq(organisations.id, org.orgId));

  const version = async () => (await snapshot()).complaint!.version;
  const snapshot = () => complaintSnapshot(handle.db, org.orgId, complaint.id);

  /** Offers a remedy as the agent; returns its stored row. */
  async function offer(cost: string, currency = "USD") {
    actAs(org.users.agent);
    const result = await offerRemedy({
      complaintId: complaint.id,
      version: await version(),
      kind: "refund",
      cost,
      currency,
    });
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    const id = result.ok ? result.data.id : "";
    const [row] = await handle.db
      .select()
      .from(remedies)
      .where(and(eq(remedies.orgId, org.orgId), eq(remedies.id, id)));
    return row!;
  }

  describe("offering", () => {
    it.each([
      ["below", "999.99", "USD", false],
      ["at", "1000.00", "USD", false],
      ["above", "1000.01", "USD", true],
      // The limit is compared in the remedy's own currency's minor units.
      ["above, in yen", "100001", "JPY", true],
      ["at, in yen", "100000", "JPY", false],
      ["above, in dinars (3 digits)", "100.001", "BHD", true],
    ])("%s the default limit (%s %s): approval needed = %s", async (_, cost, currency, needed) => {
      await setLimit(100_000);
      const row = await offer(cost, currency);
      expect(row.approvalNeeded).toBe(needed);
      expect(row.approvedAt).toBeNull();
      expect(row.approvedBy).toBeNull();
    });

    it("needs no approval when the organisation has no limit", async () => {
      await setLimit(null);
      try {
        expect((await offer("999999.00")).approvalNeeded).toBe(false);
      } finally {
        await setLimit(100_000);
      }
    });

    it("follows a changed limit for the next offer", async () => {
      await setLimit(5_000);
      try {
        expect((await offer("50.01")).approvalNeeded).toBe(true);
        expect((await offer("50.00")).approvalNeeded).toBe(false);
      } finally {
        await setLimit(100_000);
      }
    });

    it("shows everyone the approval note on the remedy, and the offer on the timeline", async () => {
      await offer("1500.00");
      for (const role of ["agent", "quality", "executive", "manager"] as const) {
        actAs(org.users[role]);
        const detail = await getComplaintDetail(complaint.id);
        expect(detail!.remedies[0]).toMatchObject({
          approvalNeeded: true,
          approvalNote: "Needs a manager's approval (limit $1,000.00)",
          awaitingApproval: true,
          approvedAt: null,
        });
        // The page offers the Approve button only to those the lib says may approve.
        expect(detail!.canApproveRemedies).toBe(role === "manager");
      }
      const offered = (await getComplaintDetail(complaint.id))!.timeline.find(
        (e) => e.action === "remedy.offered",
      );
      expect(offered?.detail).toBe("needs a manager's approval");
    });
  });

  describe("delivering", () => {
    it("is refused before approval (command, form and API), changing nothing", async () => {
      const remedy = await offer("1500.00");
      const before = await snapshot();

      actAs(org.users.agent);
      const result = await deliverRemedy({
        complaintId: complaint.id,
        version: before.complaint!.version,
        remedyId: remedy.id,
      });
      expect(result).toMatchObject({ ok: false, reason: "invalid" });
      const message = !result.ok ? result.fieldErrors?.remedyId?.[0] : "";
      expect(message).toMatch(/^Waiting for a manager's approval: \$1,500\.00 is above/);
      expect(message).toContain("$1,000.00");
      expect(!result.ok && result.formError).toBe(message);

      // The form: the same message, what was sent kept.
      const state = await actions.deliverRemedyAction(
        null,
        form({
          complaintId: complaint.id,
          version: String(before.complaint!.version),
          remedyId: remedy.id,
        }),
      );
      expect(state).toMatchObject({ ok: false, formError: message });
      expect(state && !state.ok && state.values?.remedyId).toBe(remedy.id);

      // The API: 400 on the field.
      const token = await issueToken(handle.db, org, "write");
      const apiBefore = await apiSnapshot(handle.db, org.orgId);
      const reply = await call(deliveryRoute.POST, "POST", "/x", {
        token,
        params: { id: complaint.id, remedyId: remedy.id },
        body: { version: before.complaint!.version },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.fields.remedyId[0]).toMatch(/^Waiting for a manager's approval: /);
      expect(await apiSnapshot(handle.db, org.orgId)).toEqual(apiBefore);

      expect(await snapshot()).toEqual(before);
    });

    it("is allowed once a manager approved, and the timeline tells both", async () => {
      const remedy = await offer("1500.00");
      actAs(org.users.manager);
      const approved = await actions.approveRemedyAction(
        null,
        form({ complaintId: complaint.id, version: String(await version()), remedyId: remedy.id }),
      );
      expect(approved, JSON.stringify(approved)).toMatchObject({ ok: true });
      const [row] = await handle.db
        .select()
        .from(remedies)
        .where(and(eq(remedies.orgId, org.orgId), eq(remedies.id, remedy.id)));
      expect(row!.approvedBy).toBe(org.users.manager.userId);
      expect(row!.approvedAt).toBeInstanceOf(Date);
      const [audit] = await handle.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.orgId, org.orgId),
            eq(auditEvents.entityId, remedy.id),
            eq(auditEvents.action, "remedy.approved"),
          ),
        );
      expect(audit).toMatchObject({
        actorId: org.users.manager.userId,
        complaintId: complaint.id,
        entity: "remedy",
      });

      actAs(org.users.agent);
      const delivered = await deliverRemedy({
        complaintId: complaint.id,
        version: await version(),
        remedyId: remedy.id,
      });
      expect(delivered, JSON.stringify(delivered)).toMatchObject({ ok: true });

      const detail = (await getComplaintDetail(complaint.id))!;
      expect(detail.remedies[0]).toMatchObject({
        status: "delivered",
        awaitingApproval: false,
      });
      expect(detail.remedies[0]!.approvedBy).toMatch(/^manager /);
      const texts = detail.timeline.map((e) => e.text);
      expect(texts).toContain(
        `${detail.remedies[0]!.approvedBy} approved the remedy: refund $1,500.00`,
      );
      expect(texts).toContain("Remedy delivered: refund $1,500.00");
    });

    it("through the API after an admin approved it", async () => {
      const token = await issueToken(handle.db, org, "write");
      const offered = await call(remedyRoute.POST, "POST", "/x", {
        token,
        params: { id: complaint.id },
        body: { version: await version(), kind: "replacement", cost: 2500, currency: "USD" },
      });
      expect(offered.status, JSON.stringify(offered.body)).toBe(201);
      const read = await call(complaintRoute.GET, "GET", "/x", {
        token,
        params: { id: complaint.id },
      });
      expect(read.body.data.remedies[0]).toMatchObject({ approvalNeeded: true, approvedAt: null });

      actAs(org.users.admin);
      const approved = await approveRemedy({
        complaintId: complaint.id,
        version: await version(),
        remedyId: offered.body.data.id,
      });
      expect(approved).toMatchObject({ ok: true });

      const reply = await call(deliveryRoute.POST, "POST", "/x", {
        token,
        params: { id: complaint.id, remedyId: offered.body.data.id },
        body: { version: await version() },
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      const after = await call(complaintRoute.GET, "GET", "/x", {
        token,
        params: { id: complaint.id },
      });
      expect(after.body.data.remedies[0]).toMatchObject({
        status: "delivered",
        approvalNeeded: true,
      });
      expect(after.body.data.remedies[0].approvedAt).not.toBeNull();
    });

    it("of a remedy within the limit needs no approval", async () => {
      const remedy = await offer("1000.00");
      const result = await deliverRemedy({
        complaintId: complaint.id,
        version: await version(),
        remedyId: remedy.id,
      });
      expect(result).toMatchObject({ ok: true });
    });
  });

  describe("approving", () => {
    it.each(["agent", "quality", "executive"] as const)(
      "is refused for %s, changing nothing",
      async (role) => {
        const remedy = await offer("1500.00");
        const before = await snapshot();
        actAs(org.users[role]);
        const result = await approveRemedy({
          complaintId: complaint.id,
          version: before.complaint!.version,
          remedyId: remedy.id,
        });
        expect(result).toMatchObject({ ok: false, reason: "forbidden" });
        // The form too.
        const state = await actions.approveRemedyAction(
          null,
          form({
            complaintId: complaint.id,
            version: String(before.complaint!.version),
            remedyId: remedy.id,
          }),
        );
        expect(state).toMatchObject({ ok: false, reason: "forbidden" });
        expect(await snapshot()).toEqual(before);
      },
    );

    it("is refused for a write API token (even an admin's), changing nothing", async () => {
      const remedy = await offer("1500.00");
      const before = await snapshot();
      const result = await runAsActor(
        {
          userId: org.users.admin.userId,
          orgId: org.orgId,
          role: "admin",
          name: "admin",
          email: org.users.admin.email,
          teamIds: [org.teamId],
          via: { kind: "api_token", tokenId: crypto.randomUUID(), scope: "write" },
        },
        () =>
          approveRemedy({
            complaintId: complaint.id,
            version: before.complaint!.version,
            remedyId: remedy.id,
          }),
      );
      expect(result).toMatchObject({ ok: false, reason: "forbidden" });
      expect(await snapshot()).toEqual(before);
    });

    it("is refused for a manager of another team and for nobody signed in", async () => {
      const remedy = await offer("1500.00");
      const outsider = await createOutsider(handle.db, org);
      const before = await snapshot();
      // A complaint of another team: the org's manager is not in it.
      const other = await createComplaint(handle.db, org, {
        teamId: outsider.teamId,
        ownerId: outsider.userId,
      });
      const [otherRemedy] = await handle.db
        .insert(remedies)
        .values({
          orgId: org.orgId,
          complaintId: other.id,
          kind: "gift",
          costMinor: 200_000,
          offeredAt: new Date(),
          approvalNeeded: true,
        })
        .returning();
      const otherBefore = await complaintSnapshot(handle.db, org.orgId, other.id);
      actAs(org.users.manager);
      const result = await approveRemedy({
        complaintId: other.id,
        version: other.version,
        remedyId: otherRemedy!.id,
      });
      expect(result).toMatchObject({ ok: false, reason: "forbidden" });
      expect(await complaintSnapshot(handle.db, org.orgId, other.id)).toEqual(otherBefore);

      actAs(null);
      const anonymous = await approveRemedy({
        complaintId: complaint.id,
        version: before.complaint!.version,
        remedyId: remedy.id,
      });
      expect(anonymous).toMatchObject({ ok: false, reason: "unauthenticated" });
      expect(await snapshot()).toEqual(before);
    });

    it("is refused for another organisation's manager", async () => {
      const remedy = await offer("1500.00");
      const before = await snapshot();
      const stranger = await createTestOrg(handle.db, "Strangers");
      actAs(stranger.users.manager);
      const result = await approveRemedy({
        complaintId: complaint.id,
        version: before.complaint!.version,
        remedyId: remedy.id,
      });
      expect(result).toMatchObject({ ok: false, reason: "not-found" });
      expect(await snapshot()).toEqual(before);
    });

    const bad: [
      string,
      string,
      (remedyId: string, v: number) => Record<string, unknown>,
      RegExp,
    ][] = [
      [
        "complaintId",
        "not a uuid",
        (r, v) => ({ complaintId: "C-1", version: v, remedyId: r }),
        /Unknown complaint/,
      ],
      [
        "complaintId",
        "missing",
        (r, v) => ({ complaintId: undefined, version: v, remedyId: r }),
        /Unknown complaint/,
      ],
      ["version", "not a number", (r) => ({ version: "first", remedyId: r }), /Reload/],
      ["version", "zero", (r) => ({ version: 0, remedyId: r }), /./],
      ["remedyId", "not a uuid", (_, v) => ({ version: v, remedyId: "r1" }), /Unknown remedy/],
      ["remedyId", "missing", (_, v) => ({ version: v }), /Unknown remedy/],
      [
        "remedyId",
        "unknown",
        (_, v) => ({ version: v, remedyId: crypto.randomUUID() }),
        /Unknown remedy/,
      ],
    ];
    it.each(bad)(
      "refuses %s (%s) on the field, changing nothing",
      async (field, _, input, words) => {
        const remedy = await offer("1500.00");
        const before = await snapshot();
        actAs(org.users.manager);
        const result = await approveRemedy({
          complaintId: complaint.id,
          ...input(remedy.id, before.complaint!.version),
        });
        expect(result).toMatchObject({ ok: false, reason: "invalid" });
        expect(!result.ok && result.fieldErrors?.[field]?.[0]).toMatch(words);
        expect(await snapshot()).toEqual(before);
      },
    );

    it("refuses a stale version with who changed it, changing nothing", async () => {
      const remedy = await offer("1500.00");
      const before = await snapshot();
      actAs(org.users.manager);
      const result = await approveRemedy({
        complaintId: complaint.id,
        version: before.complaint!.version - 1,
        remedyId: remedy.id,
      });
      expect(result).toMatchObject({ ok: false, reason: "conflict" });
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      ["needs no approval", "1000.00", async () => {}, /needs no approval/],
      [
        "is approved already",
        "1500.00",
        async (remedyId: string) => {
          actAs(org.users.admin);
          const first = await approveRemedy({
            complaintId: complaint.id,
            version: await version(),
            remedyId,
          });
          expect(first).toMatchObject({ ok: true });
        },
        /approved already/,
      ],
      [
        "was declined",
        "1500.00",
        async (remedyId: string) => {
          const declined = await decideRemedy({
            complaintId: complaint.id,
            version: await version(),
            remedyId,
            decision: "declined",
          });
          expect(declined).toMatchObject({ ok: true });
        },
        /declined/,
      ],
    ])("refuses a remedy that %s, changing nothing", async (_, cost, prepare, words) => {
      const remedy = await offer(cost);
      await prepare(remedy.id);
      const before = await snapshot();
      actAs(org.users.manager);
      const result = await approveRemedy({
        complaintId: complaint.id,
        version: before.complaint!.version,
        remedyId: remedy.id,
      });
      expect(result).toMatchObject({ ok: false, reason: "invalid" });
      expect(!result.ok && result.fieldErrors?.remedyId?.[0]).toMatch(words);
      expect(await snapshot()).toEqual(before);
    });
  });
});
