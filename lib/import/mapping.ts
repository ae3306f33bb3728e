/** The mapping as the importer accepts it from the UI, the CLI or a saved row. */
import { z } from "zod";
import { importModes, severities } from "@/db/schema";
import { currencyCode } from "@/lib/complaints/validation";
import { importFields } from "./fields";
import { csvImportKinds, type ImportKind, type ImportMapping } from "./types";

export const mappingSchema = z.object({
  preset: z.enum(["generic", "cfpb"], "Choose generic or CFPB."),
  columns: z.record(z.string(), z.string().max(300).nullable()),
  options: z
    .object({
      companyTo: z.enum(["team", "product", "ignore"]).optional(),
      companyTeamId: z.uuid("Choose a team from the list.").nullable().optional(),
      defaultSeverity: z.enum(severities).optional(),
      defaultCurrency: currencyCode.optional(),
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
