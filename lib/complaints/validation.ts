/**
 * One zod schema per complaint input, shared by the forms, the server actions, the REST API and
 * the importer. Form values arrive as strings: empty strings mean "not given".
 */
import { z } from "zod";
import { advocacyKinds, channels, complaintStatuses, remedyKinds, severities } from "@/db/schema";
import {
  CURRENCY_MESSAGE,
  horizonProblem,
  isIsoCurrency,
  pastEventProblem,
  remedyCostProblem,
} from "@/lib/bounds";
import { promiseProblem, statusTimeProblems } from "./consistency";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional());

const uuid = (message: string) => z.uuid(message);
const text = (label: string, max: number) =>
  z
    .string(`${label} must be text.`)
    .trim()
    // Browsers submit textarea line breaks as CRLF; store the customer's words with plain LF.
    .overwrite((v) => v.replace(/\r\n?/g, "\n"))
    .max(max, `Keep ${label.toLowerCase()} under ${max.toLocaleString("en")} characters.`);
const required = (label: string, max: number) =>
  text(label, max).min(1, `Enter ${label.toLowerCase()}.`);
const int = (label: string, min: number, max: number) =>
  z.coerce
    .number(`${label} must be a number.`)
    .int(`${label} must be a whole number.`)
    .min(min, `${label} is from ${min} to ${max}.`)
    .max(max, `${label} is from ${min} to ${max}.`);
const instant = (label: string) =>
  z.coerce.date(`${label} must be a date and time.`).refine((d) => !Number.isNaN(d.getTime()), {
    message: `${label} must be a date and time.`,
  });
/** When something happened: between 1970 and now (lib/bounds.ts). */
const pastInstant = (label: string) =>
  instant(label).superRefine((d, ctx) => {
    const problem = pastEventProblem(d, label);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
/** A time ahead (a promise, a due date): at most five years from now (lib/bounds.ts). */
const aheadInstant = (label: string) =>
  instant(label).superRefine((d, ctx) => {
    const problem = horizonProblem(d, label);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
/** An ISO 4217 code, typed in any case. */
export const currencyCode = z
  .string("Use a three-letter currency code such as USD.")
  .trim()
  .toUpperCase()
  .refine(isIsoCurrency, CURRENCY_MESSAGE);
const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

/**
 * When an event happened, for history from another system (the API): between the complaint's
 * receipt and now (checked in lib/complaints/edit.ts); the forms never send it, so it is now.
 */
const eventAt = optional(pastInstant("At"));

export const sentiment = optional(int("Sentiment", 1, 5));
export const nps = optional(int("NPS", 0, 10));

/** Every edit names the complaint and the version it was based on (optimistic concurrency). */
export const complaintRef = z.object({
  complaintId: uuid("Unknown complaint."),
  version: z.coerce.number("Reload the complaint and try again.").int().positive(),
});

export const intakeSchema = z
  .object({
    idempotencyKey: z.uuid("Reload the form and try again."),
    customerId: optional(uuid("Choose a customer from the list.")),
    customerName: optional(text("Customer name", 200)),
    customerEmail: optional(z.email("Enter a valid email address.").max(254)),
    customerPhone: optional(text("Phone", 50)),
    customerExternalRef: optional(text("Customer reference", 120)),
    receivedAt: optional(pastInstant("Received at")),
    channel: z.enum(channels, "Choose how the complaint came in."),
    productId: optional(uuid("Choose a product from the list.")),
    /** The API may name the product (or "Parent › Child") instead of giving its id. */
    productName: optional(text("The product", 401)),
    /** … or give the product's external reference (its id in another system). */
    productRef: optional(text("The product reference", 120)),
    severity: z.enum(severities, "Choose a severity."),
    summary: required("A summary", 300),
    story: required("The customer's story", 20_000),
    paraphrase: optional(text("The paraphrase", 20_000)),
    intakeSentiment: sentiment,
    intakeNps: nps,
    ownerId: optional(uuid("Choose an owner from the list.")),
    teamId: optional(uuid("Choose a team from the list.")),
    promisedBy: optional(aheadInstant("Promised by")),
    /** History from another system (the API): the complaint's own reference, unique. */
    externalRef: optional(text("The external reference", 120)),
    /** History from another system (the API): when the customer first heard back. */
    firstResponseAt: optional(pastInstant("First response")),
  })
  .superRefine((v, ctx) => {
    if (!v.customerId && !v.customerName) {
      ctx.addIssue({
        code: "custom",
        path: ["customerName"],
        message: "Find the customer or enter a name.",
      });
    }
    if (v.intakeSentiment === undefined && v.intakeNps === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["intakeSentiment"],
        message: "Record how the customer feels: sentiment, NPS or both.",
      });
    }
    const received = v.receivedAt ?? new Date();
    if (v.productId && v.productName) {
      ctx.addIssue({
        code: "custom",
        path: ["productName"],
        message: "Give productId or productName, not both.",
      });
    }
    if (v.productRef && (v.productId || v.productName)) {
      ctx.addIssue({
        code: "custom",
        path: ["productRef"],
        message: "Give one of productId, productName or productRef.",
      });
    }
    // The shared rules (consistency.ts): a first response makes the complaint in progress.
    const times = { status: "in_progress" as const, receivedAt: received, resolvedAt: null };
    for (const p of statusTimeProblems({
      ...times,
      firstResponseAt: v.firstResponseAt,
      closedAt: null,
    }))
      ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
    const promise = v.promisedBy && promiseProblem(v.promisedBy, received);
    if (promise) ctx.addIssue({ code: "custom", path: ["promisedBy"], message: promise });
  });
export type IntakeInput = z.infer<typeof intakeSchema>;

export const recordStepSchema = complaintRef.extend({
  stepId: uuid("Unknown playbook step."),
  note: optional(text("The note", 2_000)),
});

export const offerRemedySchema = complaintRef.extend({
  kind: z.enum(remedyKinds, "Choose a kind of remedy."),
  description: optional(text("The description", 1_000)),
  /** In major units as typed ("25.50"); converted to minor units with the currency's digits. */
  cost: z.preprocess(
    blankToUndefined,
    z
      .string("Enter the cost as a number, e.g. 25.00.")
      .trim()
      .regex(/^\d{1,12}(\.\d{1,3})?$/, "Enter the cost as a number, e.g. 25.00.")
      .superRefine((cost, ctx) => {
        const problem = remedyCostProblem(cost);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .default("0"),
  ),
  currency: currencyCode,
  suggestedByCustomer: checkbox,
  /** History from another system may not know what a remedy cost (the API's `cost: null`). */
  costUnknown: checkbox,
  at: eventAt,
});

export const remedyRef = complaintRef.extend({ remedyId: uuid("Unknown remedy.") });
export const deliverRemedySchema = remedyRef.extend({ at: eventAt });
/** A manager's (or an admin's) approval of a remedy above the organisation's limit: now. */
export const approveRemedySchema = remedyRef;
export const decideRemedySchema = remedyRef.extend({
  decision: z.enum(["accepted", "declined"], "Choose accepted or declined."),
  at: eventAt,
});

export const setPromiseSchema = complaintRef.extend({
  promisedBy: aheadInstant("Promised by"),
});

export const followUpPresets = ["tomorrow", "week", "month"] as const;
export const scheduleFollowUpSchema = complaintRef
  .extend({
    preset: optional(z.enum(followUpPresets, "Choose tomorrow, in a week or in a month.")),
    dueAt: optional(aheadInstant("Due at")),
  })
  .refine((v) => v.preset || v.dueAt, { path: ["dueAt"], message: "Pick a preset or a date." });

export const completeFollowUpSchema = complaintRef.extend({
  followUpId: uuid("Unknown follow-up."),
  channel: z.enum(channels, "Choose how you reached the customer."),
  sentiment,
  nps,
  note: optional(text("The note", 2_000)),
  at: eventAt,
});

export const recordOutcomeSchema = complaintRef.extend({
  finalSentiment: sentiment,
  finalNps: nps,
  signals: z
    .array(z.enum(advocacyKinds, "Unknown advocacy signal."))
    .max(advocacyKinds.length)
    .default([]),
  at: eventAt,
});

export const statusTransitions = ["in_progress", "resolved", "closed", "reopen"] as const;
export const changeStatusSchema = complaintRef.extend({
  to: z.enum(statusTransitions, "Choose a status."),
  noRemedyReason: optional(text("The reason", 1_000)),
  customerUnreachable: checkbox,
  at: eventAt,
});

export const assignSchema = complaintRef.extend({
  ownerId: uuid("Choose an owner from the list."),
  teamId: optional(uuid("Choose a team from the list.")),
});

export const customerUpdateSchema = complaintRef.extend({
  channel: z.enum(channels, "Choose how the customer was told."),
  message: required("What the customer was told", 2_000),
});

export const setRootCauseSchema = complaintRef.extend({
  rootCauseId: uuid("Choose a root cause from the taxonomy."),
  fiveWhys: optional(text("The 5-whys note", 5_000)),
});

export const complaintStatusSchema = z.enum(complaintStatuses);

/**
 * The field rules the importer applies to each CSV row (lib/import): the same limits and messages
 * as the intake form, without the form-only rules (idempotency key, sentiment required).
 */
export const importedComplaintFields = {
  summary: required("A summary", 300),
  story: text("The customer's story", 20_000),
  customerName: optional(text("Customer name", 200)),
  customerEmail: optional(z.email("Enter a valid email address.").max(254)),
  customerRef: optional(text("Customer reference", 120)),
  externalRef: required("The external reference", 120),
  channel: z.enum(channels, "Choose how the complaint came in."),
  severity: z.enum(severities, "Choose a severity."),
  status: z.enum(complaintStatuses, "Status is new, in progress, resolved or closed."),
};
