/** Before a run: the remembered mapping and teams for the mapping screen, and creating the run. */
import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { importMappings, importRuns, teams } from "@/db/schema";
import { invalid, refused, type ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import { authorise } from "@/lib/auth/guard";
import { causeMappingProblems, loadTaxonomyChoices } from "./cause-mapping";
import { mappingSchema, runInputSchema, unmappedRequired } from "./mapping";
import type { ImportKind, ImportMapping, ImportMode, ImportSetup } from "./types";

export async function loadImportSetup(kind: ImportKind): Promise<ActionResult<ImportSetup>> {
  const auth = await authorise("import:run");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const { orgId } = auth.actor;
  const { db } = await getDatabase();
  const [saved] = await db
    .select({ mapping: importMappings.mapping })
    .from(importMappings)
    .where(and(eq(importMappings.orgId, orgId), eq(importMappings.kind, kind)));
  const parsed = saved ? mappingSchema.safeParse(saved.mapping) : null;
  const teamRows = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.orgId, orgId))
    .orderBy(asc(teams.name));
  return { ok: true, data: { saved: parsed?.success ? parsed.data : null, teams: teamRows } };
}

/** Validates and remembers the mapping, and opens the run ("running", nothing read yet). */
export async function createImportRun(input: {
  kind: ImportKind;
  mapping: ImportMapping;
  mode: ImportMode;
  fileName: string;
  totalBytes?: number;
}): Promise<ActionResult<{ runId: string }>> {
  const auth = await authorise("import:run");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = runInputSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { actor } = auth;
  const { kind, mapping, mode, fileName, totalBytes } = parsed.data;
  const missing = unmappedRequired(kind, mapping);
  if (Object.keys(missing).length) {
    return {
      ok: false,
      reason: "invalid",
      fieldErrors: missing,
      formError: "Map the required fields.",
    };
  }
  const { db } = await getDatabase();
  if (mapping.options.companyTo === "team") {
    const [team] = await db
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.orgId, actor.orgId), eq(teams.id, mapping.options.companyTeamId!)));
    if (!team) {
      return {
        ok: false,
        reason: "invalid",
        fieldErrors: { "options.companyTeamId": ["Choose a team from the list."] },
        formError: "Choose a team from the list.",
      };
    }
  }
  if (kind === "complaints" && mapping.preset === "cfpb") {
    const problems = causeMappingProblems(
      mapping.options,
      await loadTaxonomyChoices(db, actor.orgId),
    );
    if (Object.keys(problems).length) {
      const unconfirmed =
        Object.keys(problems).length === 1 && problems["options.taxonomyConfirmed"];
      return {
        ok: false,
        reason: "invalid",
        fieldErrors: problems,
        formError: unconfirmed
          ? "Confirm how the file's issues map onto your root causes."
          : "Choose root causes and categories from your taxonomy.",
      };
    }
  }
  const runId = await db.transaction(async (tx) => {
    await tx
      .insert(importMappings)
      .values({
        orgId: actor.orgId,
        kind,
        preset: mapping.preset,
        mapping,
        updatedBy: actor.userId,
      })
      .onConflictDoUpdate({
        target: [importMappings.orgId, importMappings.kind],
        set: { preset: mapping.preset, mapping, updatedBy: actor.userId, updatedAt: sql`now()` },
      });
    const [run] = await tx
      .insert(importRuns)
      .values({
        orgId: actor.orgId,
        kind,
        preset: mapping.preset,
        fileName,
        mode,
        mapping,
        totalBytes: totalBytes ?? null,
        startedBy: actor.userId,
      })
      .returning({ id: importRuns.id });
    await recordAudit(tx, actor, {
      entity: "import_run",
      entityId: run!.id,
      action: "import.started",
      after: { kind, preset: mapping.preset, mode, fileName, mapping },
    });
    return run!.id;
  });
  return { ok: true, data: { runId } };
}
