"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { attempt } from "@/app/_server/attempt";
import { checkForm, searchQueryArgument } from "@/app/_server/raw-args";
import type { ActionResult } from "@/lib/action-result";
import {
  approveRemedy,
  assignComplaint,
  changeStatus,
  completeFollowUp,
  decideRemedy,
  deliverRemedy,
  logCustomerUpdate,
  offerRemedy,
  recordOutcome,
  recordStep,
  scheduleFollowUp,
  setPromise,
  setRootCause,
} from "@/lib/complaints/commands";
import { recordComplaint, type RecordedComplaint } from "@/lib/complaints/intake";
import { searchCustomers, type CustomerMatch } from "@/lib/customers/queries";

/*
 * One server action per command. Each only turns FormData into a plain object, calls the lib
 * (which authorises, validates and audits), revalidates on success and hands back the result —
 * with what was submitted on an error, so the form keeps what was typed.
 */

export type FormValues = Record<string, string | string[]>;
export type FormState<T = unknown> = (ActionResult<T> & { values?: FormValues }) | null;

/** Form fields as a plain object; `multi` fields (checkbox groups) become arrays. */
function formValues(formData: FormData, multi: readonly string[] = []): FormValues {
  const values: FormValues = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    if (multi.includes(key)) {
      values[key] = formData.getAll(key).filter((v): v is string => typeof v === "string");
    } else {
      const value = formData.get(key);
      if (typeof value === "string") values[key] = value;
    }
  }
  for (const key of multi) values[key] ??= [];
  return values;
}

function revalidateComplaint(values: FormValues): void {
  const id = values.complaintId;
  if (typeof id === "string" && id) revalidatePath(`/complaints/${id}`);
  revalidatePath("/complaints");
  revalidatePath("/queue");
}

type Command<T> = (raw: unknown) => Promise<ActionResult<T>>;

async function run<T>(
  command: Command<T>,
  formData: FormData,
  multi: readonly string[] = [],
): Promise<FormState<T>> {
  const unreadable = checkForm(formData);
  if (unreadable) return unreadable;
  const values = formValues(formData, multi);
  const result = await attempt("a complaint command", () => command(values));
  if (result.ok) {
    revalidateComplaint(values);
    return result;
  }
  return { ...result, values };
}

// ---------------------------------------------------------------- intake

/** Records a complaint and opens it; on an error the form gets its values back. */
export async function recordComplaintAction(
  _prev: FormState<RecordedComplaint>,
  formData: FormData,
): Promise<FormState<RecordedComplaint>> {
  const unreadable = checkForm(formData);
  if (unreadable) return unreadable;
  const values = formValues(formData);
  const result = await attempt("intake", () => recordComplaint(values));
  if (!result.ok) return { ...result, values };
  revalidatePath("/complaints");
  revalidatePath("/queue");
  redirect(`/complaints/${result.data.id}`);
}

/** Customers matching what the agent typed (name, email or reference), for the intake picker. */
export async function searchCustomersAction(q: string): Promise<CustomerMatch[]> {
  const query = searchQueryArgument.safeParse(q);
  if (!query.success) return [];
  return searchCustomers(query.data);
}

// ---------------------------------------------------------------- the recovery loop

export async function recordStepAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(recordStep, formData);
}

export async function offerRemedyAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(offerRemedy, formData);
}

export async function decideRemedyAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(decideRemedy, formData);
}

export async function deliverRemedyAction(
  _prev: FormState,
  formData: FormData,
): Promise<FormState> {
  return run(deliverRemedy, formData);
}

export async function approveRemedyAction(
  _prev: FormState,
  formData: FormData,
): Promise<FormState> {
  return run(approveRemedy, formData);
}

export async function setPromiseAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(setPromise, formData);
}

export async function scheduleFollowUpAction(
  _prev: FormState,
  formData: FormData,
): Promise<FormState> {
  return run(scheduleFollowUp, formData);
}

export async function completeFollowUpAction(
  _prev: FormState,
  formData: FormData,
): Promise<FormState> {
  return run(completeFollowUp, formData);
}

export async function recordOutcomeAction(
  _prev: FormState,
  formData: FormData,
): Promise<FormState> {
  return run(recordOutcome, formData, ["signals"]);
}

export async function changeStatusAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(changeStatus, formData);
}

export async function assignComplaintAction(
  _prev: FormState,
  formData: FormData,
): Promise<FormState> {
  return run(assignComplaint, formData);
}

export async function logCustomerUpdateAction(
  _prev: FormState,
  formData: FormData,
): Promise<FormState> {
  return run(logCustomerUpdate, formData);
}

export async function setRootCauseAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(setRootCause, formData);
}
