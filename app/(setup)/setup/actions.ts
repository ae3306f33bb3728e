"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { attempt } from "@/app/_server/attempt";
import { checkForm } from "@/app/_server/raw-args";
import type { ActionResult } from "@/lib/action-result";
import { clientAddressFrom } from "@/lib/auth/client-address";
import { createFirstOrganisation } from "@/lib/setup/commands";

export type SetupState =
  (ActionResult<{ orgId: string; userId: string }> & { values?: Record<string, string> }) | null;

const fields = ["code", "organisationName", "name", "email", "password", "passwordConfirmation"];

export async function setupAction(_prev: SetupState, formData: FormData): Promise<SetupState> {
  const unreadable = checkForm(formData);
  if (unreadable) return unreadable;
  const values = Object.fromEntries(fields.map((f) => [f, String(formData.get(f) ?? "")]));
  const address = clientAddressFrom(await headers());
  const result = await attempt("setting up the first organisation", () =>
    createFirstOrganisation(values, address),
  );
  if (result.ok) redirect("/sign-in?setup=done");
  // Keep what was typed, never the passwords, so a mistake costs only the passwords.
  return { ...result, values: { ...values, password: "", passwordConfirmation: "" } };
}
