import { z } from "zod";
import { roles } from "@/db/schema";

/** Optional form field: an empty string means "not given". */
const optionalUuid = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  z.uuid("Choose a team from the list.").optional(),
);

export const createUserSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter the person's name.")
    .max(120, "Keep the name under 120 characters."),
  email: z.email("Enter a valid email address.").max(254, "Keep the email under 254 characters."),
  role: z.enum(roles, "Choose one of the roles."),
  teamId: optionalUuid,
  password: z
    .string()
    .min(12, "Use at least 12 characters.")
    .max(200, "Keep the password under 200 characters."),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const changeRoleSchema = z.object({
  userId: z.uuid("Unknown user."),
  role: z.enum(roles, "Choose one of the roles."),
});
export type ChangeRoleInput = z.infer<typeof changeRoleSchema>;

/** One user of the admin's organisation: deactivate, reactivate, issue a password reset. */
export const userIdSchema = z.object({ userId: z.uuid("Unknown user.") });

/** Omitted (or empty) means yourself. */
export const signOutEverywhereSchema = z.object({
  userId: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.uuid("Unknown user.").optional(),
  ),
});

const newPassword = z
  .string("Enter a new password.")
  .min(12, "Use at least 12 characters.")
  .max(200, "Keep the password under 200 characters.");

const confirmPassword = z.string("Type the new password again.").max(200);

/** The new password typed twice must match; the error sits on the second field. */
function sameNewPasswordTwice(
  input: { newPassword: string; confirmPassword: string },
  ctx: z.RefinementCtx,
): void {
  if (input.confirmPassword !== input.newPassword) {
    ctx.addIssue({
      code: "custom",
      path: ["confirmPassword"],
      message: "The two new passwords differ; type the same one twice.",
    });
  }
}

export const changeOwnPasswordSchema = z
  .object({
    currentPassword: z
      .string("Enter your current password.")
      .min(1, "Enter your current password.")
      .max(200, "That is not your current password."),
    newPassword,
    confirmPassword,
  })
  .superRefine((input, ctx) => {
    sameNewPasswordTwice(input, ctx);
    if (input.newPassword === input.currentPassword && input.newPassword.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["newPassword"],
        message: "Choose a password different from your current one.",
      });
    }
  });
export type ChangeOwnPasswordInput = z.infer<typeof changeOwnPasswordSchema>;

export const resetPasswordSchema = z
  .object({
    email: z.email("Enter your email address.").max(254, "Keep the email under 254 characters."),
    code: z
      .string("Enter the code an admin gave you.")
      .trim()
      .min(1, "Enter the code an admin gave you.")
      .max(64, "That code is wrong or has expired. Ask an admin for a new one."),
    newPassword,
    confirmPassword,
  })
  .superRefine(sameNewPasswordTwice);
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;
