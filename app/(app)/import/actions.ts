"use server";

import { z } from "zod";
import { importModes } from "@/db/schema";
import { csvImportKinds } from "@/lib/import/types";
import { attempt } from "@/app/_server/attempt";
import { checkObject } from "@/app/_server/raw-args";
import { invalid, refused, type ActionResult } from "@/lib/action-result";
import { createArchiveRun } from "@/lib/archive/import";
import { authorise } from "@/lib/auth/guard";
import { currencyCode } from "@/lib/complaints/validation";
import { createImportRun, previewImport, type ImportPreview } from "@/lib/import";
import { causeMappingOptions } from "@/lib/import/mapping";

/** The first 64 KB of the file as text: never more, the file itself is streamed on import. */
const MAX_SAMPLE_CHARS = 64 * 1024;

const mappingSchema = z.object({
  preset: z.enum(["generic", "cfpb"]),
  columns: z.record(z.string().max(60), z.string().max(500).nullable()),
  options: z.object({
    companyTo: z.enum(["team", "product", "ignore"]).optional(),
    companyTeamId: z.uuid("Choose a team.").nullable().optional(),
    defaultSeverity: z.enum(["minor", "moderate", "major", "critical"]).optional(),
    defaultCurrency: currencyCode.optional(),
    // The CFPB root-cause mapping; lib checks its causes and categories belong to the organisation.
    ...causeMappingOptions,
  }),
});

const previewSchema = z.object({
  kind: z.enum(csvImportKinds),
  mapping: mappingSchema,
  sample: z.string().max(MAX_SAMPLE_CHARS, "Send at most the first 64 KB of the file."),
});

const startSchema = z.object({
  kind: z.enum(csvImportKinds),
  mapping: mappingSchema,
  mode: z.enum(importModes, "Choose what happens to bad rows."),
  fileName: z.string().trim().min(1, "The file has no name.").max(260),
  totalBytes: z.number().int().nonnegative().optional(),
});

export type PreviewInput = z.input<typeof previewSchema>;
export type StartInput = z.input<typeof startSchema>;

/** Who may import is decided in lib; refusals come back before the input is even read. */
async function allowed<T>(): Promise<ActionResult<T> | null> {
  const auth = await authorise("import:run");
  return auth.ok ? null : refused(auth.reason, auth.message);
}

/** The first rows of the sample as they would be stored under this mapping. */
export async function previewImportAction(
  input: PreviewInput,
): Promise<ActionResult<ImportPreview>> {
  const unreadable = checkObject(input, ["sample"]);
  if (unreadable) return unreadable;
  const refusal = await allowed<ImportPreview>();
  if (refusal) return refusal;
  const parsed = previewSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  return attempt("an import preview", () => previewImport(parsed.data));
}

/** Saves the mapping and opens the run; the browser then streams the file to the upload route. */
export async function startImportAction(
  input: StartInput,
): Promise<ActionResult<{ runId: string }>> {
  const unreadable = checkObject(input);
  if (unreadable) return unreadable;
  const refusal = await allowed<{ runId: string }>();
  if (refusal) return refusal;
  const parsed = startSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  return attempt("starting an import", () => createImportRun(parsed.data));
}

export type ArchiveStartInput = Parameters<typeof createArchiveRun>[0];

/**
 * Opens an organisation-archive run (no mapping, no preview: the archive names its own fields);
 * the browser then streams the file to the same upload route. createArchiveRun authorises
 * (admins only) before it reads the input, then checks mode, file name and size with zod.
 */
export async function startArchiveImportAction(
  input: ArchiveStartInput,
): Promise<ActionResult<{ runId: string }>> {
  const unreadable = checkObject(input);
  if (unreadable) return unreadable;
  return attempt("starting an archive import", () => createArchiveRun(input));
}
