/** The mapping as the importer accepts it from the UI, the CLI or a saved row. */
import { z } from "zod";
import { importModes, severities } from "@/db/schema";
import { currencyCode } from "@/lib/complaints/validation";
import { importFields } from "./fields";
import { csvImportKinds, type ImportKind, type ImportMapping } from "./types";

/** Where one CFPB issue goes (CauseTarget); ids and keys are checked against the organisation later. */
const causeTarget = z.discriminatedUnion(
  "to",
  [
    z.object({ to: z.literal("cause"), causeId: z.uuid("Choose a root cause from the list.") }),
    z.object({
      to: z.literal("new"),
      categoryKey: z.string().trim().min(1, "Choose a category from the list.").max(40),
    }),
    z.object({ to: z.literal("none") }),
  ],
  "Choose a root cause, a category for a new one, or no root cause.",
);

/** The CFPB root-cause mapping's options (also accepted as they are by the /import actions). */
export const causeMappingOptions = {
  causes: z
    .record(z.string().trim().min(1).max(300), causeTarget)
    .refine((r) => Object.keys(r).length <= 2_000, "Map at most 2,000 issues.")
    .optional(),
  otherIssues: z
    .object({ to: z.enum(["new", "none"], "Choose new causes or no root cause.") })
    .optional(),
  taxonomyConfirmed: z.boolean().optional(),
};

export const mappingSchema = z.object({
  preset: z.enum(["generic", "cfpb"], "Choose generic or CFPB."),
  columns: z.record(z.string(), z.string().max(300).nullable()),
  options: z
    .object({
      companyTo: z.enum(["team", "product", "ignore"]).optional(),
      companyTeamId: z.uuid("Choose a team from the list.").nullable().optional(),
      defaultSeverity: z.enum(severities).optional(),
      defaultCurrency: currencyCode.optional(),
      ...causeMappingOptions,
    })
    .default({}),
});

export const runInputSchema = z.object({
  kind: z.enum(csvImportKinds, "Choose complaints or customer activity."),
  mapping: mappingSchema,
  mode: z.enum(importModes, "Choose stop on first error or skip bad rows."),
  fileName: z.string().trim().min(1, "Name the file.").max(260, "The file name is too long."),
  totalBytes: z.number().int().nonnegative().optional(),
});

/** Field errors for required fields left unmapped (keyed "columns.<field>"). */
export function unmappedRequired(
  kind: ImportKind,
  mapping: ImportMapping,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const field of importFields(kind, mapping.preset)) {
    if (field.required && !mapping.columns[field.key]) {
      errors[`columns.${field.key}`] = [`Choose the column for ${field.label}.`];
    }
  }
  if (mapping.options.companyTo === "team" && !mapping.options.companyTeamId) {
    errors["options.companyTeamId"] = ["Choose the team that gets these complaints."];
  }
  return errors;
}
