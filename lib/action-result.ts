import type { z } from "zod";

/** What every command and server action returns: data, or errors a form can show by field. */
export type ActionResult<T = null> =
  | { ok: true; data: T; message?: string }
  | {
      ok: false;
      reason: "unauthenticated" | "forbidden" | "invalid" | "not-found" | "conflict" | "failed";
      formError?: string;
      fieldErrors?: Record<string, string[]>;
    };

export type FieldErrors = Record<string, string[]>;

/** A refusal with one message per offending field, from a failed zod parse. */
export function invalid<T>(error: z.ZodError, formError?: string): ActionResult<T> {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "_form";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  return {
    ok: false,
    reason: "invalid",
    fieldErrors,
    formError: formError ?? "Check the highlighted fields.",
  };
}

export function fieldError<T>(field: string, message: string): ActionResult<T> {
  return { ok: false, reason: "invalid", fieldErrors: { [field]: [message] }, formError: message };
}

export function refused<T>(
  reason: "unauthenticated" | "forbidden" | "not-found" | "conflict",
  message: string,
): ActionResult<T> {
  return { ok: false, reason, formError: message };
}

/** What a form shows when its action failed unexpectedly: never nothing (issue #11). */
export const FAILED_MESSAGE =
  "Something went wrong on our side and nothing was saved. Try again; if it keeps happening, tell an admin.";

/** An unexpected failure (the error itself is logged by the caller, not shown). */
export function failed<T>(): ActionResult<T> {
  return { ok: false, reason: "failed", formError: FAILED_MESSAGE };
}
