import "server-only";
import crypto from "node:crypto";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { idempotencyKeys } from "@/db/schema";
import { claimKey, earlierClaim, requestHash, storeResult, type Claim } from "@/lib/idempotency";
import { ApiError, type ApiReply } from "./errors";

const keyPattern = /^[\x21-\x7e]{1,200}$/;

/** The Idempotency-Key header, if sent; a malformed one is a 400, never silently ignored. */
export function idempotencyKeyOf(request: Request): string | null {
  const key = request.headers.get("idempotency-key");
  if (key === null) return null;
  if (!keyPattern.test(key)) {
    throw new ApiError(
      "bad_request",
      "Idempotency-Key must be 1 to 200 printable characters without spaces (a UUID is ideal).",
    );
  }
  return key;
}

/** A UUID derived from a client's key, for commands (intake) that take their own key. */
export function keyAsUuid(orgId: string, operation: string, key: string): string {
  const hex = crypto.createHash("sha256").update(`${orgId}\n${operation}\n${key}`).digest("hex");
  // Shaped as a version-8 (custom) RFC 9562 UUID, which z.uuid() accepts.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The answer to a key used before with a different request. */
export function mismatchError(): ApiError {
  return new ApiError(
    "idempotency_mismatch",
    "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
  );
}

/** What a claim fingerprints: the request as sent (its path and JSON body). */
export function fingerprintOf(request: { path: string; body: unknown }): string {
  return requestHash(request);
}

/** Longer than any request may run (route handlers finish well within a minute). */
const ABANDONED_AFTER = "5 minutes";

export type Claimed = { kind: "new" } | { kind: "replay"; reply: ApiReply };

/**
 * Claims the key before the command runs (commands open their own transaction, so the claim
 * commits first). A retry of the same request gets the stored reply; the same key with another
 * body is a 409; a retry while the first is still running is a 409 to try again shortly.
 */
export async function claim(
  orgId: string,
  operation: string,
  key: string,
  request: { path: string; body: unknown },
): Promise<Claimed> {
  const { db } = await getDatabase();
  const result = await db.transaction(async (tx) => {
    // A claim that never got its reply (the process died mid-request) is abandoned after a
    // while, so the client's retry can run instead of waiting on "in progress" for ever.
    await tx
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.orgId, orgId),
          eq(idempotencyKeys.key, key),
          eq(idempotencyKeys.operation, operation),
          isNull(idempotencyKeys.responseStatus),
          lt(idempotencyKeys.createdAt, sql`now() - ${ABANDONED_AFTER}::interval`),
        ),
      );
    return claimKey(tx, orgId, key, operation, fingerprintOf(request));
  });
  if (result.kind === "new") return { kind: "new" };
  if (result.kind === "mismatch") throw mismatchError();
  if (result.status === null) {
    throw new ApiError(
      "idempotency_in_progress",
      "A request with this Idempotency-Key is still being processed. Retry in a moment.",
      { headers: { "retry-after": "1" } },
    );
  }
  return {
    kind: "replay",
    reply: {
      status: result.status,
      body: result.body,
      headers: { "idempotent-replayed": "true" },
    },
  };
}

export async function remember(orgId: string, operation: string, key: string, reply: ApiReply) {
  const { db } = await getDatabase();
  await storeResult(db, orgId, key, operation, reply.status, reply.body);
}

/** After an unexpected failure the key is released, so the client's retry runs the request. */
export async function release(orgId: string, operation: string, key: string) {
  const { db } = await getDatabase();
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.orgId, orgId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.operation, operation),
      ),
    );
}

/**
 * For an endpoint that claims its key in its own write transaction (intake), which a refusal
 * rolls back: stores the refusal under the key afterwards, so a retry still gets it replayed and
 * another body under the key still gets 409, as with the handler's claim. Only refusals pay this
 * statement. If the key has an answer already (a concurrent or earlier request), that answer is
 * returned instead (kind "replay"), or "mismatch" when it was for another request.
 */
export async function rememberRefusal(
  orgId: string,
  operation: string,
  key: string,
  fingerprint: string,
  answer: { status: number; body: unknown },
): Promise<Claim> {
  const { db } = await getDatabase();
  return claimKey(db, orgId, key, operation, fingerprint, answer);
}

/**
 * The reply the handler stored under this key for this very request, when the handler still
 * claimed the key for the endpoint (before intake claimed API keys itself): a retry spanning
 * that change gets its first answer rather than a 409. Asked only when the key seems reused.
 */
export async function earlierReply(
  orgId: string,
  operation: string,
  key: string,
  fingerprint: string,
): Promise<ApiReply | null> {
  const { db } = await getDatabase();
  const earlier = await earlierClaim(db, orgId, key, operation, fingerprint);
  if (earlier.kind !== "replay" || earlier.status === null) return null;
  return { status: earlier.status, body: earlier.body, headers: { "idempotent-replayed": "true" } };
}
