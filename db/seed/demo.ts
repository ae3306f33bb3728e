/**
 * The deterministic demo organisation: staff, taxonomy, playbook, SLA policy, and N complaints
 * over the 18 months before an anchor date, with customers, recovery steps, remedies, follow-ups,
 * outcomes and customer activity shaped so that the dashboards show real findings (fast recovery
 * keeps customers, fixes reduce recurrence, a few causes dominate).
 *
 * Generation runs in chunks of customers with their complaints, so memory stays bounded at any
 * size; each chunk has its own PRNG stream, so the same seed and anchor give identical rows.
 * Large tables are written with one `json_to_recordset` statement per batch: one bind
 * parameter per batch instead of one per value, about twice as fast as multi-row VALUES here.
 */
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { hashPassword } from "../../lib/auth/password";
import { queryRows, type DatabaseHandle, type Db } from "../client";
import * as s from "../schema";
import type { Channel, RemedyKind, Role, Severity } from "../schema";
import { Random, weightedTable, type WeightedTable } from "./random";

// ---------------------------------------------------------------- public constants
export const DEMO_ORG_ID = "0d3e0000-5eed-4000-8000-000000000001";
export const DEMO_ORG_NAME = "Harborline Home Services (demo)";
export const DEMO_EMAIL_DOMAIN = "demo.turnaround.test";
/** The one password every demo account shares. */
export const DEMO_PASSWORD = "turnaround-demo";
export const DEMO_SEED = "turnaround-demo-1";
export const DEMO_DEFAULT_COMPLAINTS = 20_000;
export const DEMO_SEGMENTS = ["consumer", "small business", "enterprise"] as const;

/** One sign-in per role. */
export const DEMO_USERS = [
  {
    role: "agent",
    email: `agent@${DEMO_EMAIL_DOMAIN}`,
    name: "Alex Rivera",
    password: DEMO_PASSWORD,
  },
  {
    role: "manager",
    email: `manager@${DEMO_EMAIL_DOMAIN}`,
    name: "Morgan Lee",
    password: DEMO_PASSWORD,
  },
  {
    role: "quality",
    email: `quality@${DEMO_EMAIL_DOMAIN}`,
    name: "Quinn Patel",
    password: DEMO_PASSWORD,
  },
  {
    role: "executive",
    email: `executive@${DEMO_EMAIL_DOMAIN}`,
    name: "Evelyn Brooks",
    password: DEMO_PASSWORD,
  },
  {
    role: "admin",
    email: `admin@${DEMO_EMAIL_DOMAIN}`,
    name: "Adrian Cole",
    password: DEMO_PASSWORD,
  },
] as const satisfies readonly { role: Role; email: string; name: string; password: string }[];

export interface SeedDemoOptions {
  /** How many complaints to generate (default 20,000). */
  complaints?: number;
  /** The "today" of the data set; everything happens before it (default: today 00:00 UTC). */
  anchor?: Date;
  log?: (msg: string) => void;
  /** PRNG seed (default DEMO_SEED). */
  seed?: string;
}

export interface SeedDemoResult {
  seeded: boolean;
  counts: Record<string, number>;
  ms: number;
}

/** True when the demo organisation already exists. */
export async function isDemoSeeded(db: Db): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    db,
    sql`select 1 as one from organisations where id = ${DEMO_ORG_ID} limit 1`,
  );
  return rows.length > 0;
}

// ---------------------------------------------------------------- time
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Today at 00:00 UTC. */
export function todayUtc(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const dstCache = new Map<number, [number, number]>();
/** US daylight time: second Sunday of March 07:00 UTC to first Sunday of November 06:00 UTC. */
function dstBounds(year: number): [number, number] {
  let bounds = dstCache.get(year);
  if (!bounds) {
    const march = new Date(Date.UTC(year, 2, 1)).getUTCDay();
    const nov = new Date(Date.UTC(year, 10, 1)).getUTCDay();
    bounds = [
      Date.UTC(year, 2, 1 + ((7 - march) % 7) + 7, 7),
      Date.UTC(year, 10, 1 + ((7 - nov) % 7), 6),
    ];
    dstCache.set(year, bounds);
  }
  return bounds;
}

/** Offset of America/New_York from UTC at an instant, in ms (−4 h or −5 h). */
function nyOffset(utcMs: number): number {
  const [start, end] = dstBounds(new Date(utcMs).getUTCFullYear());
  return utcMs >= start && utcMs < end ? -4 * HOUR : -5 * HOUR;
}

const toLocal = (utcMs: number) => utcMs + nyOffset(utcMs);
// DST switches at 02:00 local, never inside working hours, so the offset 5 h later is right.
const toUtc = (localMs: number) => localMs - nyOffset(localMs + 5 * HOUR);

const OPEN_MIN = 540;
const CLOSE_MIN = 1020;

/** Working hours of the demo SLA policy: Mon–Fri 09:00–17:00 New York, minus holidays. */
class BusinessCalendar {
  constructor(private readonly holidayDays: Set<number>) {}

  private isWorkingDay(localDay: number): boolean {
    const isoDow = ((localDay + 3) % 7) + 1;
    return isoDow <= 5 && !this.holidayDays.has(localDay);
  }

  /** The instant itself when inside working hours, else the next opening. */
  nextOpen(utcMs: number): number {
    let local = toLocal(utcMs);
    for (let i = 0; i < 30; i++) {
      const day = Math.floor(local / DAY);
      const open = day * DAY + OPEN_MIN * MIN;
      const close = day * DAY + CLOSE_MIN * MIN;
      if (this.isWorkingDay(day) && local < close) return toUtc(Math.max(local, open));
      local = (day + 1) * DAY;
    }
    return utcMs;
  }

  /** Adds business hours to an instant. */
  addHours(utcMs: number, hours: number): number {
    let remaining = hours * HOUR;
    let local = toLocal(utcMs);
    for (let i = 0; i < 3650; i++) {
      const day = Math.floor(local / DAY);
      if (this.isWorkingDay(day)) {
        const open = day * DAY + OPEN_MIN * MIN;
        const close = day * DAY + CLOSE_MIN * MIN;
        const from = Math.max(local, open);
        if (from < close) {
          if (remaining <= close - from) return toUtc(from + remaining);
          remaining -= close - from;
        }
      }
      local = (day + 1) * DAY;
    }
    return toUtc(local);
  }
}

/** US federal holidays of a year, moved to Friday/Monday when they fall on a weekend. */
function usFederalHolidays(year: number): { day: number; name: string }[] {
  const utcDay = (m: number, d: number) => Math.floor(Date.UTC(year, m, d) / DAY);
  const nth = (m: number, weekday: number, n: number) => {
    const first = new Date(Date.UTC(year, m, 1)).getUTCDay();
    return utcDay(m, 1 + ((weekday - first + 7) % 7) + 7 * (n - 1));
  };
  const last = (m: number, weekday: number) => {
    const lastDate = new Date(Date.UTC(year, m + 1, 0));
    const back = (lastDate.getUTCDay() - weekday + 7) % 7;
    return utcDay(m, lastDate.getUTCDate() - back);
  };
  const observed = (day: number) => {
    const dow = (day + 4) % 7; // 0 = Sunday
    return dow === 6 ? day - 1 : dow === 0 ? day + 1 : day;
  };
  return [
    { day: observed(utcDay(0, 1)), name: "New Year's Day" },
    { day: nth(0, 1, 3), name: "Birthday of Martin Luther King, Jr." },
    { day: nth(1, 1, 3), name: "Washington's Birthday" },
    { day: last(4, 1), name: "Memorial Day" },
    { day: observed(utcDay(5, 19)), name: "Juneteenth National Independence Day" },
    { day: observed(utcDay(6, 4)), name: "Independence Day" },
    { day: nth(8, 1, 1), name: "Labor Day" },
    { day: nth(9, 1, 2), name: "Columbus Day" },
    { day: observed(utcDay(10, 11)), name: "Veterans Day" },
    { day: nth(10, 4, 4), name: "Thanksgiving Day" },
    { day: observed(utcDay(11, 25)), name: "Christmas Day" },
  ];
}

const isoDate = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

// ---------------------------------------------------------------- reference data
type StepKey =
  | "listen"
  | "validate"
  | "empathize"
  | "apologize"
  | "involve"
  | "remedy"
  | "commit"
  | "thank"
  | "follow_up"
  | "wow";

const PLAYBOOK: { key: StepKey; name: string; guidance: string; required: boolean }[] = [
  {
    key: "listen",
    name: "Listen",
    guidance: "Let the customer tell the whole story; record it in their words.",
    required: true,
  },
  {
    key: "validate",
    name: "Validate",
    guidance:
      'Paraphrase it back and confirm ("what bothered you is … is that correct?"); admit what you don\'t know yet.',
    required: true,
  },
  {
    key: "empathize",
    name: "Empathize",
    guidance: '"I feel bad with you", not "for you".',
    required: true,
  },
  {
    key: "apologize",
    name: "Apologize",
    guidance: "A sincere apology that asks for forgiveness, even when the customer erred.",
    required: true,
  },
  {
    key: "involve",
    name: "Involve",
    guidance:
      "Ask how the customer sees it resolved; explain obstacles, ask for their suggestions.",
    required: true,
  },
  {
    key: "remedy",
    name: "Remedy",
    guidance: 'Act; offer options; then ask "what else can I do?"',
    required: true,
  },
  {
    key: "commit",
    name: "Commit",
    guidance: "Give a timeline, under-promise and over-deliver, keep them apprised.",
    required: true,
  },
  { key: "thank", name: "Thank", guidance: "Thank them for the feedback.", required: true },
  {
    key: "follow_up",
    name: "Follow up",
    guidance: "A day, a week, a month later, as fits.",
    required: true,
  },
  {
    key: "wow",
    name: "Wow",
    guidance: "A surprise beyond the fix (token, upgrade, gesture).",
    required: false,
  },
];
const REQUIRED_STEPS = PLAYBOOK.filter((p) => p.required).length;

const TEAMS = [
  { key: "east", name: "Front line East" },
  { key: "west", name: "Front line West" },
  { key: "esc", name: "Escalations" },
  { key: "billing", name: "Billing desk" },
] as const;
type TeamKey = (typeof TEAMS)[number]["key"];

type Profile = "diligent" | "average" | "rushed";

interface StaffDef {
  name: string;
  email: string;
  role: Role;
  teams: TeamKey[];
  profile?: Profile;
  /** Share of the team's complaints relative to colleagues. */
  load?: number;
}

const staffEmail = (name: string) =>
  `${name
    .toLowerCase()
    .replace(/[^a-z ]/g, "")
    .trim()
    .replace(/ +/g, ".")}@${DEMO_EMAIL_DOMAIN}`;
const agent = (name: string, team: TeamKey, profile: Profile, load = 1): StaffDef => ({
  name,
  email: staffEmail(name),
  role: "agent",
  teams: [team],
  profile,
  load,
});

const demoUser = (i: number) => {
  const { role, email, name } = DEMO_USERS[i]!;
  return { role, email, name };
};

const STAFF: StaffDef[] = [
  { ...demoUser(0), teams: ["east"], profile: "average", load: 1.2 },
  { ...demoUser(1), teams: ["east"] },
  { ...demoUser(2), teams: [] },
  { ...demoUser(3), teams: [] },
  { ...demoUser(4), teams: [] },
  {
    name: "Priya Raman",
    email: staffEmail("Priya Raman"),
    role: "manager",
    teams: ["west", "billing"],
  },
  { name: "Marcus Webb", email: staffEmail("Marcus Webb"), role: "manager", teams: ["esc"] },
  agent("Jamie Chen", "east", "diligent"),
  agent("Sofia Martinez", "east", "average"),
  agent("Daniel Okafor", "east", "rushed", 1.3),
  agent("Hannah Schmidt", "east", "average", 0.8),
  agent("Liam O'Brien", "west", "average"),
  agent("Aisha Khan", "west", "diligent"),
  agent("Noah Williams", "west", "rushed", 1.2),
  agent("Mei Tanaka", "west", "average"),
  agent("Carlos Mendes", "west", "rushed", 0.9),
  agent("Grace Kim", "esc", "diligent"),
  agent("Omar Haddad", "esc", "diligent"),
  agent("Chloe Dubois", "esc", "average"),
  agent("Ethan Novak", "billing", "average"),
  agent("Fatima Rahman", "billing", "diligent"),
  agent("Lucas Silva", "billing", "rushed"),
];

interface ProfileDef {
  skip: Partial<Record<StepKey, number>>;
  wow: number;
  followUp: number;
  /** Added to the chance of resolving within two days. */
  speed: number;
  responseFactor: number;
  promiseKept: number;
}

const PROFILES: Record<Profile, ProfileDef> = {
  diligent: {
    skip: {
      listen: 0.01,
      validate: 0.04,
      empathize: 0.03,
      apologize: 0.04,
      involve: 0.06,
      commit: 0.05,
      thank: 0.03,
    },
    wow: 0.3,
    followUp: 0.8,
    speed: 0.1,
    responseFactor: 0.7,
    promiseKept: 0.9,
  },
  average: {
    skip: {
      listen: 0.03,
      validate: 0.12,
      empathize: 0.1,
      apologize: 0.15,
      involve: 0.2,
      commit: 0.12,
      thank: 0.08,
    },
    wow: 0.12,
    followUp: 0.62,
    speed: 0,
    responseFactor: 1,
    promiseKept: 0.8,
  },
  rushed: {
    skip: {
      listen: 0.06,
      validate: 0.3,
      empathize: 0.25,
      apologize: 0.48,
      involve: 0.55,
      commit: 0.2,
      thank: 0.15,
    },
    wow: 0.04,
    followUp: 0.38,
    speed: -0.12,
    responseFactor: 1.6,
    promiseKept: 0.66,
  },
};

interface ProductDef {
  key: string;
  name: string;
  subs: string[];
  weight: number;
}

const PRODUCTS: ProductDef[] = [
  { key: "fiber", name: "Fiber Internet", subs: ["Fiber 300", "Fiber Gig"], weight: 5 },
  { key: "mobile", name: "Mobile", subs: ["Unlimited plan", "Prepaid plan"], weight: 4 },
  { key: "tv", name: "Streaming TV", subs: [], weight: 2.5 },
  { key: "phone", name: "Home Phone", subs: [], weight: 1 },
  { key: "router", name: "Mesh Wi-Fi Router", subs: [], weight: 2 },
  { key: "hub", name: "Smart Home Hub", subs: [], weight: 1.5 },
  {
    key: "cameras",
    name: "Security Cameras",
    subs: ["Indoor camera", "Doorbell camera"],
    weight: 1.5,
  },
  { key: "install", name: "Installation & repair", subs: [], weight: 2 },
];

const CATEGORIES: { key: (typeof s.rootCauseCategoryKeys)[number]; name: string }[] = [
  { key: "product", name: "Product" },
  { key: "process", name: "Process" },
  { key: "people", name: "People" },
  { key: "policy", name: "Policy" },
  { key: "delivery", name: "Delivery" },
  { key: "billing", name: "Billing" },
  { key: "communication", name: "Communication / expectations" },
  { key: "third_party", name: "Third party" },
];

type CategoryKey = (typeof CATEGORIES)[number]["key"];

interface CauseDef {
  category: CategoryKey;
  name: string;
  weight: number;
  products: string[];
  /** > 0: more major/critical complaints than the overall mix. */
  tilt?: number;
  summaries: string[];
  stories: string[];
  paraphrase: string;
  whys: string;
}

const SERVICES = ["fiber", "mobile", "tv", "phone"];
const DEVICES = ["router", "hub", "cameras"];
const ANY = PRODUCTS.map((p) => p.key);

/** Ordered by weight: a few causes dominate (Pareto). Slots: {product} {amount} {days} {weekday} {order}. */
const CAUSES: CauseDef[] = [
  {
    category: "billing",
    name: "Charged twice or wrong amount",
    weight: 26,
    products: SERVICES,
    summaries: [
      "Charged twice for {product} this month",
      "{product} bill {amount} higher than agreed",
      "Duplicate payment taken for {product}",
    ],
    stories: [
      "I checked my bank statement and you took {amount} twice for {product}. Nobody told me why and I had to move money around to cover rent.",
      "My {product} bill came in {amount} over the price I signed up for. I've called twice and each time I'm told it'll be fixed next cycle.",
      "You charged my card again for {product} even though the first payment went through. Now I'm overdrawn.",
    ],
    paraphrase:
      "you were charged {amount} more than you agreed for {product}, and nobody has explained or fixed it",
    whys: "Why charged twice? The payment was retried after a timeout. Why retried? The gateway reported a failure although the charge succeeded. Why not caught? The billing run has no duplicate check. Why no check? Retries were added in a hurry during the platform move. Why never revisited? Nobody owns billing-run failures.",
  },
  {
    category: "delivery",
    name: "Late delivery of equipment",
    weight: 19,
    products: [...DEVICES, "mobile"],
    summaries: [
      "{product} delivery {days} days late",
      "Still waiting for {product} (order {order})",
      "{product} kit not delivered on the promised day",
    ],
    stories: [
      "I ordered the {product} on {weekday} and was told two days. It's been {days} days and the tracking hasn't moved.",
      "I took a day off work to receive my {product} and nothing came. Order {order} still says 'preparing'.",
      "Your website said next-day delivery for the {product}. {days} days later I still have nothing and no one can tell me where it is.",
    ],
    paraphrase: "your {product} order {order} is {days} days late and you lost time waiting for it",
    whys: "Why late? The parcel left the warehouse days after the order. Why? Orders after 2 pm wait for the next batch. Why batches? The courier collects once a day. Why once? The cheapest ground contract. Why not revisited? The delivery promise on the website was never tied to the courier contract.",
  },
  {
    category: "delivery",
    name: "Technician missed appointment",
    weight: 13,
    products: ["fiber", "install", "tv"],
    tilt: 0.3,
    summaries: [
      "Technician did not show for {product} appointment",
      "Second missed visit for {product}",
      "No-show on {weekday} installation",
    ],
    stories: [
      "I waited in all {weekday} morning for the technician to set up {product}. No one came, no call, nothing.",
      "This is the second time your technician hasn't turned up. I've lost two days of pay waiting at home.",
      "The appointment window was 8 to 12. At 3 pm I called and was told the job had been 'rescheduled'. Nobody told me.",
    ],
    paraphrase:
      "the technician missed your {product} appointment without warning, so you lost a day waiting",
    whys: "Why missed? The technician's route was overbooked. Why? Jobs are booked without travel time. Why? The scheduling tool assumes every job is 1 hour. Why? Job durations were never measured. Why no warning? Reschedules don't trigger a message to the customer.",
  },
  {
    category: "communication",
    name: "Promised callback not made",
    weight: 12,
    products: ANY,
    summaries: [
      "Promised callback never came",
      "Waiting {days} days for a call back about {product}",
      "Supervisor callback not made",
    ],
    stories: [
      "Your agent promised someone would call me back within 24 hours about my {product}. That was {days} days ago.",
      "I was told a supervisor would ring me. Nobody did, and now I have to explain everything again from the start.",
      "Three times I've been promised a call back. Three times nothing. I'm starting to think nobody is actually working on this.",
    ],
    paraphrase:
      "we promised to call you back about {product} and didn't, and now you have to start over",
    whys: "Why no callback? The callback was a note on the case, not a task. Why a note? There is no callback queue. Why? Callbacks were meant to be rare. Why aren't they? Hand-offs to specialists need them. Why unnoticed? Nobody reports on promised callbacks.",
  },
  {
    category: "billing",
    name: "Promotional price not applied",
    weight: 10,
    products: SERVICES,
    summaries: [
      "Promotional price missing on {product} bill",
      "Sign-up discount for {product} not applied",
      "Charged full price despite the offer",
    ],
    stories: [
      "I signed up for {product} because of the {amount} off offer. My first two bills are full price.",
      "The salesperson promised me the promo rate in writing. The {product} bill says otherwise.",
    ],
    paraphrase: "the promotional price you signed up for on {product} isn't on your bill",
    whys: "Why not applied? The promo code was entered after the order was created. Why after? Sales adds codes in a second system. Why two systems? Promotions were never integrated with ordering. Why? It was a one-off campaign that became permanent. Why unchecked? No reconciliation between offers and first bills.",
  },
  {
    category: "product",
    name: "Service outage or slow speeds",
    weight: 7,
    products: SERVICES,
    tilt: 0.6,
    summaries: [
      "{product} down for {days} days",
      "Speeds far below plan on {product}",
      "{product} drops every evening",
    ],
    stories: [
      "My {product} has dropped out every evening for {days} days. I work from home and I've missed two client calls.",
      "I'm paying for the top plan and getting a fraction of it. I've run the speed tests, the numbers are embarrassing.",
      "No {product} since {weekday}. I have a child doing exams online and nobody can give me a date.",
    ],
    paraphrase: "your {product} keeps failing, and it is costing you work",
    whys: "Why down? A street cabinet overheated. Why? Its fan had failed. Why unnoticed? Cabinet temperature isn't monitored. Why? Monitoring covers the core network only. Why? Budget decision three years ago.",
  },
  {
    category: "billing",
    name: "Refund or credit delayed",
    weight: 5,
    products: ANY,
    summaries: [
      "Refund of {amount} not received",
      "Promised credit missing from bill",
      "Still waiting for my {product} refund",
    ],
    stories: [
      "I was promised a refund of {amount} {days} days ago. It still isn't in my account.",
      "The credit for last month's outage was supposed to be on this bill. It isn't, and no one answers emails.",
    ],
    paraphrase: "the {amount} refund you were promised hasn't arrived after {days} days",
    whys: "Why delayed? Refunds above $50 need a second approval. Why? A fraud rule from years ago. Why slow? Approvals are batched weekly. Why weekly? One person approves them. Why one? Nobody reviewed the rule.",
  },
  {
    category: "product",
    name: "Device faulty on arrival",
    weight: 4,
    products: DEVICES,
    tilt: 0.2,
    summaries: [
      "{product} dead on arrival",
      "New {product} won't power on",
      "{product} faulty out of the box",
    ],
    stories: [
      "The {product} arrived on {weekday} and won't even switch on. I've tried everything in the guide.",
      "Brand new {product}, keeps rebooting every few minutes. I'm not paying for something that doesn't work.",
    ],
    paraphrase:
      "the {product} you received doesn't work and you've already spent time trying to fix it",
    whys: "Why faulty? A bad batch from the supplier. Why shipped? Devices aren't tested before dispatch. Why? Testing was dropped to cut delivery times. Why unnoticed? Returns aren't tracked by batch. Why? Returns go to a different warehouse.",
  },
  {
    category: "process",
    name: "Case handed off and lost",
    weight: 3.5,
    products: ANY,
    summaries: [
      "Case lost between departments",
      "Transferred four times about {product}",
      "Nobody owns my complaint",
    ],
    stories: [
      "I've been transferred between billing, technical and sales four times. Each one says it's another team's problem.",
      "I explained the whole {product} issue last week. Today there's no record of it and I have to start again.",
    ],
    paraphrase: "your case was passed between teams and lost, so you've had to repeat yourself",
    whys: "Why lost? The receiving team never accepted the transfer. Why? Transfers land in a shared inbox. Why a shared inbox? Teams use different tools. Why? Each team chose its own. Why no owner? The transfer doesn't name one.",
  },
  {
    category: "delivery",
    name: "Wrong or missing item",
    weight: 3,
    products: DEVICES,
    summaries: [
      "Wrong {product} model delivered",
      "Parts missing from {product} box",
      "Order {order} incomplete",
    ],
    stories: [
      "I ordered the {product} with two cameras and received one. The packing slip says two.",
      "The box for order {order} had the wrong model in it. Now I have to wait again.",
    ],
    paraphrase: "order {order} arrived wrong or incomplete, so you still can't use your {product}",
    whys: "Why wrong? The picker took the neighbouring shelf item. Why possible? Similar boxes side by side. Why not caught? No scan at packing. Why? Scanners broken for months. Why not fixed? Not anyone's budget.",
  },
  {
    category: "product",
    name: "App or firmware bug",
    weight: 2.5,
    products: ["hub", "cameras", "tv"],
    summaries: [
      "{product} app crashes after update",
      "{product} stopped working after firmware update",
      "Can't log in to {product} app",
    ],
    stories: [
      "Since the last update the {product} app crashes every time I open it. I can't see my cameras when I'm away.",
      "The firmware update on {weekday} broke my {product}. It worked perfectly before.",
    ],
    paraphrase: "an update broke your {product}, which worked before",
    whys: "Why broken? The update wasn't tested on older models. Why? The test lab has only current models. Why? Old devices were returned to the vendor. Why not staged? Updates go to everyone at once. Why? No staged rollout tooling.",
  },
  {
    category: "process",
    name: "Long hold or wait times",
    weight: 2,
    products: ANY,
    summaries: [
      "On hold for over an hour",
      "Chat queue wait of {days} hours",
      "Can't get through to support",
    ],
    stories: [
      "I was on hold for 74 minutes and then the line went dead. This is the third time this week.",
      "Your chat says 'an agent will be with you shortly'. Shortly was two hours.",
    ],
    paraphrase: "you couldn't reach us without waiting far too long",
    whys: "Why long? Staffing doesn't follow demand peaks. Why? Rosters are set quarterly. Why? Forecasting is manual. Why? No tool. Why? Never prioritised.",
  },
  {
    category: "people",
    name: "Rude or dismissive staff",
    weight: 2,
    products: ANY,
    summaries: [
      "Agent was rude on the phone",
      "Treated like a liar by staff",
      "Dismissive response from technician",
    ],
    stories: [
      "The agent I spoke to on {weekday} talked over me and then hung up. I've never been treated like that.",
      "Your technician told me the problem was 'obviously my fault' without even looking. I felt like an idiot in my own home.",
    ],
    paraphrase: "you were spoken to rudely and not taken seriously",
    whys: "Why rude? The agent was on their 11th escalated call that day. Why so many? Escalations aren't rotated. Why? Rota designed for volume only. Why no support? Team lead vacancy unfilled. Why? Hiring freeze.",
  },
  {
    category: "billing",
    name: "Confusing bill",
    weight: 2,
    products: SERVICES,
    summaries: [
      "Can't understand {product} bill",
      "Unexplained charges on bill",
      "Bill shows items I never ordered",
    ],
    stories: [
      "My {product} bill has five lines I don't understand and it's gone up {amount}. Can someone explain it in plain English?",
      "There's a 'service adjustment' of {amount} on my bill and nobody can tell me what it is.",
    ],
    paraphrase: "your bill went up and you can't tell why",
    whys: "Why confusing? Internal product codes are printed on the bill. Why? The bill template predates the new plans. Why not updated? Billing changes need a vendor release. Why? Outsourced template. Why? Old contract.",
  },
  {
    category: "process",
    name: "Installation order error",
    weight: 1.5,
    products: ["fiber", "install", "tv"],
    summaries: [
      "Wrong package installed",
      "Installation booked at wrong address",
      "{product} order set up incorrectly",
    ],
    stories: [
      "The technician came to install {product} but the order was for a different package. He couldn't do anything.",
      "My order had the wrong address on it so the installer went to my old flat.",
    ],
    paraphrase: "your installation order was wrong, so the visit was wasted",
    whys: "Why wrong? Order details re-typed from the sales system. Why re-typed? No integration. Why? Separate vendors. Why unchecked? No confirmation sent to the customer before the visit. Why? Nobody asked for it.",
  },
  {
    category: "people",
    name: "Agent gave wrong information",
    weight: 1.5,
    products: ANY,
    summaries: [
      "Told the wrong price by an agent",
      "Agent said no fee, now charged",
      "Incorrect advice about {product}",
    ],
    stories: [
      "Your agent told me switching plans was free. Now there's a {amount} fee on my bill.",
      "I was told my {product} contract ended this month. It doesn't, and now I'm stuck.",
    ],
    paraphrase: "you acted on information from us that turned out to be wrong",
    whys: "Why wrong? The agent used an outdated knowledge article. Why outdated? Articles have no owner. Why? Knowledge base set up as a project, not a process. Why? No budget for upkeep. Why unnoticed? No review date on articles.",
  },
  {
    category: "policy",
    name: "Early cancellation fee",
    weight: 1.2,
    products: SERVICES,
    summaries: [
      "Charged {amount} to cancel {product}",
      "Cancellation fee after moving house",
      "Unfair early exit fee",
    ],
    stories: [
      "I'm moving somewhere you don't serve and you still want {amount} to cancel my {product}. How is that fair?",
      "Nobody mentioned an exit fee when I signed up. Now I'm being charged {amount}.",
    ],
    paraphrase:
      "you're being charged {amount} to leave, which feels unfair given why you're leaving",
    whys: "Why charged? Policy applies the fee to every early exit. Why every exit? Written before service-area moves were common. Why not updated? Policy review is annual and skipped last year. Why skipped? Owner left. Why no replacement? Not assigned.",
  },
  {
    category: "communication",
    name: "Misleading sales promise",
    weight: 1.2,
    products: SERVICES,
    summaries: [
      "Sales promise not honoured",
      "Told {product} would include things it doesn't",
      "Mis-sold {product} plan",
    ],
    stories: [
      "The salesperson said the {product} plan included all the sports channels. It doesn't.",
      "I was promised no price rise for two years. Six months in, my bill went up {amount}.",
    ],
    paraphrase: "what you were promised when you bought {product} isn't what you got",
    whys: "Why misleading? Sales scripts overstate plan contents. Why? Commission tied to upgrades. Why unchecked? Calls are not sampled. Why? QA covers service calls only. Why? Sales sits outside customer care.",
  },
  {
    category: "policy",
    name: "Return window too strict",
    weight: 1,
    products: DEVICES,
    summaries: [
      "Return refused one day late",
      "Can't return unused {product}",
      "Restocking fee on {product} return",
    ],
    stories: [
      "I tried to return the {product} on day 15 and was refused because the window is 14 days. It's unopened.",
      "You want a restocking fee of {amount} for a {product} I never even plugged in.",
    ],
    paraphrase: "your return was refused on a technicality",
    whys: "Why refused? Strict 14-day rule. Why strict? Copied from retail policy. Why not reviewed? No data on returns. Why? Returns not reported. Why? Warehouse system exports nothing.",
  },
  {
    category: "third_party",
    name: "Courier lost or damaged package",
    weight: 1,
    products: DEVICES,
    summaries: [
      "Courier lost my {product}",
      "{product} arrived smashed",
      "Parcel marked delivered but never arrived",
    ],
    stories: [
      "Tracking says my {product} was delivered on {weekday}. It wasn't. The courier says to contact you.",
      "The box was crushed and the {product} inside is cracked.",
    ],
    paraphrase: "the courier lost or damaged your {product} and you're stuck between us and them",
    whys: "Why lost? Courier left it at a wrong address. Why? No proof of delivery required. Why? Cheapest service level. Why? Procurement chose on price. Why? Delivery quality not in the tender.",
  },
  {
    category: "communication",
    name: "Outage not announced",
    weight: 0.8,
    products: SERVICES,
    summaries: [
      "No warning about planned {product} outage",
      "Found out about outage from neighbours",
      "Maintenance without notice",
    ],
    stories: [
      "My {product} went off for six hours on {weekday} for 'planned maintenance'. Planned by whom? Nobody told me.",
      "I found out about the outage from a neighbour. Your status page said everything was fine.",
    ],
    paraphrase: "your service went down and nobody warned you",
    whys: "Why no notice? Maintenance calendar not shared with care. Why? Network team uses its own tool. Why? No process. Why? Never had a big outage before. Why unnoticed? No post-mortems.",
  },
  {
    category: "policy",
    name: "Identity check too cumbersome",
    weight: 0.6,
    products: ANY,
    summaries: [
      "Locked out by identity checks",
      "Asked for ID three times",
      "Can't make changes without visiting a store",
    ],
    stories: [
      "I had to answer security questions three times in one call and was still refused.",
      "To change my own address I'm told I have to go to a store with two forms of ID. There isn't a store within 50 miles.",
    ],
    paraphrase: "our security checks stopped you doing something simple on your own account",
    whys: "Why cumbersome? Same check for every change. Why? One-size policy after a fraud incident. Why not risk-based? No tooling. Why? Not prioritised. Why? Complaints about it not visible.",
  },
  {
    category: "third_party",
    name: "Payment processor error",
    weight: 0.6,
    products: SERVICES,
    summaries: [
      "Direct debit failed, late fee charged",
      "Card payment rejected by your system",
      "Payment taken but not credited",
    ],
    stories: [
      "My direct debit failed because of your payment provider and now I have a {amount} late fee.",
      "I paid on {weekday}, the money left my account, but my {product} account shows unpaid.",
    ],
    paraphrase: "a payment problem on our side is being charged to you",
    whys: "Why failed? Processor outage during the payment run. Why not retried? No retry logic. Why? Assumed the processor retries. Why assumed? Contract unclear. Why? Not reviewed at renewal.",
  },
  {
    category: "third_party",
    name: "Contractor damaged property",
    weight: 0.5,
    products: ["install", "fiber"],
    tilt: 1,
    summaries: [
      "Installer damaged my wall",
      "Contractor cut through garden cable",
      "Property damage during {product} install",
    ],
    stories: [
      "Your contractor drilled through a water pipe while installing {product}. I had a plumber out at midnight.",
      "The installers left a hole in my front wall and mud all over the carpet.",
    ],
    paraphrase: "the contractor damaged your home while working for us",
    whys: "Why damage? Contractor didn't check for pipes. Why? No detector issued. Why? Subcontractor's kit. Why unchecked? No site standards in the contract. Why? Contract template predates fiber rollout.",
  },
];

/** Causes with a long recurrence window (few complaints a week). */
const LONG_WINDOW_WEIGHT = 1;

interface ActionDef {
  causeIndex: number;
  title: string;
  description: string;
  status: (typeof s.correctiveActionStatuses)[number];
  /** Months before the anchor the fix was done (done/verified). */
  doneMonthsAgo?: number;
  /** Share of the cause's complaints the fix removes. */
  drop?: number;
  owner: string;
}

const ACTIONS: ActionDef[] = [
  {
    causeIndex: 0,
    title: "Duplicate-charge check in the billing run",
    description:
      "Block a second charge for the same invoice within 72 hours; alert billing on every block.",
    status: "verified",
    doneMonthsAgo: 8.5,
    drop: 0.55,
    owner: "Quinn Patel",
  },
  {
    causeIndex: 1,
    title: "Two-day courier for equipment orders",
    description:
      "Move equipment shipping to a two-day courier and show the real dispatch date at checkout.",
    status: "in_progress",
    owner: "Morgan Lee",
  },
  {
    causeIndex: 2,
    title: "Arrival windows and reminders for technician visits",
    description:
      "Two-hour arrival windows, an SMS the day before, and an automatic message when a visit moves.",
    status: "verified",
    doneMonthsAgo: 7,
    drop: 0.45,
    owner: "Marcus Webb",
  },
  {
    causeIndex: 3,
    title: "Callback queue with owner and due time",
    description:
      "Every promised callback becomes a task with an owner and a due time; overdue ones escalate.",
    status: "done",
    doneMonthsAgo: 5,
    drop: 0.42,
    owner: "Morgan Lee",
  },
  {
    causeIndex: 4,
    title: "Apply promotions automatically at order time",
    description: "Promotion codes captured in the order form instead of a second system.",
    status: "done",
    doneMonthsAgo: 6,
    drop: 0,
    owner: "Priya Raman",
  },
  {
    causeIndex: 5,
    title: "Cabinet temperature monitoring",
    description: "Monitor street-cabinet temperature and fan health; dispatch before failure.",
    status: "proposed",
    owner: "Quinn Patel",
  },
  {
    causeIndex: 6,
    title: "Same-day refund approval under $100",
    description: "Agents approve refunds under $100 themselves; larger ones approved daily.",
    status: "verified",
    doneMonthsAgo: 9.5,
    drop: 0.6,
    owner: "Priya Raman",
  },
  {
    causeIndex: 7,
    title: "Bench-test devices before dispatch",
    description:
      "Power-on test and firmware check for every router, hub and camera before it ships.",
    status: "in_progress",
    owner: "Quinn Patel",
  },
  {
    causeIndex: 8,
    title: "Warm hand-off checklist between teams",
    description:
      "A transfer names the receiving owner and is accepted before the customer is told.",
    status: "done",
    doneMonthsAgo: 4.5,
    drop: 0.55,
    owner: "Marcus Webb",
  },
  {
    causeIndex: 9,
    title: "Barcode scan at packing",
    description: "Repair the packing scanners and make the scan mandatory before a box is sealed.",
    status: "proposed",
    owner: "Quinn Patel",
  },
];

const SLA_TARGETS: Record<Severity, { firstResponse: number; resolution: number }> = {
  critical: { firstResponse: 2, resolution: 24 },
  major: { firstResponse: 4, resolution: 48 },
  moderate: { firstResponse: 8, resolution: 72 },
  minor: { firstResponse: 24, resolution: 120 },
};

// ---------------------------------------------------------------- distributions
const SEVERITY_KEYS: Severity[] = ["minor", "moderate", "major", "critical"];
const SEVERITY_WEIGHTS = [45, 30, 18, 7];
const CHANNEL_KEYS: Channel[] = ["phone", "email", "chat", "web", "social", "in_person", "letter"];
const CHANNEL_WEIGHTS = [34, 22, 18, 12, 7, 5, 2];
const SYNC_CHANNELS = new Set<Channel>(["phone", "chat", "in_person"]);
const ANGRY_P: Record<Severity, number> = {
  minor: 0.45,
  moderate: 0.55,
  major: 0.7,
  critical: 0.8,
};
const NEVER_RESOLVED_P: Record<Severity, number> = {
  minor: 0.065,
  moderate: 0.065,
  major: 0.08,
  critical: 0.075,
};
const FAST_P: Record<Severity, number> = {
  minor: 0.58,
  moderate: 0.52,
  major: 0.5,
  critical: 0.62,
};
const RESPONSE_MEDIAN_MIN: Record<Severity, number> = {
  minor: 300,
  moderate: 200,
  major: 90,
  critical: 40,
};
/** Retention at 90 days by minor/major × fast/slow/not resolved: the classic finding. */
const RETENTION = {
  minor: { fast: 0.95, slow: 0.7, none: 0.46 },
  major: { fast: 0.82, slow: 0.54, none: 0.19 },
} as const;
const SEASON = [1.3, 1.0, 0.95, 0.9, 0.9, 0.92, 0.95, 0.95, 0.95, 1.0, 1.3, 1.45];
const WEEKDAY = [0.4, 1.15, 1.1, 1.05, 1.0, 0.95, 0.55]; // Sunday first

const REMEDY_KINDS: Record<CategoryKey, [RemedyKind, number][]> = {
  billing: [
    ["refund", 5],
    ["credit", 5],
    ["discount", 1],
    ["apology_only", 1.5],
    ["other", 0.5],
  ],
  delivery: [
    ["discount", 2],
    ["coupon", 2],
    ["free_service", 1.5],
    ["replacement", 1],
    ["credit", 2],
    ["apology_only", 1.5],
    ["gift", 0.5],
  ],
  product: [
    ["replacement", 3],
    ["repair", 2.5],
    ["credit", 2.5],
    ["upgrade", 1],
    ["free_service", 1],
    ["apology_only", 1],
  ],
  process: [
    ["credit", 2],
    ["coupon", 2],
    ["apology_only", 3],
    ["free_service", 1],
    ["gift", 0.5],
  ],
  people: [
    ["apology_only", 4],
    ["coupon", 2],
    ["gift", 1],
    ["credit", 1],
  ],
  policy: [
    ["refund", 2],
    ["discount", 2],
    ["credit", 2],
    ["apology_only", 2],
    ["other", 1],
  ],
  communication: [
    ["credit", 3],
    ["coupon", 2],
    ["apology_only", 3],
    ["upgrade", 1],
    ["gift", 0.5],
  ],
  third_party: [
    ["replacement", 3],
    ["refund", 2],
    ["repair", 1.5],
    ["credit", 1],
    ["other", 1],
  ],
};
const REMEDY_MEDIAN_CENTS: Record<RemedyKind, number> = {
  refund: 4500,
  replacement: 12000,
  repair: 8000,
  credit: 2500,
  discount: 1500,
  coupon: 1000,
  free_service: 5000,
  upgrade: 3000,
  gift: 2500,
  apology_only: 0,
  other: 2000,
};
const SEVERITY_COST: Record<Severity, number> = { minor: 1, moderate: 1.5, major: 3, critical: 6 };

const FIRST_NAMES = [
  "Maria",
  "James",
  "Olivia",
  "Robert",
  "Emma",
  "Michael",
  "Ava",
  "David",
  "Sophia",
  "William",
  "Isabella",
  "Joseph",
  "Mia",
  "Thomas",
  "Charlotte",
  "Christopher",
  "Amelia",
  "Daniel",
  "Harper",
  "Matthew",
  "Evelyn",
  "Anthony",
  "Abigail",
  "Mark",
  "Emily",
  "Steven",
  "Elena",
  "Paul",
  "Grace",
  "Andrew",
  "Chloe",
  "Joshua",
  "Zoe",
  "Kevin",
  "Nora",
  "Brian",
  "Lily",
  "George",
  "Hannah",
  "Edward",
  "Aaliyah",
  "Ryan",
  "Leah",
  "Jacob",
  "Samira",
  "Nicholas",
  "Rosa",
  "Tyler",
  "Keiko",
  "Aaron",
  "Ngozi",
  "Jose",
  "Ines",
  "Kwame",
  "Fatou",
  "Dmitri",
  "Anya",
  "Raj",
  "Deepa",
  "Wei",
];
const LAST_NAMES = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Sanchez",
  "Clark",
  "Ramirez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Nguyen",
  "Hill",
  "Flores",
  "Green",
  "Adams",
  "Nelson",
  "Baker",
  "Hall",
  "Rivera",
  "Campbell",
  "Mitchell",
  "Carter",
  "Roberts",
  "Okoye",
  "Kowalski",
  "Novak",
  "Singh",
  "Patel",
  "Kim",
  "Cohen",
  "Murphy",
  "Sullivan",
  "Ahmed",
];
const BUSINESS_A = [
  "Lakeside",
  "Redwood",
  "Summit",
  "Harbor",
  "Maple",
  "Northgate",
  "Blue Ridge",
  "Riverbend",
  "Granite",
  "Oakwood",
  "Cedar",
  "Pioneer",
  "Silver Lake",
  "Westfield",
  "Brightside",
  "Copperleaf",
];
const BUSINESS_B = [
  "Dental",
  "Bakery",
  "Logistics",
  "Law Group",
  "Veterinary Clinic",
  "Realty",
  "Fitness",
  "Print Shop",
  "Accounting",
  "Auto Repair",
  "Cafe",
  "Architects",
  "Pharmacy",
  "Florist",
  "Insurance",
  "Medical Group",
];
const BUSINESS_C = ["", " LLC", " Inc.", " & Co.", " Partners"];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const ANGRY_CLOSERS = [
  "This is unacceptable.",
  "Sort it out today or I'm cancelling.",
  "I've been with you for years and I'm ready to leave.",
  "Honestly, I'm furious.",
  "Nobody seems to care.",
  "I want a manager to call me.",
  "",
];
const CALM_CLOSERS = [
  "Could you look into it, please?",
  "I'd just like it fixed.",
  "Thanks in advance.",
  "Not the end of the world, but annoying.",
  "",
];

const STEP_NOTES: Partial<Record<StepKey, string[]>> = {
  listen: [
    "Customer very upset; let them finish before asking anything.",
    "Long story, recorded as told.",
  ],
  validate: [
    "Confirmed the real worry is the money, not the delay.",
    "Admitted we don't know the cause yet.",
  ],
  apologize: [
    "Apologised specifically for the missed call-back.",
    "Apologised even though the customer entered the wrong details.",
  ],
  involve: [
    "Customer suggested a credit instead of a refund.",
    "Asked what a fair fix looks like; customer wants it working by Friday.",
  ],
  remedy: [
    "Offered refund or credit; customer chose credit.",
    "Asked 'what else can I do?' - customer asked for a written confirmation.",
  ],
  commit: [
    "Promised an update by end of tomorrow.",
    "Gave a date two days later than our estimate.",
  ],
  thank: ["Thanked them for taking the time to tell us."],
  follow_up: ["Called back: all working.", "Checked in; customer happy with the outcome."],
  wow: [
    "Sent a handwritten card and a month of premium channels.",
    "Upgraded the router at no charge.",
  ],
};
const NO_REMEDY_REASONS = [
  "Customer only wanted it on record.",
  "Resolved at first contact; no loss to the customer.",
  "Customer declined anything beyond the fix.",
  "Error on the customer's side; explained and apologised.",
];
const UPDATE_MESSAGES = [
  "We've escalated your case and expect an answer by {day}.",
  "Quick update: the fix is scheduled; we'll confirm once it's done.",
  "Still working on it - the team has confirmed the error and the correction is booked for {day}.",
  "No news yet, but you're not forgotten: next update on {day}.",
  "Your technician visit is booked for {day}, 8-12.",
];
const FOLLOW_UP_NOTES = {
  good: [
    "Customer happy; everything working since the fix.",
    "Thanked us for checking in.",
    "Says they've recommended us to a neighbour.",
  ],
  mid: ["Satisfied with the fix, still a bit wary.", "Fine now; asked us to keep an eye on it."],
  bad: [
    "Still unhappy; problem came back.",
    "Customer says they're looking at other providers.",
    "No improvement; re-escalated to the team lead.",
  ],
};

// ---------------------------------------------------------------- the world (reference ids)
interface StaffRow extends StaffDef {
  id: string;
}
interface CauseRow extends CauseDef {
  id: string;
  index: number;
  /** Day index from which a fix reduces the cause, and by how much. */
  fixDay: number;
  drop: number;
  remedyTable: WeightedTable<RemedyKind>;
  productTable: WeightedTable<ProductDef>;
}

interface World {
  seed: string;
  anchor: number;
  start: number;
  days: number;
  calendar: BusinessCalendar;
  teamIds: Record<TeamKey, string>;
  agentTables: Record<TeamKey, WeightedTable<StaffRow>>;
  stepIds: Record<StepKey, string>;
  causes: CauseRow[];
  productIds: Map<string, string>;
  dayTable: WeightedTable<number>;
  /** Per day, the table of causes in force then (fixes lower some). */
  causeTableByDay: WeightedTable<CauseRow>[];
  severityTable: WeightedTable<Severity>;
  channelTable: WeightedTable<Channel>;
  slaDueHours: Record<Severity, number>;
}

type Insert<T extends PgTable> = T["$inferInsert"];

class Rows {
  customers: Insert<typeof s.customers>[] = [];
  customerActivities: Insert<typeof s.customerActivities>[] = [];
  complaints: Insert<typeof s.complaints>[] = [];
  complaintSteps: Insert<typeof s.complaintSteps>[] = [];
  remedies: Insert<typeof s.remedies>[] = [];
  followUps: Insert<typeof s.followUps>[] = [];
  customerUpdates: Insert<typeof s.customerUpdates>[] = [];
  outcomes: Insert<typeof s.outcomes>[] = [];
  advocacySignals: Insert<typeof s.advocacySignals>[] = [];
  auditEvents: Insert<typeof s.auditEvents>[] = [];
}

// ---------------------------------------------------------------- entry point
export async function seedDemo(
  handle: DatabaseHandle,
  options: SeedDemoOptions = {},
): Promise<SeedDemoResult> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  if (await isDemoSeeded(handle.db)) {
    log("Demo organisation already present; nothing to do.");
    return { seeded: false, counts: {}, ms: Date.now() - started };
  }
  const total = Math.max(0, Math.floor(options.complaints ?? DEMO_DEFAULT_COMPLAINTS));
  const anchor = (options.anchor ?? todayUtc()).getTime();
  const seed = options.seed ?? DEMO_SEED;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const counts: Record<string, number> = {};

  await handle.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    await skipForeignKeyChecks(db);
    const world = await insertReferenceData(db, seed, anchor, passwordHash, counts);
    const chunkSize = 5_000;
    const logEvery = Math.max(1, Math.round(total / chunkSize / 20));
    let customerNo = 0;
    for (let chunk = 0, done = 0; done < total; chunk++) {
      const size = Math.min(chunkSize, total - done);
      const rows = new Rows();
      customerNo = generateChunk(
        world,
        Random.derive(seed, "chunk", chunk),
        size,
        customerNo,
        rows,
      );
      await insertChunk(db, rows, counts);
      done += size;
      if ((chunk + 1) % logEvery === 0 || done === total) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        log(
          `  ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} complaints (${seconds} s)`,
        );
      }
    }
  });
  return { seeded: true, counts, ms: Date.now() - started };
}

// ---------------------------------------------------------------- bulk insert
/**
 * Bulk loads skip the per-row foreign-key triggers when the role may (PGlite always; a superuser
 * on PostgreSQL): they are a third of the load time, and the generator only references rows it
 * has already written. Otherwise the checks simply stay on. Scoped to this transaction.
 */
async function skipForeignKeyChecks(db: Db): Promise<void> {
  // Asked first rather than tried: a failed statement would poison the transaction on postgres.js.
  const [role] = await queryRows<{ superuser: string }>(
    db,
    sql`select current_setting('is_superuser') as superuser`,
  );
  if (role?.superuser === "on") await db.execute(sql`set local session_replication_role = replica`);
}

const snakeNames = new Map<string, string>();
const snake = (key: string) => {
  let name = snakeNames.get(key);
  if (!name) {
    name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snakeNames.set(key, name);
  }
  return name;
};

/**
 * Inserts rows (camelCase keys, as Drizzle's insert types) in batches: each batch is one JSON
 * document read back with json_to_recordset, typed from the table's own column definitions.
 */
async function bulkInsert<T extends PgTable>(
  db: Db,
  table: T,
  rows: Insert<T>[],
  counts: Record<string, number>,
  batchSize = 2_000,
): Promise<void> {
  const name = getTableName(table);
  counts[name] = (counts[name] ?? 0) + rows.length;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    const keySet = new Set<string>();
    for (const row of batch) for (const key of Object.keys(row)) keySet.add(key);
    const keys = [...keySet];
    const target = keys.map((k) => `"${snake(k)}"`).join(", ");
    const source = keys.map((k) => `"${k}"`).join(", ");
    const types = keys
      .map((k) => {
        const column = columns[k];
        if (!column) throw new Error(`${name} has no column ${k}`);
        return `"${k}" ${column.getSQLType()}`;
      })
      .join(", ");
    const payload = JSON.stringify(batch);
    await db.execute(
      sql`insert into ${sql.identifier(name)} (${sql.raw(target)}) select ${sql.raw(source)} from json_to_recordset(${payload}::json) as x(${sql.raw(types)})`,
    );
  }
}

async function insertChunk(db: Db, rows: Rows, counts: Record<string, number>): Promise<void> {
  await bulkInsert(db, s.customers, rows.customers, counts);
  await bulkInsert(db, s.customerActivities, rows.customerActivities, counts, 4_000);
  await bulkInsert(db, s.complaints, rows.complaints, counts, 1_000);
  await bulkInsert(db, s.complaintSteps, rows.complaintSteps, counts, 5_000);
  await bulkInsert(db, s.remedies, rows.remedies, counts);
  await bulkInsert(db, s.followUps, rows.followUps, counts);
  await bulkInsert(db, s.customerUpdates, rows.customerUpdates, counts);
  await bulkInsert(db, s.outcomes, rows.outcomes, counts, 4_000);
  await bulkInsert(db, s.advocacySignals, rows.advocacySignals, counts);
  await bulkInsert(db, s.auditEvents, rows.auditEvents, counts, 4_000);
}

// ---------------------------------------------------------------- reference data
async function insertReferenceData(
  db: Db,
  seed: string,
  anchor: number,
  passwordHash: string,
  counts: Record<string, number>,
): Promise<World> {
  const rng = Random.derive(seed, "reference");
  const a = new Date(anchor);
  const start = Date.UTC(a.getUTCFullYear(), a.getUTCMonth() - 18, a.getUTCDate());
  const days = Math.round((anchor - start) / DAY);
  const orgCreated = new Date(start - 120 * DAY);
  const count = (name: string, n: number) => (counts[name] = (counts[name] ?? 0) + n);

  await db
    .insert(s.organisations)
    .values({ id: DEMO_ORG_ID, name: DEMO_ORG_NAME, currency: "USD", createdAt: orgCreated });
  count("organisations", 1);

  const teamIds = {} as Record<TeamKey, string>;
  for (const team of TEAMS) teamIds[team.key] = rng.uuid();
  await db.insert(s.teams).values(
    TEAMS.map((t) => ({
      orgId: DEMO_ORG_ID,
      id: teamIds[t.key],
      name: t.name,
      createdAt: orgCreated,
    })),
  );
  count("teams", TEAMS.length);

  const staff: StaffRow[] = STAFF.map((def) => ({ ...def, id: rng.uuid() }));
  await db.insert(s.users).values(
    staff.map((u) => ({
      orgId: DEMO_ORG_ID,
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      passwordHash,
      createdAt: orgCreated,
    })),
  );
  await db
    .insert(s.userLogins)
    .values(staff.map((u) => ({ email: u.email.toLowerCase(), orgId: DEMO_ORG_ID, userId: u.id })));
  const memberships = staff.flatMap((u) =>
    u.teams.map((t) => ({ orgId: DEMO_ORG_ID, teamId: teamIds[t], userId: u.id })),
  );
  await db.insert(s.teamMemberships).values(memberships);
  count("users", staff.length);
  count("user_logins", staff.length);
  count("team_memberships", memberships.length);

  const agentTables = {} as Record<TeamKey, WeightedTable<StaffRow>>;
  for (const team of TEAMS) {
    const agents = staff.filter((u) => u.role === "agent" && u.teams.includes(team.key));
    agentTables[team.key] = weightedTable(
      agents,
      agents.map((u) => u.load ?? 1),
    );
  }
  const staffByName = new Map(staff.map((u) => [u.name, u]));

  // Products, with sub-products under their parent.
  const productIds = new Map<string, string>();
  const productRows: Insert<typeof s.products>[] = [];
  for (const p of PRODUCTS) {
    const id = rng.uuid();
    productIds.set(p.key, id);
    productRows.push({
      orgId: DEMO_ORG_ID,
      id,
      name: p.name,
      parentId: null,
      createdAt: orgCreated,
    });
    for (const sub of p.subs) {
      const subId = rng.uuid();
      productIds.set(`${p.key}/${sub}`, subId);
      productRows.push({
        orgId: DEMO_ORG_ID,
        id: subId,
        name: sub,
        parentId: id,
        createdAt: orgCreated,
      });
    }
  }
  await db.insert(s.products).values(productRows.filter((p) => p.parentId === null));
  await db.insert(s.products).values(productRows.filter((p) => p.parentId !== null));
  count("products", productRows.length);

  // Root-cause taxonomy.
  const categoryIds = new Map<CategoryKey, string>();
  for (const c of CATEGORIES) categoryIds.set(c.key, rng.uuid());
  await db.insert(s.rootCauseCategories).values(
    CATEGORIES.map((c, i) => ({
      orgId: DEMO_ORG_ID,
      id: categoryIds.get(c.key)!,
      key: c.key,
      name: c.name,
      position: i,
    })),
  );
  count("root_cause_categories", CATEGORIES.length);

  const causes: CauseRow[] = CAUSES.map((def, index) => {
    const action = ACTIONS.find((x) => x.causeIndex === index && x.doneMonthsAgo !== undefined);
    const fixDay =
      action?.doneMonthsAgo !== undefined
        ? Math.round(days - action.doneMonthsAgo * 30.44)
        : Infinity;
    const kinds = REMEDY_KINDS[def.category];
    const products = PRODUCTS.filter((p) => def.products.includes(p.key));
    return {
      ...def,
      id: rng.uuid(),
      index,
      fixDay,
      drop: action?.drop ?? 0,
      remedyTable: weightedTable(
        kinds.map((k) => k[0]),
        kinds.map((k) => k[1]),
      ),
      productTable: weightedTable(
        products,
        products.map((p) => p.weight),
      ),
    };
  });
  await db.insert(s.rootCauses).values(
    causes.map((c) => ({
      orgId: DEMO_ORG_ID,
      id: c.id,
      categoryId: categoryIds.get(c.category)!,
      name: c.name,
      description: c.paraphrase.replace(/\{\w+\}/g, "…").replace(/^you /, "Customer "),
      recurrenceWindowWeeks: c.weight <= LONG_WINDOW_WEIGHT ? 12 : 8,
      createdAt: orgCreated,
    })),
  );
  count("root_causes", causes.length);

  // Playbook.
  const stepIds = {} as Record<StepKey, string>;
  for (const step of PLAYBOOK) stepIds[step.key] = rng.uuid();
  await db.insert(s.playbookSteps).values(
    PLAYBOOK.map((p, i) => ({
      orgId: DEMO_ORG_ID,
      id: stepIds[p.key],
      key: p.key,
      name: p.name,
      guidance: p.guidance,
      position: i + 1,
      required: p.required,
      customerFacing: true,
    })),
  );
  count("playbook_steps", PLAYBOOK.length);

  // SLA policy, targets and holidays.
  const policyId = rng.uuid();
  await db.insert(s.slaPolicies).values({
    orgId: DEMO_ORG_ID,
    id: policyId,
    name: "Standard support hours",
    timezone: "America/New_York",
    workingDays: [1, 2, 3, 4, 5],
    workdayStartMinute: OPEN_MIN,
    workdayEndMinute: CLOSE_MIN,
    closedLoopHours: 48,
    isDefault: true,
    createdAt: orgCreated,
  });
  await db.insert(s.slaTargets).values(
    SEVERITY_KEYS.map((severity) => ({
      orgId: DEMO_ORG_ID,
      policyId,
      severity,
      firstResponseHours: SLA_TARGETS[severity].firstResponse,
      resolutionHours: SLA_TARGETS[severity].resolution,
      businessHours: true,
    })),
  );
  const firstDay = Math.floor(start / DAY) - 7;
  const lastDay = Math.floor(anchor / DAY) + 366;
  const holidays: { day: number; name: string }[] = [];
  for (let y = new Date(start).getUTCFullYear() - 1; y <= a.getUTCFullYear() + 1; y++) {
    for (const h of usFederalHolidays(y))
      if (h.day >= firstDay && h.day <= lastDay) holidays.push(h);
  }
  await db
    .insert(s.holidays)
    .values(
      holidays.map((h) => ({ orgId: DEMO_ORG_ID, policyId, day: isoDate(h.day), name: h.name })),
    );
  count("sla_policies", 1);
  count("sla_targets", SEVERITY_KEYS.length);
  count("holidays", holidays.length);
  const calendar = new BusinessCalendar(new Set(holidays.map((h) => h.day)));

  // Corrective actions on the top causes.
  const actionRows: Insert<typeof s.correctiveActions>[] = ACTIONS.map((act) => {
    const cause = causes[act.causeIndex]!;
    const owner = staffByName.get(act.owner);
    const doneAt =
      act.doneMonthsAgo !== undefined
        ? calendar.nextOpen(start + cause.fixDay * DAY - DAY + 14 * HOUR)
        : null;
    const createdAt = new Date(
      (doneAt ?? anchor - rng.range(10, 40) * DAY) - rng.range(45, 90) * DAY,
    );
    const verified = act.status === "verified" && doneAt !== null;
    const verifiedAt = verified
      ? Math.min(anchor - DAY, doneAt + rng.range(9, 12) * 7 * DAY)
      : null;
    return {
      orgId: DEMO_ORG_ID,
      id: rng.uuid(),
      rootCauseId: cause.id,
      title: act.title,
      description: act.description,
      ownerId: owner?.id ?? null,
      status: act.status,
      dueAt: new Date(
        doneAt !== null ? doneAt + rng.range(-10, 3) * DAY : anchor + rng.range(20, 60) * DAY,
      ),
      doneAt: doneAt !== null ? new Date(doneAt) : null,
      verifiedAt: verifiedAt !== null ? new Date(verifiedAt) : null,
      verificationNote: verified
        ? `Weekly complaints for "${cause.name}" fell by about ${Math.round((act.drop ?? 0) * 100)}% in the 8 weeks after the change compared with the 8 weeks before; verified effective.`
        : null,
      version: 1,
      createdAt,
    };
  });
  await db.insert(s.correctiveActions).values(actionRows);
  count("corrective_actions", actionRows.length);

  // Complaint intensity per day: season × weekday × growth × the causes still in force.
  const causeTableByDay: WeightedTable<CauseRow>[] = [];
  const dayWeights: number[] = [];
  const eraTables = new Map<string, WeightedTable<CauseRow>>();
  for (let d = 0; d < days; d++) {
    const weights = causes.map((c) => c.weight * (d >= c.fixDay ? 1 - c.drop : 1));
    const era = causes.map((c) => (d >= c.fixDay ? 1 : 0)).join("");
    let table = eraTables.get(era);
    if (!table) {
      table = weightedTable(causes, weights);
      eraTables.set(era, table);
    }
    causeTableByDay.push(table);
    const date = new Date(start + d * DAY);
    dayWeights.push(
      SEASON[date.getUTCMonth()]! *
        WEEKDAY[date.getUTCDay()]! *
        (0.68 + (0.9 * d) / days) *
        table.total,
    );
  }

  return {
    seed,
    anchor,
    start,
    days,
    calendar,
    teamIds,
    agentTables,
    stepIds,
    causes,
    productIds,
    dayTable: weightedTable(
      dayWeights.map((_, i) => i),
      dayWeights,
    ),
    causeTableByDay,
    severityTable: weightedTable(SEVERITY_KEYS, SEVERITY_WEIGHTS),
    channelTable: weightedTable(CHANNEL_KEYS, CHANNEL_WEIGHTS),
    slaDueHours: {
      minor: SLA_TARGETS.minor.resolution,
      moderate: SLA_TARGETS.moderate.resolution,
      major: SLA_TARGETS.major.resolution,
      critical: SLA_TARGETS.critical.resolution,
    },
  };
}

// ---------------------------------------------------------------- customers and complaints
type Segment = (typeof DEMO_SEGMENTS)[number];
type Handling = "fast" | "slow" | "none";

interface CustomerCtx {
  id: string;
  segment: Segment;
  name: string;
}

interface ComplaintFacts {
  id: string;
  received: number;
  closed: number | null;
  retained: boolean;
  /** When the customer would cancel (churners only), before the anchor or not. */
  cancelAt: number | null;
  latentNps: number;
  outcome: Insert<typeof s.outcomes> | null;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const money = (cents: number, currency = "USD") =>
  `${currency === "USD" ? "$" : currency === "EUR" ? "€" : "£"}${(cents / 100).toFixed(2)}`;

function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => slots[key] ?? "");
}

/** NPS from a latent recovery score. */
function npsFromScore(z: number): number {
  const cuts = [1.6, 1.0, 0.6, 0.2, -0.2, -0.6, -1.0, -1.4, -1.8, -2.3];
  for (let i = 0; i < cuts.length; i++) if (z >= cuts[i]!) return 10 - i;
  return 0;
}

function sentimentFromNps(rng: Random, nps: number): number {
  if (nps >= 9) return rng.bernoulli(0.7) ? 5 : 4;
  if (nps >= 7) return rng.bernoulli(0.6) ? 4 : 3;
  if (nps >= 5) return rng.bernoulli(0.6) ? 3 : 2;
  return rng.bernoulli(0.6) ? 1 : 2;
}

/** Survey score of a customer with no complaint: NPS about +20. */
function baselineScore(rng: Random): number {
  const band = rng.weightedIndex([42, 36, 22]);
  if (band === 0) return rng.bernoulli(0.55) ? 9 : 10;
  if (band === 1) return rng.bernoulli(0.5) ? 7 : 8;
  return rng.weighted([0, 1, 2, 3, 4, 5, 6], [0.5, 0.5, 1, 1.5, 2, 3, 3.5]);
}

function newCustomer(
  rng: Random,
  no: number,
  rows: Rows,
): CustomerCtx & { row: Insert<typeof s.customers> } {
  const segment = rng.weighted(DEMO_SEGMENTS, [72, 21, 7]);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  let name: string;
  let email: string;
  if (segment === "consumer") {
    name = `${first} ${last}`;
    email =
      `${first}.${last}${rng.int(1, 99)}@${rng.pick(["example.com", "example.net", "example.org"])}`.toLowerCase();
  } else {
    name = `${rng.pick(BUSINESS_A)} ${rng.pick(BUSINESS_B)}${rng.pick(BUSINESS_C)}`;
    email = `${first}.${last}@${name
      .toLowerCase()
      .replace(/[^a-z]/g, "")
      .slice(0, 24)}.example.com`.toLowerCase();
  }
  const row: Insert<typeof s.customers> = {
    orgId: DEMO_ORG_ID,
    id: rng.uuid(),
    name,
    email,
    phone: `(${rng.int(201, 989)}) 555-01${String(rng.int(0, 99)).padStart(2, "0")}`,
    segment,
    lifetimeValueMinor: 0,
    currency: "USD",
    externalRef: `CUST-${String(no).padStart(6, "0")}`,
    createdAt: new Date(0),
  };
  rows.customers.push(row);
  return { id: row.id!, segment, name, row };
}

/** Fills the chunk with `size` complaints and their customers; returns the next customer number. */
function generateChunk(
  w: World,
  rng: Random,
  size: number,
  customerNo: number,
  rows: Rows,
): number {
  let made = 0;
  while (made < size) {
    const customer = newCustomer(rng, ++customerNo, rows);
    const planned = Math.min(size - made, 1 + rng.weightedIndex([52, 23, 12, 8, 5]));
    const days = Array.from({ length: planned }, () => rng.fromTable(w.dayTable)).sort(
      (x, y) => x - y,
    );
    const facts: ComplaintFacts[] = [];
    let previous: { day: number; cause: CauseRow } | null = null;
    for (const day of days) {
      let cause = rng.fromTable(w.causeTableByDay[day]!);
      // Repeat complaints: the same problem again within a few months.
      if (previous && day - previous.day < 120 && rng.bernoulli(0.5)) {
        const fixed = day >= previous.cause.fixDay && rng.bernoulli(previous.cause.drop);
        if (!fixed) cause = previous.cause;
      }
      const f = generateComplaint(w, rng, customer, day, cause, rows);
      facts.push(f);
      made++;
      previous = { day, cause };
      if (!f.retained) break; // a churned customer does not come back to complain again
    }
    generateActivities(w, rng, customer.row, facts, rows);
  }
  // Customers who never complained, for the retention and NPS comparisons.
  const quiet = Math.round(size * 0.5);
  for (let i = 0; i < quiet; i++) {
    const customer = newCustomer(rng, ++customerNo, rows);
    generateActivities(w, rng, customer.row, [], rows);
  }
  return customerNo;
}

function receivedTime(w: World, rng: Random, day: number, channel: Channel): number {
  const dayStart = w.start + day * DAY;
  let minute: number;
  if (SYNC_CHANNELS.has(channel)) minute = clamp(rng.normal(13 * 60, 150), 8 * 60, 19 * 60);
  else if (channel === "letter") minute = rng.range(9.5 * 60, 16 * 60);
  else minute = ((rng.normal(13 * 60, 270) % 1440) + 1440) % 1440;
  let t = toUtc(dayStart + minute * MIN);
  if (t > w.anchor - 10 * MIN) t = w.anchor - rng.range(10, 360) * MIN;
  return Math.round(t / 1000) * 1000;
}

/** The next working moment after t, with a little human delay. */
function working(w: World, rng: Random, t: number): number {
  const open = w.calendar.nextOpen(t);
  return open === t ? t : open + rng.range(2, 75) * MIN;
}

function generateComplaint(
  w: World,
  rng: Random,
  customer: CustomerCtx,
  day: number,
  cause: CauseRow,
  rows: Rows,
): ComplaintFacts {
  const anchor = w.anchor;
  const id = rng.uuid();
  const channel = rng.fromTable(w.channelTable);
  const sync = SYNC_CHANNELS.has(channel);
  const received = receivedTime(w, rng, day, channel);

  let severity = rng.fromTable(w.severityTable);
  if (cause.tilt && rng.bernoulli(cause.tilt * 0.35))
    severity = rng.weighted(SEVERITY_KEYS, [0, 1, 3, 1.2]);
  const major = severity === "major" || severity === "critical";

  // Intake: angry means sentiment ≤ 2 or NPS 0–6.
  const angry = rng.bernoulli(ANGRY_P[severity]);
  let hasSentiment = rng.bernoulli(0.85);
  const hasNps = rng.bernoulli(0.35);
  if (angry && !hasSentiment && !hasNps) hasSentiment = true;
  const intakeSentiment = hasSentiment
    ? angry
      ? rng.bernoulli(0.55)
        ? 1
        : 2
      : rng.weighted([3, 4, 5], [68, 27, 5])
    : null;
  const intakeNps = hasNps
    ? angry
      ? rng.weighted([0, 1, 2, 3, 4, 5, 6], [20, 10, 12, 14, 14, 15, 15])
      : rng.weighted([7, 8, 9, 10], [40, 35, 15, 10])
    : null;

  // Routing.
  let teamKey: TeamKey;
  if (cause.category === "billing" && rng.bernoulli(0.75)) teamKey = "billing";
  else if (
    (severity === "critical" && rng.bernoulli(0.6)) ||
    (severity === "major" && rng.bernoulli(0.15))
  )
    teamKey = "esc";
  else teamKey = rng.bernoulli(0.5) ? "east" : "west";
  const owner = rng.fromTable(w.agentTables[teamKey]);
  const profile = PROFILES[owner.profile ?? "average"];

  const product = rng.fromTable(cause.productTable);
  const productKey =
    product.subs.length > 0 && rng.bernoulli(0.75)
      ? `${product.key}/${rng.pick(product.subs)}`
      : product.key;
  const productName = productKey.includes("/") ? productKey.split("/")[1]! : product.name;

  // Handling plan (may run past the anchor; cut back to what has happened by then).
  const firstResponse = sync
    ? received + rng.range(0.5, 8) * MIN
    : working(
        w,
        rng,
        received + rng.lognormal(RESPONSE_MEDIAN_MIN[severity] * profile.responseFactor, 1.1) * MIN,
      );
  const neverResolved = rng.bernoulli(
    NEVER_RESOLVED_P[severity] * (profile.speed < 0 ? 1.4 : profile.speed > 0 ? 0.7 : 1),
  );
  const fastPlan =
    !neverResolved &&
    rng.bernoulli(
      clamp(
        FAST_P[severity] +
          profile.speed +
          (sync ? 0.08 : -0.04) +
          (channel === "letter" ? -0.3 : 0),
        0.05,
        0.95,
      ),
    );
  const onCall = fastPlan && sync && rng.bernoulli(0.4);

  // Playbook steps at first contact.
  const skip = profile.skip;
  const stepRows: Insert<typeof s.complaintSteps>[] = [];
  let cursor = firstResponse;
  let firstStep = true;
  const doStep = (key: StepKey, at: number) => {
    const t = Math.max(at, cursor);
    if (t > anchor) return false;
    const notes = STEP_NOTES[key];
    stepRows.push({
      orgId: DEMO_ORG_ID,
      id: rng.uuid(),
      complaintId: id,
      stepId: w.stepIds[key],
      doneBy: owner.id,
      doneAt: new Date(firstStep ? firstResponse : t),
      note: notes && rng.bernoulli(0.06) ? rng.pick(notes) : null,
    });
    firstStep = false;
    cursor = t + rng.range(1, 4) * MIN;
    return true;
  };
  const done = new Set<StepKey>();
  for (const key of ["listen", "validate", "empathize", "apologize", "involve"] as const) {
    if (!rng.bernoulli(skip[key] ?? 0) && doStep(key, cursor)) done.add(key);
  }

  // Resolution time (final, after any reopening).
  let resolved: number | null = null;
  let reopenCount = 0;
  if (!neverResolved) {
    if (onCall) resolved = cursor + rng.range(8, 25) * MIN;
    else if (fastPlan)
      resolved = working(
        w,
        rng,
        Math.min(received + 46 * HOUR, firstResponse + rng.lognormal(5 * HOUR, 1)),
      );
    else
      resolved = working(
        w,
        rng,
        received + 2 * DAY + Math.min(55 * DAY, rng.lognormal(4.5 * DAY, 0.8)),
      );
    resolved = Math.max(resolved, cursor + 10 * MIN);
    if (rng.bernoulli(0.04)) {
      reopenCount = rng.bernoulli(0.15) ? 2 : 1;
      resolved = working(w, rng, resolved + reopenCount * rng.range(1, 7) * DAY);
    }
  }
  const handling: Handling =
    resolved === null ? "none" : resolved - received <= 48 * HOUR ? "fast" : "slow";

  // Remedies.
  const remedyRows: Insert<typeof s.remedies>[] = [];
  let remedyDelivered = 0; // 1 full remedy, 0.4 apology only
  let remedyDeclined = false;
  const wantsRemedy = rng.bernoulli(major ? 0.85 : severity === "moderate" ? 0.76 : 0.7);
  const resolvedOrLater = resolved ?? firstResponse + rng.range(1, 6) * DAY;
  const enterprise =
    customer.segment === "enterprise" ? 3 : customer.segment === "small business" ? 1.6 : 1;
  const currency = rng.bernoulli(0.05) ? rng.pick(["EUR", "GBP"]) : "USD";
  const offerRemedy = (offered: number, secondTry: boolean) => {
    if (offered > anchor) return;
    const kind = rng.fromTable(cause.remedyTable);
    const cost =
      kind === "apology_only"
        ? 0
        : Math.round(
            rng.lognormal(REMEDY_MEDIAN_CENTS[kind] * SEVERITY_COST[severity] * enterprise, 0.5) /
              100,
          ) * 100;
    const decidedPlan = offered + (sync ? rng.range(1, 10) * MIN : rng.lognormal(6 * HOUR, 1));
    const decided = decidedPlan <= anchor ? decidedPlan : null;
    const decision =
      decided === null
        ? "pending"
        : rng.bernoulli(neverResolved ? 0.55 : secondTry ? 0.93 : 0.86)
          ? "accepted"
          : "declined";
    let delivered: number | null = null;
    if (decision === "accepted" && decided !== null) {
      if (resolved !== null && resolved <= anchor)
        delivered = Math.max(decided, resolved - rng.range(0, 3) * HOUR);
      else if (neverResolved && rng.bernoulli(0.2)) delivered = decided + rng.range(1, 5) * DAY;
      if (delivered !== null && delivered > anchor) delivered = null;
    }
    if (delivered !== null)
      remedyDelivered = Math.max(remedyDelivered, kind === "apology_only" ? 0.4 : 1);
    if (decision === "declined") remedyDeclined = true;
    const slots = {
      cost: money(cost, currency),
      product: productName,
      pct: String(rng.pick([10, 15, 20, 25])),
    };
    remedyRows.push({
      orgId: DEMO_ORG_ID,
      id: rng.uuid(),
      complaintId: id,
      kind,
      description: fill(REMEDY_TEXT[kind], slots),
      costMinor: cost,
      currency: kind === "apology_only" ? "USD" : currency,
      suggestedByCustomer: rng.bernoulli(0.2),
      offeredAt: new Date(offered),
      offeredBy: owner.id,
      decision,
      decidedAt: decided !== null ? new Date(decided) : null,
      deliveredAt: delivered !== null ? new Date(delivered) : null,
    });
    if (decision === "declined" && !secondTry && rng.bernoulli(0.6))
      offerRemedy(decided! + rng.range(1, 30) * HOUR, true);
  };
  let remedyAt: number | null = null;
  if (wantsRemedy) {
    remedyAt =
      sync && (onCall || rng.bernoulli(0.5))
        ? cursor
        : Math.max(cursor, firstResponse + rng.range(0.2, 0.7) * (resolvedOrLater - firstResponse));
    if (remedyAt <= anchor) {
      offerRemedy(remedyAt, false);
      if (doStep("remedy", remedyAt)) done.add("remedy");
    }
  }

  // Commitment: a promised date, mostly kept.
  let promisedBy: number | null = null;
  const committing = !rng.bernoulli(skip.commit ?? 0);
  if (committing && doStep("commit", cursor)) {
    done.add("commit");
    if (rng.bernoulli(0.7)) {
      const at = cursor;
      if (resolved === null) promisedBy = at + rng.range(1, 6) * DAY;
      else if (rng.bernoulli(profile.promiseKept)) promisedBy = resolved + rng.range(2, 60) * HOUR;
      else {
        const broken = at + (resolved - at) * rng.range(0.3, 0.85);
        promisedBy = broken > at + HOUR ? broken : resolved + rng.range(2, 24) * HOUR;
      }
    }
  }
  if (onCall && resolved !== null) resolved = Math.max(resolved, cursor + 2 * MIN);

  // Closing.
  let closed: number | null = null;
  let unreachable = false;
  if (resolved !== null) closed = working(w, rng, resolved + rng.lognormal(2.5 * DAY, 0.7));
  else if (rng.bernoulli(received > anchor - 120 * DAY ? 0.8 : 0.95)) {
    // Most unresolved cases are closed in the end (gave up, unreachable); a few stay open, ageing.
    closed = working(w, rng, received + rng.range(14, 60) * DAY);
    unreachable = rng.bernoulli(0.45);
  }

  // Follow-ups after resolution.
  const followRows: Insert<typeof s.followUps>[] = [];
  let followDoneAt: number | null = null;
  if (resolved !== null && rng.bernoulli(profile.followUp)) {
    const gaps = [1, 7, 30];
    let due = working(w, rng, resolved + rng.weighted(gaps, [45, 35, 20]) * DAY);
    for (let n = 0; n < 2; n++) {
      let doneAt: number | null = null;
      if (due <= anchor) {
        const p = due < anchor - 21 * DAY ? 1 : 0.6;
        if (rng.bernoulli(p)) {
          const t = working(w, rng, due + rng.lognormal(3 * HOUR, 1));
          if (t <= anchor) doneAt = t;
        }
      }
      followRows.push({
        orgId: DEMO_ORG_ID,
        id: rng.uuid(),
        complaintId: id,
        dueAt: new Date(due),
        doneAt: doneAt !== null ? new Date(doneAt) : null,
        doneBy: doneAt !== null ? owner.id : null,
        channel: rng.weighted<Channel>(["phone", "email", "chat"], [6, 3, 1]),
        sentiment: null,
        nps: null,
        note: null,
        createdAt: new Date(Math.min(resolved, anchor)),
      });
      if (doneAt !== null && followDoneAt === null) followDoneAt = doneAt;
      if (doneAt === null || !rng.bernoulli(0.12)) break;
      due = working(w, rng, due + 30 * DAY);
    }
  }

  // Closing steps.
  if (
    resolved !== null &&
    resolved <= anchor &&
    !rng.bernoulli(skip.thank ?? 0) &&
    doStep("thank", resolved)
  )
    done.add("thank");
  if (followDoneAt !== null && doStep("follow_up", followDoneAt)) done.add("follow_up");
  if (
    resolved !== null &&
    resolved <= anchor &&
    rng.bernoulli(profile.wow * (remedyDelivered > 0 ? 1 : 0.5))
  ) {
    if (doStep("wow", (followDoneAt ?? resolved) + rng.range(0.5, 3) * HOUR)) done.add("wow");
  }
  let requiredDone = 0;
  for (const key of done) if (key !== "wow") requiredDone++;
  const adherence = requiredDone / REQUIRED_STEPS;

  // Keeping the customer informed while it drags on.
  const updateRows: Insert<typeof s.customerUpdates>[] = [];
  const openUntil = Math.min(resolved ?? closed ?? anchor, anchor);
  if (openUntil - firstResponse > 2 * DAY && rng.bernoulli(0.55)) {
    const n = rng.int(1, 3);
    for (let i = 1; i <= n; i++) {
      const t = working(w, rng, firstResponse + ((openUntil - firstResponse) * i) / (n + 1));
      if (t >= openUntil) break;
      const nextDay = WEEKDAYS[new Date(toLocal(t + rng.int(1, 3) * DAY)).getUTCDay()]!;
      updateRows.push({
        orgId: DEMO_ORG_ID,
        id: rng.uuid(),
        complaintId: id,
        sentAt: new Date(t),
        sentBy: owner.id,
        channel: rng.bernoulli(0.7) ? "email" : "phone",
        message: fill(rng.pick(UPDATE_MESSAGES), { day: nextDay }),
      });
    }
  }

  // Retention follows the classic finding; the outcome follows the handling.
  const retained = rng.bernoulli(RETENTION[major ? "major" : "minor"][handling]);
  const promiseKept = promisedBy === null ? null : resolved !== null && resolved <= promisedBy;
  let z = handling === "fast" ? 1.0 : handling === "slow" ? 0 : -0.5;
  z += 1.2 * (adherence - 0.75);
  z += remedyDelivered > 0 ? 0.5 * remedyDelivered : remedyDeclined ? -0.2 : -0.3;
  z += promiseKept === null ? 0 : promiseKept ? 0.4 : -0.6;
  z += done.has("wow") ? 0.4 : 0;
  z -= reopenCount > 0 ? 0.5 : 0;
  z -= (angry ? 0.3 : 0) + (major ? 0.2 : 0);
  z += retained ? 0.3 : -1.0;
  const latentNps = npsFromScore(z + rng.normal(0, 0.9));

  for (const f of followRows) {
    if (f.doneAt === null) continue;
    const nps = clamp(latentNps + rng.int(-1, 1), 0, 10);
    if (rng.bernoulli(0.8)) f.nps = nps;
    if (rng.bernoulli(0.9)) f.sentiment = sentimentFromNps(rng, nps);
    if (rng.bernoulli(0.4))
      f.note = rng.pick(
        nps >= 9 ? FOLLOW_UP_NOTES.good : nps >= 7 ? FOLLOW_UP_NOTES.mid : FOLLOW_UP_NOTES.bad,
      );
  }

  // Status as of the anchor.
  const responded = firstResponse <= anchor;
  const resolvedNow = resolved !== null && resolved <= anchor ? resolved : null;
  const closedNow =
    responded && closed !== null && closed <= anchor && (resolved === null || resolvedNow !== null)
      ? closed
      : null;
  const status = !responded
    ? "new"
    : closedNow !== null
      ? "closed"
      : resolvedNow !== null
        ? "resolved"
        : "in_progress";

  // Words: the customer's story, the summary, the paraphrase.
  const slots = {
    product: productName,
    amount: money(Math.round(rng.lognormal(4200, 0.6) / 100) * 100),
    days: String(rng.int(3, 21)),
    weekday: WEEKDAYS[(new Date(toLocal(received)).getUTCDay() + 7 - rng.int(1, 6)) % 7]!,
    order: `#HL-${rng.int(100000, 999999)}`,
  };
  const story =
    `${fill(rng.pick(cause.stories), slots)} ${rng.pick(angry ? ANGRY_CLOSERS : CALM_CLOSERS)}`.trim();
  const assignCause = resolvedNow !== null && rng.bernoulli(0.85);
  const createdAt = received + (channel === "web" ? 0 : rng.range(1, 4) * MIN);
  const updatedAt = Math.min(
    anchor,
    Math.max(createdAt, closedNow ?? resolvedNow ?? (responded ? cursor : createdAt)),
  );

  rows.complaints.push({
    orgId: DEMO_ORG_ID,
    id,
    customerId: customer.id,
    receivedAt: new Date(received),
    channel,
    productId: w.productIds.get(productKey) ?? null,
    teamId: w.teamIds[teamKey],
    ownerId: owner.id,
    severity,
    summary: fill(rng.pick(cause.summaries), slots).slice(0, 300),
    story,
    paraphrase: done.has("validate")
      ? `What bothered you is that ${fill(cause.paraphrase, slots)}. Is that correct?`
      : null,
    intakeSentiment,
    intakeNps,
    status,
    slaDueAt: new Date(w.calendar.addHours(received, w.slaDueHours[severity])),
    promisedBy: responded && promisedBy !== null ? new Date(promisedBy) : null,
    firstResponseAt: responded ? new Date(firstResponse) : null,
    resolvedAt: resolvedNow !== null ? new Date(resolvedNow) : null,
    closedAt: closedNow !== null ? new Date(closedNow) : null,
    reopenCount: resolvedNow !== null ? reopenCount : 0,
    noRemedyReason:
      remedyRows.length === 0 && closedNow !== null && resolvedNow !== null && rng.bernoulli(0.6)
        ? rng.pick(NO_REMEDY_REASONS)
        : null,
    customerUnreachable: closedNow !== null && resolvedNow === null && unreachable,
    rootCauseId: assignCause ? cause.id : null,
    fiveWhys: assignCause && rng.bernoulli(0.3) ? cause.whys : null,
    regulatedIssueId: null,
    timelyResponse: null,
    externalRef: null,
    version: 1,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
  });
  if (responded) {
    rows.complaintSteps.push(...stepRows);
    rows.remedies.push(...remedyRows);
    rows.followUps.push(...followRows);
    rows.customerUpdates.push(...updateRows);
  }
  rows.auditEvents.push({
    orgId: DEMO_ORG_ID,
    id: rng.uuid(),
    occurredAt: new Date(createdAt),
    actorKind: channel === "web" ? "system" : "user",
    actorId: channel === "web" ? null : owner.id,
    entity: "complaint",
    entityId: id,
    complaintId: id,
    action: "complaint.created",
    before: null,
    after: { status: "new", severity, channel },
  });

  const outcome: Insert<typeof s.outcomes> | null =
    closedNow !== null
      ? {
          orgId: DEMO_ORG_ID,
          complaintId: id,
          finalNps: rng.bernoulli(0.85) ? latentNps : null,
          finalSentiment: rng.bernoulli(0.9) ? sentimentFromNps(rng, latentNps) : null,
          churnedAt: null,
          recordedAt: new Date(closedNow),
          recordedBy: owner.id,
        }
      : null;
  if (outcome && outcome.finalNps === null && outcome.finalSentiment === null)
    outcome.finalNps = latentNps;
  if (outcome) rows.outcomes.push(outcome);

  // A churner cancels some weeks after complaining (after the resolution, if any).
  const cancelAt = retained
    ? null
    : Math.max(
        received + rng.range(5, 70) * DAY,
        Math.min(resolved ?? 0, received + 80 * DAY) + DAY,
      );
  return {
    id,
    received,
    closed: closedNow,
    retained,
    cancelAt: cancelAt === null ? null : Math.min(cancelAt, received + 85 * DAY),
    latentNps,
    outcome,
  };
}

const REMEDY_TEXT: Record<RemedyKind, string> = {
  refund: "Refund of {cost} to the original payment method",
  replacement: "Replacement {product} sent by express courier",
  repair: "Technician repair visit at no charge",
  credit: "Account credit of {cost}",
  discount: "{pct}% off the next three bills",
  coupon: "Voucher worth {cost}",
  free_service: "One month of {product} free",
  upgrade: "Free upgrade to the next plan tier for six months",
  gift: "Gift basket with a handwritten note",
  apology_only: "Personal apology from the team lead",
  other: "Waived the reconnection and late fees",
};

// ---------------------------------------------------------------- customer activity
const SEGMENT_ACTIVITY: Record<
  Segment,
  { gapDays: number; kind: "purchase" | "renewal"; medianCents: number }
> = {
  consumer: { gapDays: 150, kind: "purchase", medianCents: 8000 },
  "small business": { gapDays: 91, kind: "renewal", medianCents: 48000 },
  enterprise: { gapDays: 91, kind: "renewal", medianCents: 600000 },
};

/**
 * Purchases and renewals around the customer's complaints: a regular rhythm, a purchase inside
 * 90 days after every complaint the customer stayed through, and a cancellation (then silence)
 * after the one they left over. Customers without complaints mostly stay and answer surveys.
 */
function generateActivities(
  w: World,
  rng: Random,
  customer: Insert<typeof s.customers>,
  facts: ComplaintFacts[],
  rows: Rows,
): void {
  const anchor = w.anchor;
  const spec = SEGMENT_ACTIVITY[customer.segment as Segment];
  const amount = rng.lognormal(spec.medianCents, 0.5);
  const activities: Insert<typeof s.customerActivities>[] = [];
  const add = (
    kind: Insert<typeof s.customerActivities>["kind"],
    at: number,
    amountMinor: number,
    score: number | null = null,
    note: string | null = null,
  ) => {
    activities.push({
      orgId: DEMO_ORG_ID,
      id: rng.uuid(),
      customerId: customer.id!,
      kind,
      occurredAt: new Date(Math.round(at / 1000) * 1000),
      amountMinor,
      currency: "USD",
      score,
      externalRef: null,
      note,
      createdAt: new Date(Math.round(at / 1000) * 1000),
    });
  };
  const priceOf = () =>
    Math.max(
      100,
      Math.round((spec.kind === "renewal" ? amount : rng.lognormal(spec.medianCents, 0.6)) / 100) *
        100,
    );

  const first = facts[0];
  const last = facts[facts.length - 1];
  const from = first ? first.received - 365 * DAY : w.start - 30 * DAY;
  const churn = last && !last.retained ? last : null;
  let until = first ? Math.min(anchor, last!.received + 365 * DAY) : anchor;
  let quietCancel: number | null = null;
  if (!first && rng.bernoulli(0.1)) quietCancel = rng.range(w.start, anchor);
  if (churn) until = churn.received;
  if (quietCancel !== null) until = quietCancel;

  // The regular rhythm.
  const purchases: number[] = [];
  for (let t = from + rng.range(0, spec.gapDays) * DAY; t <= until;) {
    purchases.push(t);
    t +=
      (spec.kind === "renewal"
        ? spec.gapDays + rng.range(-5, 5)
        : rng.exponential(spec.gapDays - 15) + 15) * DAY;
  }
  // Stayed through a complaint: buy again within 90 days.
  for (const f of facts) {
    if (!f.retained) continue;
    const end = Math.min(f.received + 90 * DAY, anchor, until);
    if (end <= f.received) continue;
    if (!purchases.some((t) => t > f.received && t <= end))
      purchases.push(f.received + rng.range(0.15, 1) * (end - f.received));
  }
  for (const t of purchases)
    if (t <= anchor)
      add(spec.kind === "renewal" && rng.bernoulli(0.85) ? "renewal" : "purchase", t, priceOf());

  if (churn && churn.cancelAt !== null && churn.cancelAt <= anchor) {
    add("cancellation", churn.cancelAt, 0, null, "Cancelled after complaint");
    if (churn.outcome) churn.outcome.churnedAt = new Date(Math.round(churn.cancelAt / 1000) * 1000);
  }
  if (quietCancel !== null)
    add(
      "cancellation",
      quietCancel,
      0,
      null,
      rng.pick(["Moved out of area", "Switched provider", "No longer needed"]),
    );

  // Surveys: a baseline score before, a recovery-shaped score after.
  if (!first) {
    const n = rng.weightedIndex([55, 35, 10]);
    for (let i = 0; i < n; i++)
      add("survey", rng.range(w.start, quietCancel ?? anchor), 0, baselineScore(rng));
  } else {
    if (rng.bernoulli(0.2)) {
      const t = first.received - rng.range(30, 300) * DAY;
      if (t > w.start - 180 * DAY) add("survey", t, 0, baselineScore(rng));
    }
    for (const f of facts) {
      if (f.closed === null || !rng.bernoulli(0.4)) continue;
      const t = f.closed + rng.range(7, 45) * DAY;
      if (t <= anchor && (f.cancelAt === null || t < f.cancelAt))
        add("survey", t, 0, clamp(f.latentNps + rng.int(-1, 1), 0, 10));
    }
  }

  // Advocacy after a good recovery.
  for (const f of facts) {
    if (f.closed === null || !f.retained) continue;
    const promoter = f.latentNps >= 9;
    if (!rng.bernoulli(promoter ? 0.35 : f.latentNps >= 7 ? 0.06 : 0)) continue;
    const kind = promoter ? rng.weighted(s.advocacyKinds, [30, 35, 10, 25]) : "repeat_purchase";
    let at = f.closed + rng.range(3, 60) * DAY;
    if (kind === "repeat_purchase") {
      const next = purchases.filter((t) => t > f.closed! && t <= anchor).sort((x, y) => x - y)[0];
      if (next === undefined) continue;
      at = next;
    }
    if (at > anchor) continue;
    rows.advocacySignals.push({
      orgId: DEMO_ORG_ID,
      id: rng.uuid(),
      complaintId: f.id,
      kind,
      occurredAt: new Date(Math.round(at / 1000) * 1000),
      note: null,
    });
    if (kind === "referral") add("referral", at, 0, null, "Referred a friend");
    if (kind === "positive_review")
      add("review", at, 0, rng.bernoulli(0.6) ? 10 : 9, "Positive review after recovery");
  }

  let spent = 0;
  let earliest = first ? first.received : anchor;
  for (const act of activities) {
    spent += act.amountMinor ?? 0;
    earliest = Math.min(earliest, act.occurredAt.getTime());
  }
  customer.lifetimeValueMinor = Math.round(spent * rng.range(1, 2.2));
  customer.createdAt = new Date(Math.round((earliest - rng.range(1, 400) * DAY) / 1000) * 1000);
  rows.customerActivities.push(...activities);
}
