"use server";

import { revalidatePath } from "next/cache";
import { attempt } from "@/app/_server/attempt";
import { checkForm } from "@/app/_server/raw-args";
import type { ActionResult } from "@/lib/action-result";
import {
  deactivateUser,
  issuePasswordReset,
  reactivateUser,
  signOutEverywhere,
  type IssuedReset,
} from "@/lib/users/commands";

// Anyone can call an action with any arguments: anything but FormData gets this, never a crash.
const unreadable = {
  ok: false,
  reason: "invalid",
  formError: "This form could not be read. Reload the page and try again.",
} as const;

function userIdOf(formData: FormData): { userId: string } {
  const value = formData.get("userId");
  return { userId: typeof value === "string" ? value : "" };
}

export async function deactivateUserAction(
  _prev: ActionResult | null,
  formData: FormData,
): Promise<ActionResult> {
  if (!(formData instanceof FormData)) return unreadable;
  const result = await attempt("deactivating a person", () => deactivateUser(userIdOf(formData)));
  if (result.ok) revalidatePath("/settings/users");
  return result;
}

export async function reactivateUserAction(
  _prev: ActionResult | null,
  formData: FormData,
): Promise<ActionResult> {
  if (!(formData instanceof FormData)) return unreadable;
  const result = await attempt("reactivating a person", () => reactivateUser(userIdOf(formData)));
  if (result.ok) revalidatePath("/settings/users");
  return result;
}

export type IssueResetState = ActionResult<IssuedReset> | null;

export async function issuePasswordResetAction(
  _prev: IssueResetState,
  formData: FormData,
): Promise<IssueResetState> {
  if (!(formData instanceof FormData)) return unreadable;
  const result = await attempt("issuing a password reset", () =>
    issuePasswordReset(userIdOf(formData)),
  );
  if (result.ok) revalidatePath("/settings/users");
  return result;
}

export async function signOutUserEverywhereAction(
  _prev: ActionResult | null,
  formData: FormData,
): Promise<ActionResult> {
  // Without a userId lib would sign the caller out (the account page's action does that).
  const unreadablePerson = checkForm(formData, ["userId"]);
  if (unreadablePerson) return unreadablePerson;
  return attempt("signing a person out everywhere", () => signOutEverywhere(userIdOf(formData)));
}
