/**
 * Sanity bounds (issue #11, lib/bounds.ts), through all three ways in: the forms' commands, the
 * API and the importer. Past events lie between 1970 and now, promises and follow-ups at most
 * five years ahead, currencies are ISO 4217 codes, a remedy costs at most 1,000,000. Each
 * out-of-bounds value is refused with its field named and a message saying the bound, and
 * nothing in the organisation changes.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as activityRoute from "@/app/api/v1/customer-activities/route";
import * as followUpRoute from "@/app/api/v1/complaints/[id]/follow-ups/route";
import * as remedyRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import * as listRoute from "@/app/api/v1/complaints/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { offerRemedy, scheduleFollowUp, setPromise } from "@/lib/complaints/commands";
import { recordComplaint } from "@/lib/complaints/intake";
import { importFile } from "@/lib/import/file";
import { rejectionsCsv } from "@/lib/import/runs";
import { apiSnapshot, call, issueToken } from "../helpers/api-client";
import { createComplaint } from "../helpers/complaint-fixtures";
import { csvFiles } from "../helpers/csv-files";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const file = csvFiles("bounds");

const SIX_YEARS_AHEAD = new Date(Date.now() + 6 * 365 * 86_400_000).toISOString();
const BEFORE_1970 = "1969-12-31T23:00:00Z";

/** [field, value, words the message must hold] */
const intakeCases: [string, string, RegExp][] = [
  ["receivedAt", BEFORE_1970, /1970/],
  ["receivedAt", "0001-01-01T00:00:00Z", /1970/],
  ["receivedAt", "2999-01-01T00:00:00Z", /future/],
  ["promisedBy", "9999-12-31T00:00:00Z", /5 years/],
  ["promisedBy", SIX_YEARS_AHEAD, /5 years/],
];
const remedyCases: [string, string, RegExp][] = [
  ["cost", "999999999999", /at most 1,000,000/],
  ["cost", "1000000.01", /at most 1,000,000/],
  ["currency", "XYZ", /ISO 4217/],
  ["currency", "usdollar", /ISO 4217/],
];

describe.each(engines)("sanity bounds on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let write: string;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Bounds");
    write = await issueToken(handle.db, org, "write");
  });
  afterAll(async () => {
    await handle.close();
  });

  /** Nothing in the organisation changes — but an import run's own audit events (started, ended). */
  const unchanged = async (work: () => Promise<void>, { importRun = false } = {}) => {
    const snap = async () => {
      const s = await apiSnapshot(handle.db, org.orgId);
      return importRun ? { ...s, counts: { ...s.counts, audit_events: 0 } } : s;
    };
    const before = await snap();
    await work();
    expect(await snap()).toEqual(before);
  };
  /** The reasons the run's rejection report gives. */
  const reasons = async (runId: string) =>
    (
      parse(await new Response((await rejectionsCsv(runId))!).text(), {
        columns: true,
      }) as { reason: string }[]
    ).map((r) => r.reason);
  const intake = (patch: Record<string, string>) => ({
    idempotencyKey: crypto.randomUUID(),
    customerName: "Ines Duarte",
    channel: "email",
    severity: "major",
    summary: "Refund never arrived",
    story: "I returned the blender in May and I am still waiting for the refund.",
    intakeSentiment: "2",
    ...patch,
  });

  describe("the forms", () => {
    it.each(intakeCases)("intake refuses %s = %s", async (field, value, words) => {
      actAs(org.users.agent);
      await unchanged(async () => {
        const result = await recordComplaint(intake({ [field]: value }));
        expect(!result.ok && result.fieldErrors?.[field]?.[0]).toMatch(words);
      });
    });

    it.each(remedyCases)("a remedy refuses %s = %s", async (field, value, words) => {
      const c = await createComplaint(handle.db, org);
      actAs(org.users.agent);
      await unchanged(async () => {
        const result = await offerRemedy({
          complaintId: c.id,
          version: c.version,
          kind: "refund",
          cost: "25.00",
          currency: "USD",
          [field]: value,
        });
        expect(!result.ok && result.fieldErrors?.[field]?.[0]).toMatch(words);
      });
    });

    it("a promise or a follow-up more than five years ahead is refused", async () => {
      const c = await createComplaint(handle.db, org);
      actAs(org.users.agent);
      await unchanged(async () => {
        const promise = await setPromise({
          complaintId: c.id,
          version: c.version,
          promisedBy: "9999-12-31T00:00:00Z",
        });
        expect(!promise.ok && promise.fieldErrors?.promisedBy?.[0]).toMatch(/5 years/);
        const followUp = await scheduleFollowUp({
          complaintId: c.id,
          version: c.version,
          dueAt: SIX_YEARS_AHEAD,
        });
        expect(!followUp.ok && followUp.fieldErrors?.dueAt?.[0]).toMatch(/5 years/);
      });
    });

    it("takes a currency in lower case and the bounds themselves", async () => {
      const c = await createComplaint(handle.db, org);
      actAs(org.users.agent);
      const result = await offerRemedy({
        complaintId: c.id,
        version: c.version,
        kind: "refund",
        cost: "1000000",
        currency: "eur",
      });
      expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
      const early = await recordComplaint(intake({ receivedAt: "1970-01-01T00:00:00Z" }));
      expect(early, JSON.stringify(early)).toMatchObject({ ok: true });
    });
  });

  describe("the API", () => {
    it.each(intakeCases)(
      "POST /complaints answers 400 for %s = %s",
      async (field, value, words) => {
        await unchanged(async () => {
          const { idempotencyKey: _, intakeSentiment: __, ...body } = intake({ [field]: value });
          const reply = await call(listRoute.POST, "POST", "/complaints", {
            token: write,
            body: { ...body, intakeSentiment: 2 },
          });
          expect(reply.status).toBe(400);
          expect(reply.body.error.fields[field]?.[0]).toMatch(words);
        });
      },
    );

    it.each(remedyCases)("POST /remedies answers 400 for %s = %s", async (field, value, words) => {
      const c = await createComplaint(handle.db, org);
      await unchanged(async () => {
        const reply = await call(remedyRoute.POST, "POST", `/complaints/${c.id}/remedies`, {
          token: write,
          params: { id: c.id },
          body: { version: c.version, kind: "refund", cost: 25, currency: "USD", [field]: value },
        });
        expect(reply.status).toBe(400);
        expect(reply.body.error.fields[field]?.[0]).toMatch(words);
      });
    });

    it("POST /follow-ups answers 400 for a due date six years ahead", async () => {
      const c = await createComplaint(handle.db, org);
      await unchanged(async () => {
        const reply = await call(followUpRoute.POST, "POST", `/complaints/${c.id}/follow-ups`, {
          token: write,
          params: { id: c.id },
          body: { version: c.version, dueAt: SIX_YEARS_AHEAD },
        });
        expect(reply.status).toBe(400);
        expect(reply.body.error.fields.dueAt?.[0]).toMatch(/5 years/);
      });
    });

    it.each([
      ["occurredAt", "1900-01-01T00:00:00Z", /1970/],
      ["occurredAt", "2999-01-01T00:00:00Z", /future/],
      ["currency", "XYZ", /ISO 4217/],
    ])("POST /customer-activities answers 400 for %s = %s", async (field, value, words) => {
      await unchanged(async () => {
        const reply = await call(activityRoute.POST, "POST", "/customer-activities", {
          token: write,
          body: {
            customerRef: "CUST-9",
            customerName: "Oskar Lind",
            kind: "purchase",
            occurredAt: "2026-03-01T10:00:00Z",
            amount: "40.00",
            currency: "USD",
            [field]: value,
          },
        });
        expect(reply.status).toBe(400);
        expect(reply.body.error.fields[field]?.[0]).toMatch(words);
      });
    });
  });

  describe("the importer", () => {
    it("rejects a complaint received before 1970 with its reason, and imports nothing", async () => {
      actAs(org.users.manager);
      await unchanged(
        async () => {
          const result = await importFile({
            file: file("old.csv", [
              "Ticket ID,Created,Channel,Subject,Description,Customer email",
              "B-1,1969-12-31,Email,Late,It came late.,b1@example.test",
            ]),
            mode: "skip",
          });
          if (!result.ok) throw new Error(JSON.stringify(result));
          expect(result.data).toMatchObject({ rowsCreated: 0, rowsRejected: 1 });
          expect(await reasons(result.data.runId)).toEqual([
            expect.stringMatching(/on or after 1970-01-01/),
          ]);
        },
        { importRun: true },
      );
    });

    it.each([
      ["a date before 1970", "1960-05-01,40.00,USD", /on or after 1970-01-01/],
      ["a made-up currency", "2024-05-01,40.00,XYZ", /ISO 4217/],
    ])("rejects an activity with %s, and imports nothing", async (_, cells, words) => {
      actAs(org.users.manager);
      await unchanged(
        async () => {
          const result = await importFile({
            file: file("acts.csv", [
              "Order ID,Customer ID,Email,Name,Type,Date,Amount,Currency,Rating",
              `O-9,C-9,oskar@example.test,Oskar,purchase,${cells},`,
            ]),
            kind: "activities",
            mode: "skip",
          });
          if (!result.ok) throw new Error(JSON.stringify(result));
          expect(result.data).toMatchObject({ rowsCreated: 0, rowsRejected: 1 });
          expect(await reasons(result.data.runId)).toEqual([expect.stringMatching(words)]);
        },
        { importRun: true },
      );
    });
  });
});
