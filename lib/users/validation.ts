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
