/**
 * The one error shape every /api/v1 response uses:
 * `{ "error": { "code", "message", "fields"? , "currentVersion"? } }`, with a status that
 * matches the code. Clients branch on `code`, which never changes; `message` is for people.
 */
import type { ActionResult, FieldErrors } from "@/lib/action-result";

export const apiErrorCodes = [
  "bad_request",
  "validation_failed",
  "unauthenticated",
  "forbidden",
  "not_found",
  "version_conflict",
  "idempotency_mismatch",
  "idempotency_in_progress",
  "conflict",
  "payload_too_large",
  "rate_limited",
  "internal_error",
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export const statusOf: Record<ApiErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  version_conflict: 409,
  idempotency_mismatch: 409,
  idempotency_in_progress: 409,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
};

export interface ApiErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    fields?: FieldErrors;
    currentVersion?: number;
  };
}

/** What a handler hands back: a status and a JSON body (and any extra headers). */
export interface ApiReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Thrown by handlers to answer with an error; the wrapper turns it into a reply. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: {
      fields?: FieldErrors;
      currentVersion?: number;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
  }

  reply(): ApiReply {
    const { headers, ...rest } = this.extra;
    return {
      status: statusOf[this.code],
      body: { error: { code: this.code, message: this.message, ...rest } } satisfies ApiErrorBody,
      headers,
    };
  }
}

/** A command's refusal as an API error: invalid → 400 with fields, not-found → 404, … */
export function refusalError(result: Extract<ActionResult<unknown>, { ok: false }>): ApiError {
  const message = result.formError ?? "The request was refused.";
  switch (result.reason) {
    case "unauthenticated":
      return new ApiError("unauthenticated", message);
    case "forbidden":
      return new ApiError(
        "forbidden",
        "This token's scope, or its creator's current role, does not allow this.",
      );
    case "not-found":
      return new ApiError("not_found", message);
    case "conflict":
      return new ApiError("conflict", message);
    case "invalid":
      return new ApiError("validation_failed", message, { fields: result.fieldErrors ?? {} });
    case "failed":
      return new ApiError("internal_error", "Something went wrong on our side. Try again.");
  }
}

export function json(reply: ApiReply): Response {
  return new Response(JSON.stringify(reply.body), {
    status: reply.status,
    headers: { "content-type": "application/json; charset=utf-8", ...reply.headers },
  });
}
