import "server-only";
import crypto from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import type { Tx } from "@/lib/audit";

/** A stable fingerprint of a request body, to tell a retry from a different request reusing a key. */
export function requestHash(body: unknown): string {
  const canonical = JSON.stringify(body, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  return crypto.createHash("sha256").update(canonical).digest("hex");
}

export type Claim =
  { kind: "new" } | { kind: "replay"; status: number | null; body: unknown } | { kind: "mismatch" };

/**
 * Claims an idempotency key inside the caller's transaction. A concurrent claim of the same key
 * waits on the unique index until the first transaction ends, then sees its stored result —
 * so twenty simultaneous submissions do the work exactly once. With `result`, the key is claimed
 * with its result already stored (an answer known before any work, such as a refusal).
 */
export async function claimKey(
  tx: Tx,
  orgId: string,
  key: string,
  operation: string,
  hash: string,
  result?: { status: number; body: unknown },
): Promise<Claim> {
  const inserted = await claimInsert(tx, orgId, key, operation, hash, result);
  if (inserted.length) return { kind: "new" };
  return earlierClaim(tx, orgId, key, operation, hash);
}

/**
 * `claimKey`, also reading `columns` (a select list, e.g. `sql\`(select …) as name\``) in the
 * same statement: what the caller reads whether or not the key is new costs no round trip of its
 * own. (The columns see the database as the statement began, without the claim.)
 */
export async function claimKeyReading<T extends Record<string, unknown>>(
  tx: Tx,
  orgId: string,
  key: string,
  operation: string,
  hash: string,
  columns: SQL,
): Promise<{ claim: Claim; row: T }> {
  const insert = claimInsert(tx, orgId, key, operation, hash);
  const [row] = await queryRows<T & { claimed: boolean }>(
    tx as Db,
    sql`with claimed as (${insert.getSQL()}) select exists (select 1 from claimed) as claimed, ${columns}`,
  );
  const { claimed, ...read } = row!;
  const claim: Claim = claimed
    ? { kind: "new" }
    : await earlierClaim(tx, orgId, key, operation, hash);
  return { claim, row: read as unknown as T };
}

function claimInsert(
  tx: Tx,
  orgId: string,
  key: string,
  operation: string,
  hash: string,
  result?: { status: number; body: unknown },
) {
  return tx
    .insert(idempotencyKeys)
    .values({
      orgId,
      key,
      operation,
      requestHash: hash,
      responseStatus: result?.status,
      responseBody: result?.body,
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
}

/** The claim already made of a key: its result for this request, or a mismatch. */
export async function earlierClaim(
  tx: Tx,
  orgId: string,
  key: string,
  operation: string,
  hash: string,
): Promise<Claim> {
  // A separate statement: one that waited for a concurrent claim to commit must see its result.
  const [existing] = await tx
    .select()
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.orgId, orgId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.operation, operation),
      ),
    );
  if (!existing || existing.requestHash !== hash) return { kind: "mismatch" };
  return { kind: "replay", status: existing.responseStatus, body: existing.responseBody };
}

/** Stores the result to hand back to every retry of the same key. */
export async function storeResult(
  tx: Tx,
  orgId: string,
  key: string,
  operation: string,
  status: number,
  body: unknown,
): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ responseStatus: status, responseBody: body })
    .where(
      and(
        eq(idempotencyKeys.orgId, orgId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.operation, operation),
      ),
    );
}
