"use server";

import { revalidatePath } from "next/cache";
import { attempt } from "@/app/_server/attempt";
import { checkForm } from "@/app/_server/raw-args";
import type { ActionResult } from "@/lib/action-result";
import { createCorrectiveAction, updateCorrectiveAction } from "@/lib/corrective-actions/commands";
import { createRootCause, updateRootCause } from "@/lib/taxonomy/commands";

export type CorrectiveActionState =
  (ActionResult<unknown> & { values?: Record<string, string> }) | null;

const fieldNames = [
  "id",
  "version",
  "rootCauseId",
  "title",
  "description",
  "ownerId",
  "status",
  "dueAt",
  "doneAt",
  "verificationNote",
] as const;

function valuesOf(formData: FormData): Record<string, string> {
  return Object.fromEntries(fieldNames.map((k) => [k, String(formData.get(k) ?? "")]));
}

export async function saveCorrectiveActionAction(
  _prev: CorrectiveActionState,
  formData: FormData,
): Promise<CorrectiveActionState> {
  const unreadable = checkForm(formData);
  if (unreadable) return unreadable;
  const values = valuesOf(formData);
  const result = await attempt("saving a corrective action", () =>
    values.id ? updateCorrectiveAction(values) : createCorrectiveAction(values),
  );
  if (result.ok) {
    // The dashboard and its maintenance pages (taxonomy, corrective actions) all show the change.
    revalidatePath("/dashboards/quality", "layout");
    return result;
  }
  // Keep what was typed so nothing is lost on an error.
  return { ...result, values };
}

export type TaxonomyState = (ActionResult<unknown> & { values?: Record<string, string> }) | null;

/** Adds a cause (no `id`) or saves one (rename, window, active). */
export async function saveRootCauseAction(
  _prev: TaxonomyState,
  formData: FormData,
): Promise<TaxonomyState> {
  const unreadable = checkForm(formData);
  if (unreadable) return unreadable;
  const values = Object.fromEntries(
    ["id", "categoryId", "name", "description", "recurrenceWindowWeeks", "active"].map((k) => [
      k,
      String(formData.get(k) ?? ""),
    ]),
  );
  const result = await attempt("saving a root cause", () =>
    values.id ? updateRootCause(values) : createRootCause(values),
  );
  if (result.ok) {
    // The dashboard and its maintenance pages (taxonomy, corrective actions) all show the change.
    revalidatePath("/dashboards/quality", "layout");
    return result;
  }
  return { ...result, values };
}
