"use server";

import { attempt } from "@/app/_server/attempt";
import type { ActionResult } from "@/lib/action-result";
import { resetPasswordWithCode } from "@/lib/users/commands";

export type ResetPasswordState =
  (ActionResult & { values?: { email: string; code: string } }) | null;

/** Anonymous: a new password with the one-time code an admin issued. */
export async function resetPasswordAction(
  _prev: ResetPasswordState,
  formData: FormData,
): Promise<ResetPasswordState> {
  // Anyone can call an action with any arguments: anything but FormData gets a refusal.
  if (!(formData instanceof FormData)) {
    return {
      ok: false,
      reason: "invalid",
      formError: "This form could not be read. Reload the page and try again.",
    };
  }
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : "";
  };
  const values = { email: text("email"), code: text("code") };
  const result = await attempt("resetting a password", () =>
    resetPasswordWithCode({
      ...values,
      newPassword: text("newPassword"),
      confirmPassword: text("confirmPassword"),
    }),
  );
  // What was typed comes back (never the passwords), so the form keeps it.
  return result.ok ? result : { ...result, values };
}
