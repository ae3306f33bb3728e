/**
 * The organisation settings form (admin): the remedy approval limit in major units of the
 * organisation's currency as typed ("1000.00"); blank means no approval is ever needed.
 */
import { z } from "zod";
import { MAX_REMEDY_COST } from "@/lib/bounds";

const AMOUNT = /^\d{1,12}(\.\d{1,3})?$/;

export const approvalLimitSchema = z.object({
  approvalLimit: z.preprocess(
    (v) => (v === null || v === undefined ? "" : typeof v === "number" ? String(v) : v),
    z
      .string("Enter the limit as a number, e.g. 1000.00, or leave it blank.")
      .trim()
      .max(20, "Enter the limit as a number, e.g. 1000.00, or leave it blank.")
      .superRefine((value, ctx) => {
        if (value === "") return;
        if (/^-\s*\d/.test(value)) {
          ctx.addIssue({ code: "custom", message: "The limit cannot be negative." });
        } else if (!AMOUNT.test(value)) {
          ctx.addIssue({
            code: "custom",
            message: "Enter the limit as a number, e.g. 1000.00, or leave it blank.",
          });
        } else if (Number(value) > MAX_REMEDY_COST) {
          ctx.addIssue({
            code: "custom",
            message: `The limit is at most ${MAX_REMEDY_COST.toLocaleString("en")}, the largest remedy cost — leave it blank for no approval.`,
          });
        }
      })
      .transform((value) => (value === "" ? null : value)),
  ),
});
export type ApprovalLimitInput = z.infer<typeof approvalLimitSchema>;
