import { parse } from "csv-parse/sync";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import {
  auditEvents,
  complaints,
  followUps,
  slaPolicies,
  type Channel,
  type ComplaintStatus,
  type Severity,
} from "@/db/schema";
import {
  complaintSorts,
  countComplaints,
  exportColumns,
  filtersFrom,
  filtersToSearchParams,
  listComplaints,
  parseComplaintFilters,
  qualified,
  streamComplaintsCsv,
  type ComplaintSort,
  type SearchParamsInput,
} from "@/lib/complaints/list";
import { getMyQueue, QUEUE_SECTION_LIMIT, startOfTomorrow } from "@/lib/complaints/queue";
import { refreshComplaintFacts } from "@/lib/rollups/maintain";
import {
  insertComplaint,
  insertCustomer,
  insertFollowUp,
  insertOutcome,
  insertProduct,
  insertRemedy,
  insertRootCause,
  insertTeam,
} from "../helpers/complaints";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

// As next.config.ts's experimental.authInterrupts does: forbidden() throws its 403 interrupt.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
const past = (days: number) => new Date(NOW - days * DAY);
const future = (days: number) => new Date(NOW + days * DAY);
const at = (iso: string) => new Date(iso);

/** Everything a test needs to know about an inserted complaint, to compute expectations. */
interface Spec {
  key: string;
  receivedAt: Date;
  status: ComplaintStatus;
  team: "a" | "b" | null;
  owner: "agent" | "manager" | null;
  channel: Channel;
  severity: Severity;
  product: "parent" | "child" | "other" | null;
  rootCause: "r1" | "r2" | null;
  sentiment: number | null;
  nps: number | null;
  slaDueAt: Date | null;
  resolvedAt: Date | null;
  promisedBy?: Date | null;
  followUps?: { dueAt: Date | "later-today" | "tomorrow"; doneAt: Date | null }[];
  summary: string;
  story: string;
  paraphrase?: string;
  customer?: string;
}

const specs: Spec[] = [
  {
    key: "c01",
    receivedAt: at("2025-01-10T09:00:00Z"),
    status: "new",
    team: "a",
    owner: "agent",
    channel: "phone",
    severity: "critical",
    product: "parent",
    rootCause: "r1",
    sentiment: 1,
    nps: null,
    slaDueAt: at("2025-01-12T09:00:00Z"),
    resolvedAt: null,
    followUps: [{ dueAt: past(2), doneAt: null }],
    summary: "Router keeps dropping the connection",
    story: "Every evening the box resets.",
    customer: "Dana Whitfield",
  },
  {
    key: "c02",
    receivedAt: at("2025-01-10T09:00:00Z"),
    status: "in_progress",
    team: "a",
    owner: "manager",
    channel: "email",
    severity: "major",
    product: "child",
    rootCause: "r2",
    sentiment: 3,
    nps: 5,
    slaDueAt: future(30),
    resolvedAt: null,
    followUps: [{ dueAt: past(3), doneAt: past(2) }],
    summary: "Billing charged twice",
    story: "I was charged 1005 dollars instead of 100.",
  },
  {
    key: "c03",
    receivedAt: at("2025-01-10T09:00:00Z"),
    status: "resolved",
    team: "b",
    owner: "agent",
    channel: "chat",
    severity: "moderate",
    product: "other",
    rootCause: null,
    sentiment: 4,
    nps: 7,
    slaDueAt: at("2025-01-12T00:00:00Z"),
    resolvedAt: at("2025-01-13T00:00:00Z"),
    summary: "Technician was rude",
    story: 'He said "not my problem".',
  },
  {
    key: "c04",
    receivedAt: at("2025-02-01T00:00:00Z"),
    status: "closed",
    team: "a",
    owner: null,
    channel: "web",
    severity: "minor",
    product: null,
    rootCause: "r1",
    sentiment: 2,
    nps: null,
    slaDueAt: at("2025-02-05T00:00:00Z"),
    resolvedAt: at("2025-02-03T00:00:00Z"),
    followUps: [{ dueAt: future(5), doneAt: null }],
    summary: "App crashed at checkout",
    story: 'It crashed.\nTwice, in fact, "again".',
  },
  {
    key: "c05",
    receivedAt: at("2025-02-28T23:59:59.999Z"),
    status: "new",
    team: null,
    owner: "agent",
    channel: "social",
    severity: "critical",
    product: "parent",
    rootCause: null,
    sentiment: null,
    nps: 9,
    slaDueAt: null,
    resolvedAt: null,
    summary: "Refund promised but not paid",
    story: "They said 100% refund, then nothing.",
  },
  {
    key: "c06",
    receivedAt: at("2025-03-01T00:00:00Z"),
    status: "in_progress",
    team: "b",
    owner: "manager",
    channel: "letter",
    severity: "major",
    product: null,
    rootCause: "r2",
    sentiment: 5,
    nps: 10,
    slaDueAt: past(10),
    resolvedAt: null,
    followUps: [
      { dueAt: past(1), doneAt: null },
      { dueAt: past(5), doneAt: past(4) },
    ],
    summary: "Late delivery",
    story: "Box arrived a week late; ROUTER missing.",
  },
  {
    key: "c07",
    receivedAt: at("2025-03-15T12:00:00Z"),
    status: "closed",
    team: "a",
    owner: "agent",
    channel: "in_person",
    severity: "moderate",
    product: "child",
    rootCause: "r1",
    sentiment: 1,
    nps: 0,
    slaDueAt: at("2025-03-16T12:00:00Z"),
    resolvedAt: at("2025-03-16T00:00:00Z"),
    summary: "=cmd|' /C calc'!A0",
    story: "+1",
    paraphrase: "-1",
    customer: "@x",
  },
  {
    key: "c08",
    receivedAt: at("2025-03-15T12:00:00Z"),
    status: "new",
    team: "a",
    owner: "agent",
    channel: "phone",
    severity: "minor",
    product: "other",
    rootCause: null,
    sentiment: 3,
    nps: null,
    slaDueAt: null,
    resolvedAt: null,
    summary: "Noise on the line",
    story: 'Line one\nLine two, with a comma\r\nand "quotes"',
  },
  {
    key: "c09",
    receivedAt: at("2025-04-01T08:00:00Z"),
    status: "resolved",
    team: "b",
    owner: null,
    channel: "email",
    severity: "critical",
    product: null,
    rootCause: "r2",
    sentiment: null,
    nps: 6,
    slaDueAt: at("2025-04-02T08:00:00Z"),
    resolvedAt: at("2025-04-02T08:00:00Z"),
    summary: "Outage for a day",
    story: "Search for an underscore_here.",
    paraphrase: "\tTabbed paraphrase",
  },
  {
    key: "c10",
    receivedAt: at("2025-04-01T08:00:00Z"),
    status: "closed",
    team: "a",
    owner: "manager",
    channel: "chat",
    severity: "minor",
    product: "parent",
    rootCause: null,
    sentiment: 3,
    nps: 7,
    slaDueAt: at("2025-04-03T08:00:00Z"),
    resolvedAt: at("2025-04-05T08:00:00Z"),
    summary: "Wrong plan activated",
    story: "Asked for 100 but got 1000.",
    paraphrase: "\rCarriage return first",
  },
  {
    key: "c11",
    receivedAt: at("2025-05-20T16:30:00Z"),
    status: "in_progress",
    team: "a",
    owner: "agent",
    channel: "web",
    severity: "moderate",
    product: "child",
    rootCause: "r1",
    sentiment: 2,
    nps: 8,
    slaDueAt: future(20),
    resolvedAt: null,
    promisedBy: past(1),
    followUps: [
      { dueAt: "later-today", doneAt: null },
      { dueAt: "tomorrow", doneAt: null },
    ],
    summary: "Installer no-show",
    story: "Waited all day.",
  },
  {
    key: "c12",
    receivedAt: at("2025-05-21T16:30:00Z"),
    status: "new",
    team: "a",
    owner: "agent",
    channel: "phone",
    severity: "major",
    product: null,
    rootCause: null,
    sentiment: 4,
    nps: null,
    slaDueAt: past(3),
    resolvedAt: null,
    summary: "Email ignored",
    story: "No reply for weeks.",
  },
];

// ---------------------------------------------------------------- independent expectations
const isOpen = (s: Spec) => s.status === "new" || s.status === "in_progress";
const isAngry = (s: Spec) =>
  (s.sentiment !== null && s.sentiment <= 2) || (s.nps !== null && s.nps >= 0 && s.nps <= 6);
const isBreached = (s: Spec) =>
  s.slaDueAt !== null &&
  (s.resolvedAt !== null
    ? s.resolvedAt.getTime() > s.slaDueAt.getTime()
    : isOpen(s) && s.slaDueAt.getTime() < Date.now());
const severityRank: Record<Severity, number> = { minor: 0, moderate: 1, major: 2, critical: 3 };
const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);

describe.each(engines)("complaint list, count, export and queue on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  let timezone: string;
  const ids = new Map<string, string>();
  const refs: Record<string, string> = {};
  let otherComplaintId: string;
  const addedFollowUps: string[] = [];

  const idOf = (key: string) => ids.get(key)!;
  const specOf = new Map<string, Spec>();

  function followUpDue(due: Date | "later-today" | "tomorrow"): Date {
    if (due instanceof Date) return due;
    const tomorrow = startOfTomorrow(new Date(NOW), timezone).getTime();
    return new Date(due === "later-today" ? tomorrow - 60_000 : tomorrow + HOUR);
  }

  /** Expected order of a set under a sort, computed in JavaScript. */
  function ordered(set: Spec[], sort: ComplaintSort): string[] {
    const rows = set.map((s) => ({ s, id: idOf(s.key) }));
    rows.sort((x, y) => {
      const rx = x.s.receivedAt.getTime();
      const ry = y.s.receivedAt.getTime();
      switch (sort) {
        case "received_desc":
          return cmp(ry, rx) || cmp(y.id, x.id);
        case "received_asc":
          return cmp(rx, ry) || cmp(x.id, y.id);
        case "sla_due_asc": {
          const dx = x.s.slaDueAt?.getTime() ?? Infinity;
          const dy = y.s.slaDueAt?.getTime() ?? Infinity;
          return cmp(dx, dy) || cmp(x.id, y.id);
        }
        case "severity":
          return (
            cmp(severityRank[y.s.severity], severityRank[x.s.severity]) ||
            cmp(ry, rx) ||
            cmp(y.id, x.id)
          );
      }
    });
    return rows.map((r) => r.id);
  }

  async function allPages(params: SearchParamsInput): Promise<{ ids: string[]; pages: number }> {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const search = new URLSearchParams(params as Record<string, string>);
      if (cursor) search.set("cursor", cursor);
      const page = await listComplaints(filtersFrom(search));
      pages += 1;
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
      if (pages > 50) throw new Error("pagination does not end");
    } while (cursor);
    return { ids: seen, pages };
  }

  async function exportCsv(params: SearchParamsInput, batchSize?: number): Promise<string> {
    const result = await streamComplaintsCsv(filtersFrom(params), { batchSize });
    if (!result.ok) throw new Error(result.message);
    return new Response(result.stream).text();
  }

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Acme");
    other = await createTestOrg(handle.db, "Other");
    const db = handle.db;
    // The org's default policy time zone decides "today" in the queue.
    const [policy] = await db
      .select({ timezone: slaPolicies.timezone })
      .from(slaPolicies)
      .where(and(eq(slaPolicies.orgId, org.orgId), eq(slaPolicies.isDefault, true)));
    timezone = policy?.timezone ?? "UTC";

    refs.a = org.teamId;
    refs.b = await insertTeam(db, org.orgId, "Second line");
    refs.parent = await insertProduct(db, org.orgId, "Fiber Internet");
    refs.child = await insertProduct(db, org.orgId, "Fiber Gig", refs.parent);
    refs.other = await insertProduct(db, org.orgId, "Mobile");
    refs.r1 = await insertRootCause(db, org.orgId, "Late dispatch");
    refs.r2 = await insertRootCause(db, org.orgId, "Billing error");

    for (const spec of specs) {
      const customerId = await insertCustomer(db, org.orgId, {
        name: spec.customer ?? `Customer ${spec.key}`,
        email: `${spec.key}@example.test`,
      });
      const row = await insertComplaint(db, org.orgId, {
        customerId,
        receivedAt: spec.receivedAt,
        status: spec.status,
        teamId: spec.team ? refs[spec.team] : null,
        ownerId: spec.owner ? org.users[spec.owner].userId : null,
        channel: spec.channel,
        severity: spec.severity,
        productId: spec.product ? refs[spec.product] : null,
        rootCauseId: spec.rootCause ? refs[spec.rootCause] : null,
        intakeSentiment: spec.sentiment,
        intakeNps: spec.nps,
        slaDueAt: spec.slaDueAt,
        resolvedAt: spec.resolvedAt,
        closedAt: spec.status === "closed" ? spec.resolvedAt : null,
        promisedBy: spec.promisedBy ?? null,
        summary: spec.summary,
        story: spec.story,
        paraphrase: spec.paraphrase ?? null,
        externalRef: `EXT-${spec.key}`,
      });
      ids.set(spec.key, row.id);
      specOf.set(row.id, spec);
      for (const f of spec.followUps ?? []) {
        await insertFollowUp(db, org.orgId, row.id, {
          dueAt: followUpDue(f.dueAt),
          doneAt: f.doneAt,
        });
      }
    }
    // Remedies and an outcome on c07, for the export's cost and NPS columns.
    const delivered = at("2025-03-16T00:00:00Z");
    await insertRemedy(db, org.orgId, idOf("c07"), { costMinor: 1500, deliveredAt: delivered });
    await insertRemedy(db, org.orgId, idOf("c07"), { costMinor: 500, deliveredAt: delivered });
    await insertRemedy(db, org.orgId, idOf("c07"), { costMinor: 999, deliveredAt: null });
    await insertRemedy(db, org.orgId, idOf("c07"), { costMinor: null, deliveredAt: delivered });
    await insertOutcome(db, org.orgId, idOf("c07"), { finalNps: 9 });

    // Another organisation with a look-alike complaint that must never show up.
    const otherCustomer = await insertCustomer(db, other.orgId, { name: "Dana Whitfield" });
    const otherRow = await insertComplaint(db, other.orgId, {
      customerId: otherCustomer,
      receivedAt: at("2025-01-10T09:00:00Z"),
      status: "new",
      teamId: other.teamId,
      ownerId: other.users.agent.userId,
      severity: "critical",
      intakeSentiment: 1,
      slaDueAt: past(5),
      summary: "Router keeps dropping the connection",
      story: "Other org's story.",
    });
    otherComplaintId = otherRow.id;
    await insertFollowUp(db, other.orgId, otherRow.id, { dueAt: past(1) });
  });

  afterAll(async () => {
    await handle.close();
  });

  // ---------------------------------------------------------------- filters
  type Case = [string, () => SearchParamsInput, (s: Spec) => boolean];
  const cases: Case[] = [
    ["no filters", () => ({}), () => true],
    ["one status", () => ({ status: "new" }), (s) => s.status === "new"],
    [
      "repeated statuses",
      () => ({ status: ["new", "resolved"] }),
      (s) => s.status === "new" || s.status === "resolved",
    ],
    [
      "comma-separated statuses",
      () => ({ status: "in_progress,closed" }),
      (s) => s.status === "in_progress" || s.status === "closed",
    ],
    ["a team", () => ({ team: refs.b! }), (s) => s.team === "b"],
    ["no team", () => ({ team: "none" }), (s) => s.team === null],
    ["owner me (the manager)", () => ({ owner: "me" }), (s) => s.owner === "manager"],
    ["an owner", () => ({ owner: org.users.agent.userId }), (s) => s.owner === "agent"],
    ["unassigned", () => ({ owner: "none" }), (s) => s.owner === null],
    ["a channel", () => ({ channel: "chat" }), (s) => s.channel === "chat"],
    ["a severity", () => ({ severity: "critical" }), (s) => s.severity === "critical"],
    [
      "a parent product with its sub-products",
      () => ({ product: refs.parent! }),
      (s) => s.product === "parent" || s.product === "child",
    ],
    ["a sub-product", () => ({ product: refs.child! }), (s) => s.product === "child"],
    ["a root cause", () => ({ rootCause: refs.r1! }), (s) => s.rootCause === "r1"],
    ["no root cause", () => ({ rootCause: "none" }), (s) => s.rootCause === null],
    [
      "from (inclusive, UTC)",
      () => ({ from: "2025-02-01" }),
      (s) => s.receivedAt.getTime() >= Date.UTC(2025, 1, 1),
    ],
    [
      "to (inclusive, UTC)",
      () => ({ to: "2025-02-28" }),
      (s) => s.receivedAt.getTime() < Date.UTC(2025, 2, 1),
    ],
    [
      "from and to",
      () => ({ from: "2025-02-01", to: "2025-02-28" }),
      (s) =>
        s.receivedAt.getTime() >= Date.UTC(2025, 1, 1) &&
        s.receivedAt.getTime() < Date.UTC(2025, 2, 1),
    ],
    ["angry", () => ({ angry: "1" }), isAngry],
    ["SLA breached", () => ({ slaBreached: "1" }), isBreached],
    [
      "follow-up overdue",
      () => ({ followUpOverdue: "1" }),
      (s) =>
        (s.followUps ?? []).some(
          (f) => f.doneAt === null && followUpDue(f.dueAt).getTime() < Date.now(),
        ),
    ],
    [
      "search, case-insensitive, summary or story",
      () => ({ q: "router" }),
      (s) => `${s.summary}\n${s.story}`.toLowerCase().includes("router"),
    ],
    [
      "search for a literal %",
      () => ({ q: "100%" }),
      (s) => `${s.summary}\n${s.story}`.includes("100%"),
    ],
    [
      "search for a literal _",
      () => ({ q: "e_h" }),
      (s) => `${s.summary}\n${s.story}`.includes("e_h"),
    ],
    [
      "several filters at once",
      () => ({ status: ["new", "in_progress"], team: refs.a!, angry: "1" }),
      (s) => isOpen(s) && s.team === "a" && isAngry(s),
    ],
    ["flags switched off", () => ({ angry: "0", slaBreached: "" }), () => true],
  ];

  it.each(cases)(
    "%s: list, count and export give exactly the expected complaints",
    async (_name, params, expected) => {
      actAs(org.users.manager);
      const want = ordered(specs.filter(expected), "received_desc");
      const search = { ...params(), limit: "200" };
      const { filters, invalid } = parseComplaintFilters(search);
      expect(invalid).toEqual([]);
      const page = await listComplaints(filters);
      expect(page.rows.map((r) => r.id)).toEqual(want);
      expect(page.nextCursor).toBeNull();
      expect(await countComplaints(filters)).toBe(want.length);
      const csv = parse(await exportCsv(params(), 4)) as string[][];
      expect(csv.slice(1).map((r) => r[0])).toEqual(want);
    },
  );

  it("returns the table's fields for a row", async () => {
    actAs(org.users.manager);
    const page = await listComplaints(filtersFrom({ q: "Router keeps" }));
    expect(page.rows).toEqual([
      {
        id: idOf("c01"),
        receivedAt: at("2025-01-10T09:00:00Z"),
        customerName: "Dana Whitfield",
        summary: "Router keeps dropping the connection",
        channel: "phone",
        severity: "critical",
        status: "new",
        ownerName: expect.stringMatching(/^agent /),
        teamName: "Front line",
        slaDueAt: at("2025-01-12T09:00:00Z"),
        breached: true,
        rootCauseName: "Late dispatch",
        angry: true,
      },
    ]);
    const calm = await listComplaints(filtersFrom({ q: "Technician was rude" }));
    expect(calm.rows[0]).toMatchObject({ breached: true, angry: false, rootCauseName: null });
    const onTime = await listComplaints(filtersFrom({ q: "App crashed" }));
    expect(onTime.rows[0]).toMatchObject({ breached: false, angry: true, ownerName: null });
  });

  // ---------------------------------------------------------------- keyset pagination
  it.each(complaintSorts)(
    "pages through every complaint exactly once, in %s order, 3 at a time",
    async (sort) => {
      actAs(org.users.manager);
      const { ids: seen, pages } = await allPages({ sort, limit: "3" });
      expect(seen).toEqual(ordered(specs, sort));
      expect(new Set(seen).size).toBe(specs.length);
      expect(pages).toBe(Math.ceil(specs.length / 3));
    },
  );

  it("pages through a filtered set with ties on received at", async () => {
    actAs(org.users.manager);
    const want = ordered(
      specs.filter((s) => s.receivedAt.getTime() <= Date.UTC(2025, 2, 15, 12)),
      "received_asc",
    );
    const { ids: seen } = await allPages({ to: "2025-03-15", sort: "received_asc", limit: "2" });
    expect(seen).toEqual(want);
  });

  it("ignores a cursor made for another sort or tampered with, and says so", async () => {
    actAs(org.users.manager);
    const first = await listComplaints(filtersFrom({ limit: "3" }));
    expect(first.nextCursor).toBeTruthy();
    const wrongSort = parseComplaintFilters({ sort: "received_asc", cursor: first.nextCursor! });
    expect(wrongSort.invalid).toEqual(["cursor"]);
    expect(wrongSort.filters.cursor).toBeUndefined();
    const forged = Buffer.from(
      JSON.stringify(["received_desc", "'; drop table complaints; --", idOf("c01")]),
    ).toString("base64url");
    const tampered = parseComplaintFilters({ cursor: forged });
    expect(tampered.invalid).toEqual(["cursor"]);
    const page = await listComplaints(tampered.filters);
    expect(page.rows.map((r) => r.id)).toEqual(ordered(specs, "received_desc").slice(0, 50));
  });

  // ---------------------------------------------------------------- bad parameters
  it("drops bad parameters, names them, and still lists", async () => {
    actAs(org.users.manager);
    const { filters, invalid } = parseComplaintFilters({
      status: ["new", "bogus"],
      team: "not-a-uuid",
      owner: "someone",
      channel: "fax",
      severity: "apocalyptic",
      product: "1",
      rootCause: "x",
      from: "2025-02-30",
      to: "yesterday",
      angry: "maybe",
      slaBreached: ["yes"],
      followUpOverdue: "2",
      sort: "sideways",
      cursor: "!!!",
      limit: "lots",
    });
    expect(invalid.sort()).toEqual(
      [
        "status",
        "team",
        "owner",
        "channel",
        "severity",
        "product",
        "rootCause",
        "from",
        "to",
        "angry",
        "slaBreached",
        "followUpOverdue",
        "sort",
        "cursor",
        "limit",
      ].sort(),
    );
    expect(filters).toMatchObject({ status: [], sort: "received_desc", limit: 50, angry: false });
    const page = await listComplaints(filters);
    expect(page.rows).toHaveLength(specs.length);
  });

  it("caps the page size at 200, truncates a long search and flags from after to", () => {
    expect(filtersFrom({ limit: "100000" }).limit).toBe(200);
    expect(parseComplaintFilters({ limit: "0" }).invalid).toEqual(["limit"]);
    expect(filtersFrom({ q: "x".repeat(500) }).q).toHaveLength(200);
    const backwards = parseComplaintFilters({ from: "2025-03-01", to: "2025-02-01" });
    expect(backwards.invalid).toEqual(["to"]);
    expect(backwards.filters).toMatchObject({ from: "2025-03-01", to: undefined });
  });

  it("turns filters back into the same URL parameters", () => {
    const params = {
      status: ["new", "in_progress"],
      team: "none",
      owner: "me",
      severity: "critical",
      from: "2025-01-01",
      angry: "1",
      q: "router",
      sort: "severity",
      limit: "20",
    };
    const search = filtersToSearchParams(filtersFrom(params), { page: true });
    expect(filtersFrom(search)).toEqual(filtersFrom(params));
    expect(filtersToSearchParams(filtersFrom(params)).has("limit")).toBe(false);
  });

  it("keeps columns table-qualified inside correlated subqueries of a one-table select", () => {
    // Drizzle writes bare column names at the top level of a `sql` field when a query reads one
    // table; `qualified` is what keeps `customers.org_id = complaints.org_id` from becoming
    // `org_id = org_id` in the list's lookups.
    const bare = handle.db
      .select({ x: sql`${complaints.orgId}` })
      .from(complaints)
      .toSQL().sql;
    const kept = handle.db
      .select({ x: qualified(sql`${complaints.orgId}`) })
      .from(complaints)
      .toSQL().sql;
    expect(bare).not.toContain('"complaints"."org_id" from');
    expect(kept).toContain('select "complaints"."org_id" from');
  });

  // ---------------------------------------------------------------- CSV export
  it("exports a header and one row per complaint, with formulas neutralised", async () => {
    actAs(org.users.manager);
    const text = await exportCsv({}, 5);
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual(exportColumns.map((c) => c.header));
    expect(rows).toHaveLength(1 + specs.length);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.id)).toEqual(ordered(specs, "received_desc"));
    const byId = new Map(records.map((r) => [r.id, r]));

    const evil = byId.get(idOf("c07"))!;
    expect(evil.summary).toBe("'=cmd|' /C calc'!A0");
    expect(evil.story).toBe("'+1");
    expect(evil.paraphrase).toBe("'-1");
    expect(evil.customer_name).toBe("'@x");
    expect(evil.remedy_cost_delivered_minor).toBe("2000");
    expect(evil.remedy_currency).toBe("USD");
    expect(evil.outcome_nps).toBe("9");
    expect(evil.intake_nps).toBe("0");
    expect(byId.get(idOf("c09"))!.paraphrase).toBe("'\tTabbed paraphrase");
    expect(byId.get(idOf("c10"))!.paraphrase).toBe("'\rCarriage return first");
    // Nothing in the file starts with a formula character outside quotes.
    for (const record of records) {
      for (const cell of Object.values(record)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }

    expect(byId.get(idOf("c08"))!.story).toBe('Line one\nLine two, with a comma\r\nand "quotes"');
    expect(byId.get(idOf("c04"))!.story).toBe('It crashed.\nTwice, in fact, "again".');

    const c01 = byId.get(idOf("c01"))!;
    expect(c01).toMatchObject({
      external_reference: "EXT-c01",
      received_at: "2025-01-10T09:00:00.000Z",
      channel: "phone",
      product: "Fiber Internet",
      team: "Front line",
      severity: "critical",
      status: "new",
      customer_name: "Dana Whitfield",
      customer_email: "c01@example.test",
      intake_sentiment: "1",
      intake_nps: "",
      sla_due_at: "2025-01-12T09:00:00.000Z",
      resolved_at: "",
      root_cause: "Late dispatch",
      remedy_cost_delivered_minor: "",
      remedy_currency: "",
      outcome_nps: "",
    });
    expect(c01.owner).toMatch(/^agent /);
  });

  it("exports the whole filtered set whatever the page, in the chosen order", async () => {
    actAs(org.users.manager);
    const first = await listComplaints(filtersFrom({ limit: "2", sort: "severity" }));
    const csv = parse(
      await exportCsv({ sort: "severity", limit: "2", cursor: first.nextCursor! }, 3),
    ) as string[][];
    expect(csv.slice(1).map((r) => r[0])).toEqual(ordered(specs, "severity"));
  });

  it("leaves an audit event naming who exported which filtered set", async () => {
    actAs(org.users.manager);
    const before = await handle.db
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.action, "export.downloaded")));
    await exportCsv({ severity: "critical" });
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.action, "export.downloaded")));
    expect(events).toHaveLength(before.length + 1);
    const fresh = events.find((e) => !before.some((b) => b.id === e.id))!;
    expect(fresh).toMatchObject({
      actorKind: "user",
      actorId: org.users.manager.userId,
      entity: "export",
      entityId: "complaints",
    });
    expect(fresh.after).toMatchObject({ kind: "complaints", filters: { severity: "critical" } });
  });

  it("exports a header only when nothing matches", async () => {
    actAs(org.users.manager);
    const rows = parse(await exportCsv({ q: "no complaint says this" })) as string[][];
    expect(rows).toEqual([exportColumns.map((c) => c.header)]);
  });

  // ---------------------------------------------------------------- organisations and roles
  it("never shows another organisation's complaints", async () => {
    actAs(org.users.manager);
    const everything = await allPages({ limit: "5" });
    expect(everything.ids).not.toContain(otherComplaintId);
    expect(await countComplaints(filtersFrom({ q: "Router keeps" }))).toBe(1);
    expect(await countComplaints(filtersFrom({ owner: other.users.agent.userId }))).toBe(0);
    expect(await exportCsv({})).not.toContain(otherComplaintId);

    actAs(other.users.manager);
    const theirs = await listComplaints(filtersFrom({}));
    expect(theirs.rows.map((r) => r.id)).toEqual([otherComplaintId]);
    expect(await countComplaints(filtersFrom({ team: refs.b! }))).toBe(0);
    const csv = parse(await exportCsv({})) as string[][];
    expect(csv.slice(1).map((r) => r[0])).toEqual([otherComplaintId]);
  });

  it("lets an executive read and export but not record", async () => {
    actAs(org.users.executive);
    const page = await listComplaints(filtersFrom({}));
    expect(page.rows).toHaveLength(specs.length);
    expect(page).toMatchObject({ canCreate: false, canExport: true });
    expect(await countComplaints(filtersFrom({}))).toBe(specs.length);
    actAs(org.users.agent);
    expect(await listComplaints(filtersFrom({ limit: "1" }))).toMatchObject({ canCreate: true });
  });

  it("refuses a request without a session", async () => {
    actAs(null);
    const redirected = { digest: expect.stringContaining("/sign-in") };
    await expect(listComplaints(filtersFrom({}))).rejects.toMatchObject(redirected);
    await expect(countComplaints(filtersFrom({}))).rejects.toMatchObject(redirected);
    await expect(getMyQueue()).rejects.toMatchObject(redirected);
    expect(await streamComplaintsCsv(filtersFrom({}))).toMatchObject({
      ok: false,
      reason: "unauthenticated",
    });
  });

  // ---------------------------------------------------------------- my queue
  it("builds the agent's queue from the complaints they own", async () => {
    actAs(org.users.agent);
    const now = new Date();
    const queue = await getMyQueue({ now });
    const tomorrow = startOfTomorrow(now, timezone).getTime();
    const mine = specs.filter((s) => s.owner === "agent");

    const dueFollowUps = mine.flatMap((s) =>
      (s.followUps ?? [])
        .map((f) => ({ key: s.key, due: followUpDue(f.dueAt), done: f.doneAt }))
        .filter((f) => f.done === null && f.due.getTime() < tomorrow),
    );
    expect(queue.timezone).toBe(timezone);
    expect(queue.followUps.total).toBe(dueFollowUps.length);
    expect(queue.followUps.rows.map((r) => r.complaintId).sort()).toEqual(
      dueFollowUps.map((f) => idOf(f.key)).sort(),
    );
    const overdue = queue.followUps.rows.find((r) => r.complaintId === idOf("c01"));
    expect(overdue).toMatchObject({
      overdue: true,
      summary: "Router keeps dropping the connection",
    });

    const late = mine.filter(
      (s) =>
        isOpen(s) &&
        ((s.slaDueAt !== null && s.slaDueAt < now) || (s.promisedBy != null && s.promisedBy < now)),
    );
    expect(queue.late.total).toBe(late.length);
    expect(queue.late.rows.map((r) => r.complaintId).sort()).toEqual(
      late.map((s) => idOf(s.key)).sort(),
    );
    expect(queue.late.rows.find((r) => r.complaintId === idOf("c11"))).toMatchObject({
      promisePassed: true,
      slaPassed: false,
    });

    const fresh = ordered(mine.filter(isOpen), "received_desc");
    expect(queue.newest.total).toBe(fresh.length);
    expect(queue.newest.rows.map((r) => r.complaintId)).toEqual(fresh.slice(0, 10));
  });

  it("counts every due follow-up in the heading and lists the earliest-due 50 first", async () => {
    actAs(org.users.agent);
    const now = new Date();
    const before = await getMyQueue({ now });
    // 60 more open follow-ups on the agent's c01, due over the past 60 hours; 3 done ones (not due).
    const extra: Date[] = [];
    for (let i = 0; i < 63; i++) {
      const dueAt = new Date(now.getTime() - (i + 1) * HOUR - 7_000);
      const id = await insertFollowUp(handle.db, org.orgId, idOf("c01"), {
        dueAt,
        doneAt: i >= 60 ? now : null,
      });
      if (i < 60) extra.push(dueAt);
      addedFollowUps.push(id);
    }
    const queue = await getMyQueue({ now });
    expect(queue.followUps.total).toBe(before.followUps.total + 60);
    expect(queue.followUps.rows).toHaveLength(QUEUE_SECTION_LIMIT);
    const expectedDue = [...extra, ...before.followUps.rows.map((r) => r.dueAt)]
      .map((d) => d.getTime())
      .sort((a, b) => a - b)
      .slice(0, QUEUE_SECTION_LIMIT);
    expect(queue.followUps.rows.map((r) => r.dueAt.getTime())).toEqual(expectedDue);
    expect(queue.followUps.rows.every((r) => r.overdue)).toBe(true);
    await handle.db
      .delete(followUps)
      .where(and(eq(followUps.orgId, org.orgId), inArray(followUps.id, addedFollowUps)));
    await refreshComplaintFacts(handle.db, org.orgId, [idOf("c01")]);
  });

  it("shows another user nothing of the agent's queue, and refuses an executive", async () => {
    actAs(other.users.agent);
    const queue = await getMyQueue();
    expect(queue.followUps.rows.map((r) => r.complaintId)).toEqual([otherComplaintId]);
    expect(queue.late.rows.map((r) => r.complaintId)).toEqual([otherComplaintId]);
    expect(queue.newest.rows.map((r) => r.complaintId)).toEqual([otherComplaintId]);
    // Quality and executives have no queue: the 403 page.
    for (const role of ["quality", "executive"] as const) {
      actAs(org.users[role]);
      await expect(getMyQueue()).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;403" });
    }
  });
});
