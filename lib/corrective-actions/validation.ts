import { z } from "zod";
import { correctiveActionStatuses } from "@/db/schema";

/** Form fields arrive as strings; an empty one means "not given". */
const blankToUndefined = (v: unknown) =>
  v === "" || v === null || (typeof v === "string" && v.trim() === "") ? undefined : v;

const isoDate = z
  .string("Enter a date as YYYY-MM-DD.")
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD.")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
  }, "Enter a real calendar date.");

const fields = {
  rootCauseId: z.uuid("Choose a root cause from the list."),
  title: z
    .string("Enter a title.")
    .trim()
    .min(1, "Enter a title.")
    .max(200, "Keep the title under 200 characters."),
  description: z.preprocess(
    blankToUndefined,
    z.string().max(4000, "Keep the description under 4,000 characters.").optional(),
  ),
  ownerId: z.preprocess(blankToUndefined, z.uuid("Choose an owner from the list.").optional()),
  status: z.enum(correctiveActionStatuses, "Choose one of the statuses."),
  dueAt: z.preprocess(blankToUndefined, isoDate.optional()),
  doneAt: z.preprocess(blankToUndefined, isoDate.optional()),
  verificationNote: z.preprocess(
    blankToUndefined,
    z.string().trim().max(4000, "Keep the note under 4,000 characters.").optional(),
  ),
};

type Shape = {
  status: (typeof correctiveActionStatuses)[number];
  doneAt?: string | undefined;
  verificationNote?: string | undefined;
};

/** Done and verified actions need a done date (recurrence is measured from it); verified needs a note. */
function consistent(value: Shape, ctx: z.RefinementCtx) {
  const finished = value.status === "done" || value.status === "verified";
  if (finished && !value.doneAt)
    ctx.addIssue({ code: "custom", path: ["doneAt"], message: "Enter the date it was done." });
  if (!finished && value.doneAt)
    ctx.addIssue({
      code: "custom",
      path: ["doneAt"],
      message: "Leave the done date empty until the action is done.",
    });
  if (value.status === "verified" && !value.verificationNote)
    ctx.addIssue({
      code: "custom",
      path: ["verificationNote"],
      message: "Say how the fix was verified.",
    });
  if (value.doneAt && value.doneAt > new Date().toISOString().slice(0, 10))
    ctx.addIssue({
      code: "custom",
      path: ["doneAt"],
      message: "The done date cannot be in the future.",
    });
}

export const createCorrectiveActionSchema = z.object(fields).superRefine(consistent);
export type CreateCorrectiveActionInput = z.infer<typeof createCorrectiveActionSchema>;

export const updateCorrectiveActionSchema = z
  .object({
    id: z.uuid("Unknown corrective action."),
    /** The version the form was based on: a stale one is refused (someone else changed it). */
    version: z.coerce.number("Reload and try again.").int().min(1, "Reload and try again."),
    ...fields,
  })
  .superRefine(consistent);
export type UpdateCorrectiveActionInput = z.infer<typeof updateCorrectiveActionSchema>;

export const correctiveActionStatusLabel: Record<
  (typeof correctiveActionStatuses)[number],
  string
> = {
  proposed: "Proposed",
  in_progress: "In progress",
  done: "Done",
  verified: "Verified",
};
