/**
 * One customer activity (purchase, renewal, cancellation, referral, review, survey), as the
 * activity importer and the REST API both take it. Retention and ROI are computed from these rows,
 * so they are never typed in by hand. Values arrive as strings from CSV and as JSON from the API.
 */
import { z } from "zod";
import { activityKinds } from "@/db/schema";
import { pastEventProblem } from "@/lib/bounds";
import { currencyCode } from "@/lib/complaints/validation";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional());

export const customerActivitySchema = z.object({
  /** The customer's reference in the source system (matched against customers.external_ref). */
  customerRef: z
    .string("Customer reference must be text.")
    .trim()
    .min(1, "Enter the customer's reference.")
    .max(120, "Keep the customer reference under 120 characters."),
  /** Matches or names the customer when the reference is new. */
  customerEmail: optional(z.email("Enter a valid email address.").max(254)),
  customerName: optional(z.string().trim().max(200, "Keep the name under 200 characters.")),
  kind: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(activityKinds, `Kind is one of: ${activityKinds.join(", ")}.`),
  ),
  occurredAt: z.coerce
    .date("Date must be a date and time.")
    .refine((d) => !Number.isNaN(d.getTime()), { message: "Date must be a date and time." })
    .superRefine((d, ctx) => {
      const problem = pastEventProblem(d, "Date");
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  /** In major units as written ("25.50"); converted with the currency's digits. */
  amount: optional(
    z
      .string("Amount must be a number such as 25.50.")
      .trim()
      .regex(/^\d{1,12}(\.\d{1,3})?$/, "Amount must be a number such as 25.50, not negative."),
  ),
  currency: z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? "USD" : v),
    currencyCode,
  ),
  /** Review or survey score, 0–10. */
  score: optional(
    z.coerce
      .number("Score must be a number.")
      .int("Score must be a whole number.")
      .min(0, "Score is from 0 to 10.")
      .max(10, "Score is from 0 to 10."),
  ),
  /** The activity's own reference: importing or posting it again changes nothing. */
  externalRef: optional(z.string().trim().max(120, "Keep the reference under 120 characters.")),
  note: optional(z.string().trim().max(2000, "Keep the note under 2,000 characters.")),
});
export type CustomerActivityInput = z.infer<typeof customerActivitySchema>;
