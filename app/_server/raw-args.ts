import { z } from "zod";
import type { FieldErrors } from "@/lib/action-result";

/*
 * The raw arguments of a server action, checked before anything else (issue #12). Anyone can
 * call an action with any arguments (a POST with its id), so a form action may get a string,
 * null or an object where it expects FormData; it answers with a typed refusal, never a crash.
 * What the fields mean is still checked by lib's zod schemas; this only makes them readable.
 */

export const UNREADABLE_FORM = "This form could not be read. Reload the page and try again.";
export const NUL_MESSAGE = "Contains a NUL character, which text cannot hold.";

/** The refusal an action answers unreadable arguments with: every action's state accepts it. */
export interface Unreadable {
  ok: false;
  reason: "invalid";
  formError: string;
  fieldErrors?: FieldErrors;
}

/** A form action's second argument. The first (the previous state) is never read. */
export const formArgument = z.instanceof(FormData, { message: UNREADABLE_FORM });

/** PostgreSQL text cannot hold NUL: a field with one is refused here instead of failing there. */
const noNulFields = formArgument.superRefine((form, ctx) => {
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && value.includes("\u0000")) {
      ctx.addIssue({ code: "custom", path: [key], message: NUL_MESSAGE });
    }
  }
});

/** Adds a message under a field named by the caller: "constructor" or "__proto__" included. */
function addError(errors: FieldErrors, field: string, message: string): void {
  if (!Object.hasOwn(errors, field)) {
    Object.defineProperty(errors, field, {
      value: [],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  errors[field]!.push(message);
}

/** True when the argument is FormData (the sign-in action, whose state has its own shape). */
export function isFormArgument(raw: unknown): raw is FormData {
  return formArgument.safeParse(raw).success;
}

/**
 * The first line of every form action: null when `raw` is FormData whose text fields can be
 * stored, else the refusal to answer with (a field error for a NUL character). `required` names
 * fields the action's form always sends (a hidden id, an input sent even when empty): without
 * one the submission did not come from the form, so nothing is done with it — an absent field
 * must never read as an empty one (an empty approval limit means "no limit").
 */
export function checkForm(raw: unknown, required: readonly string[] = []): Unreadable | null {
  const parsed = noNulFields.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      if (issue.path.length === 0)
        return { ok: false, reason: "invalid", formError: UNREADABLE_FORM };
      addError(fieldErrors, String(issue.path[0]), issue.message);
    }
    return {
      ok: false,
      reason: "invalid",
      formError: "Check the highlighted fields.",
      fieldErrors,
    };
  }
  const missing = required.filter((field) => typeof parsed.data.get(field) !== "string");
  if (missing.length === 0) return null;
  return {
    ok: false,
    reason: "invalid",
    formError: UNREADABLE_FORM,
    fieldErrors: Object.fromEntries(missing.map((field) => [field, ["Missing from the form."]])),
  };
}

/** What the intake form's customer search accepts: lib reads at most 100 characters of it. */
export const searchQueryArgument = z
  .string()
  .max(200)
  .refine((q) => !q.includes("\u0000"), NUL_MESSAGE);

/**
 * A plain-object argument (the import actions): an object (not an array, not null), no string
 * anywhere in it holding NUL — except under `textKeys` (a file sample lib reads itself).
 */
export function checkObject(raw: unknown, textKeys: readonly string[] = []): Unreadable | null {
  if (!z.record(z.string(), z.unknown()).safeParse(raw).success || Array.isArray(raw)) {
    return { ok: false, reason: "invalid", formError: UNREADABLE_FORM };
  }
  const fieldErrors: FieldErrors = {};
  const visit = (value: unknown, path: string[], depth: number): void => {
    if (typeof value === "string") {
      if (value.includes("\u0000")) addError(fieldErrors, path.join(".") || "_form", NUL_MESSAGE);
    } else if (value && typeof value === "object" && depth < 8) {
      for (const [key, inner] of Object.entries(value)) {
        if (depth === 0 && textKeys.includes(key)) continue;
        visit(inner, [...path, key], depth + 1);
      }
    }
  };
  visit(raw, [], 0);
  return Object.keys(fieldErrors).length
    ? { ok: false, reason: "invalid", formError: "Check the highlighted fields.", fieldErrors }
    : null;
}
