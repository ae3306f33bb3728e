/**
 * The complaint endpoints: each parses what HTTP carries (path, query, body, If-Match) into the
 * input of the same command or query the pages use, and turns the typed result into a reply.
 */
import "server-only";
import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDatabase } from "@/db";
import { complaints } from "@/db/schema";
import type { ActionResult } from "@/lib/action-result";
import {
  changeStatus,
  completeFollowUp,
  decideRemedy,
  deliverRemedy,
  offerRemedy,
  recordOutcome,
  scheduleFollowUp,
} from "@/lib/complaints/commands";
import {
  INTAKE_OPERATION,
  recordComplaintOnce,
  type RecordedComplaint,
  type RecordedComplaintDetail,
} from "@/lib/complaints/intake";
import { listComplaints, parseComplaintFilters } from "@/lib/complaints/list";
import { getComplaintDetail, type ComplaintDetail } from "@/lib/complaints/queries";
import { actorCan, type Operation } from "@/lib/permissions";
import { ApiError, refusalError, type ApiReply } from "./errors";
import { claimsOwnKey, type ApiContext } from "./handler";
import {
  earlierReply,
  fingerprintOf,
  keyAsUuid,
  mismatchError,
  rememberRefusal,
} from "./idempotency";

function ensure(ctx: ApiContext, operation: Operation): void {
  if (!actorCan(ctx.actor, operation)) {
    throw new ApiError(
      "forbidden",
      "This token's scope, or its creator's current role, does not allow this.",
    );
  }
}

function unwrap<T>(result: ActionResult<T>): T {
  if (!result.ok) throw refusalError(result);
  return result.data;
}

const guid = z.guid();

/**
 * What the API says about one complaint: the complaint page's facts, without its UI hints (or,
 * for a complaint just recorded, the same facts as intake returned them).
 */
export function complaintView(d: ComplaintDetail | RecordedComplaintDetail) {
  return {
    id: d.id,
    version: d.version,
    externalRef: d.externalRef,
    status: d.status,
    severity: d.severity,
    channel: d.channel,
    summary: d.summary,
    story: d.story,
    paraphrase: d.paraphrase,
    intakeSentiment: d.intakeSentiment,
    intakeNps: d.intakeNps,
    receivedAt: d.receivedAt,
    slaDueAt: d.slaDueAt,
    promisedBy: d.promisedBy,
    firstResponseAt: d.firstResponseAt,
    resolvedAt: d.resolvedAt,
    closedAt: d.closedAt,
    reopenCount: d.reopenCount,
    noRemedyReason: d.noRemedyReason,
    customerUnreachable: d.customerUnreachable,
    customer: {
      id: d.customer.id,
      name: d.customer.name,
      email: d.customer.email,
      externalRef: d.customer.externalRef,
    },
    product: d.product,
    team: d.team,
    owner: d.owner,
    rootCause: d.rootCause,
    remedies: d.remedies.map((r) => ({
      id: r.id,
      kind: r.kind,
      description: r.description,
      costMinor: r.costMinor,
      currency: r.currency,
      suggestedByCustomer: r.suggestedByCustomer,
      status: r.status,
      offeredAt: r.offeredAt,
      decidedAt: r.decidedAt,
      deliveredAt: r.deliveredAt,
      approvalNeeded: r.approvalNeeded,
      approvedAt: r.approvedAt,
    })),
    followUps: d.followUps.map((f) => ({
      id: f.id,
      dueAt: f.dueAt,
      doneAt: f.doneAt,
      channel: f.channel,
      sentiment: f.sentiment,
      nps: f.nps,
      note: f.note,
    })),
    outcome: d.outcome && {
      finalSentiment: d.outcome.finalSentiment,
      finalNps: d.outcome.finalNps,
      recordedAt: d.outcome.recordedAt,
      signals: d.outcome.signals,
    },
  };
}

async function readComplaint(id: string | undefined) {
  const detail = id && guid.safeParse(id).success ? await getComplaintDetail(id) : null;
  if (!detail) throw new ApiError("not_found", "No complaint with this id in your organisation.");
  return detail;
}

const withVersion = (d: ComplaintDetail) => ({ etag: `"${d.version}"` });

export async function listComplaintsEndpoint(ctx: ApiContext): Promise<ApiReply> {
  ensure(ctx, "complaint:read");
  const { filters, invalid } = parseComplaintFilters(ctx.query);
  if (invalid.length) {
    throw new ApiError("validation_failed", "Some query parameters could not be read.", {
      fields: Object.fromEntries(invalid.map((name) => [name, [`"${name}" is not valid here.`]])),
    });
  }
  const page = await listComplaints(filters);
  return { status: 200, body: { data: page.rows, nextCursor: page.nextCursor } };
}

export async function getComplaintEndpoint(ctx: ApiContext): Promise<ApiReply> {
  ensure(ctx, "complaint:read");
  const detail = await readComplaint(ctx.params.id);
  return { status: 200, body: { data: complaintView(detail) }, headers: withVersion(detail) };
}

/**
 * Intake's answer as the API gives it. A replay says so and, as the handler's replays always did,
 * carries no Location or ETag.
 */
function intakeReply(result: ActionResult<RecordedComplaint>, replayed: boolean): ApiReply {
  const replay = { "idempotent-replayed": "true" };
  if (!result.ok) {
    const reply = refusalError(result).reply();
    return replayed ? { ...reply, headers: { ...reply.headers, ...replay } } : reply;
  }
  const complaint = result.data.complaint;
  return {
    status: 201,
    body: { data: complaintView(complaint) },
    headers: replayed
      ? replay
      : { location: `/api/v1/complaints/${complaint.id}`, etag: `"${complaint.version}"` },
  };
}

/**
 * POST /complaints. The reply is built from what intake wrote (no second read). Intake authorises
 * (a read token gets 403) and claims the Idempotency-Key itself, in the transaction that records
 * the complaint, under a key derived from the client's — so even a crash between claim and reply
 * cannot create twice, and the handler's own claim is not needed (see claimsOwnKey).
 */
export const createComplaintEndpoint = claimsOwnKey(async (ctx: ApiContext) => {
  const clientKey = ctx.idempotencyKey;
  if (!clientKey) {
    const once = await recordComplaintOnce({ ...ctx.body, idempotencyKey: crypto.randomUUID() });
    return intakeReply(once.result, false);
  }
  const { orgId } = ctx.actor;
  const key = keyAsUuid(orgId, "api.complaints.create", clientKey);
  // The request as sent tells a retry from another request, as the handler's claim did.
  const fingerprint = fingerprintOf({ path: new URL(ctx.request.url).pathname, body: ctx.body });
  const once = await recordComplaintOnce({ ...ctx.body, idempotencyKey: key }, fingerprint);

  /** The key was used for another request: 409, unless the handler answered this one before. */
  const reused = async () => {
    const earlier = await earlierReply(orgId, "api.complaints.create", clientKey, fingerprint);
    if (earlier) return earlier;
    throw mismatchError();
  };
  if (once.key === "mismatch") return reused();
  if (once.key === "recorded" && !once.result.ok) {
    // The refusal rolled intake's claim back: keep it under the key, so a retry gets it again.
    const answer = { status: intakeReply(once.result, false).status, body: once.result };
    const stored = await rememberRefusal(orgId, INTAKE_OPERATION, key, fingerprint, answer);
    if (stored.kind === "mismatch") return reused();
    if (stored.kind === "replay") {
      return intakeReply(stored.body as ActionResult<RecordedComplaint>, true);
    }
  }
  return intakeReply(once.result, once.key === "replayed");
});

/** The version an edit is based on: the body's `version`, else the If-Match header. */
function versionOf(ctx: ApiContext): unknown {
  if (ctx.body.version !== undefined) return ctx.body.version;
  const match = ctx.request.headers.get("if-match")?.match(/^(?:W\/)?"?(\d+)"?$/);
  return match?.[1];
}

/** Money typed as a JSON number is read as the decimal text the form would carry. */
const asText = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v);

async function currentVersion(orgId: string, id: string): Promise<number | undefined> {
  const { db } = await getDatabase();
  const [row] = await db
    .select({ version: complaints.version })
    .from(complaints)
    .where(and(eq(complaints.orgId, orgId), eq(complaints.id, id)));
  return row?.version;
}

/** Runs one complaint command; a stale version becomes 409 with the version to reload. */
async function edit(
  ctx: ApiContext,
  command: (raw: unknown) => Promise<ActionResult<unknown>>,
  extra: Record<string, unknown> = {},
): Promise<{ version: number; id?: string }> {
  // Editing at all (team or any): which complaint is the command's check, as for the forms, so a
  // write token acting for an agent or a manager edits their teams' complaints (lib/permissions).
  if (!actorCan(ctx.actor, "complaint:edit-team")) ensure(ctx, "complaint:edit-any");
  const complaintId = ctx.params.id ?? "";
  if (!guid.safeParse(complaintId).success) {
    throw new ApiError("not_found", "No complaint with this id in your organisation.");
  }
  const result = await command({ ...ctx.body, ...extra, complaintId, version: versionOf(ctx) });
  if (!result.ok && result.reason === "conflict") {
    throw new ApiError("version_conflict", result.formError ?? "The complaint has changed.", {
      currentVersion: await currentVersion(ctx.actor.orgId, complaintId),
    });
  }
  // Every command's data carries the bumped version (and the new row's id, if it made one).
  return unwrap(result) as { version: number; id?: string };
}

export async function offerRemedyEndpoint(ctx: ApiContext): Promise<ApiReply> {
  // `cost: null` is a remedy whose cost is not known (history from another system).
  const data = await edit(ctx, offerRemedy, {
    cost: ctx.body.cost === null ? undefined : asText(ctx.body.cost),
    costUnknown: ctx.body.cost === null,
  });
  return { status: 201, body: { data }, headers: { etag: `"${data.version}"` } };
}

export async function scheduleFollowUpEndpoint(ctx: ApiContext): Promise<ApiReply> {
  const data = await edit(ctx, scheduleFollowUp);
  return { status: 201, body: { data }, headers: { etag: `"${data.version}"` } };
}

export async function recordOutcomeEndpoint(ctx: ApiContext): Promise<ApiReply> {
  const data = await edit(ctx, recordOutcome);
  return { status: 200, body: { data }, headers: { etag: `"${data.version}"` } };
}

/** The changes history brings along with its time (`at`): status, a remedy's fate, a follow-up. */
const changed = (data: { version: number; id?: string }): ApiReply => ({
  status: 200,
  body: { data },
  headers: { etag: `"${data.version}"` },
});

export async function changeStatusEndpoint(ctx: ApiContext): Promise<ApiReply> {
  return changed(await edit(ctx, changeStatus));
}

export async function decideRemedyEndpoint(ctx: ApiContext): Promise<ApiReply> {
  return changed(await edit(ctx, decideRemedy, { remedyId: ctx.params.remedyId }));
}

export async function deliverRemedyEndpoint(ctx: ApiContext): Promise<ApiReply> {
  return changed(await edit(ctx, deliverRemedy, { remedyId: ctx.params.remedyId }));
}

export async function completeFollowUpEndpoint(ctx: ApiContext): Promise<ApiReply> {
  return changed(await edit(ctx, completeFollowUp, { followUpId: ctx.params.followUpId }));
}
