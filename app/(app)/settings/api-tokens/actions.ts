"use server";

import { revalidatePath } from "next/cache";
import { attempt } from "@/app/_server/attempt";
import { checkForm } from "@/app/_server/raw-args";
import type { ActionResult } from "@/lib/action-result";
import { createApiToken, revokeApiToken, type CreatedToken } from "@/lib/api-tokens/commands";

export type CreateTokenState =
  (ActionResult<CreatedToken> & { values?: Record<string, string> }) | null;

export async function createTokenAction(
  _prev: CreateTokenState,
  formData: FormData,
): Promise<CreateTokenState> {
  const unreadable = checkForm(formData);
  if (unreadable) return unreadable;
  const values = {
    name: String(formData.get("name") ?? ""),
    scope: String(formData.get("scope") ?? ""),
    expiresIn: String(formData.get("expiresIn") ?? ""),
    expiresOn: String(formData.get("expiresOn") ?? ""),
  };
  const result = await attempt("creating a token", () => createApiToken(values));
  if (result.ok) {
    revalidatePath("/settings/api-tokens");
    return result;
  }
  return { ...result, values };
}

export async function revokeTokenAction(
  _prev: ActionResult | null,
  formData: FormData,
): Promise<ActionResult> {
  const unreadable = checkForm(formData);
  if (unreadable) return unreadable;
  const result = await attempt("revoking a token", () =>
    revokeApiToken({ tokenId: String(formData.get("tokenId") ?? "") }),
  );
  if (result.ok) revalidatePath("/settings/api-tokens");
  return result;
}
