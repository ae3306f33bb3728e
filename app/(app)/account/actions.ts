"use server";

import { attempt } from "@/app/_server/attempt";
import type { ActionResult } from "@/lib/action-result";
import { changeOwnPassword, signOutEverywhere } from "@/lib/users/commands";

// Anyone can call an action with any arguments: anything but FormData gets this, never a crash.
const unreadable = {
  ok: false,
  reason: "invalid",
  formError: "This form could not be read. Reload the page and try again.",
} as const;

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/**
 * The signed-in person's new password. On success every session has ended, this one too: the
 * form says so and links to sign-in (the next page would send them there anyway).
 */
export async function changeOwnPasswordAction(
  _prev: ActionResult | null,
  formData: FormData,
): Promise<ActionResult> {
  if (!(formData instanceof FormData)) return unreadable;
  return attempt("changing a password", () =>
    changeOwnPassword({
      currentPassword: text(formData, "currentPassword"),
      newPassword: text(formData, "newPassword"),
      confirmPassword: text(formData, "confirmPassword"),
    }),
  );
}

/** Ends every session of the signed-in person, this one included. */
export async function signOutEverywhereAction(
  _prev: ActionResult | null,
  formData: FormData,
): Promise<ActionResult> {
  if (!(formData instanceof FormData)) return unreadable;
  return attempt("signing out everywhere", () => signOutEverywhere({}));
}
