/**
 * Calls /api/v1 route handlers directly, as Next would: a Request in, a Response out.
 */
import { count, eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { apiTokens, type TokenScope } from "@/db/schema";
import { generateSecret, hashSecret } from "@/lib/api-tokens/secret";
import type { TestOrg } from "./fixtures";

type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string> | undefined> },
) => Promise<Response>;

export interface Call {
  token?: string | null;
  body?: unknown;
  /** A raw body, sent as is (for malformed JSON). */
  rawBody?: string;
  query?: Record<string, string | string[]>;
  params?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  body: any;
  headers: Headers;
}

/** Calls a route handler with a JSON request; `path` is only for the URL the handler sees. */
export async function call(
  handler: RouteHandler,
  method: "GET" | "POST",
  path: string,
  options: Call = {},
): Promise<Reply> {
  const url = new URL(`http://localhost/api/v1${path}`);
  for (const [key, value] of Object.entries(options.query ?? {}))
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (method === "POST") {
    headers["content-type"] = "application/json";
    body = options.rawBody ?? JSON.stringify(options.body ?? {});
  }
  const response = await handler(new Request(url, { method, headers, body }), {
    // As Next does: a static route's params resolve to undefined.
    params: Promise.resolve(options.params),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : null,
    headers: response.headers,
  };
}

/** A token straight into the table (the commands are tested on their own); returns its secret. */
export async function issueToken(
  db: Db,
  org: TestOrg,
  scope: TokenScope,
  { revoked = false }: { revoked?: boolean } = {},
): Promise<string> {
  const secret = generateSecret();
  await db.insert(apiTokens).values({
    orgId: org.orgId,
    name: `${scope} token`,
    scope,
    tokenHash: hashSecret(secret),
    createdBy: org.users.admin.userId,
    revokedAt: revoked ? new Date() : null,
  });
  return secret;
}

/** Row counts of everything an API write could touch in an organisation. */
export async function apiSnapshot(db: Db, orgId: string) {
  const tables = [
    "complaints",
    "customers",
    "remedies",
    "follow_ups",
    "outcomes",
    "advocacy_signals",
    "customer_activities",
    "audit_events",
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${sql.identifier(table)} where org_id = ${orgId}`,
    );
    counts[table] = Number(row?.n ?? 0);
  }
  const [versions] = await queryRows<{ v: string | null }>(
    db,
    sql`select string_agg(id::text || ':' || version, ',' order by id) as v from complaints where org_id = ${orgId}`,
  );
  return { counts, versions: versions?.v ?? "" };
}

export async function tokenCount(db: Db, orgId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(apiTokens).where(eq(apiTokens.orgId, orgId));
  return row!.n;
}
