import { z } from "zod";

const blankToUndefined = (v: unknown) =>
  v === "" || v === null || (typeof v === "string" && v.trim() === "") ? undefined : v;

const name = z
  .string("Enter a name.")
  .trim()
  .min(1, "Enter a name.")
  .max(200, "Keep the name under 200 characters.");
const description = z.preprocess(
  blankToUndefined,
  z.string().trim().max(2000, "Keep the description under 2,000 characters.").optional(),
);
/** Weeks before/after a corrective action over which recurrence is measured (minor causes: longer). */
const recurrenceWindowWeeks = z.preprocess(
  (v) => blankToUndefined(v) ?? 8,
  z.coerce
    .number("Enter a number of weeks.")
    .int("Enter whole weeks.")
    .min(1, "Use 1 to 104 weeks.")
    .max(104, "Use 1 to 104 weeks."),
);

export const createRootCauseSchema = z.object({
  categoryId: z.uuid("Choose a category from the list."),
  name,
  description,
  recurrenceWindowWeeks,
});
export type CreateRootCauseInput = z.infer<typeof createRootCauseSchema>;

/** Rename, re-describe, change the window, deactivate or reactivate (never delete: complaints keep it). */
export const updateRootCauseSchema = z.object({
  id: z.uuid("Unknown root cause."),
  name,
  description,
  recurrenceWindowWeeks,
  active: z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean()),
});
export type UpdateRootCauseInput = z.infer<typeof updateRootCauseSchema>;
