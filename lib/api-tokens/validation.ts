/** What an admin types to create or revoke an API token. */
import { z } from "zod";
import { tokenScopes } from "@/db/schema";
import { expiryChoices, expiryDateBounds } from "./expiry";

const day = /^\d{4}-\d{2}-\d{2}$/;

export const createTokenSchema = z
  .object({
    name: z
      .string("Name the token.")
      .trim()
      .min(1, "Name the token, e.g. the system that will use it.")
      .max(120, "Keep the name under 120 characters."),
    scope: z.enum(tokenScopes, "Choose read or write."),
    expiresIn: z.enum(
      expiryChoices,
      "Choose when the token expires: in 7, 30 or 90 days, in a year, or on a date.",
    ),
    // The form always sends the date field; it is read only when "On a date…" is chosen.
    expiresOn: z.string("Give the date as YYYY-MM-DD.").trim().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.expiresIn !== "date") return;
    const on = input.expiresOn ?? "";
    const issue = (message: string) =>
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message });
    if (on === "") return issue("Choose the date the token expires on.");
    const parsed = Date.parse(`${on}T00:00:00Z`);
    // Date.parse rolls 2027-02-30 over to March: a real date prints back as itself.
    if (!day.test(on) || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== on)
      return issue("Give the date as YYYY-MM-DD.");
    // Read at parse time: the bounds move with the day the form is sent.
    const { min, max } = expiryDateBounds(new Date());
    if (on < min) return issue("Choose a date after today.");
    if (on > max) return issue(`A token lives at most a year: choose ${max} or earlier.`);
  });
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export const revokeTokenSchema = z.object({
  tokenId: z.uuid("Unknown token."),
});
