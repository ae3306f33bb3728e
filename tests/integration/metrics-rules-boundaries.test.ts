/**
 * Metric rules at their edges (issue #12 point 10), each with data that tells the right rule from
 * the plausible wrong one, and expected numbers worked out by hand in the comments — not by code
 * that could share the rule under test. Each figure is read three ways: the dashboard's function
 * (rollups), the reference function on raw rows, and GET /api/v1/metrics; and the drill-down list
 * holds exactly the complaints the figure counts.
 *
 * PRODUCT.md: SLA met = resolved at ≤ SLA due at, over resolved complaints that have an SLA due;
 * promise kept = resolved at ≤ promised-by, among complaints with a promise; closed-loop = first
 * contact within 48 hours; repeat complaint = same customer, same root cause, within 90 days of
 * the last one being RESOLVED; advocate = outcome NPS 9–10 or an advocacy signal AFTER the
 * complaint.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { advocacySignals, complaints } from "@/db/schema";
import { changeStatus } from "@/lib/complaints/commands";
import { filtersFrom, listComplaints } from "@/lib/complaints/list";
import { parseDashboardFilters } from "@/lib/metrics/filters";
import * as perf from "@/lib/metrics/performance";
import * as perfRef from "@/lib/metrics/reference/performance";
import * as retRef from "@/lib/metrics/reference/retention";
import * as rcRef from "@/lib/metrics/reference/root-causes";
import * as ret from "@/lib/metrics/retention";
import * as rc from "@/lib/metrics/root-causes";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { call, issueToken } from "../helpers/api-client";
import {
  insertComplaint,
  insertCustomer,
  insertOutcome,
  insertRootCause,
} from "../helpers/complaints";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const FEB = { range: "custom", from: "2025-02-01", to: "2025-02-28" };
const F = parseDashboardFilters(FEB, new Date("2025-06-01T00:00:00Z"));
/** The new complaints of the repeat cases arrive around this instant (all in February). */
const NEW = Date.parse("2025-02-10T12:00:00Z");
/** The earlier complaints of the window cases were resolved 90 days before NEW. */
const T0 = NEW - 90 * DAY;

describe.each(engines)("metric rules at their edges on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let token: string;
  const ids: Record<string, string> = {};

  async function add(key: string, values: Parameters<typeof insertComplaint>[2]) {
    const row = await insertComplaint(handle.db, org.orgId, { summary: key, ...values });
    ids[key] = row.id;
    return row;
  }

  /** Summaries of the complaints a drill-down link lists. */
  async function listed(href: string): Promise<string[]> {
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    const page = await listComplaints(filtersFrom({ ...params, limit: "100" }));
    expect(page.nextCursor).toBeNull();
    return page.rows.map((r) => r.summary).sort();
  }

  async function api(name: string) {
    const reply = await call(metricRoute.GET, "GET", `/metrics/${name}`, {
      token,
      params: { name },
      query: { range: FEB.range, from: FEB.from, to: FEB.to },
    });
    expect(reply.status).toBe(200);
    return reply.body.data;
  }

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Edges");
    token = await issueToken(handle.db, org, "read");
    const db = handle.db;
    const customer = await insertCustomer(db, org.orgId, { name: "Sam" });
    const calm = { customerId: customer, intakeSentiment: 4 };

    // ---- SLA met and promise kept (resolved in February). Due 2025-02-05 15:00 UTC.
    const due = Date.parse("2025-02-05T15:00:00Z");
    const resolved = (at: number) => ({
      status: "resolved" as const,
      receivedAt: new Date(at - 3 * DAY),
      firstResponseAt: new Date(at - 3 * DAY + HOUR),
      resolvedAt: new Date(at),
    });
    // Resolved exactly at its due time (met with ≤, missed with <) and exactly at its promise.
    await add("sla-at-due", {
      ...calm,
      ...resolved(due),
      slaDueAt: new Date(due),
      promisedBy: new Date(due),
    });
    // One minute late, same day: missed (a day-level comparison would call it met).
    await add("sla-minute-late", {
      ...calm,
      ...resolved(due + MINUTE),
      slaDueAt: new Date(due),
      promisedBy: new Date(due),
    });
    // A day early: met.
    await add("sla-early", { ...calm, ...resolved(due - DAY), slaDueAt: new Date(due) });
    // Resolved without an SLA due (none set for it): in neither the numerator nor the denominator.
    await add("sla-none-1", { ...calm, ...resolved(due + 2 * DAY), slaDueAt: null });
    await add("sla-none-2", { ...calm, ...resolved(due - 2 * DAY), slaDueAt: null });
    // Due in February but still open: not resolved, so not in the SLA-met figure at all.
    await add("sla-open", {
      ...calm,
      status: "in_progress",
      receivedAt: new Date(due - 3 * DAY),
      slaDueAt: new Date(due),
    });

    // ---- Closed loop (angry complaints received in February, 48 h window).
    const angryAt = Date.parse("2025-02-03T10:00:00Z");
    const angryOpen = { customerId: customer, intakeSentiment: 1, status: "in_progress" as const };
    await add("loop-48h", {
      ...angryOpen,
      receivedAt: new Date(angryAt),
      firstResponseAt: new Date(angryAt + 48 * HOUR),
    });
    await add("loop-48h-1min", {
      ...angryOpen,
      receivedAt: new Date(angryAt + HOUR),
      firstResponseAt: new Date(angryAt + HOUR + 48 * HOUR + MINUTE),
    });

    // ---- Repeat complaints: cause R; one customer per case, the new complaint received in February.
    const R = await insertRootCause(db, org.orgId, "Cause R");
    const R2 = await insertRootCause(db, org.orgId, "Cause R2");
    const pair = async (
      key: string,
      prev: { received: number; resolved: number | null; cause: string },
      newAt: number,
      cause: string | null = R,
    ) => {
      const who = await insertCustomer(db, org.orgId, { name: key });
      await add(`${key}-prev`, {
        customerId: who,
        intakeSentiment: 4,
        rootCauseId: prev.cause,
        receivedAt: new Date(prev.received),
        resolvedAt: prev.resolved === null ? null : new Date(prev.resolved),
        status: prev.resolved === null ? "in_progress" : "resolved",
      });
      await add(`${key}-new`, {
        customerId: who,
        intakeSentiment: 4,
        rootCauseId: cause,
        receivedAt: new Date(newAt),
        status: "in_progress",
      });
    };
    const prevAt = { received: T0 - 5 * DAY, resolved: T0, cause: R };
    await pair("rep-89d", prevAt, T0 + 89 * DAY); // 2025-02-09 12:00: repeat
    await pair("rep-90d", prevAt, T0 + 90 * DAY); // 2025-02-10 12:00, exactly 90 days: repeat
    await pair("rep-90d-1h", prevAt, T0 + 90 * DAY + HOUR); // just past 90 days: not
    await pair("rep-91d", prevAt, T0 + 91 * DAY); // 2025-02-11 12:00: not
    // Received 100 days before, resolved 30 days before: a repeat (the window runs from resolution).
    await pair(
      "rep-late-fix",
      { received: NEW - 100 * DAY, resolved: NEW - 30 * DAY, cause: R },
      NEW,
    );
    // Received 10 days before and never resolved: not a repeat (merely received).
    await pair("rep-unresolved", { received: NEW - 10 * DAY, resolved: null, cause: R }, NEW);
    // Resolved two days after the new one arrived: not a repeat of a resolved complaint.
    await pair(
      "rep-resolved-after",
      { received: NEW - 5 * DAY, resolved: NEW + 2 * DAY, cause: R },
      NEW,
    );
    // Same customer, another cause; and a new complaint without a cause.
    await pair(
      "rep-other-cause",
      { received: NEW - 20 * DAY, resolved: NEW - 10 * DAY, cause: R2 },
      NEW,
    );
    await pair(
      "rep-no-cause",
      { received: NEW - 20 * DAY, resolved: NEW - 10 * DAY, cause: R },
      NEW,
      null,
    );

    // ---- Advocacy (angry complaints received in January, closed in February).
    const closedAngry = (day: number) => ({
      customerId: customer,
      intakeSentiment: 2,
      status: "closed" as const,
      receivedAt: new Date(Date.parse("2025-01-20T09:00:00Z") + day * DAY),
      firstResponseAt: new Date(Date.parse("2025-01-20T10:00:00Z") + day * DAY),
      resolvedAt: new Date(Date.parse("2025-02-02T09:00:00Z") + day * DAY),
      closedAt: new Date(Date.parse("2025-02-03T09:00:00Z") + day * DAY),
    });
    const signal = async (key: string, kind: "referral" | "positive_review", at: number) => {
      await db.insert(advocacySignals).values({
        orgId: org.orgId,
        complaintId: ids[key]!,
        kind,
        occurredAt: new Date(at),
      });
    };
    const before = await add("adv-signal-before", closedAngry(0));
    await signal("adv-signal-before", "referral", before.receivedAt.getTime() - 1000);
    const after = await add("adv-signal-after", closedAngry(1));
    await signal("adv-signal-after", "positive_review", after.receivedAt.getTime() + 2 * DAY);
    await add("adv-nps-8", closedAngry(2));
    await insertOutcome(db, org.orgId, ids["adv-nps-8"]!, { finalNps: 8 });
    // Signals written straight to the table (as an archive import does): facts from the raw rows.
    await rebuildRollups(db, org.orgId);
    actAs(org.users.admin);
  });
  afterAll(async () => {
    await handle.close();
  });

  it("SLA met: resolved exactly at the due time is met, a minute late is not, and complaints without an SLA due are in neither count", async () => {
    // Met: sla-at-due, sla-early = 2. With an SLA due: those + sla-minute-late = 3. (Wrong rules:
    // `<` gives 1/3; counting resolved complaints without a due gives 2/5; calling them met 4/5;
    // comparing days gives 3/3.)
    const want = { numerator: 2, denominator: 3, rate: 2 / 3 };
    for (const figure of [await perf.slaMet(F), await perfRef.slaMet(F), await api("sla-met")]) {
      expect(figure.current).toEqual(want);
      expect(await listed(figure.href)).toEqual(["sla-at-due", "sla-early"]);
      expect(await listed(figure.denominatorHref)).toEqual([
        "sla-at-due",
        "sla-early",
        "sla-minute-late",
      ]);
    }
  });

  it("promise kept: resolved exactly at the promised time is kept, a minute after is broken", async () => {
    const want = { numerator: 1, denominator: 2, rate: 0.5 };
    for (const figure of [
      await perf.promiseKept(F),
      await perfRef.promiseKept(F),
      await api("promise-kept"),
    ]) {
      expect(figure.current).toEqual(want);
      expect(await listed(figure.href)).toEqual(["sla-at-due"]);
    }
  });

  it("per agent: the unassigned row's SLA counts leave out complaints without an SLA due", async () => {
    for (const rows of [await perf.agentTable(F), await perfRef.agentTable(F)]) {
      const row = rows.find((r) => r.ownerId === "none")!;
      // Resolved in February: five SLA cases (sla-open is not resolved), the three advocacy cases
      // and rep-resolved-after-prev — 9, of which only the three with an SLA due are counted.
      expect(row.resolved).toBe(9);
      expect([row.slaMet, row.slaCounted]).toEqual([2, 3]);
    }
  });

  it("closed loop: a first contact exactly 48 hours after receipt is within the window, a minute later is not", async () => {
    for (const figure of [
      await perf.closedLoop(F),
      await perfRef.closedLoop(F),
      await api("closed-loop"),
    ]) {
      expect(figure.windowHours).toBe(48);
      expect(figure.current).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
      expect(await listed(figure.href)).toEqual(["loop-48h"]);
    }
  });

  it("repeat complaints: within 90 days of the earlier one's RESOLUTION — 89 and exactly 90 days count, 90 days and an hour or 91 do not; an unresolved or later-resolved earlier complaint makes no repeat", async () => {
    // rep-89d, rep-90d, rep-late-fix. (A window of 89 days misses rep-90d, one of 91 adds
    // rep-90d-1h and rep-91d; counting from receipt drops rep-late-fix and adds rep-unresolved
    // and rep-resolved-after.)
    const want = ["rep-89d-new", "rep-90d-new", "rep-late-fix-new"];
    for (const figure of [
      await rc.repeatComplaints(F),
      await rcRef.repeatComplaints(F),
      await api("repeat-complaints"),
    ]) {
      expect(figure.count).toBe(3);
      expect(figure.byCause).toEqual([expect.objectContaining({ label: "Cause R", count: 3 })]);
      expect(await listed(figure.href)).toEqual(want);
    }
  });

  it("repeat complaints: resolving the earlier complaint (backdated, through the command) makes the later one a repeat on the next read", async () => {
    const [prev] = await handle.db
      .select({ version: complaints.version })
      .from(complaints)
      .where(eq(complaints.id, ids["rep-unresolved-prev"]!));
    const result = await changeStatus({
      complaintId: ids["rep-unresolved-prev"],
      version: prev!.version,
      to: "resolved",
      noRemedyReason: "Explained the bill; nothing to refund.",
      at: iso(NEW - DAY),
    });
    expect(result).toMatchObject({ ok: true });
    for (const figure of [await rc.repeatComplaints(F), await rcRef.repeatComplaints(F)]) {
      expect(figure.count).toBe(4);
      expect(await listed(figure.href)).toContain("rep-unresolved-new");
    }
  });

  it("conversion: an advocacy signal dated before its complaint makes no advocate", async () => {
    // Angry complaints closed in February: adv-signal-before, adv-signal-after, adv-nps-8 = 3;
    // advocates: adv-signal-after only (counting any signal would give 2 of 3).
    for (const figure of [
      await ret.getConversion(F),
      await retRef.getConversion(F),
      await api("conversion"),
    ]) {
      expect({ n: figure.n, k: figure.k, rate: figure.rate }).toEqual({ n: 3, k: 1, rate: 1 / 3 });
      expect(await listed(figure.kHref)).toEqual(["adv-signal-after"]);
    }
  });
});
