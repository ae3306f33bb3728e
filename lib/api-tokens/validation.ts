/** What an admin types to create or revoke an API token. */
import { z } from "zod";
import { tokenScopes } from "@/db/schema";

export const createTokenSchema = z.object({
  name: z
    .string("Name the token.")
    .trim()
    .min(1, "Name the token, e.g. the system that will use it.")
    .max(120, "Keep the name under 120 characters."),
  scope: z.enum(tokenScopes, "Choose read or write."),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export const revokeTokenSchema = z.object({
  tokenId: z.uuid("Unknown token."),
});
