/**
 * The independent dataset of issue #11's acceptance test: ~150 complaints from ~60 customers
 * received January–April 2025 (UTC, to the second), with first responses, resolutions and
 * closings (some resolved and not closed, a few open, some never answered), remedies in USD and
 * EUR delivered across the months, follow-ups with NPS, outcomes with final NPS, advocacy signals
 * (most after the complaint, some before it) and customer activity (purchases, renewals,
 * cancellations, surveys, reviews) that makes retention vary.
 *
 * Contacts with the customer (remedy offers, follow-ups done) never come before the first
 * response, nor on a complaint that has none: the product's rule that the first response is the
 * first contact (the API moves it to an earlier contact; the archive keeps what it is given).
 *
 * Plain TypeScript and deterministic: a seeded PRNG (mulberry32), no Math.random, no clock. The
 * figures are computed from these records alone by tests/helpers/independent-figures.ts; this
 * module also writes the records as archive lines (docs/archive.md) and as a complaint CSV.
 */

export type Channel = "phone" | "email" | "chat" | "web" | "social" | "in_person" | "letter";
export type Severity = "minor" | "moderate" | "major" | "critical";
export type Status = "new" | "in_progress" | "resolved" | "closed";
export type RemedyKind =
  | "refund"
  | "replacement"
  | "repair"
  | "credit"
  | "discount"
  | "coupon"
  | "free_service"
  | "upgrade"
  | "gift"
  | "apology_only"
  | "other";
export type AdvocacyKind = "referral" | "positive_review" | "testimonial" | "repeat_purchase";
export type ActivityKind =
  "purchase" | "renewal" | "cancellation" | "referral" | "review" | "survey";

export interface DCustomer {
  ref: string;
  name: string;
  email: string;
}

export interface DActivity {
  ref: string;
  customer: string;
  kind: ActivityKind;
  occurredAt: Date;
  amountMinor: number;
  currency: string;
  score: number | null;
}

export interface DRemedy {
  kind: RemedyKind;
  /** Null: the cost is unknown. */
  costMinor: number | null;
  currency: string;
  offeredAt: Date;
  decision: "pending" | "accepted" | "declined";
  decidedAt: Date | null;
  deliveredAt: Date | null;
}

export interface DFollowUp {
  dueAt: Date;
  doneAt: Date | null;
  channel: Channel | null;
  sentiment: number | null;
  nps: number | null;
}

export interface DOutcome {
  finalNps: number | null;
  finalSentiment: number | null;
  recordedAt: Date;
}

export interface DSignal {
  kind: AdvocacyKind;
  occurredAt: Date;
}

export interface DComplaint {
  ref: string;
  customer: string;
  receivedAt: Date;
  channel: Channel;
  severity: Severity;
  summary: string;
  intakeSentiment: number | null;
  intakeNps: number | null;
  status: Status;
  promisedBy: Date | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  remedies: DRemedy[];
  followUps: DFollowUp[];
  outcome: DOutcome | null;
  signals: DSignal[];
}

export interface Dataset {
  customers: DCustomer[];
  activities: DActivity[];
  complaints: DComplaint[];
}

// ---------------------------------------------------------------- a seeded PRNG

/** mulberry32: a small, well-mixed 32-bit generator; the same seed gives the same stream. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  /** [0, 1). */
  float(): number {
    return this.next();
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Picks by weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }
  /** A duration in whole seconds between lo and hi hours. */
  hours(lo: number, hi: number): number {
    return Math.round((lo + this.next() * (hi - lo)) * 3600) * 1000;
  }
}

// ---------------------------------------------------------------- the dataset

export const DATASET_SEED = 0x11_2025;
const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const FROM = Date.UTC(2025, 0, 1);
/** Exclusive: complaints are received up to the end of April 2025. */
const TO = Date.UTC(2025, 4, 1);

const channels: Channel[] = ["phone", "email", "chat", "web", "social", "in_person", "letter"];
const severities: Severity[] = ["minor", "moderate", "major", "critical"];
const remedyKinds: RemedyKind[] = [
  "refund",
  "replacement",
  "repair",
  "credit",
  "discount",
  "coupon",
  "free_service",
  "upgrade",
  "gift",
  "other",
];
const advocacyKinds: AdvocacyKind[] = [
  "referral",
  "positive_review",
  "testimonial",
  "repeat_purchase",
];

export const COMPLAINTS = 150;
/** Complaints 1–4 test the edges of the retention window, each with a customer of its own. */
const EDGES = 4;
/** Customers with complaints, and customers without (the comparison groups). */
export const COMPLAINANTS = 50;
export const QUIET_CUSTOMERS = 12;

const at = (t: number) => new Date(t);
const pad = (n: number, w: number) => String(n).padStart(w, "0");

export function buildDataset(seed = DATASET_SEED): Dataset {
  const rng = new Rng(seed);
  const customers: DCustomer[] = [];
  for (let i = 1; i <= COMPLAINANTS + QUIET_CUSTOMERS; i++) {
    customers.push({
      ref: `IND-C${pad(i, 3)}`,
      name: `Independent customer ${pad(i, 3)}`,
      email: `ind-c${pad(i, 3)}@independent.test`,
    });
  }
  const complainants = customers.slice(0, COMPLAINANTS);
  const quiet = customers.slice(COMPLAINANTS);

  const activities: DActivity[] = [];
  const activity = (
    customer: string,
    kind: ActivityKind,
    t: number,
    amountMinor: number,
    currency = "USD",
    score: number | null = null,
  ) =>
    activities.push({
      ref: `IND-A${pad(activities.length + 1, 4)}`,
      customer,
      kind,
      occurredAt: at(t),
      amountMinor,
      currency,
      score,
    });

  // Every customer bought in 2024 (active for the comparison group) — some more than others.
  for (const c of customers) {
    const n = rng.int(0, 3);
    for (let i = 0; i < n; i++) {
      const t = Date.UTC(2024, 0, 1) + rng.int(0, 365 * 24 * 3600 - 1) * SECOND;
      activity(c.ref, rng.chance(0.3) ? "renewal" : "purchase", t, rng.int(1_000, 40_000));
    }
  }

  const complaints: DComplaint[] = [];
  for (let i = 0; i < COMPLAINTS; i++) {
    // The first complainants get one complaint each; the rest are drawn, so some have several.
    // The first four (the retention edges below) keep their customers to themselves.
    const customer = i < COMPLAINANTS ? complainants[i]! : rng.pick(complainants.slice(EDGES));
    let received = FROM + rng.int(0, (TO - FROM) / SECOND - 1) * SECOND;
    // Two complaints on the stroke of a range boundary used below (inclusive from, exclusive to).
    if (i === 7) received = Date.UTC(2025, 2, 1);
    if (i === 8) received = Date.UTC(2025, 2, 15, 23, 59, 59);
    const status = rng.weighted<Status>([
      ["new", 4],
      ["in_progress", 7],
      ["resolved", 20],
      ["closed", 69],
    ]);
    const settled = status === "resolved" || status === "closed";
    const answered = status === "in_progress" || (settled && !rng.chance(0.07));
    const firstResponse = answered
      ? received +
        rng.weighted<() => number>([
          [() => rng.hours(0.02, 2), 30],
          [() => rng.hours(2, 24), 40],
          [() => rng.hours(24, 96), 25],
          [() => rng.hours(96, 400), 5],
        ])()
      : null;
    const resolved = settled ? (firstResponse ?? received) + rng.hours(1, 400) : null;
    const closed = status === "closed" ? resolved! + rng.hours(0.5, 240) : null;

    // Intake: sentiment and/or NPS, or neither.
    const intakeSentiment = rng.chance(0.75)
      ? rng.weighted<number>([
          [1, 25],
          [2, 25],
          [3, 20],
          [4, 15],
          [5, 15],
        ])
      : null;
    const intakeNps = rng.chance(0.55) ? rng.int(0, 10) : null;

    const remedies: DRemedy[] = [];
    const followUps: DFollowUp[] = [];
    if (firstResponse !== null) {
      const count = rng.weighted<number>([
        [0, 30],
        [1, 45],
        [2, 18],
        [3, 7],
      ]);
      for (let r = 0; r < count; r++) {
        const offered = firstResponse + rng.hours(0, 72);
        const currency = rng.chance(0.15) ? "EUR" : "USD";
        const apology = rng.chance(0.06);
        const costMinor = apology ? 0 : rng.chance(0.08) ? null : rng.int(300, 85_000);
        const fate = rng.weighted<"delivered" | "accepted" | "declined" | "pending">([
          ["delivered", 60],
          ["accepted", 10],
          ["declined", 15],
          ["pending", 15],
        ]);
        const decided = fate === "pending" ? null : offered + rng.hours(0, 24);
        remedies.push({
          kind: apology ? "apology_only" : rng.pick(remedyKinds),
          costMinor,
          currency,
          offeredAt: at(offered),
          decision: fate === "delivered" ? "accepted" : fate,
          decidedAt: decided === null ? null : at(decided),
          // Delivered up to 40 days later: delivery dates spread into later months.
          deliveredAt: fate === "delivered" ? at(decided! + rng.hours(0, 40 * 24)) : null,
        });
      }
      const followUpCount = rng.weighted<number>([
        [0, 50],
        [1, 35],
        [2, 15],
      ]);
      for (let f = 0; f < followUpCount; f++) {
        const due = firstResponse + rng.hours(24, 30 * 24);
        const done = rng.chance(0.75)
          ? Math.max(firstResponse + 60 * SECOND, due + rng.hours(-12, 48))
          : null;
        followUps.push({
          dueAt: at(due),
          doneAt: done === null ? null : at(done),
          channel: done === null ? null : rng.pick<Channel>(["phone", "email", "chat"]),
          sentiment: done !== null && rng.chance(0.5) ? rng.int(1, 5) : null,
          nps: done !== null && rng.chance(0.6) ? rng.int(0, 10) : null,
        });
      }
    }

    let outcome: DOutcome | null = null;
    if ((status === "closed" && rng.chance(0.85)) || (status === "resolved" && rng.chance(0.3))) {
      const finalNps = rng.chance(0.75)
        ? rng.weighted<number>([
            [0, 3],
            [2, 3],
            [4, 4],
            [5, 4],
            [6, 6],
            [7, 10],
            [8, 12],
            [9, 14],
            [10, 12],
          ])
        : null;
      const finalSentiment = finalNps === null || rng.chance(0.6) ? rng.int(1, 5) : null;
      const recorded =
        closed !== null
          ? resolved! + Math.floor(rng.float() * (closed - resolved!))
          : resolved! + rng.hours(0, 48);
      outcome = { finalNps, finalSentiment, recordedAt: at(Math.floor(recorded / 1000) * 1000) };
    }

    const signals: DSignal[] = [];
    if (firstResponse !== null && rng.chance(0.22)) {
      const kinds = advocacyKinds.filter(() => rng.chance(0.4));
      if (kinds.length === 0) kinds.push(rng.pick(advocacyKinds));
      for (const kind of kinds) {
        const after = rng.chance(0.78);
        const base = closed ?? resolved ?? firstResponse;
        const t = after ? base + rng.hours(1, 20 * 24) : received - rng.hours(24, 60 * 24);
        signals.push({ kind, occurredAt: at(t) });
      }
    }

    const promised =
      firstResponse !== null && rng.chance(0.3) ? received + rng.hours(24, 240) : null;

    complaints.push({
      ref: `IND-${pad(i + 1, 4)}`,
      customer: customer.ref,
      receivedAt: at(received),
      channel: rng.pick(channels),
      severity: rng.pick(severities),
      summary: `Independent complaint ${i + 1}`,
      intakeSentiment,
      intakeNps,
      status,
      promisedBy: promised === null ? null : at(promised),
      firstResponseAt: firstResponse === null ? null : at(firstResponse),
      resolvedAt: resolved === null ? null : at(resolved),
      closedAt: closed === null ? null : at(closed),
      remedies,
      followUps,
      outcome,
      signals,
    });

    // What the customer did after the complaint.
    const drawn = rng.weighted<"buy" | "cancel-then-buy" | "late" | "soon" | "nothing">([
      ["buy", 45],
      ["cancel-then-buy", 10],
      ["late", 10],
      ["soon", 5],
      ["nothing", 30],
    ]);
    const kind = () => (rng.chance(0.35) ? "renewal" : "purchase");
    // The edge cases' customers buy only at the edge.
    const next = i < EDGES ? "nothing" : drawn;
    const amount = () => rng.int(500, 60_000);
    const money = () => (rng.chance(0.1) ? "EUR" : "USD");
    if (next === "buy")
      activity(customer.ref, kind(), received + rng.hours(1, 85 * 24), amount(), money());
    if (next === "soon")
      activity(customer.ref, kind(), received + rng.hours(20 * 24, 28 * 24), amount());
    if (next === "late")
      activity(customer.ref, kind(), received + rng.hours(91 * 24, 200 * 24), amount());
    if (next === "cancel-then-buy") {
      const cancelled = received + rng.hours(1, 40 * 24);
      activity(customer.ref, "cancellation", cancelled, 0);
      activity(customer.ref, kind(), cancelled + rng.hours(24, 60 * 24), amount());
    }
    // Edges of "(received, received + N days]": exactly at receipt (not counted), exactly 90
    // days later (counted), a second past 90 days (not counted).
    if (i === 0) activity(customer.ref, "purchase", received, amount());
    if (i === 1) activity(customer.ref, "renewal", received + 90 * DAY, amount());
    if (i === 2) activity(customer.ref, "purchase", received + 90 * DAY + SECOND, amount());
    // A cancellation at the very instant of the purchase does not come before it.
    if (i === 3) {
      activity(customer.ref, "cancellation", received + 10 * DAY, 0);
      activity(customer.ref, "purchase", received + 10 * DAY, amount());
    }
    // Some complainants answer a survey or leave a review.
    if (rng.chance(0.25)) {
      const t = FROM + rng.int(0, (TO - FROM) / SECOND - 1) * SECOND;
      activity(
        customer.ref,
        rng.pick<ActivityKind>(["survey", "review"]),
        t,
        0,
        "USD",
        rng.int(0, 10),
      );
    }
  }

  // Customers without complaints: purchases, renewals and cancellations through 2025, and their
  // own survey or review scores (the recovery paradox's comparison).
  for (const c of quiet) {
    const buys = rng.int(0, 4);
    for (let i = 0; i < buys; i++) {
      const t = Date.UTC(2024, 11, 1) + rng.int(0, 200 * 24 * 3600) * SECOND;
      activity(c.ref, rng.chance(0.4) ? "renewal" : "purchase", t, rng.int(1_000, 30_000));
    }
    if (rng.chance(0.3)) {
      activity(
        c.ref,
        "cancellation",
        Date.UTC(2025, 0, 1) + rng.int(0, 120 * 24 * 3600) * SECOND,
        0,
      );
    }
    const scores = rng.int(0, 3);
    for (let i = 0; i < scores; i++) {
      const t = FROM + rng.int(0, (TO - FROM) / SECOND - 1) * SECOND;
      activity(c.ref, rng.pick<ActivityKind>(["survey", "review"]), t, 0, "USD", rng.int(0, 10));
    }
    if (rng.chance(0.3)) activity(c.ref, "referral", FROM + rng.int(0, 100) * DAY + HOUR, 0);
  }

  // Two remedies delivered on the stroke of midnight that ends or starts a period.
  const edged = new Set<DRemedy>();
  for (const boundary of [Date.UTC(2025, 2, 16), Date.UTC(2025, 2, 1)]) {
    const remedy = complaints
      .flatMap((c) => c.remedies)
      .find(
        (r) =>
          r.deliveredAt !== null &&
          r.costMinor !== null &&
          r.decidedAt!.getTime() < boundary &&
          r.deliveredAt.getTime() > boundary &&
          !edged.has(r),
      );
    if (remedy) {
      remedy.deliveredAt = at(boundary);
      edged.add(remedy);
    }
  }

  // A referral from before the complaint on an angry complaint closed without an advocate: it
  // makes none (only signals after the complaint count).
  const before = complaints.find(
    (c) =>
      c.closedAt !== null &&
      c.intakeSentiment !== null &&
      c.intakeSentiment <= 2 &&
      (c.outcome?.finalNps ?? 0) < 9 &&
      c.signals.length === 0,
  );
  before?.signals.push({
    kind: "referral",
    occurredAt: at(before.receivedAt.getTime() - 3 * DAY - 17 * 60 * SECOND),
  });

  return { customers, activities, complaints };
}

// ---------------------------------------------------------------- as archive lines

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** The dataset as organisation-archive lines (lib/archive/format.ts), header first. */
export function archiveLines(data: Dataset): string[] {
  const lines: unknown[] = [
    {
      type: "archive",
      format: "turnaround-archive",
      version: 1,
      exportedAt: "2026-01-01T00:00:00.000Z",
      organisation: { name: "Independent", currency: "USD", remedyApprovalLimitMinor: null },
    },
  ];
  for (const c of data.customers) {
    lines.push({
      type: "customer",
      ref: c.ref,
      name: c.name,
      email: c.email,
      phone: null,
      segment: null,
      lifetimeValueMinor: 0,
      currency: "USD",
      createdAt: null,
    });
  }
  for (const a of data.activities) {
    lines.push({
      type: "activity",
      ref: a.ref,
      customer: a.customer,
      kind: a.kind,
      occurredAt: iso(a.occurredAt),
      amountMinor: a.amountMinor,
      currency: a.currency,
      score: a.score,
      note: null,
    });
  }
  for (const c of data.complaints) {
    lines.push({
      type: "complaint",
      ref: c.ref,
      customer: c.customer,
      receivedAt: iso(c.receivedAt),
      channel: c.channel,
      product: null,
      team: null,
      owner: null,
      severity: c.severity,
      summary: c.summary,
      story: "",
      paraphrase: null,
      intakeSentiment: c.intakeSentiment,
      intakeNps: c.intakeNps,
      status: c.status,
      slaDueAt: null,
      promisedBy: iso(c.promisedBy),
      firstResponseAt: iso(c.firstResponseAt),
      resolvedAt: iso(c.resolvedAt),
      closedAt: iso(c.closedAt),
      reopenCount: 0,
      noRemedyReason: null,
      customerUnreachable: c.status === "closed" && !c.outcome && !c.signals.length,
      rootCause: null,
      fiveWhys: null,
      regulatedIssue: null,
      timelyResponse: null,
      timesInferred: false,
      imported: true,
      createdAt: null,
      steps: [],
      remedies: c.remedies.map((r) => ({
        kind: r.kind,
        description: "",
        costMinor: r.costMinor,
        currency: r.currency,
        suggestedByCustomer: false,
        offeredAt: iso(r.offeredAt),
        offeredBy: null,
        decision: r.decision,
        decidedAt: iso(r.decidedAt),
        deliveredAt: iso(r.deliveredAt),
        approvalNeeded: false,
        approvedBy: null,
        approvedAt: null,
      })),
      followUps: c.followUps.map((f) => ({
        dueAt: iso(f.dueAt),
        doneAt: iso(f.doneAt),
        doneBy: null,
        channel: f.channel,
        sentiment: f.sentiment,
        nps: f.nps,
        note: null,
        createdAt: null,
      })),
      updates: [],
      outcome: c.outcome && {
        finalSentiment: c.outcome.finalSentiment,
        finalNps: c.outcome.finalNps,
        churnedAt: null,
        recordedAt: iso(c.outcome.recordedAt),
        recordedBy: null,
      },
      signals: c.signals.map((s) => ({ kind: s.kind, occurredAt: iso(s.occurredAt), note: null })),
    });
  }
  return lines.map((l) => `${JSON.stringify(l)}\n`);
}

// ---------------------------------------------------------------- as a complaint CSV + API calls

export const CSV_HEADER = [
  "Ticket ID",
  "Created",
  "Channel",
  "Severity",
  "Subject",
  "Status",
  "Customer reference",
  "Customer name",
  "First response at",
  "Resolved at",
  "Closed at",
  "Promised by",
  "Intake sentiment",
  "Intake NPS",
  "Remedy kind",
  "Remedy cost",
  "Remedy currency",
  "Remedy offered at",
  "Remedy delivered at",
  "Outcome NPS",
  "Outcome sentiment",
  "Outcome at",
  "Advocacy signals",
] as const;

/**
 * A complaint the CSV cannot carry whole: more than one remedy (a row holds one), a remedy
 * decided without being delivered, or follow-ups. Its row leaves it in progress; the REST API
 * adds the rest and then resolves and closes it at its own times.
 */
export function needsApi(c: DComplaint): boolean {
  const row = c.remedies[rowRemedy(c)];
  return (
    c.remedies.length > 1 ||
    c.followUps.length > 0 ||
    (row !== undefined && row.decidedAt !== null && row.deliveredAt === null)
  );
}

/**
 * The remedy a CSV row carries: one of unknown cost if there is one, delivered ones first (the
 * API cannot say a cost is unknown: its cost defaults to 0, and a delivered remedy of cost 0
 * counts as costed), else the first.
 */
export function rowRemedy(c: DComplaint): number {
  const unknown = (r: DRemedy) => r.costMinor === null;
  const delivered = c.remedies.findIndex((r) => unknown(r) && r.deliveredAt !== null);
  return delivered >= 0 ? delivered : Math.max(0, c.remedies.findIndex(unknown));
}

/**
 * What neither a CSV row nor the API can carry so that the figures stay the same: a second
 * DELIVERED remedy of unknown cost (an undelivered one goes through the API at cost 0, which no
 * figure reads).
 */
export function csvApiGaps(data: Dataset): string[] {
  const unknown = (c: DComplaint) =>
    c.remedies.filter((r) => r.costMinor === null && r.deliveredAt !== null).length;
  return data.complaints
    .filter((c) => unknown(c) > 1)
    .map(
      (c) =>
        `${c.ref}: ${unknown(c)} delivered remedies of unknown cost — a CSV row carries one, and POST /complaints/{id}/remedies records no unknown cost (cost defaults to 0)`,
    );
}

const money = (minor: number) => (minor / 100).toFixed(2);
const words = (s: string) => s.replace(/_/g, " ");
const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Advocacy signals after receipt (the only ones an import or the API can record). */
export const signalsAfter = (c: DComplaint) =>
  c.signals.filter((s) => s.occurredAt.getTime() >= c.receivedAt.getTime());

/** The complaint file: one row per complaint, with all of it a row can hold. */
export function complaintCsv(data: Dataset): string[] {
  const names = new Map(data.customers.map((c) => [c.ref, c.name]));
  const rows = data.complaints.map((c) => {
    const viaApi = needsApi(c);
    const status: Status = viaApi && c.status !== "new" ? "in_progress" : c.status;
    const first = c.remedies[rowRemedy(c)];
    const after = signalsAfter(c);
    // With no outcome, the signals are recorded at the first one's time.
    const outcomeAt =
      c.outcome?.recordedAt ??
      (after.length ? new Date(Math.min(...after.map((s) => s.occurredAt.getTime()))) : null);
    const cells: Record<(typeof CSV_HEADER)[number], string> = {
      "Ticket ID": c.ref,
      Created: c.receivedAt.toISOString(),
      Channel: words(c.channel),
      Severity: c.severity,
      Subject: c.summary,
      Status: words(status),
      "Customer reference": c.customer,
      "Customer name": names.get(c.customer) ?? c.customer,
      "First response at": iso(c.firstResponseAt) ?? "",
      "Resolved at": status === c.status ? (iso(c.resolvedAt) ?? "") : "",
      "Closed at": status === c.status ? (iso(c.closedAt) ?? "") : "",
      "Promised by": iso(c.promisedBy) ?? "",
      "Intake sentiment": c.intakeSentiment === null ? "" : String(c.intakeSentiment),
      "Intake NPS": c.intakeNps === null ? "" : String(c.intakeNps),
      "Remedy kind": first ? words(first.kind) : "",
      "Remedy cost": first && first.costMinor !== null ? money(first.costMinor) : "",
      "Remedy currency": first ? first.currency : "",
      "Remedy offered at": first ? first.offeredAt.toISOString() : "",
      "Remedy delivered at": first ? (iso(first.deliveredAt) ?? "") : "",
      "Outcome NPS": c.outcome?.finalNps == null ? "" : String(c.outcome.finalNps),
      "Outcome sentiment":
        c.outcome?.finalSentiment == null ? "" : String(c.outcome.finalSentiment),
      "Outcome at": outcomeAt ? outcomeAt.toISOString() : "",
      "Advocacy signals": after.map((s) => words(s.kind)).join("; "),
    };
    return CSV_HEADER.map((h) => cell(cells[h])).join(",");
  });
  return [CSV_HEADER.join(","), ...rows];
}

/** Major units as the API and the activity import take them. */
export const major = money;
