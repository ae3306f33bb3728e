/**
 * Every endpoint of /api/v1 as the document describes it. Request bodies are the forms' own zod
 * schemas (with what the path supplies left out); responses are lib/api/schemas.ts. A test walks
 * app/api/v1 and fails for a route that is not listed here.
 */
import type { z } from "zod";
import {
  changeStatusSchema,
  completeFollowUpSchema,
  decideRemedySchema,
  deliverRemedySchema,
  intakeSchema,
  offerRemedySchema,
  recordOutcomeSchema,
  scheduleFollowUpSchema,
} from "@/lib/complaints/validation";
import { customerActivitySchema } from "@/lib/customers/activity-validation";
import { metricNames, metricOptions, metricQuerySchema } from "./metrics";
import { complaintQuerySchema } from "./schemas";

export type Tag = "Complaints" | "Customer activity" | "Metrics" | "Document";

export interface BodyDoc {
  schema: z.ZodType;
  /** Fields the path or the API supplies (complaintId, the intake form's key). */
  omit?: string[];
  /** Required by the schema's type, but with a default when left out. */
  optional?: string[];
  /** Decimal-text money fields that also accept a JSON number. */
  numeric?: string[];
  /** Extra words for a field of the form schema. */
  notes?: Record<string, string>;
  example: Record<string, unknown>;
}

export interface EndpointDoc {
  method: "get" | "post";
  path: string;
  operationId: string;
  tag: Tag;
  summary: string;
  description: string;
  /** The token scope needed; null for the public document. */
  scope: "read" | "write" | null;
  pathParams?: Record<string, string>;
  /** The values a non-id path parameter may take (the metric names). */
  pathEnum?: string[];
  query?: z.ZodObject;
  body?: BodyDoc;
  /** Status → description and the component it returns (an Error for 4xx unless given). */
  responses: Record<number, { description: string; schema?: string }>;
}

const complaintId = { id: "The complaint's id." };
const remedyIds = { ...complaintId, remedyId: "The remedy's id (from offering it)." };
const followUpIds = { ...complaintId, followUpId: "The follow-up's id (from scheduling it)." };
const atNote =
  "ISO 8601 date-time the event happened, for history from another system: not before the complaint was received, not in the future; default now.";
const versionNote =
  'The version the change is based on (from GET …/{id} or the last change); or send If-Match: "<version>". A stale one gets 409 version_conflict with currentVersion.';
const common = {
  400: { description: "Malformed JSON, or field errors in `error.fields`." },
  401: {
    description: "No token, an unknown or revoked token, or one whose creator is deactivated.",
  },
  429: { description: "Over the per-token rate limit; see Retry-After." },
};
const changeResponses = (created: boolean) => ({
  [created ? 201 : 200]: { description: "Done.", schema: "ChangeResult" },
  ...common,
  403: { description: "A read-only token." },
  404: { description: "No such complaint in the token's organisation." },
  409: {
    description:
      "version_conflict (reload: currentVersion), or idempotency_mismatch (the key was used for another body).",
  },
});

export const endpoints: EndpointDoc[] = [
  {
    method: "get",
    path: "/complaints",
    operationId: "listComplaints",
    tag: "Complaints",
    summary: "List complaints",
    description:
      "The complaints list with the same filters as its URL, newest first by default, a page at a time (keyset cursor: stable while complaints arrive).",
    scope: "read",
    query: complaintQuerySchema,
    responses: { 200: { description: "One page.", schema: "ComplaintPage" }, ...common },
  },
  {
    method: "post",
    path: "/complaints",
    operationId: "createComplaint",
    tag: "Complaints",
    summary: "Record a complaint",
    description:
      "Intake, with the intake form's rules: a customer (an existing id, or a name — matched by customerExternalRef when given), how they feel (sentiment and/or NPS), summary and story. The owner defaults to the token's creator.",
    scope: "write",
    body: {
      schema: intakeSchema,
      omit: ["idempotencyKey"],
      notes: {
        customerName: "Required unless customerId is given.",
        intakeSentiment: "1 (furious) to 5 (delighted). Give a sentiment, an NPS or both.",
        intakeNps: "0 to 10. Give a sentiment, an NPS or both.",
        receivedAt: "ISO 8601 date-time; default now.",
        promisedBy: "ISO 8601 date-time, after receivedAt.",
        productName:
          'Instead of productId: the product\'s name or its path "Parent › Child" (GET /products lists them).',
        productRef:
          "Instead of productId or productName: the product's external reference (its id in your system; GET /products lists them). An unknown reference is refused on the field.",
        externalRef:
          "Your system's reference for the complaint; unique (a second complaint with it is refused).",
        firstResponseAt:
          "ISO 8601 date-time: when the customer first heard back (history); at or after receivedAt. The complaint is then in progress.",
      },
      example: {
        customerName: "Dana Whitfield",
        customerEmail: "dana@example.com",
        customerExternalRef: "CUST-1042",
        channel: "phone",
        severity: "major",
        summary: "Technician arrived 90 minutes late",
        story: "I waited all morning and nobody called.",
        intakeSentiment: 1,
      },
    },
    responses: {
      201: { description: "Recorded; Location names it.", schema: "ComplaintEnvelope" },
      ...common,
      403: { description: "A read-only token." },
      409: { description: "idempotency_mismatch: the key was used for another body." },
    },
  },
  {
    method: "get",
    path: "/complaints/{id}",
    operationId: "getComplaint",
    tag: "Complaints",
    summary: "Read a complaint",
    description:
      "One complaint with its customer, remedies, follow-ups and outcome. ETag carries the version.",
    scope: "read",
    pathParams: complaintId,
    responses: {
      200: { description: "The complaint.", schema: "ComplaintEnvelope" },
      401: common[401],
      404: { description: "No such complaint in the token's organisation." },
      429: common[429],
    },
  },
  {
    method: "post",
    path: "/complaints/{id}/remedies",
    operationId: "offerRemedy",
    tag: "Complaints",
    summary: "Offer a remedy",
    description:
      "Offers a remedy (kind, description, cost in major units as text or a number). A remedy costing more than the organisation's approval limit (in its own currency's minor units; the admin sets it) is marked approvalNeeded: it cannot be delivered until a manager approves it on the complaint page.",
    scope: "write",
    pathParams: complaintId,
    body: {
      schema: offerRemedySchema,
      omit: ["complaintId", "costUnknown"],
      optional: ["version", "suggestedByCustomer"],
      numeric: ["cost"],
      notes: {
        version: versionNote,
        cost: 'Major units, e.g. "25.00" or 25; default 0; null when the cost is not known (it then counts in no recovery cost).',
        at: atNote,
      },
      example: {
        version: 1,
        kind: "credit",
        description: "Service credit",
        cost: "25.00",
        currency: "USD",
      },
    },
    responses: changeResponses(true),
  },
  {
    method: "post",
    path: "/complaints/{id}/follow-ups",
    operationId: "scheduleFollowUp",
    tag: "Complaints",
    summary: "Schedule a follow-up",
    description: "Schedules a follow-up: a preset (tomorrow, week, month) or a due date.",
    scope: "write",
    pathParams: complaintId,
    body: {
      schema: scheduleFollowUpSchema,
      omit: ["complaintId"],
      optional: ["version"],
      notes: { version: versionNote, dueAt: "ISO 8601 date-time." },
      example: { version: 2, preset: "week" },
    },
    responses: changeResponses(true),
  },
  {
    method: "post",
    path: "/complaints/{id}/outcome",
    operationId: "recordOutcome",
    tag: "Complaints",
    summary: "Record the outcome",
    description:
      "How the customer ended up: final sentiment and/or NPS, and advocacy signals. Recording again replaces the figures.",
    scope: "write",
    pathParams: complaintId,
    body: {
      schema: recordOutcomeSchema,
      omit: ["complaintId"],
      optional: ["version"],
      notes: { version: versionNote, at: atNote },
      example: { version: 3, finalSentiment: 5, finalNps: 9, signals: ["positive_review"] },
    },
    responses: changeResponses(false),
  },
  {
    method: "post",
    path: "/complaints/{id}/status",
    operationId: "changeStatus",
    tag: "Complaints",
    summary: "Start, resolve, close or reopen",
    description:
      "Moves the complaint: in_progress (from new), resolved (needs a delivered remedy or noRemedyReason), closed (needs an outcome or customerUnreachable), reopen. With `at`, the times must keep received ≤ first response ≤ resolved ≤ closed.",
    scope: "write",
    pathParams: complaintId,
    body: {
      schema: changeStatusSchema,
      omit: ["complaintId"],
      optional: ["version", "customerUnreachable"],
      notes: { version: versionNote, at: atNote },
      example: { version: 4, to: "resolved", at: "2025-03-04T16:30:00Z" },
    },
    responses: changeResponses(false),
  },
  {
    method: "post",
    path: "/complaints/{id}/remedies/{remedyId}/decision",
    operationId: "decideRemedy",
    tag: "Complaints",
    summary: "Record the customer's decision on a remedy",
    description: "Accepted or declined, not before the remedy was offered.",
    scope: "write",
    pathParams: remedyIds,
    body: {
      schema: decideRemedySchema,
      omit: ["complaintId", "remedyId"],
      optional: ["version"],
      notes: { version: versionNote, at: atNote },
      example: { version: 2, decision: "accepted" },
    },
    responses: changeResponses(false),
  },
  {
    method: "post",
    path: "/complaints/{id}/remedies/{remedyId}/delivery",
    operationId: "deliverRemedy",
    tag: "Complaints",
    summary: "Mark a remedy delivered",
    description:
      'Its cost counts as recovery cost on the delivery date. Not before the remedy was offered; a declined remedy cannot be delivered, nor one with approvalNeeded before a manager approved it (400 on remedyId: "Waiting for a manager\'s approval: …").',
    scope: "write",
    pathParams: remedyIds,
    body: {
      schema: deliverRemedySchema,
      omit: ["complaintId", "remedyId"],
      optional: ["version"],
      notes: { version: versionNote, at: atNote },
      example: { version: 3, at: "2025-03-03T11:00:00Z" },
    },
    responses: changeResponses(false),
  },
  {
    method: "post",
    path: "/complaints/{id}/follow-ups/{followUpId}/completion",
    operationId: "completeFollowUp",
    tag: "Complaints",
    summary: "Complete a follow-up",
    description:
      "How the customer was reached and how they feel now (sentiment and/or NPS). A contact earlier than the recorded first response becomes the first response.",
    scope: "write",
    pathParams: followUpIds,
    body: {
      schema: completeFollowUpSchema,
      omit: ["complaintId", "followUpId"],
      optional: ["version"],
      notes: { version: versionNote, at: atNote },
      example: { version: 5, channel: "phone", nps: 9, at: "2025-03-10T15:00:00Z" },
    },
    responses: changeResponses(false),
  },
  {
    method: "post",
    path: "/customer-activities",
    operationId: "recordCustomerActivity",
    tag: "Customer activity",
    summary: "Record customer activity",
    description:
      "A purchase, renewal, cancellation, referral, review or survey: retention and ROI are computed from these. The customer is matched by customerRef (else by email, else created). Idempotent by externalRef: posting it again returns the first record with 200.",
    scope: "write",
    body: {
      schema: customerActivitySchema,
      optional: ["currency"],
      numeric: ["amount"],
      notes: { occurredAt: "ISO 8601 date or date-time.", currency: "Default USD." },
      example: {
        customerRef: "CUST-1042",
        kind: "renewal",
        occurredAt: "2026-03-01T10:00:00Z",
        amount: "129.00",
        currency: "USD",
        externalRef: "INV-88213",
      },
    },
    responses: {
      201: { description: "Recorded.", schema: "ActivityResult" },
      200: {
        description: "Already recorded (same externalRef); nothing changed.",
        schema: "ActivityResult",
      },
      ...common,
      403: { description: "A read-only token." },
      409: { description: "idempotency_mismatch: the key was used for another body." },
    },
  },
  {
    method: "get",
    path: "/products",
    operationId: "listProducts",
    tag: "Complaints",
    summary: "List products",
    description:
      'The organisation\'s products and sub-products. A complaint names one by productId, by productName (the name or the path "Parent › Child"), or by productRef (its externalRef).',
    scope: "read",
    responses: {
      200: { description: "Every product.", schema: "ProductList" },
      401: common[401],
      429: common[429],
    },
  },
  {
    method: "get",
    path: "/metrics",
    operationId: "listMetrics",
    tag: "Metrics",
    summary: "List metrics",
    description: `The metrics of the three dashboards: ${metricNames.join(", ")}.`,
    scope: "read",
    responses: {
      200: { description: "Every metric.", schema: "MetricList" },
      401: common[401],
      429: common[429],
    },
  },
  {
    method: "get",
    path: "/metrics/{name}",
    operationId: "getMetric",
    tag: "Metrics",
    summary: "Read a metric",
    description:
      "A dashboard figure for a period and filters, computed by the same function the dashboard uses, so the numbers agree. Extra options: " +
      metricNames
        .filter((n) => metricOptions(n).length)
        .map((n) => `${n} takes ${metricOptions(n).join(", ")}`)
        .join("; ") +
      ".",
    scope: "read",
    pathParams: { name: `One of: ${metricNames.join(", ")}.` },
    pathEnum: [...metricNames],
    query: metricQuerySchema,
    responses: {
      200: { description: "The figure.", schema: "MetricResult" },
      400: { description: "An unreadable filter (in `error.fields`)." },
      401: common[401],
      404: { description: "No metric by that name." },
      429: common[429],
    },
  },
  {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "Document",
    summary: "This document",
    description: "The OpenAPI 3.1 document, generated from the code's schemas. No token needed.",
    scope: null,
    responses: { 200: { description: "OpenAPI 3.1 JSON." } },
  },
  {
    method: "get",
    path: "/archive-schema",
    operationId: "getArchiveSchema",
    tag: "Document",
    summary: "The organisation archive's JSON Schema",
    description:
      "The JSON Schema (draft 2020-12) of one line of an organisation archive (JSON Lines: the download admins take from Exports and import from Import), generated from the importer's own schema. No token needed.",
    scope: null,
    responses: { 200: { description: "JSON Schema of one archive line." } },
  },
];
