"use server";

import { revalidatePath } from "next/cache";
import { attempt } from "@/app/_server/attempt";
import { checkForm } from "@/app/_server/raw-args";
import type { ActionResult } from "@/lib/action-result";
import { setApprovalLimit } from "@/lib/organisations/commands";

export type ApprovalLimitState =
  | (ActionResult<{ approvalLimitMinor: number | null }> & { values?: Record<string, string> })
  | null;

export async function setApprovalLimitAction(
  _prev: ApprovalLimitState,
  formData: FormData,
): Promise<ApprovalLimitState> {
  const unreadable = checkForm(formData, ["approvalLimit"]);
  if (unreadable) return unreadable;
  const values = { approvalLimit: String(formData.get("approvalLimit") ?? "") };
  const result = await attempt("setting the approval limit", () => setApprovalLimit(values));
  if (result.ok) {
    revalidatePath("/settings/organisation");
    return result;
  }
  // Keep what was typed, so nothing is lost on an error.
  return { ...result, values };
}
