import "server-only";
import type { Db } from "@/db";
import { auditEvents } from "@/db/schema";
import type { Actor } from "@/lib/auth/guard";

/** A transaction or the database itself: audit events are written inside the caller's transaction. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

export interface AuditEntry {
  entity: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
  complaintId?: string | null;
}

/** Records who changed what, before → after, in the same transaction as the change. */
export async function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
    orgId: actor.orgId,
    actorKind: actor.via?.kind ?? "user",
    // API calls name the token; imports and sessions name the person.
    actorId: actor.via?.kind === "api_token" ? actor.via.tokenId : actor.userId,
    entity: entry.entity,
    entityId: entry.entityId,
    complaintId: entry.complaintId ?? null,
    action: entry.action,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
