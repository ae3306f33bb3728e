/** What the command-line importer needs besides importFile: who runs it, and the report file. */
import "server-only";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { importRejections, teamMemberships, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/guard";
import { actorCan, type Operation } from "@/lib/permissions";
import { rejectionsCsv } from "./runs";

export { importFile } from "./file";

/** The user the CLI acts as: by email, or the first active admin. Refuses roles without import:run. */
export async function findImporter(
  db: Db,
  email?: string,
  operation: Operation = "import:run",
): Promise<{ ok: true; actor: Actor } | { ok: false; message: string }> {
  const [user] = await db
    .select()
    .from(users)
    .where(
      email
        ? and(eq(users.email, email.toLowerCase()), eq(users.active, true))
        : and(eq(users.role, "admin"), eq(users.active, true)),
    )
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(1);
  if (!user)
    return {
      ok: false,
      message: email ? `No active user ${email}.` : "No active admin; pass --as <email>.",
    };
  const teams = await db
    .select({ teamId: teamMemberships.teamId })
    .from(teamMemberships)
    .where(and(eq(teamMemberships.orgId, user.orgId), eq(teamMemberships.userId, user.id)));
  const actor: Actor = {
    userId: user.id,
    orgId: user.orgId,
    role: user.role,
    name: user.name,
    email: user.email,
    teamIds: teams.map((t) => t.teamId),
  };
  if (!actorCan(actor, operation)) {
    return {
      ok: false,
      message:
        operation === "import:run"
          ? `${user.email} is ${user.role}; importing needs a manager or an admin.`
          : `${user.email} is ${user.role}; archives are exported and imported by admins.`,
    };
  }
  return { ok: true, actor };
}

/** Writes the rejection report when asked; returns the first rejection for the summary line. */
export async function writeRejections(db: Db, orgId: string, runId: string, file?: string) {
  const [first] = await db
    .select({
      line: importRejections.lineNumber,
      field: importRejections.field,
      reason: importRejections.reason,
    })
    .from(importRejections)
    .where(and(eq(importRejections.orgId, orgId), eq(importRejections.runId, runId)))
    .orderBy(asc(importRejections.position))
    .limit(1);
  if (file) {
    const stream = await rejectionsCsv(runId);
    if (stream)
      await pipeline(
        Readable.fromWeb(stream as import("node:stream/web").ReadableStream),
        fs.createWriteStream(file),
      );
  }
  return first ?? null;
}
