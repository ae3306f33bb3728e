import "server-only";
import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
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
 * so twenty simultaneous submissions do the work exactly once.
 */
export async function claimKey(
  tx: Tx,
  orgId: string,
  key: string,
  operation: string,
  hash: string,
): Promise<Claim> {
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ orgId, key, operation, requestHash: hash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length) return { kind: "new" };
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
