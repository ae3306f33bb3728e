import "server-only";
import { runAsActor } from "@/lib/auth/actor-context";
import { ApiError, json, type ApiReply } from "./errors";
import { claim, idempotencyKeyOf, release, remember } from "./idempotency";
import { consumeRequest } from "./rate-limit";
import { authenticate, type TokenActor } from "./token-auth";

export interface ApiContext {
  request: Request;
  actor: TokenActor;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body of a POST (always an object); `{}` for other methods. */
  body: Record<string, unknown>;
  /** The Idempotency-Key header of a POST, if sent. */
  idempotencyKey: string | null;
}

export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined> | undefined>;
}

type Handler = ((ctx: ApiContext) => Promise<ApiReply>) & { claimsOwnKey?: true };

/**
 * Marks an endpoint that claims the Idempotency-Key itself, inside the transaction of its write,
 * and answers retries from what it stored: the handler then neither claims nor remembers the key
 * (five statements fewer a request). It must keep the handler's promises: a retry gets the first
 * answer (Idempotent-Replayed: true), the key with another body 409 idempotency_mismatch.
 */
export function claimsOwnKey(handler: (ctx: ApiContext) => Promise<ApiReply>): Handler {
  return Object.assign(handler, { claimsOwnKey: true as const });
}

/** Far above any valid body (a story is at most 20,000 characters); files go through /import. */
export const MAX_BODY_BYTES = 1_000_000;

async function readJson(request: Request): Promise<Record<string, unknown>> {
  const tooLarge = new ApiError(
    "payload_too_large",
    `The request body is over ${MAX_BODY_BYTES.toLocaleString("en")} bytes.`,
  );
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge;
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge;
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "The request body is not valid JSON.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError("bad_request", "The request body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

/** Next's forbidden()/redirect() interrupts, should a page guard run under an API call. */
function interruptError(error: unknown): ApiError | null {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (typeof digest !== "string") return null;
  if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;403"))
    return new ApiError(
      "forbidden",
      "This token's scope, or its creator's current role, does not allow this.",
    );
  if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404"))
    return new ApiError("not_found", "Not found.");
  if (digest.startsWith("NEXT_REDIRECT"))
    return new ApiError("unauthenticated", "Send a valid API token.");
  return null;
}

/**
 * Every /api/v1 route: token → rate limit → JSON body → Idempotency-Key (POST, unless the
 * endpoint claims it itself: `claimsOwnKey`) → the handler, run as the token's actor so the lib
 * functions authorise it by scope. Errors come back in the one JSON shape; an unexpected one is
 * logged and answered 500 without its details.
 */
export function apiRoute(operation: string, handler: Handler) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    let rateHeaders: Record<string, string> = {};
    let claimed: { orgId: string; key: string } | null = null;
    const idempotencyOperation = `api.${operation}`;
    try {
      const actor = await authenticate(request);
      rateHeaders = await consumeRequest(actor.orgId, actor.via.tokenId);
      // Static routes get no params (Next resolves them to undefined).
      const raw = (await context?.params) ?? {};
      const params = Object.fromEntries(
        Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === "string"),
      );
      const url = new URL(request.url);
      const isPost = request.method === "POST";
      const body = isPost ? await readJson(request) : {};
      const key = isPost ? idempotencyKeyOf(request) : null;
      if (key && !handler.claimsOwnKey) {
        const found = await claim(actor.orgId, idempotencyOperation, key, {
          path: url.pathname,
          body,
        });
        if (found.kind === "replay") {
          return json({ ...found.reply, headers: { ...rateHeaders, ...found.reply.headers } });
        }
        claimed = { orgId: actor.orgId, key };
      }
      const ctx = { request, actor, params, query: url.searchParams, body, idempotencyKey: key };
      let reply: ApiReply;
      try {
        reply = await runAsActor(actor, () => handler(ctx));
      } catch (error) {
        const known = error instanceof ApiError ? error : interruptError(error);
        if (!known) throw error;
        reply = known.reply();
      }
      if (claimed) {
        await remember(claimed.orgId, idempotencyOperation, claimed.key, reply);
        claimed = null;
      }
      return json({ ...reply, headers: { ...rateHeaders, ...reply.headers } });
    } catch (error) {
      if (claimed) await release(claimed.orgId, idempotencyOperation, claimed.key).catch(() => {});
      if (error instanceof ApiError) {
        const reply = error.reply();
        return json({ ...reply, headers: { ...rateHeaders, ...reply.headers } });
      }
      console.error(`[api] ${request.method} ${operation} failed`, error);
      return json({
        status: 500,
        body: {
          error: {
            code: "internal_error",
            message: "Something went wrong on our side. Try again.",
          },
        },
        headers: rateHeaders,
      });
    }
  };
}
