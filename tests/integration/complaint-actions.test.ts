/**
 * The server actions themselves, as a form posts them (FormData): each works for a role that
 * may, returns field errors with what was typed, and is refused — changing nothing — without a
 * session or for a role that may not. The full field × role table runs on the commands
 * underneath (complaint-commands.test.ts); this proves every action goes through them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as actions from "@/app/(app)/complaints/actions";
import { useDatabase, type DatabaseHandle } from "@/db";
import { followUps, remedies, type Complaint } from "@/db/schema";
import { engines } from "../helpers/db";
import {
  complaintSnapshot,
  createComplaint,
  createRootCause,
  playbookStepIds,
} from "../helpers/complaint-fixtures";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

type Fields = Record<string, string | string[]>;
type Action = (prev: actions.FormState, formData: FormData) => Promise<actions.FormState>;

function form(fields: Fields): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  }
  return data;
}

interface Case {
  action: Action;
  allowed: "agent" | "quality" | "manager";
  refused: "executive" | "agent";
  valid: (c: Complaint) => Promise<Fields>;
  bad: [string, Fields];
}

describe.each(engines)("complaint server actions on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let steps: Record<string, string>;
  let rootCauseId: string;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db);
    steps = await playbookStepIds(handle.db, org.orgId);
    rootCauseId = await createRootCause(handle.db, org.orgId);
  });
  afterAll(async () => {
    await handle.close();
  });

  const remedyOn = async (c: Complaint, patch: Partial<typeof remedies.$inferInsert> = {}) =>
    (
      await handle.db
        .insert(remedies)
        .values({
          orgId: org.orgId,
          complaintId: c.id,
          kind: "credit",
          costMinor: 500,
          offeredAt: new Date(),
          ...patch,
        })
        .returning()
    )[0]!.id;
  const followUpOn = async (c: Complaint) =>
    (
      await handle.db
        .insert(followUps)
        .values({ orgId: org.orgId, complaintId: c.id, dueAt: new Date(Date.now() + 86_400_000) })
        .returning()
    )[0]!.id;

  const cases: Record<string, Case> = {
    recordStepAction: {
      action: actions.recordStepAction,
      allowed: "agent",
      refused: "executive",
      valid: async () => ({ stepId: steps.listen!, note: "" }),
      bad: ["stepId", { stepId: "listen" }],
    },
    offerRemedyAction: {
      action: actions.offerRemedyAction,
      allowed: "agent",
      refused: "executive",
      valid: async () => ({ kind: "coupon", cost: "5", currency: "USD", description: "" }),
      bad: ["cost", { cost: "five" }],
    },
    decideRemedyAction: {
      action: actions.decideRemedyAction,
      allowed: "agent",
      refused: "executive",
      valid: async (c) => ({ remedyId: await remedyOn(c), decision: "accepted" }),
      bad: ["decision", { decision: "perhaps" }],
    },
    deliverRemedyAction: {
      action: actions.deliverRemedyAction,
      allowed: "agent",
      refused: "executive",
      valid: async (c) => ({ remedyId: await remedyOn(c) }),
      bad: ["remedyId", { remedyId: "x" }],
    },
    approveRemedyAction: {
      action: actions.approveRemedyAction,
      allowed: "manager",
      refused: "agent",
      valid: async (c) => ({
        remedyId: await remedyOn(c, { costMinor: 250_000, approvalNeeded: true }),
      }),
      bad: ["remedyId", { remedyId: "x" }],
    },
    setPromiseAction: {
      action: actions.setPromiseAction,
      allowed: "agent",
      refused: "executive",
      valid: async () => ({ promisedBy: new Date(Date.now() + 2 * 86_400_000).toISOString() }),
      bad: ["promisedBy", { promisedBy: "whenever" }],
    },
    scheduleFollowUpAction: {
      action: actions.scheduleFollowUpAction,
      allowed: "agent",
      refused: "executive",
      valid: async () => ({ preset: "tomorrow" }),
      bad: ["preset", { preset: "someday" }],
    },
    completeFollowUpAction: {
      action: actions.completeFollowUpAction,
      allowed: "agent",
      refused: "executive",
      valid: async (c) => ({ followUpId: await followUpOn(c), channel: "email", sentiment: "4" }),
      bad: ["sentiment", { sentiment: "9" }],
    },
    recordOutcomeAction: {
      action: actions.recordOutcomeAction,
      allowed: "agent",
      refused: "executive",
      valid: async () => ({ finalNps: "9", signals: ["testimonial"] }),
      bad: ["finalNps", { finalNps: "99" }],
    },
    changeStatusAction: {
      action: actions.changeStatusAction,
      allowed: "agent",
      refused: "executive",
      valid: async () => ({ to: "in_progress" }),
      bad: ["to", { to: "archived" }],
    },
    assignComplaintAction: {
      action: actions.assignComplaintAction,
      allowed: "manager",
      refused: "agent",
      valid: async () => ({ ownerId: org.users.manager.userId, teamId: org.teamId }),
      bad: ["ownerId", { ownerId: "morgan" }],
    },
    logCustomerUpdateAction: {
      action: actions.logCustomerUpdateAction,
      allowed: "agent",
      refused: "executive",
      valid: async () => ({ channel: "chat", message: "Parts ordered; fitting on Friday." }),
      bad: ["message", { message: "" }],
    },
    setRootCauseAction: {
      action: actions.setRootCauseAction,
      allowed: "quality",
      refused: "agent",
      valid: async () => ({ rootCauseId, fiveWhys: "" }),
      bad: ["rootCauseId", { rootCauseId: "" }],
    },
  };

  it("covers every complaint action the module exports", () => {
    const exported = Object.keys(actions).filter(
      (name) =>
        name.endsWith("Action") &&
        !["recordComplaintAction", "searchCustomersAction"].includes(name),
    );
    expect(exported.sort()).toEqual(Object.keys(cases).sort());
  });

  for (const [name, c] of Object.entries(cases)) {
    describe(name, () => {
      it(`works for the ${c.allowed}`, async () => {
        const complaint = await createComplaint(handle.db, org);
        const fields = { complaintId: complaint.id, version: "1", ...(await c.valid(complaint)) };
        actAs(org.users[c.allowed]);
        const result = await c.action(null, form(fields));
        expect(result, JSON.stringify(result)).toMatchObject({ ok: true, data: { version: 2 } });
      });

      it(`returns a field error for a bad ${c.bad[0]}, keeps what was typed, changes nothing`, async () => {
        const complaint = await createComplaint(handle.db, org);
        const fields = {
          complaintId: complaint.id,
          version: "1",
          ...(await c.valid(complaint)),
          ...c.bad[1],
        };
        const before = await complaintSnapshot(handle.db, org.orgId, complaint.id);
        actAs(org.users[c.allowed]);
        const result = await c.action(null, form(fields));
        expect(
          result && !result.ok && result.fieldErrors?.[c.bad[0]]?.[0],
          JSON.stringify(result),
        ).toBeTruthy();
        expect(result?.values).toMatchObject(c.bad[1]);
        expect(await complaintSnapshot(handle.db, org.orgId, complaint.id)).toEqual(before);
      });

      it.each(["anonymous", c.refused])("refuses %s and changes nothing", async (who) => {
        const complaint = await createComplaint(handle.db, org);
        const fields = { complaintId: complaint.id, version: "1", ...(await c.valid(complaint)) };
        const before = await complaintSnapshot(handle.db, org.orgId, complaint.id);
        actAs(who === "anonymous" ? null : org.users[who as "agent" | "executive"]);
        const result = await c.action(null, form(fields));
        expect(result).toMatchObject({
          ok: false,
          reason: who === "anonymous" ? "unauthenticated" : "forbidden",
        });
        expect(await complaintSnapshot(handle.db, org.orgId, complaint.id)).toEqual(before);
      });
    });
  }

  describe("recordComplaintAction", () => {
    const intake = (): Fields => ({
      idempotencyKey: crypto.randomUUID(),
      customerName: "Robin Vale",
      channel: "web",
      severity: "minor",
      summary: "Invoice shows the wrong address",
      story: "My invoice went to my old flat.",
      intakeSentiment: "2",
    });

    it("returns field errors with what was typed, and is refused for an executive or no session", async () => {
      actAs(org.users.agent);
      const bad = await actions.recordComplaintAction(null, form({ ...intake(), summary: "" }));
      expect(bad && !bad.ok && bad.fieldErrors?.summary?.[0]).toBeTruthy();
      expect(bad?.values).toMatchObject({
        customerName: "Robin Vale",
        story: "My invoice went to my old flat.",
      });
      actAs(org.users.executive);
      expect(await actions.recordComplaintAction(null, form(intake()))).toMatchObject({
        ok: false,
        reason: "forbidden",
      });
      actAs(null);
      expect(await actions.recordComplaintAction(null, form(intake()))).toMatchObject({
        ok: false,
        reason: "unauthenticated",
      });
    });

    it("redirects to the new complaint on success", async () => {
      actAs(org.users.agent);
      await expect(actions.recordComplaintAction(null, form(intake()))).rejects.toMatchObject({
        digest: expect.stringMatching(/NEXT_REDIRECT;.*\/complaints\/[0-9a-f-]{36}/),
      });
    });
  });
});
