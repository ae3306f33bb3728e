import { z } from "zod";
import { isWellFormedSetupCode, normaliseSetupCode } from "./code";

/** Wrong, expired and used codes all get this, so a guess learns nothing. */
export const SETUP_CODE_REFUSED =
  "That code is not valid. Use the code in the server log from the server's latest start.";

export const firstOrganisationSchema = z
  .object({
    code: z
      .string("Enter the setup code from the server log.")
      .max(40, SETUP_CODE_REFUSED)
      .transform(normaliseSetupCode)
      .refine((code) => code.length > 0, "Enter the setup code from the server log.")
      .refine((code) => code.length === 0 || isWellFormedSetupCode(code), SETUP_CODE_REFUSED),
    organisationName: z
      .string("Enter your organisation's name.")
      .trim()
      .min(1, "Enter your organisation's name.")
      .max(200, "Keep the name under 200 characters."),
    name: z
      .string("Enter your name.")
      .trim()
      .min(1, "Enter your name.")
      .max(120, "Keep the name under 120 characters."),
    email: z
      .string("Enter your email address.")
      .trim()
      .toLowerCase()
      .max(254, "Keep the email under 254 characters.")
      .pipe(z.email("Enter a valid email address.")),
    password: z
      .string("Choose a password.")
      .min(12, "Use at least 12 characters.")
      .max(200, "Keep the password under 200 characters."),
    passwordConfirmation: z.string("Type the password again."),
  })
  .refine((input) => input.password === input.passwordConfirmation, {
    path: ["passwordConfirmation"],
    message: "The two passwords differ. Type the same password twice.",
    // Said alongside the other fields' errors, not only once they are all right.
    when: ({ value }) => {
      const v = value as { password?: unknown; passwordConfirmation?: unknown } | undefined;
      return typeof v?.password === "string" && typeof v.passwordConfirmation === "string";
    },
  });

export type FirstOrganisationInput = z.infer<typeof firstOrganisationSchema>;
