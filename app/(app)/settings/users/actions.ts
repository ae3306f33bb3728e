"use server";

import { revalidatePath } from "next/cache";
import { attempt } from "@/app/_server/attempt";
import { checkForm } from "@/app/_server/raw-args";
import type { ActionResult } from "@/lib/action-result";
import { changeUserRole, createUser } from "@/lib/users/commands";

export type CreateUserState =
  (ActionResult<{ id: string }> & { values?: Record<string, string> }) | null;

export async function createUserAction(
  _prev: CreateUserState,
  formData: FormData,
): Promise<CreateUserState> {
  const unreadable = checkForm(formData);
  if (unreadable) return unreadable;
  const values = {
    name: String(formData.get("name") ?? ""),
    email: String(formData.get("email") ?? ""),
    role: String(formData.get("role") ?? ""),
    teamId: String(formData.get("teamId") ?? ""),
    password: String(formData.get("password") ?? ""),
  };
  const result = await attempt("adding a person", () => createUser(values));
  if (result.ok) {
    revalidatePath("/settings/users");
    return result;
  }
  // Keep what was typed (never the password) so nothing is lost on an error.
  return { ...result, values: { ...values, password: "" } };
}

export async function changeUserRoleAction(
  _prev: ActionResult | null,
  formData: FormData,
): Promise<ActionResult> {
  const unreadable = checkForm(formData);
  if (unreadable) return unreadable;
  const result = await attempt("changing a role", () =>
    changeUserRole({
      userId: String(formData.get("userId") ?? ""),
      role: String(formData.get("role") ?? ""),
    }),
  );
  if (result.ok) revalidatePath("/settings/users");
  return result;
}
