/**
 * The shapes the API answers with, as zod schemas: the OpenAPI document is generated from these
 * and from the input schemas the forms use (lib/complaints/validation.ts,
 * lib/customers/activity-validation.ts), so the document cannot drift from the code.
 */
import { z } from "zod";
import {
  activityKinds,
  advocacyKinds,
  channels,
  complaintStatuses,
  remedyKinds,
  severities,
  tokenScopes,
} from "@/db/schema";
import { complaintSorts } from "@/lib/complaints/list";
import { dateBases, drillSetKeys } from "@/lib/metrics/sets";
import { apiErrorCodes } from "./errors";

/** Every named shape of the document: components.schemas is generated from this registry. */
export const apiSchemas = z.registry<{ id: string }>();

const when = z.iso.datetime({ offset: true });
const id = z.uuid();
const named = z.object({ id, name: z.string() });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(apiErrorCodes).describe("Stable: branch on this."),
      message: z.string().describe("For people; may change."),
      fields: z
        .record(z.string(), z.array(z.string()))
        .optional()
        .describe("With validation_failed: the reasons per field (or query parameter)."),
      currentVersion: z
        .number()
        .int()
        .optional()
        .describe("With version_conflict: the complaint's version now; reload and retry."),
    }),
  })
  .register(apiSchemas, { id: "Error" });

export const complaintListItemSchema = z
  .object({
    id,
    receivedAt: when,
    customerName: z.string(),
    summary: z.string(),
    channel: z.enum(channels),
    severity: z.enum(severities),
    status: z.enum(complaintStatuses),
    ownerName: z.string().nullable(),
    teamName: z.string().nullable(),
    slaDueAt: when.nullable(),
    breached: z.boolean().describe("Resolved after its SLA, or open and past it."),
    rootCauseName: z.string().nullable(),
    angry: z.boolean().describe("Intake sentiment ≤ 2 or intake NPS 0–6."),
  })
  .register(apiSchemas, { id: "ComplaintListItem" });

export const complaintPageSchema = z
  .object({
    data: z.array(complaintListItemSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe("Pass as `cursor` for the next page; null on the last page."),
  })
  .register(apiSchemas, { id: "ComplaintPage" });

export const complaintSchema = z
  .object({
    id,
    version: z
      .number()
      .int()
      .describe("Send it back (body `version` or If-Match) with every change."),
    externalRef: z.string().nullable(),
    status: z.enum(complaintStatuses),
    severity: z.enum(severities),
    channel: z.enum(channels),
    summary: z.string(),
    story: z.string(),
    paraphrase: z.string().nullable(),
    intakeSentiment: z.number().int().nullable(),
    intakeNps: z.number().int().nullable(),
    receivedAt: when,
    slaDueAt: when.nullable(),
    promisedBy: when.nullable(),
    firstResponseAt: when.nullable(),
    resolvedAt: when.nullable(),
    closedAt: when.nullable(),
    reopenCount: z.number().int(),
    noRemedyReason: z.string().nullable(),
    customerUnreachable: z.boolean(),
    customer: z.object({
      id,
      name: z.string(),
      email: z.string().nullable(),
      externalRef: z.string().nullable(),
    }),
    product: named.nullable(),
    team: named.nullable(),
    owner: named.nullable(),
    rootCause: named.extend({ category: z.string() }).nullable(),
    remedies: z.array(
      z.object({
        id,
        kind: z.enum(remedyKinds),
        description: z.string(),
        costMinor: z.number().int().nullable().describe("Minor units (cents); null = unknown."),
        currency: z.string(),
        suggestedByCustomer: z.boolean(),
        status: z.enum(["offered", "accepted", "declined", "delivered"]),
        offeredAt: when,
        decidedAt: when.nullable(),
        deliveredAt: when.nullable(),
        approvalNeeded: z
          .boolean()
          .describe(
            "Its cost was above the organisation's approval limit when offered: it is delivered only after a manager approved it (on the complaint page).",
          ),
        approvedAt: when.nullable(),
      }),
    ),
    followUps: z.array(
      z.object({
        id,
        dueAt: when,
        doneAt: when.nullable(),
        channel: z.enum(channels).nullable(),
        sentiment: z.number().int().nullable(),
        nps: z.number().int().nullable(),
        note: z.string().nullable(),
      }),
    ),
    outcome: z
      .object({
        finalSentiment: z.number().int().nullable(),
        finalNps: z.number().int().nullable(),
        recordedAt: when,
        signals: z.array(z.enum(advocacyKinds)),
      })
      .nullable(),
  })
  .register(apiSchemas, { id: "Complaint" });

export const complaintEnvelope = z
  .object({ data: complaintSchema })
  .register(apiSchemas, { id: "ComplaintEnvelope" });

export const editResultSchema = z
  .object({
    data: z.object({
      id: id.optional().describe("The remedy or follow-up created."),
      version: z.number().int().describe("The complaint's version after this change."),
    }),
  })
  .register(apiSchemas, { id: "ChangeResult" });

export const activityResultSchema = z
  .object({
    data: z.object({
      id,
      customerId: id,
      created: z.boolean().describe("False when this externalRef was already recorded."),
      activity: z.object({
        kind: z.enum(activityKinds),
        occurredAt: when,
        amountMinor: z.number().int(),
        currency: z.string(),
        score: z.number().int().nullable(),
        externalRef: z.string().nullable(),
        note: z.string().nullable(),
      }),
    }),
  })
  .register(apiSchemas, { id: "ActivityResult" });

export const productListSchema = z
  .object({
    data: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        parentId: z.uuid().nullable(),
        path: z
          .string()
          .describe('"Parent › Child" for a sub-product; a complaint may name it so.'),
        externalRef: z
          .string()
          .nullable()
          .describe("The product's id in your system; a complaint may name it so (productRef)."),
      }),
    ),
  })
  .register(apiSchemas, { id: "ProductList" });

export const metricListSchema = z
  .object({
    data: z.array(
      z.object({
        name: z.string(),
        dashboard: z.enum(["manager", "quality", "executive"]),
        description: z.string(),
        href: z.string(),
      }),
    ),
  })
  .register(apiSchemas, { id: "MetricList" });

export const metricResultSchema = z
  .object({
    metric: z.string(),
    filters: z
      .object({
        range: z.string(),
        current: z.object({ from: z.string(), to: z.string() }),
        previous: z.object({ from: z.string(), to: z.string() }),
      })
      .catchall(z.string().optional())
      .describe("The filters the figure was computed on (as the dashboard shows them)."),
    data: z
      .unknown()
      .describe(
        "The figure exactly as the dashboard computes it; its shape depends on the metric (counts, rates with numerator and denominator, per-currency money in minor units, drill-down links into the complaints list).",
      ),
  })
  .register(apiSchemas, { id: "MetricResult" });

/** The list's query parameters, documented; a test checks every filter of the list appears. */
export const complaintQuerySchema = z.object({
  status: z.array(z.enum(complaintStatuses)).optional().describe("Repeat or comma-separate."),
  team: z.string().optional().describe("A team id, or `none`."),
  owner: z.string().optional().describe("A user id, `none`, or `me` (the token's creator)."),
  channel: z.enum(channels).optional(),
  severity: z.enum(severities).optional(),
  product: id.optional().describe("A product id; includes its sub-products."),
  rootCause: z.string().optional().describe("A root cause id, or `none`."),
  from: z.iso.date().optional().describe("Received (or `basis`) on or after this UTC day."),
  to: z.iso.date().optional().describe("… on or before this UTC day, inclusive."),
  angry: z.boolean().optional().describe("Intake sentiment ≤ 2 or NPS 0–6."),
  slaBreached: z.boolean().optional(),
  followUpOverdue: z.boolean().optional(),
  importRun: id.optional().describe("An import run's id: the complaints it created or changed."),
  timely: z
    .enum(["yes", "no"])
    .optional()
    .describe("Whether the response met its deadline, as the source reported (CFPB)."),
  basis: z
    .enum(dateBases)
    .optional()
    .describe("Which date `from`/`to` filter on; default received."),
  set: z.enum(drillSetKeys).optional().describe("A dashboard figure's named set."),
  arg: z.string().optional().describe("The named set's parameter."),
  q: z.string().optional().describe("Text in summary or story."),
  sort: z.enum(complaintSorts).optional().describe("Default received_desc."),
  cursor: z.string().optional().describe("`nextCursor` of the previous page (same sort)."),
  limit: z
    .number()
    .int()
    .min(1)
    .max(200)
    .optional()
    .describe("Page size, default 50, at most 200."),
});

export const tokenScopeSchema = z.enum(tokenScopes);
