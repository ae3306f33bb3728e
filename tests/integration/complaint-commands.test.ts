/**
 * Every complaint command as one role × action table: valid input does what it says; each bad
 * field gets a field error; each refused role, anonymous and another organisation get a refusal;
 * and every refusal leaves the database exactly as it was.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { complaints, followUps, remedies, type Complaint } from "@/db/schema";
import type { ActionResult } from "@/lib/action-result";
import {
  assignComplaint,
  changeStatus,
  completeFollowUp,
  decideRemedy,
  deliverRemedy,
  logCustomerUpdate,
  offerRemedy,
  recordOutcome,
  recordStep,
  scheduleFollowUp,
  setPromise,
  setRootCause,
} from "@/lib/complaints/commands";
import { engines } from "../helpers/db";
import {
  complaintSnapshot,
  createComplaint,
  createOutsider,
  createRootCause,
  playbookStepIds,
} from "../helpers/complaint-fixtures";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

type Who =
  "agent" | "manager" | "quality" | "executive" | "admin" | "anonymous" | "outsider" | "other-org";
type Input = Record<string, unknown>;

interface Ctx {
  handle: DatabaseHandle;
  org: TestOrg;
  complaint: Complaint;
  steps: Record<string, string>;
  rootCauseId: string;
}

interface ActionCase {
  name: string;
  run: (raw: unknown) => Promise<ActionResult<unknown>>;
  allowed: Who[];
  refused: Who[];
  /** Valid input for a fresh complaint; may add what the action needs (a remedy, a follow-up). */
  valid: (ctx: Ctx) => Promise<Input>;
  /** Field → patches that must each be refused with an error on that field. */
  bad: [string, Input][];
  /** What a user would notice after the valid input. */
  effect: (ctx: Ctx) => Promise<void>;
}

const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const tooLong = (n: number) => "x".repeat(n + 1);
const editors: Who[] = ["agent", "manager", "admin"];
const notEditors: Who[] = ["quality", "executive", "anonymous", "outsider", "other-org"];

async function addRemedy(ctx: Ctx, patch: Partial<typeof remedies.$inferInsert> = {}) {
  const [row] = await ctx.handle.db
    .insert(remedies)
    .values({
      orgId: ctx.org.orgId,
      complaintId: ctx.complaint.id,
      kind: "refund",
      costMinor: 2500,
      offeredAt: new Date(),
      ...patch,
    })
    .returning();
  return row!;
}

async function addFollowUp(ctx: Ctx) {
  const [row] = await ctx.handle.db
    .insert(followUps)
    .values({
      orgId: ctx.org.orgId,
      complaintId: ctx.complaint.id,
      dueAt: new Date(Date.now() + 86_400_000),
    })
    .returning();
  return row!;
}

async function reload(ctx: Ctx) {
  return complaintSnapshot(ctx.handle.db, ctx.org.orgId, ctx.complaint.id);
}

const commonBad: [string, Input][] = [
  ["complaintId", { complaintId: "C-1" }],
  ["complaintId", { complaintId: undefined }],
  ["version", { version: "first" }],
  ["version", { version: 0 }],
];

const cases: ActionCase[] = [
  {
    name: "recordStep",
    run: recordStep,
    allowed: editors,
    refused: notEditors,
    valid: async (ctx) => ({ stepId: ctx.steps.apologize, note: "Asked for forgiveness" }),
    bad: [
      ["stepId", { stepId: "apologize" }],
      ["stepId", { stepId: undefined }],
      ["stepId", { stepId: crypto.randomUUID() }],
      ["note", { note: tooLong(2000) }],
      ["note", { note: 42 }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.steps).toHaveLength(1);
      expect(after.steps[0]).toMatchObject({ note: "Asked for forgiveness" });
      // The first customer-facing step is the first response, and starts the complaint.
      expect(after.complaint!.firstResponseAt).not.toBeNull();
      expect(after.complaint!.status).toBe("in_progress");
    },
  },
  {
    name: "offerRemedy",
    run: offerRemedy,
    allowed: editors,
    refused: notEditors,
    valid: async () => ({
      kind: "refund",
      description: "Call-out fee",
      cost: "25.50",
      currency: "eur",
      suggestedByCustomer: "on",
    }),
    bad: [
      ["kind", { kind: "hug" }],
      ["kind", { kind: undefined }],
      ["description", { description: tooLong(1000) }],
      ["cost", { cost: "-5" }],
      ["cost", { cost: "twelve" }],
      ["cost", { cost: "1.234" }],
      ["currency", { currency: "EURO" }],
      ["currency", { currency: undefined }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.remedies).toHaveLength(1);
      expect(after.remedies[0]).toMatchObject({
        kind: "refund",
        currency: "EUR",
        suggested_by_customer: true,
        decision: "pending",
      });
      expect(Number(after.remedies[0]!.cost_minor)).toBe(2550);
    },
  },
  {
    name: "decideRemedy",
    run: decideRemedy,
    allowed: editors,
    refused: notEditors,
    valid: async (ctx) => ({ remedyId: (await addRemedy(ctx)).id, decision: "declined" }),
    bad: [
      ["decision", { decision: "maybe" }],
      ["decision", { decision: undefined }],
      ["remedyId", { remedyId: "r1" }],
      ["remedyId", { remedyId: crypto.randomUUID() }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.remedies[0]).toMatchObject({ decision: "declined" });
      expect(after.remedies[0]!.decided_at).not.toBeNull();
    },
  },
  {
    name: "deliverRemedy",
    run: deliverRemedy,
    allowed: editors,
    refused: notEditors,
    valid: async (ctx) => ({ remedyId: (await addRemedy(ctx)).id }),
    bad: [
      ["remedyId", { remedyId: 7 }],
      ["remedyId", { remedyId: undefined }],
      ["remedyId", { remedyId: crypto.randomUUID() }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.remedies[0]).toMatchObject({ decision: "accepted" });
      expect(after.remedies[0]!.delivered_at).not.toBeNull();
    },
  },
  {
    name: "setPromise",
    run: setPromise,
    allowed: editors,
    refused: notEditors,
    valid: async () => ({ promisedBy: later(3) }),
    bad: [
      ["promisedBy", { promisedBy: "soon" }],
      ["promisedBy", { promisedBy: undefined }],
      ["promisedBy", { promisedBy: "2001-01-01T00:00:00Z" }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.complaint!.promisedBy).toBeInstanceOf(Date);
    },
  },
  {
    name: "scheduleFollowUp",
    run: scheduleFollowUp,
    allowed: editors,
    refused: notEditors,
    valid: async () => ({ preset: "week" }),
    bad: [
      ["preset", { preset: "fortnight" }],
      ["dueAt", { preset: undefined }],
      ["dueAt", { preset: undefined, dueAt: "next tuesday" }],
      ["dueAt", { preset: undefined, dueAt: "2001-01-01T00:00:00Z" }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.followUps).toHaveLength(1);
      const due = new Date(after.followUps[0]!.due_at as string).getTime();
      expect(Math.abs(due - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
    },
  },
  {
    name: "completeFollowUp",
    run: completeFollowUp,
    allowed: editors,
    refused: notEditors,
    valid: async (ctx) => ({
      followUpId: (await addFollowUp(ctx)).id,
      channel: "phone",
      nps: "9",
      note: "Happy now",
    }),
    bad: [
      ["followUpId", { followUpId: "f" }],
      ["followUpId", { followUpId: crypto.randomUUID() }],
      ["channel", { channel: "pigeon" }],
      ["channel", { channel: undefined }],
      ["sentiment", { sentiment: "6" }],
      ["sentiment", { sentiment: "2.5" }],
      ["nps", { nps: "11" }],
      ["nps", { nps: "-1" }],
      ["note", { note: tooLong(2000) }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.followUps[0]).toMatchObject({ channel: "phone", nps: 9, note: "Happy now" });
      expect(after.followUps[0]!.done_at).not.toBeNull();
    },
  },
  {
    name: "recordOutcome",
    run: recordOutcome,
    allowed: editors,
    refused: notEditors,
    valid: async () => ({ finalNps: "10", signals: ["referral", "positive_review"] }),
    bad: [
      ["finalSentiment", { finalNps: undefined, signals: undefined }],
      ["finalSentiment", { finalNps: undefined, signals: [], finalSentiment: "0" }],
      ["finalNps", { finalNps: "ten" }],
      ["finalNps", { finalNps: "12" }],
      ["signals.0", { signals: ["tweet"] }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.outcome[0]).toMatchObject({ final_nps: 10 });
      expect(after.signals).toHaveLength(2);
    },
  },
  {
    name: "changeStatus",
    run: changeStatus,
    allowed: editors,
    refused: notEditors,
    valid: async () => ({ to: "resolved", noRemedyReason: "Customer wanted only an apology" }),
    bad: [
      ["to", { to: "done" }],
      ["to", { to: undefined }],
      ["to", { to: "closed" }],
      ["noRemedyReason", { noRemedyReason: undefined }],
      ["noRemedyReason", { noRemedyReason: tooLong(1000) }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.complaint).toMatchObject({
        status: "resolved",
        noRemedyReason: "Customer wanted only an apology",
      });
      expect(after.complaint!.resolvedAt).toBeInstanceOf(Date);
    },
  },
  {
    name: "assignComplaint",
    run: assignComplaint,
    allowed: ["manager", "admin"],
    refused: ["agent", "quality", "executive", "anonymous", "outsider", "other-org"],
    valid: async (ctx) => ({ ownerId: ctx.org.users.manager.userId }),
    bad: [
      ["ownerId", { ownerId: "alex" }],
      ["ownerId", { ownerId: undefined }],
      ["ownerId", { ownerId: crypto.randomUUID() }],
      ["teamId", { teamId: "east" }],
      ["teamId", { teamId: crypto.randomUUID() }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.complaint!.ownerId).toBe(ctx.org.users.manager.userId);
    },
  },
  {
    name: "logCustomerUpdate",
    run: logCustomerUpdate,
    allowed: editors,
    refused: notEditors,
    valid: async () => ({ channel: "email", message: "Technician booked for Thursday 9am." }),
    bad: [
      ["channel", { channel: "fax" }],
      ["message", { message: "" }],
      ["message", { message: "   " }],
      ["message", { message: tooLong(2000) }],
      ["message", { message: undefined }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.updates).toHaveLength(1);
      expect(after.complaint!.firstResponseAt).not.toBeNull();
    },
  },
  {
    name: "setRootCause",
    run: setRootCause,
    allowed: ["quality", "admin"],
    refused: ["agent", "manager", "executive", "anonymous", "other-org"],
    valid: async (ctx) => ({
      rootCauseId: ctx.rootCauseId,
      fiveWhys: "Why late? Dispatch used stale routes. Why? …",
    }),
    bad: [
      ["rootCauseId", { rootCauseId: "late" }],
      ["rootCauseId", { rootCauseId: undefined }],
      ["rootCauseId", { rootCauseId: crypto.randomUUID() }],
      ["fiveWhys", { fiveWhys: tooLong(5000) }],
    ],
    effect: async (ctx) => {
      const after = await reload(ctx);
      expect(after.complaint!.rootCauseId).toBe(ctx.rootCauseId);
      expect(after.complaint!.fiveWhys).toMatch(/^Why late/);
    },
  },
];

describe.each(engines)("complaint commands on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  let outsider: { userId: string; orgId: string };
  let steps: Record<string, string>;
  let rootCauseId: string;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Acme");
    other = await createTestOrg(handle.db, "Other");
    outsider = await createOutsider(handle.db, org);
    steps = await playbookStepIds(handle.db, org.orgId);
    rootCauseId = await createRootCause(handle.db, org.orgId);
  });
  afterAll(async () => {
    await handle.close();
  });

  function actAsWho(who: Who) {
    if (who === "anonymous") actAs(null);
    else if (who === "outsider") actAs(outsider);
    else if (who === "other-org") actAs(other.users.admin);
    else actAs(org.users[who]);
  }

  async function fresh(): Promise<Ctx> {
    const complaint = await createComplaint(handle.db, org);
    return { handle, org, complaint, steps, rootCauseId };
  }

  const expectedRefusal: Record<Who, string> = {
    anonymous: "unauthenticated",
    "other-org": "not-found",
    agent: "forbidden",
    manager: "forbidden",
    quality: "forbidden",
    executive: "forbidden",
    admin: "forbidden",
    outsider: "forbidden",
  };

  for (const action of cases) {
    describe(action.name, () => {
      it.each(action.allowed)(
        "works for the %s, bumps the version and records an audit event",
        async (who) => {
          const ctx = await fresh();
          const input = await action.valid(ctx);
          const before = await reload(ctx);
          actAsWho(who);
          const result = await action.run({ complaintId: ctx.complaint.id, version: 1, ...input });
          expect(result, JSON.stringify(result)).toMatchObject({ ok: true, data: { version: 2 } });
          await action.effect(ctx);
          const after = await reload(ctx);
          expect(after.complaint!.version).toBe(2);
          expect(after.audit).toBe(before.audit + 1);
        },
      );

      it.each(action.bad)(
        "refuses a bad %s (%j) with a field error and changes nothing",
        async (field, patch) => {
          const ctx = await fresh();
          const input: Input = {
            complaintId: ctx.complaint.id,
            version: 1,
            ...(await action.valid(ctx)),
            ...patch,
          };
          for (const [k, v] of Object.entries(patch)) if (v === undefined) delete input[k];
          const before = await reload(ctx);
          actAsWho(action.allowed[0]!);
          const result = await action.run(input);
          expect(result).toMatchObject({ ok: false, reason: "invalid" });
          expect(
            !result.ok && result.fieldErrors?.[field]?.[0],
            JSON.stringify(result),
          ).toBeTruthy();
          expect(await reload(ctx)).toEqual(before);
        },
      );

      for (const bad of commonBad) {
        it(`refuses a bad ${bad[0]} (${JSON.stringify(bad[1])})`, async () => {
          const ctx = await fresh();
          const input: Input = {
            complaintId: ctx.complaint.id,
            version: 1,
            ...(await action.valid(ctx)),
            ...bad[1],
          };
          for (const [k, v] of Object.entries(bad[1])) if (v === undefined) delete input[k];
          const before = await reload(ctx);
          actAsWho(action.allowed[0]!);
          const result = await action.run(input);
          expect(
            !result.ok && result.fieldErrors?.[bad[0]]?.[0],
            JSON.stringify(result),
          ).toBeTruthy();
          expect(await reload(ctx)).toEqual(before);
        });
      }

      it.each(action.refused)("refuses the %s and changes nothing", async (who) => {
        const ctx = await fresh();
        const input = await action.valid(ctx);
        const before = await reload(ctx);
        actAsWho(who);
        const result = await action.run({ complaintId: ctx.complaint.id, version: 1, ...input });
        expect(result).toMatchObject({ ok: false, reason: expectedRefusal[who] });
        expect(await reload(ctx)).toEqual(before);
      });

      it("refuses an edit based on a stale version, naming who changed it", async () => {
        const ctx = await fresh();
        const input = await action.valid(ctx);
        // Someone else changed the complaint meanwhile (version 1 → 2).
        actAsWho(action.allowed[0]!);
        const first = await logCustomerUpdateAs(ctx, action.allowed[0]!);
        const before = await reload(ctx);
        const result = await action.run({ complaintId: ctx.complaint.id, version: 1, ...input });
        expect(result).toMatchObject({ ok: false, reason: "conflict" });
        expect(!result.ok && result.formError).toMatch(
          new RegExp(`changed by ${first} \\w+ at .+ — reload`),
        );
        expect(await reload(ctx)).toEqual(before);
      });
    });
  }

  /** Makes a change as someone allowed to make any change; returns their name. */
  async function logCustomerUpdateAs(ctx: Ctx, who: Who): Promise<string> {
    const actor = who === "quality" ? "admin" : who;
    actAsWho(actor);
    const result = await logCustomerUpdate({
      complaintId: ctx.complaint.id,
      version: 1,
      channel: "phone",
      message: "Called back",
    });
    expect(result.ok).toBe(true);
    actAsWho(who);
    return actor;
  }

  it("two edits from the same version: one succeeds, the other gets the conflict message, nothing is lost", async () => {
    const ctx = await fresh();
    actAs(org.users.agent);
    const a = await setPromise({ complaintId: ctx.complaint.id, version: 1, promisedBy: later(2) });
    actAs(org.users.manager);
    const b = await setPromise({ complaintId: ctx.complaint.id, version: 1, promisedBy: later(9) });
    expect(a).toMatchObject({ ok: true });
    expect(b).toMatchObject({ ok: false, reason: "conflict" });
    expect(!b.ok && b.formError).toContain(`changed by agent`);
    const [row] = await handle.db
      .select({ promisedBy: complaints.promisedBy, version: complaints.version })
      .from(complaints)
      .where(and(eq(complaints.orgId, org.orgId), eq(complaints.id, ctx.complaint.id)));
    // The first edit's promise stands; the second overwrote nothing.
    expect(Math.round((row!.promisedBy!.getTime() - Date.now()) / 86_400_000)).toBe(2);
    expect(row!.version).toBe(2);
  });

  it("runs two edits from the same version at the same time: exactly one wins", async () => {
    const ctx = await fresh();
    actAs(org.users.agent);
    const results = await Promise.all(
      [1, 2].map((n) =>
        logCustomerUpdate({
          complaintId: ctx.complaint.id,
          version: 1,
          channel: "email",
          message: `Update ${n}`,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "conflict")).toHaveLength(1);
    const after = await reload(ctx);
    expect(after.updates).toHaveLength(1);
    expect(after.complaint!.version).toBe(2);
  });

  it("walks the lifecycle: resolve needs a delivered remedy or a reason, close needs an outcome, reopen counts", async () => {
    const ctx = await fresh();
    actAs(org.users.agent);
    let version = 1;
    const run = async (
      fn: (raw: unknown) => Promise<ActionResult<{ version: number }>>,
      input: Input,
    ) => {
      const result = await fn({ complaintId: ctx.complaint.id, version, ...input });
      if (result.ok) version = result.data.version;
      return result;
    };
    expect(await run(changeStatus, { to: "resolved" })).toMatchObject({
      ok: false,
      fieldErrors: { noRemedyReason: [expect.any(String)] },
    });
    const offered = await run(offerRemedy, { kind: "credit", cost: "10", currency: "USD" });
    const remedyId = offered.ok ? (offered.data as unknown as { id: string }).id : "";
    expect(await run(deliverRemedy, { remedyId })).toMatchObject({ ok: true });
    expect(await run(changeStatus, { to: "closed" })).toMatchObject({
      ok: false,
      fieldErrors: { to: [expect.any(String)] },
    });
    expect(await run(changeStatus, { to: "resolved" })).toMatchObject({ ok: true });
    expect(await run(changeStatus, { to: "closed" })).toMatchObject({
      ok: false,
      fieldErrors: { customerUnreachable: [expect.any(String)] },
    });
    expect(await run(recordOutcome, { finalSentiment: "5" })).toMatchObject({ ok: true });
    expect(await run(changeStatus, { to: "closed" })).toMatchObject({ ok: true });
    expect(await run(recordStep, { stepId: steps.wow })).toMatchObject({
      ok: false,
      reason: "invalid",
      fieldErrors: { _form: ["This complaint is closed; reopen it to change it."] },
    });
    expect(await run(changeStatus, { to: "reopen" })).toMatchObject({ ok: true });
    const after = await reload(ctx);
    expect(after.complaint).toMatchObject({
      status: "in_progress",
      reopenCount: 1,
      resolvedAt: null,
      closedAt: null,
    });
  });
});
