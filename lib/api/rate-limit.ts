import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { apiRateWindows } from "@/db/schema";
import { ApiError } from "./errors";

const WINDOW_MS = 60_000;
const DEFAULT_LIMIT = 120;

/** Requests a token may make per minute: TURNAROUND_API_RATE_LIMIT, else 120. */
export function rateLimit(): number {
  const configured = Number(process.env.TURNAROUND_API_RATE_LIMIT);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_LIMIT;
}

/**
 * Counts one request against the token's current fixed one-minute window (one upsert) and
 * returns the X-RateLimit-* headers; over the limit, throws 429 with Retry-After.
 */
export async function consumeRequest(
  orgId: string,
  tokenId: string,
  now = Date.now(),
): Promise<Record<string, string>> {
  const limit = rateLimit();
  const windowStart = new Date(Math.floor(now / WINDOW_MS) * WINDOW_MS);
  const resetAt = windowStart.getTime() + WINDOW_MS;
  const { db } = await getDatabase();
  const [row] = await db
    .insert(apiRateWindows)
    .values({ orgId, tokenId, windowStart, requests: 1 })
    .onConflictDoUpdate({
      target: [apiRateWindows.orgId, apiRateWindows.tokenId, apiRateWindows.windowStart],
      set: { requests: sql`${apiRateWindows.requests} + 1` },
    })
    .returning({ requests: apiRateWindows.requests });
  const used = row?.requests ?? 1;
  if (used === 1) {
    // A new window: drop this token's old ones so the table stays one row per active token.
    await db
      .delete(apiRateWindows)
      .where(
        and(
          eq(apiRateWindows.orgId, orgId),
          eq(apiRateWindows.tokenId, tokenId),
          lt(apiRateWindows.windowStart, windowStart),
        ),
      );
  }
  const headers = {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(Math.max(0, limit - used)),
    "x-ratelimit-reset": String(Math.ceil(resetAt / 1000)),
  };
  if (used > limit) {
    const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
    throw new ApiError(
      "rate_limited",
      `Too many requests: ${limit} a minute per token. Try again in ${retryAfter} s.`,
      { headers: { ...headers, "retry-after": String(retryAfter) } },
    );
  }
  return headers;
}
