import { and, count, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as exportRoute from "@/app/(app)/exports/[kind]/route";
import * as complaintsExportRoute from "@/app/(app)/complaints/export/route";
import * as progressRoute from "@/app/(app)/import/runs/[runId]/progress/route";
import * as reportRoute from "@/app/(app)/import/runs/[runId]/report/route";
import * as uploadRoute from "@/app/(app)/import/upload/[runId]/route";
import * as detailRoute from "@/app/api/v1/complaints/[id]/route";
import * as listRoute from "@/app/api/v1/complaints/route";
import * as remedyRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { auditEvents, complaints, playbookSteps } from "@/db/schema";
import type { ActionResult } from "@/lib/action-result";
import { createApiToken } from "@/lib/api-tokens/commands";
import {
  assignComplaint,
  changeStatus,
  logCustomerUpdate,
  offerRemedy,
  recordOutcome,
  recordStep,
  scheduleFollowUp,
  setPromise,
  setRootCause,
} from "@/lib/complaints/commands";
import { recordComplaint } from "@/lib/complaints/intake";
import {
  assignSchema,
  changeStatusSchema,
  customerUpdateSchema,
  intakeSchema,
  offerRemedySchema,
  recordOutcomeSchema,
  recordStepSchema,
  scheduleFollowUpSchema,
  setPromiseSchema,
  setRootCauseSchema,
} from "@/lib/complaints/validation";
import { createCorrectiveAction } from "@/lib/corrective-actions/commands";
import { setApprovalLimit } from "@/lib/organisations/commands";
import { createRootCause } from "@/lib/taxonomy/commands";
import { createUser } from "@/lib/users/commands";
import { call, issueToken } from "../helpers/api-client";
import { createComplaint, createRootCause as insertRootCause } from "../helpers/complaint-fixtures";
import { scratchEngines } from "../helpers/scratch-db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";
import { changedTables, dbFingerprint } from "../helpers/db-fingerprint";

/*
 * Issue #12, point 6: fast-check properties over every command's input and the API's. Each
 * field is either a valid value or a nasty one — a wrong type, null, oversized text, Unicode
 * edge cases (lone surrogates, RTL overrides, zero-width, NUL, emoji), negative and huge money,
 * far dates, SQL and HTML — and the answer must always be typed: success within bounds, or a
 * refusal for a reason (never "failed", the refusal that hides a crash, never a throw, never a
 * 5xx). A refused case writes nothing (no audit event: every write is audited in its own
 * transaction), and a property that refused every case leaves every table as it was.
 */

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));
vi.mock("next/navigation", async (original) => ({
  ...(await original<object>()),
  forbidden: () => {
    throw Object.assign(new Error("NEXT_HTTP_ERROR_FALLBACK;403"), {
      digest: "NEXT_HTTP_ERROR_FALLBACK;403",
    });
  },
}));

const RUNS = 20;

const huge = "𝕏".repeat(25_000); // 50,000 UTF-16 units: over every text limit (a story: 20,000)
const nastyText = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\u202eevil\u202c",
  "\u200b\u200d\ufeff",
  "🙂".repeat(40),
  "Ω≈ç√∫˜µ≤≥÷",
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "'; drop table complaints; --",
  "1' or '1'='1",
  "$$ref",
  "__proto__",
  huge,
);
const nastyNumber = fc.constantFrom(
  -1,
  -0,
  0.001,
  1.15,
  Number.NaN,
  Infinity,
  -Infinity,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  "-1",
  "-0.01",
  "1e309",
  "0x10",
  "99999999999999999999",
  "1.1234",
  "12 345",
);
const nastyDate = fc.constantFrom(
  "0001-01-01",
  "1969-12-31T23:59:59Z",
  "9999-12-31",
  "+275760-09-13T00:00:00.000Z",
  "2100-01-01T00:00:00Z",
  "2024-02-30",
  "yesterday",
  new Date(8.64e15).toISOString(),
);
const wrongType = fc.constantFrom<unknown>(
  null,
  undefined,
  true,
  [],
  ["a", "b"],
  {},
  { $gt: "" },
  JSON.parse('{"__proto__":{"polluted":true}}'),
);
const nasty = fc.oneof(
  nastyText,
  nastyNumber,
  nastyDate,
  wrongType,
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.integer(),
  fc.double(),
);

/** A record over `base`'s keys: each field valid or nasty, sometimes extra junk keys. */
function inputs(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      Object.fromEntries(
        Object.entries(base).map(([k, v]) => [
          k,
          fc.oneof({ weight: 3, arbitrary: fc.constant(v) }, { weight: 2, arbitrary: nasty }),
        ]),
      ),
    )
    .chain((rec) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(rec) },
        {
          weight: 1,
          arbitrary: fc.constant<Record<string, unknown>>({
            ...rec,
            constructor: "x",
            toString: 1,
          }),
        },
      ),
    );
}

const typedReasons = ["invalid", "forbidden", "not-found", "conflict", "unauthenticated"];

function keysOf(schema: { shape: Record<string, unknown> }): string[] {
  return Object.keys(schema.shape);
}

describe.each(scratchEngines)("fuzzed input on $name", (engine) => {
  let handle: DatabaseHandle;
  // A database of its own: the fingerprint hashes every table, so other files' rows would cost here.
  let drop: (() => Promise<void>) | undefined;
  let org: TestOrg;
  let complaintId: string;
  let base: Record<string, unknown>;
  let token: string;
  let cases = 0;

  const auditCount = async () => {
    const [row] = await handle.db
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.orgId, org.orgId));
    return row!.n;
  };
  const version = async () => {
    const [row] = await handle.db
      .select({ v: complaints.version })
      .from(complaints)
      .where(and(eq(complaints.orgId, org.orgId), eq(complaints.id, complaintId)));
    return row!.v;
  };

  beforeAll(async () => {
    ({ handle, drop } = await engine.open());
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Fuzz");
    const complaint = await createComplaint(handle.db, org);
    complaintId = complaint.id;
    const [step] = await handle.db
      .select({ id: playbookSteps.id })
      .from(playbookSteps)
      .where(eq(playbookSteps.orgId, org.orgId))
      .limit(1);
    const rootCauseId = await insertRootCause(handle.db, org.orgId);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    base = {
      complaintId,
      stepId: step!.id,
      note: "Called back",
      kind: "refund",
      description: "Partial refund",
      cost: "25.00",
      currency: "USD",
      promisedBy: tomorrow,
      preset: "week",
      channel: "email",
      finalSentiment: "4",
      finalNps: "9",
      signals: [],
      to: "in_progress",
      ownerId: org.users.agent.userId,
      teamId: org.teamId,
      message: "We are on it",
      rootCauseId,
      fiveWhys: "Dispatch overbooked",
    };
    token = await issueToken(handle.db, org, "write");
    if (!process.env.FUZZ_DEBUG) vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterAll(async () => {
    console.info(`[fuzz-inputs] ${engine.name}: ${cases} fuzz cases run`);
    vi.restoreAllMocks();
    await drop?.();
  });

  /**
   * The property every command keeps: a typed answer; a refusal writes nothing. Returns how
   * many cases succeeded, so a property whose every case was refused can check every table.
   */
  async function fuzzCommand(
    name: string,
    command: (raw: unknown) => Promise<ActionResult<unknown>>,
    keys: string[],
    extra: Record<string, unknown> = {},
  ) {
    actAs(org.users.admin);
    const fieldBase = { ...Object.fromEntries(keys.map((k) => [k, base[k] ?? "x"])), ...extra };
    const before = await dbFingerprint(handle.db);
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(inputs(fieldBase), async (input) => {
        cases++;
        actAs(org.users.admin);
        if ("version" in fieldBase && input.version === fieldBase.version) {
          input.version = await version();
        }
        const audits = await auditCount();
        let result: ActionResult<unknown>;
        try {
          result = await command(input);
        } catch (error) {
          throw new Error(`${name} threw: ${String(error)}`, { cause: error });
        }
        if (result.ok) {
          successes++;
          return;
        }
        expect(typedReasons, `${name} refused: ${JSON.stringify(result)}`).toContain(result.reason);
        expect(await auditCount(), `${name} wrote while refusing`).toBe(audits);
      }),
      { numRuns: RUNS, seed: 12_2026, endOnFailure: true },
    );
    if (successes === 0) expect(changedTables(before, await dbFingerprint(handle.db))).toEqual([]);
  }

  const complaintCommands: [string, (raw: unknown) => Promise<ActionResult<unknown>>, string[]][] =
    [
      ["recordStep", recordStep, keysOf(recordStepSchema)],
      ["offerRemedy", offerRemedy, keysOf(offerRemedySchema)],
      ["setPromise", setPromise, keysOf(setPromiseSchema)],
      ["scheduleFollowUp", scheduleFollowUp, keysOf(scheduleFollowUpSchema)],
      ["recordOutcome", recordOutcome, keysOf(recordOutcomeSchema)],
      ["changeStatus", changeStatus, keysOf(changeStatusSchema)],
      ["assignComplaint", assignComplaint, keysOf(assignSchema)],
      ["logCustomerUpdate", logCustomerUpdate, keysOf(customerUpdateSchema)],
      ["setRootCause", setRootCause, keysOf(setRootCauseSchema)],
    ];

  it.each(complaintCommands)("%s: a typed answer for any field", async (name, command, keys) => {
    await fuzzCommand(name, command, keys, { version: 0 });
  });

  it("intake: a typed answer for any field", async () => {
    const keys = keysOf(intakeSchema);
    await fuzzCommand(
      "recordComplaint",
      (raw) =>
        recordComplaint({ ...(raw as object), idempotencyKey: crypto.randomUUID() }) as Promise<
          ActionResult<unknown>
        >,
      keys.filter((k) => k !== "idempotencyKey"),
      {
        customerName: "Ada Lovelace",
        channel: "phone",
        severity: "minor",
        summary: "Late delivery",
        story: "It came a week late.",
        intakeSentiment: "2",
        receivedAt: new Date(Date.now() - 60_000).toISOString(),
      },
    );
  });

  it("settings and quality commands: a typed answer for any field", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await fuzzCommand("createUser", createUser, [], {
      name: "Nadia",
      email: "nadia@example.test",
      role: "agent",
      teamId: org.teamId,
      password: "a long enough password",
    });
    await fuzzCommand("setApprovalLimit", setApprovalLimit, [], { approvalLimit: "250.00" });
    await fuzzCommand("createApiToken", createApiToken, [], { name: "CRM", scope: "read" });
    await fuzzCommand("createRootCause", createRootCause, [], {
      categoryId: "00000000-0000-4000-8000-000000000000",
      name: "Billing error",
      description: "",
      recurrenceWindowWeeks: "13",
    });
    await fuzzCommand("createCorrectiveAction", createCorrectiveAction, [], {
      rootCauseId: base.rootCauseId,
      title: "Rebook dispatch",
      description: "",
      ownerId: org.users.quality.userId,
      status: "open",
      dueAt: tomorrow,
    });
  });

  it("the API: any body, id or query gets a 2xx or 4xx JSON answer", async () => {
    const routes = [
      async (v: Record<string, unknown>) =>
        call(listRoute.POST, "POST", "/complaints", { token, body: v }),
      async (v: Record<string, unknown>) =>
        call(remedyRoute.POST, "POST", `/complaints/${complaintId}/remedies`, {
          token,
          body: v,
          params: { id: complaintId },
        }),
      async (v: Record<string, unknown>) =>
        call(detailRoute.GET, "GET", `/complaints/${String(v.id)}`, {
          token,
          params: { id: String(v.id) },
        }),
      async (v: Record<string, unknown>) =>
        call(listRoute.GET, "GET", "/complaints", {
          token,
          query: {
            ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])),
            constructor: "x",
            __proto__: "y",
          },
        }),
      async (v: Record<string, unknown>) =>
        call(metricRoute.GET, "GET", `/metrics/${String(v.name)}`, {
          token,
          params: { name: String(v.name) },
          query: { from: String(v.from), to: String(v.to), team: String(v.team) },
        }),
    ];
    const bodyBase = {
      customer: { name: "Ada" },
      channel: "web",
      severity: "minor",
      summary: "Broken",
      story: "It broke.",
      intakeSentiment: 2,
      kind: "refund",
      cost: 12.5,
      currency: "USD",
      id: complaintId,
      status: "open",
      limit: 10,
      cursor: "abc",
      name: "sla-met",
      from: "2025-01-01",
      to: "2025-03-31",
      team: org.teamId,
    };
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(inputs(bodyBase), async (input) => {
          cases++;
          const reply = await route(input);
          expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBeLessThan(500);
          if (reply.status >= 400) expect(reply.body?.error).toBeTruthy();
        }),
        { numRuns: RUNS, seed: 12_2026, endOnFailure: true },
      );
    }
  });

  it("the CSV and import routes: junk kinds, queries and run ids get a 4xx, never a 5xx", async () => {
    const before = await dbFingerprint(handle.db, { except: ["audit_events"] });
    const junk = fc.oneof(nastyText, fc.string({ unit: "binary", maxLength: 40 }), nastyDate);
    await fc.assert(
      fc.asyncProperty(
        junk,
        junk,
        fc.constantFrom(null, ...Object.values(org.users)),
        async (a, b, who) => {
          cases++;
          actAs(who);
          const q = new URLSearchParams({ from: a, to: b, status: a, q: b, team: a, sort: b });
          for (const key of ["constructor", "__proto__", "toString", a]) q.append(key, b);
          const url = `http://localhost/exports/x?${q}`;
          const responses = [
            await exportRoute.GET(new Request(url), { params: Promise.resolve({ kind: a }) }),
            await complaintsExportRoute.GET(new Request(url)),
            await progressRoute.GET(new Request(url), { params: Promise.resolve({ runId: a }) }),
            await reportRoute.GET(new Request(url), { params: Promise.resolve({ runId: b }) }),
            await uploadRoute.POST(
              new Request(url, {
                method: "POST",
                body: a,
                headers: { "content-type": b.replace(/[^\x20-\x7e]/g, "") || "x" },
              }),
              { params: Promise.resolve({ runId: a }) },
            ),
          ];
          for (const response of responses) {
            // A refused export still streams nothing; an allowed one with a bad range is a 400.
            expect(response.status).toBeLessThan(500);
            await response.body?.cancel();
          }
        },
      ),
      { numRuns: RUNS, seed: 12_2026, endOnFailure: true },
    );
    // An allowed export records its download in the audit trail; nothing else is written.
    expect(
      changedTables(before, await dbFingerprint(handle.db, { except: ["audit_events"] })),
    ).toEqual([]);
  });
});
