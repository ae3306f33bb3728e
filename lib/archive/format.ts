/**
 * The organisation archive: JSON Lines, one record per line, each naming its `type`. The first
 * line is the header; settings (teams, people, playbook, SLA policy, products, taxonomy) come
 * before the customers, activity, complaints and corrective actions that refer to them.
 *
 * Records refer to each other by natural keys a person can read and another system can produce:
 * people by email, teams by name, products by their path of names, playbook steps and root-cause
 * categories by key, causes by category and name, customers and complaints by `ref`. A `ref` is
 * the record's external reference, or its Turnaround id when it has none; importing keeps a
 * UUID-shaped ref as the id, so an archive imported twice updates instead of duplicating.
 *
 * This zod schema is the one definition: the importer validates with it and docs/archive.schema.json
 * is generated from it (`npm run archive:schema`; a test keeps the file equal).
 */
import { z } from "zod";
import {
  activityKinds,
  advocacyKinds,
  channels,
  complaintStatuses,
  correctiveActionStatuses,
  remedyDecisions,
  remedyKinds,
  roles,
  severities,
} from "@/db/schema";
import { isIsoCurrency } from "@/lib/bounds";

export const ARCHIVE_FORMAT = "turnaround-archive";
export const ARCHIVE_VERSION = 1;

const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => text(max).nullable().default(null);
const ref = z.string().trim().min(1).max(120).describe("External reference, or the Turnaround id");
/** An instant with its offset, e.g. 2025-03-01T09:30:00.000Z. */
const instant = z.iso.datetime({ offset: true });
const maybeInstant = instant.nullable().default(null);
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .refine(isIsoCurrency, "Use an ISO 4217 currency code such as USD, EUR or GBP.")
  .describe("ISO 4217 code");
const minor = z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe("Integer minor units");
const email = z.string().trim().toLowerCase().pipe(z.email()).describe("A person, by email");
const person = email.nullable().default(null);
const sentiment = z.int().min(1).max(5).nullable().default(null);
const nps = z.int().min(0).max(10).nullable().default(null);
/** A product by its path: ["Cards"] or ["Cards", "Credit card"]. */
const productPath = z.array(text(200).min(1)).min(1).max(3);
const causeKey = z.object({ category: text(40).min(1), name: text(200).min(1) });

export const headerLine = z.object({
  type: z.literal("archive"),
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  exportedAt: instant,
  organisation: z.object({
    name: text(200).min(1),
    currency,
    remedyApprovalLimitMinor: minor.nullable().default(null),
  }),
});

export const teamLine = z.object({ type: z.literal("team"), name: text(120).min(1) });

export const userLine = z.object({
  type: z.literal("user"),
  email,
  name: text(120).min(1),
  role: z.enum(roles),
  active: z.boolean().default(true),
  teams: z.array(text(120).min(1)).default([]),
});

export const playbookStepLine = z.object({
  type: z.literal("playbookStep"),
  key: text(40).min(1),
  name: text(80).min(1),
  guidance: text(4000).default(""),
  position: z.int().min(0).max(1000),
  required: z.boolean().default(true),
  customerFacing: z.boolean().default(true),
  active: z.boolean().default(true),
});

export const slaPolicyLine = z.object({
  type: z.literal("slaPolicy"),
  name: text(120).min(1),
  timezone: text(64).min(1).describe("IANA time zone"),
  workingDays: z.array(z.int().min(1).max(7)).max(7),
  workdayStartMinute: z.int().min(0).max(1439),
  workdayEndMinute: z.int().min(1).max(1440),
  closedLoopHours: z.int().min(1).max(10_000),
  targets: z.array(
    z.object({
      severity: z.enum(severities),
      firstResponseHours: z.int().min(1).max(100_000),
      resolutionHours: z.int().min(1).max(100_000),
      businessHours: z.boolean().default(true),
    }),
  ),
  holidays: z
    .array(z.object({ day: z.iso.date(), name: text(120).min(1) }))
    .max(5_000)
    .default([]),
});

export const productLine = z.object({
  type: z.literal("product"),
  path: productPath,
  ref: ref.nullable().default(null).describe("The product's external reference, if any"),
});

export const rootCauseCategoryLine = z.object({
  type: z.literal("rootCauseCategory"),
  key: text(40).min(1),
  name: text(120).min(1),
  position: z.int().min(0).max(1000).default(0),
});

export const rootCauseLine = z.object({
  type: z.literal("rootCause"),
  category: text(40).min(1).describe("The category's key"),
  name: text(200).min(1),
  description: optionalText(4000),
  recurrenceWindowWeeks: z.int().min(1).max(104).default(8),
  active: z.boolean().default(true),
});

export const customerLine = z.object({
  type: z.literal("customer"),
  ref,
  name: text(200).min(1),
  email: text(254).nullable().default(null),
  phone: text(50).nullable().default(null),
  segment: text(60).nullable().default(null),
  lifetimeValueMinor: minor.default(0),
  currency,
  createdAt: maybeInstant,
});

export const activityLine = z.object({
  type: z.literal("activity"),
  ref,
  customer: ref.describe("The customer's ref"),
  kind: z.enum(activityKinds),
  occurredAt: instant,
  amountMinor: minor.default(0),
  currency,
  score: z.int().min(0).max(10).nullable().default(null),
  note: optionalText(4000),
});

const stepRecord = z.object({
  step: text(40).min(1).describe("The playbook step's key"),
  doneBy: person,
  doneAt: instant,
  note: optionalText(4000),
});

const remedyRecord = z.object({
  kind: z.enum(remedyKinds),
  description: text(4000).default(""),
  costMinor: minor.nullable().default(null).describe("Null when the cost is unknown"),
  currency,
  suggestedByCustomer: z.boolean().default(false),
  offeredAt: instant,
  offeredBy: person,
  decision: z.enum(remedyDecisions).default("pending"),
  decidedAt: maybeInstant,
  deliveredAt: maybeInstant,
  approvalNeeded: z.boolean().default(false),
  approvedBy: person,
  approvedAt: maybeInstant,
});

const followUpRecord = z.object({
  dueAt: instant,
  doneAt: maybeInstant,
  doneBy: person,
  channel: z.enum(channels).nullable().default(null),
  sentiment,
  nps,
  note: optionalText(4000),
  createdAt: maybeInstant,
});

const updateRecord = z.object({
  sentAt: instant,
  sentBy: person,
  channel: z.enum(channels),
  message: text(10_000).min(1),
});

const outcomeRecord = z.object({
  finalSentiment: sentiment,
  finalNps: nps,
  churnedAt: maybeInstant,
  recordedAt: instant,
  recordedBy: person,
});

const signalRecord = z.object({
  kind: z.enum(advocacyKinds),
  occurredAt: instant,
  note: optionalText(4000),
});

export const complaintLine = z.object({
  type: z.literal("complaint"),
  ref,
  customer: ref.describe("The customer's ref"),
  receivedAt: instant,
  channel: z.enum(channels),
  product: productPath.nullable().default(null),
  team: text(120).nullable().default(null),
  owner: person,
  severity: z.enum(severities),
  summary: text(300).min(1),
  story: text(100_000).default(""),
  paraphrase: optionalText(100_000),
  intakeSentiment: sentiment,
  intakeNps: nps,
  status: z.enum(complaintStatuses),
  slaDueAt: maybeInstant,
  promisedBy: maybeInstant,
  firstResponseAt: maybeInstant,
  resolvedAt: maybeInstant,
  closedAt: maybeInstant,
  reopenCount: z.int().min(0).max(1000).default(0),
  noRemedyReason: optionalText(4000),
  customerUnreachable: z.boolean().default(false),
  rootCause: causeKey.nullable().default(null),
  fiveWhys: optionalText(10_000),
  regulatedIssue: z
    .object({
      product: text(200).min(1),
      subProduct: text(200).default(""),
      issue: text(300).min(1),
      subIssue: text(300).default(""),
    })
    .nullable()
    .default(null)
    .describe("The regulator's classification (CFPB product → sub-product → issue → sub-issue)"),
  timelyResponse: z.boolean().nullable().default(null),
  timesInferred: z
    .boolean()
    .default(false)
    .describe("Resolved/closed times were completed by rule; time figures leave it out"),
  imported: z.boolean().default(false).describe("History from another system"),
  createdAt: maybeInstant,
  steps: z.array(stepRecord).max(100).default([]),
  remedies: z.array(remedyRecord).max(100).default([]),
  followUps: z.array(followUpRecord).max(100).default([]),
  updates: z.array(updateRecord).max(1000).default([]),
  outcome: outcomeRecord.nullable().default(null),
  signals: z.array(signalRecord).max(advocacyKinds.length).default([]),
});

export const correctiveActionLine = z.object({
  type: z.literal("correctiveAction"),
  ref,
  rootCause: causeKey,
  title: text(200).min(1),
  description: optionalText(10_000),
  owner: person,
  status: z.enum(correctiveActionStatuses),
  dueAt: maybeInstant,
  doneAt: maybeInstant,
  verifiedAt: maybeInstant,
  verificationNote: optionalText(10_000),
  createdAt: maybeInstant,
});

/** Every line after the header. */
export const archiveRecord = z.discriminatedUnion("type", [
  teamLine,
  userLine,
  playbookStepLine,
  slaPolicyLine,
  productLine,
  rootCauseCategoryLine,
  rootCauseLine,
  customerLine,
  activityLine,
  complaintLine,
  correctiveActionLine,
]);

export type ArchiveHeader = z.output<typeof headerLine>;
export type ArchiveRecord = z.output<typeof archiveRecord>;
export type ArchiveRecordOf<T extends ArchiveRecord["type"]> = Extract<ArchiveRecord, { type: T }>;
/** What the exporter writes: the input shape (defaults may be omitted, so all are written). */
export type ArchiveLine = z.input<typeof headerLine> | z.input<typeof archiveRecord>;

/** The JSON Schema of one line (docs/archive.schema.json and GET /api/v1/archive-schema). */
export function archiveJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(z.union([headerLine, archiveRecord]), {
    io: "input",
    unrepresentable: "any",
  });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://turnaround.example/archive.schema.json",
    title: "Turnaround organisation archive — one line",
    description:
      'A Turnaround archive is JSON Lines: each line is one of these records. The first line is the header (type "archive"); settings come before the records that refer to them. Times are ISO 8601 with an offset; money is integer minor units with an ISO 4217 currency.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}
