/*
 * JSON answers for the import route handlers: a stable error shape and the status each refusal
 * deserves. Never a stack trace.
 */
import type { ActionResult } from "@/lib/action-result";
import type { Authorisation } from "@/lib/auth/guard";

type Refusal = Extract<ActionResult<unknown>, { ok: false }>;

const statusFor: Record<Refusal["reason"], number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid: 400,
  "not-found": 404,
  conflict: 409,
  failed: 500,
};

const noStore = { "cache-control": "no-store" };

export function jsonError(
  status: number,
  message: string,
  fieldErrors?: Record<string, string[]>,
): Response {
  return Response.json(
    { error: { status, message, ...(fieldErrors ? { fieldErrors } : {}) } },
    { status, headers: noStore },
  );
}

export function refusal(result: Refusal): Response {
  return jsonError(statusFor[result.reason], result.formError ?? "Refused.", result.fieldErrors);
}

export function authRefusal(auth: Extract<Authorisation, { ok: false }>): Response {
  return jsonError(auth.reason === "unauthenticated" ? 401 : 403, auth.message);
}

export function json(data: unknown): Response {
  return Response.json(data, { headers: noStore });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A run id that is not a uuid names no run: 404, without asking the database. */
export const isRunId = (id: string) => uuidPattern.test(id);

export const noSuchRun = () => jsonError(404, "There is no such import.");
