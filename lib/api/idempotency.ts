import "server-only";
import crypto from "node:crypto";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { idempotencyKeys } from "@/db/schema";
import { claimKey, requestHash, storeResult } from "@/lib/idempotency";
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
    return claimKey(tx, orgId, key, operation, requestHash(request));
  });
  if (result.kind === "new") return { kind: "new" };
  if (result.kind === "mismatch") {
    throw new ApiError(
      "idempotency_mismatch",
      "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
    );
  }
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
