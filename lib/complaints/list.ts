/**
 * The complaints list. One definition of "the filtered set" (`filteredSet`) serves the table, its
 * "N complaints" count and the CSV export, so the three always agree. Pages move through the set
 * by keyset (the last row's sort key and id, never OFFSET), and the export streams it in keyset
 * batches, so neither ever holds the whole set in memory.
 *
 * Filters arrive as URL search parameters: a bad one is dropped and named in `invalid`, never
 * thrown, so a mistyped or stale link still opens the page.
 */
import "server-only";
import {
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  inArray,
  isNull,
  lt,
  sql,
  type SQL,
  type SQLWrapper,
} from "drizzle-orm";
import { z } from "zod";
import { getDatabase, type Db } from "@/db";
import {
  advocacySignals,
  auditEvents,
  channels,
  complaints,
  complaintStatuses,
  customers,
  followUps,
  outcomes,
  products,
  remedies,
  rootCauseCategories,
  rootCauses,
  severities,
  teams,
  users,
  type Channel,
  type ComplaintStatus,
  type Severity,
} from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { authorise, requirePermission, type Actor } from "@/lib/auth/guard";
import { streamCsv, type CsvExport } from "@/lib/csv";
import { IMPORTED_REMEDY } from "@/lib/import/values";
import { angry } from "@/lib/metrics/predicates";
import { allowedDay } from "@/lib/metrics/range-guard";
import {
  dateBasisColumn,
  dateBases,
  drillSetKeys,
  knownTimesOnly,
  setPredicate,
} from "@/lib/metrics/sets";
import { currencyDigits } from "@/lib/money";
import { actorCan } from "@/lib/permissions";

// ---------------------------------------------------------------- filters from the URL

export const complaintSorts = ["received_desc", "received_asc", "sla_due_asc", "severity"] as const;
export type ComplaintSort = (typeof complaintSorts)[number];

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
const MAX_QUERY_LENGTH = 200;

/** The first non-blank value of a parameter that may be repeated. */
function firstValue(value: unknown): string | undefined {
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) if (typeof v === "string" && v.trim() !== "") return v.trim();
  return undefined;
}

/** Every non-blank value of a repeatable parameter, comma lists split: `a&a=b,c` → a, b, c. */
function allValues(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .flatMap((v) => (typeof v === "string" ? v.split(",") : []))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

const one = <T extends z.ZodType>(schema: T) => z.preprocess(firstValue, schema.optional());

/** Any 8-4-4-4-12 hex id (PostgreSQL accepts all of them, not only RFC 4122 versions). */
const id = z.guid();

/** A real UTC day, YYYY-MM-DD, in the years lib/metrics/range-guard.ts allows (1970–2100). */
export const isoDate = allowedDay;

const onOff = one(z.enum(["1", "true", "on", "0", "false", "off"])).transform(
  (v) => v === "1" || v === "true" || v === "on",
);

/**
 * URL search parameters → filters. Parse one field at a time with `parseComplaintFilters`, which
 * drops and names a bad field instead of failing the whole view.
 */
export const complaintFiltersSchema = z.object({
  /** Repeatable (`status=new&status=in_progress`) or comma-separated. */
  status: z
    .preprocess(allValues, z.array(z.enum(complaintStatuses)))
    .transform((v) => [...new Set(v)]),
  /** A team id, or "none" for complaints without a team. */
  team: one(z.union([z.literal("none"), id])),
  /** A user id, "me" (the signed-in user) or "none" (unassigned). */
  owner: one(z.union([z.literal("me"), z.literal("none"), id])),
  channel: one(z.enum(channels)),
  severity: one(z.enum(severities)),
  /** A product id; a parent product includes its sub-products. */
  product: one(id),
  /** A root cause id, or "none" for complaints without one. */
  rootCause: one(z.union([z.literal("none"), id])),
  /** Received on or after this UTC date (YYYY-MM-DD). */
  from: one(isoDate),
  /** Received on or before this UTC date (YYYY-MM-DD), inclusive. */
  to: one(isoDate),
  /** Intake sentiment ≤ 2 or intake NPS 0–6. */
  angry: onOff,
  /** Resolved after the SLA was due, or still open and past it. */
  slaBreached: onOff,
  /** Has a follow-up not done and past due. */
  followUpOverdue: onOff,
  /** Complaints an import run created or changed (its audit events name the run). */
  importRun: one(id),
  /** Whether the response met its deadline as the source reported it (CFPB "Timely response?"). */
  timely: one(z.enum(["yes", "no"])),
  /** Which timestamp `from`/`to` filter on (dashboards drill down on resolved or closed dates). */
  basis: one(z.enum(dateBases)).transform((v) => v ?? "received"),
  /** A named set of complaints behind a dashboard figure (lib/metrics/sets.ts). */
  set: one(z.enum(drillSetKeys)),
  /** The parameter of a parametric set (a playbook step id, a remedy kind, a bucket). */
  arg: one(z.string().regex(/^[A-Za-z0-9_:.-]{1,100}$/)),
  /** Text search over summary and story (case-insensitive substring). */
  q: one(z.string()).transform((v) => v?.slice(0, MAX_QUERY_LENGTH)),
  sort: one(z.enum(complaintSorts)).transform((v) => v ?? "received_desc"),
  /** Opaque: where the previous page ended. */
  cursor: one(
    z
      .string()
      .max(1_000)
      .regex(/^[A-Za-z0-9_-]+$/),
  ),
  limit: one(z.coerce.number().int().min(1)).transform((v) =>
    Math.min(v ?? DEFAULT_LIMIT, MAX_LIMIT),
  ),
});
export type ComplaintFilters = z.output<typeof complaintFiltersSchema>;
export type FilterName = keyof ComplaintFilters;

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

function toRecord(params: SearchParamsInput): Record<string, string[]> {
  // No prototype: a parameter named "constructor" or "__proto__" is just an unknown filter.
  const out = Object.create(null) as Record<string, string[]>;
  if (params instanceof URLSearchParams) {
    for (const [key, value] of params) (out[key] ??= []).push(value);
    return out;
  }
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value : [value];
  }
  return out;
}

/**
 * Filters from URL search parameters. Never throws: each field that does not parse falls back to
 * "no filter" and is named in `invalid`, so the page can say what it ignored.
 */
export function parseComplaintFilters(params: SearchParamsInput = {}): {
  filters: ComplaintFilters;
  invalid: FilterName[];
} {
  const raw = toRecord(params);
  const shape = complaintFiltersSchema.shape;
  const out: Record<string, unknown> = {};
  const invalid: FilterName[] = [];
  for (const key of Object.keys(shape) as FilterName[]) {
    const field = shape[key] as z.ZodType;
    const parsed = field.safeParse(raw[key]);
    if (parsed.success) {
      out[key] = parsed.data;
    } else {
      invalid.push(key);
      out[key] = field.parse(undefined);
    }
  }
  const filters = out as ComplaintFilters;
  if (filters.cursor && !decodeCursor(filters.cursor, filters.sort)) {
    invalid.push("cursor");
    filters.cursor = undefined;
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    invalid.push("to");
    filters.to = undefined;
  }
  return { filters, invalid };
}

/** Shorthand for tests and callers that do not report ignored parameters. */
export function filtersFrom(params: SearchParamsInput = {}): ComplaintFilters {
  return parseComplaintFilters(params).filters;
}

/** Whether any filter narrows the set (sort, page and page size do not). */
export function hasActiveFilters(filters: ComplaintFilters): boolean {
  return Boolean(
    filters.status.length ||
    filters.team ||
    filters.owner ||
    filters.channel ||
    filters.severity ||
    filters.product ||
    filters.rootCause ||
    filters.from ||
    filters.to ||
    filters.angry ||
    filters.slaBreached ||
    filters.followUpOverdue ||
    filters.timely ||
    filters.importRun ||
    filters.set ||
    filters.q,
  );
}

/**
 * Filters → URL search parameters (defaults left out), so links reproduce the view. `cursor` and
 * `limit` are kept only when `page` is true: the export and "first page" links drop them.
 */
export function filtersToSearchParams(
  filters: ComplaintFilters,
  { page = false }: { page?: boolean } = {},
): URLSearchParams {
  const params = new URLSearchParams();
  for (const status of filters.status) params.append("status", status);
  const single: FilterName[] = ["team", "owner", "channel", "severity", "product", "rootCause"];
  for (const key of single) {
    const value = filters[key];
    if (typeof value === "string") params.set(key, value);
  }
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.angry) params.set("angry", "1");
  if (filters.slaBreached) params.set("slaBreached", "1");
  if (filters.followUpOverdue) params.set("followUpOverdue", "1");
  if (filters.timely) params.set("timely", filters.timely);
  if (filters.importRun) params.set("importRun", filters.importRun);
  if (filters.basis !== "received") params.set("basis", filters.basis);
  if (filters.set) params.set("set", filters.set);
  if (filters.set && filters.arg) params.set("arg", filters.arg);
  if (filters.q) params.set("q", filters.q);
  if (filters.sort !== "received_desc") params.set("sort", filters.sort);
  if (page && filters.limit !== DEFAULT_LIMIT) params.set("limit", String(filters.limit));
  if (page && filters.cursor) params.set("cursor", filters.cursor);
  return params;
}

// ---------------------------------------------------------------- the filtered set

/** Resolved after the SLA was due, or still open and past it now. */
const breachedExpr = sql`(${complaints.slaDueAt} is not null and (${complaints.resolvedAt} > ${complaints.slaDueAt} or (${complaints.status} in ('new', 'in_progress') and ${complaints.slaDueAt} < now())))`;

const followUpOverdueExpr = sql`exists (select 1 from ${followUps} where ${followUps.orgId} = ${complaints.orgId} and ${followUps.complaintId} = ${complaints.id} and ${followUps.doneAt} is null and ${followUps.dueAt} < now())`;

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function nextUtcDay(day: string): Date {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/**
 * The one definition of which complaints the filters select, for the actor's organisation.
 * It reads only `complaints` (and correlated subqueries), so list, count and export add what
 * they like without changing the set.
 */
export function filteredSet(actor: Actor, f: ComplaintFilters): SQL {
  const conditions: (SQL | undefined)[] = [eq(complaints.orgId, actor.orgId)];
  if (f.status.length) conditions.push(inArray(complaints.status, f.status));
  if (f.team) {
    conditions.push(f.team === "none" ? isNull(complaints.teamId) : eq(complaints.teamId, f.team));
  }
  if (f.owner) {
    conditions.push(
      f.owner === "none"
        ? isNull(complaints.ownerId)
        : eq(complaints.ownerId, f.owner === "me" ? actor.userId : f.owner),
    );
  }
  if (f.channel) conditions.push(eq(complaints.channel, f.channel));
  if (f.severity) conditions.push(eq(complaints.severity, f.severity));
  if (f.product) {
    conditions.push(
      sql`(${complaints.productId} = ${f.product} or ${complaints.productId} in (select ${products.id} from ${products} where ${products.orgId} = ${actor.orgId} and ${products.parentId} = ${f.product}))`,
    );
  }
  if (f.rootCause) {
    conditions.push(
      f.rootCause === "none"
        ? isNull(complaints.rootCauseId)
        : eq(complaints.rootCauseId, f.rootCause),
    );
  }
  const dated = dateBasisColumn[f.basis];
  if (f.from) conditions.push(gte(dated, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) conditions.push(lt(dated, nextUtcDay(f.to)));
  conditions.push(knownTimesOnly(f.basis, f.set));
  if (f.set) conditions.push(setPredicate(f.set, f.arg));
  if (f.angry) conditions.push(angry);
  if (f.slaBreached) conditions.push(breachedExpr);
  if (f.followUpOverdue) conditions.push(followUpOverdueExpr);
  if (f.timely) conditions.push(eq(complaints.timelyResponse, f.timely === "yes"));
  if (f.importRun) {
    conditions.push(
      sql`exists (select 1 from ${auditEvents} where ${auditEvents.orgId} = ${actor.orgId} and ${auditEvents.complaintId} = ${complaints.id} and ${auditEvents.action} in ('complaint.imported', 'complaint.import-updated') and ${auditEvents.after} ->> 'runId' = ${f.importRun})`,
    );
  }
  if (f.q) {
    const pattern = likePattern(f.q);
    conditions.push(
      sql`(${complaints.summary} ilike ${pattern} or ${complaints.story} ilike ${pattern})`,
    );
  }
  return and(...conditions)!;
}

// ---------------------------------------------------------------- keyset pagination

/**
 * A select-list expression whose columns stay table-qualified. In a query that reads one table,
 * Drizzle writes the columns at the top level of a `sql` field without their table, which inside
 * a correlated subquery would turn `customers.org_id = complaints.org_id` into `org_id = org_id`.
 * Nested one level down, they keep their table.
 */
export function qualified<T>(expression: SQL): SQL<T> {
  return sql<T>`${expression}`;
}

/** The sort key of a row as text, at full (microsecond) precision, with its offset. */
const receivedKey = qualified<string>(sql`to_json(${complaints.receivedAt}) #>> '{}'`);
/** Complaints without an SLA sort after every dated one. */
const slaSortExpr = sql`coalesce(${complaints.slaDueAt}, 'infinity'::timestamptz)`;
const slaKey = qualified<string>(sql`to_json(${slaSortExpr}) #>> '{}'`);

/** What a row needs to carry so the next page can start after it. */
const cursorFields = {
  cursorReceived: receivedKey,
  cursorSla: slaKey,
  cursorSeverity: complaints.severity,
  cursorId: complaints.id,
};
interface CursorSource {
  cursorReceived: string;
  cursorSla: string;
  cursorSeverity: Severity;
  cursorId: string;
}

type Cursor =
  | { sort: "received_desc" | "received_asc"; received: string; id: string }
  | { sort: "sla_due_asc"; sla: string; id: string }
  | { sort: "severity"; severity: Severity; received: string; id: string };

const timestampText = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;
const guidText = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function cursorOf(sort: ComplaintSort, row: CursorSource): Cursor {
  switch (sort) {
    case "received_desc":
    case "received_asc":
      return { sort, received: row.cursorReceived, id: row.cursorId };
    case "sla_due_asc":
      return { sort, sla: row.cursorSla, id: row.cursorId };
    case "severity":
      return {
        sort,
        severity: row.cursorSeverity,
        received: row.cursorReceived,
        id: row.cursorId,
      };
  }
}

function encodeCursor(cursor: Cursor): string {
  const keys =
    cursor.sort === "sla_due_asc"
      ? [cursor.sla]
      : cursor.sort === "severity"
        ? [cursor.severity, cursor.received]
        : [cursor.received];
  return Buffer.from(JSON.stringify([cursor.sort, ...keys, cursor.id])).toString("base64url");
}

/** The cursor if it is well-formed and made for this sort order; null otherwise. */
function decodeCursor(text: string, sort: ComplaintSort): Cursor | null {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts[0] !== sort) return null;
  const values = parts.slice(1);
  if (!values.every((v): v is string => typeof v === "string")) return null;
  const last = values.at(-1);
  if (!last || !guidText.test(last)) return null;
  const isTime = (v: string | undefined) => v !== undefined && timestampText.test(v);
  switch (sort) {
    case "received_desc":
    case "received_asc":
      return values.length === 2 && isTime(values[0])
        ? { sort, received: values[0]!, id: last }
        : null;
    case "sla_due_asc":
      return values.length === 2 && (values[0] === "infinity" || isTime(values[0]))
        ? { sort, sla: values[0]!, id: last }
        : null;
    case "severity":
      return values.length === 3 &&
        (severities as readonly string[]).includes(values[0]!) &&
        isTime(values[1])
        ? { sort, severity: values[0] as Severity, received: values[1]!, id: last }
        : null;
  }
}

/** Rows strictly after the cursor in the sort order. */
function afterCursor(cursor: Cursor | null): SQL | undefined {
  if (!cursor) return undefined;
  switch (cursor.sort) {
    case "received_desc":
      return sql`(${complaints.receivedAt}, ${complaints.id}) < (${cursor.received}::timestamptz, ${cursor.id}::uuid)`;
    case "received_asc":
      return sql`(${complaints.receivedAt}, ${complaints.id}) > (${cursor.received}::timestamptz, ${cursor.id}::uuid)`;
    case "sla_due_asc":
      return sql`(${slaSortExpr}, ${complaints.id}) > (${cursor.sla}::timestamptz, ${cursor.id}::uuid)`;
    case "severity":
      return sql`(${complaints.severity}, ${complaints.receivedAt}, ${complaints.id}) < (${cursor.severity}::severity, ${cursor.received}::timestamptz, ${cursor.id}::uuid)`;
  }
}

function orderFor(sort: ComplaintSort): SQL[] {
  switch (sort) {
    case "received_desc":
      return [desc(complaints.receivedAt), desc(complaints.id)];
    case "received_asc":
      return [asc(complaints.receivedAt), asc(complaints.id)];
    case "sla_due_asc":
      return [asc(slaSortExpr), asc(complaints.id)];
    case "severity":
      return [desc(complaints.severity), desc(complaints.receivedAt), desc(complaints.id)];
  }
}

/**
 * A column of the row a complaint points at, looked up by primary key for each output row.
 * Scalar lookups rather than joins keep every query on `complaints` alone: the planner filters,
 * orders and limits there (by index where it can) and decorates only the rows it returns, even
 * when table statistics are missing or stale.
 */
function lookup<T>(
  table: typeof customers | typeof users | typeof teams | typeof rootCauses | typeof products,
  column: SQLWrapper,
  key: SQLWrapper,
) {
  return qualified<T>(
    sql`(select ${column} from ${table} where ${table.orgId} = ${complaints.orgId} and ${table.id} = ${key})`,
  );
}

const customerName = lookup<string>(customers, customers.name, complaints.customerId);
const customerEmail = lookup<string | null>(customers, customers.email, complaints.customerId);
const ownerName = lookup<string | null>(users, users.name, complaints.ownerId);
const teamName = lookup<string | null>(teams, teams.name, complaints.teamId);
const rootCauseName = lookup<string | null>(rootCauses, rootCauses.name, complaints.rootCauseId);
const productName = lookup<string | null>(products, products.name, complaints.productId);
const outcomeNps = qualified<number | null>(
  sql`(select ${outcomes.finalNps} from ${outcomes} where ${outcomes.orgId} = ${complaints.orgId} and ${outcomes.complaintId} = ${complaints.id})`,
);

// ---------------------------------------------------------------- the list and its count

export interface ComplaintListRow {
  id: string;
  receivedAt: Date;
  customerName: string;
  summary: string;
  channel: Channel;
  severity: Severity;
  status: ComplaintStatus;
  ownerName: string | null;
  teamName: string | null;
  slaDueAt: Date | null;
  breached: boolean;
  rootCauseName: string | null;
  angry: boolean;
}

export interface ComplaintListPage {
  rows: ComplaintListRow[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
  /** Whether the signed-in user may record a complaint (the "Record a complaint" button). */
  canCreate: boolean;
  /** Whether the signed-in user may export the filtered set as CSV. */
  canExport: boolean;
}

async function fetchListPage(
  db: Db,
  actor: Actor,
  filters: ComplaintFilters,
  cursor: Cursor | null,
  limit: number,
) {
  return db
    .select({
      id: complaints.id,
      receivedAt: complaints.receivedAt,
      customerName,
      summary: complaints.summary,
      channel: complaints.channel,
      severity: complaints.severity,
      status: complaints.status,
      ownerName,
      teamName,
      slaDueAt: complaints.slaDueAt,
      breached: qualified<boolean>(sql`coalesce(${breachedExpr}, false)`),
      rootCauseName,
      angry: qualified<boolean>(sql`coalesce(${angry}, false)`),
      ...cursorFields,
    })
    .from(complaints)
    .where(and(filteredSet(actor, filters), afterCursor(cursor)))
    .orderBy(...orderFor(filters.sort))
    .limit(limit);
}

/** One page of the filtered set in the chosen order, and where the next page starts. */
export async function listComplaints(filters: ComplaintFilters): Promise<ComplaintListPage> {
  const actor = await requirePermission("complaint:read");
  const { db } = await getDatabase();
  const cursor = filters.cursor ? decodeCursor(filters.cursor, filters.sort) : null;
  const fetched = await fetchListPage(db, actor, filters, cursor, filters.limit + 1);
  const more = fetched.length > filters.limit;
  const page = more ? fetched.slice(0, filters.limit) : fetched;
  const last = page.at(-1);
  return {
    rows: page.map(
      ({ cursorReceived: _r, cursorSla: _s, cursorSeverity: _v, cursorId: _i, ...row }) => ({
        ...row,
        breached: Boolean(row.breached),
        angry: Boolean(row.angry),
      }),
    ),
    nextCursor: more && last ? encodeCursor(cursorOf(filters.sort, last)) : null,
    canCreate: actorCan(actor, "complaint:create"),
    canExport: actorCan(actor, "export:run"),
  };
}

/** How many complaints the filters select: exactly the rows the export gives. */
export async function countComplaints(filters: ComplaintFilters): Promise<number> {
  const actor = await requirePermission("complaint:read");
  const { db } = await getDatabase();
  const [row] = await db.select({ n: count() }).from(complaints).where(filteredSet(actor, filters));
  return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------- options for the filter bar

export interface FilterOptions {
  teams: { id: string; name: string }[];
  owners: { id: string; name: string; active: boolean }[];
  /** Parents first, each followed by its sub-products (depth 1). */
  products: { id: string; name: string; depth: 0 | 1 }[];
  rootCauses: { id: string; name: string; category: string }[];
}

/** The choices of the filter bar, from the signed-in user's organisation. */
export async function complaintFilterOptions(): Promise<FilterOptions> {
  const actor = await requirePermission("complaint:read");
  const { db } = await getDatabase();
  const [teamRows, ownerRows, productRows, causeRows] = await Promise.all([
    db
      .select({ id: teams.id, name: teams.name })
      .from(teams)
      .where(eq(teams.orgId, actor.orgId))
      .orderBy(asc(teams.name)),
    db
      .select({ id: users.id, name: users.name, active: users.active })
      .from(users)
      .where(eq(users.orgId, actor.orgId))
      .orderBy(asc(users.name)),
    db
      .select({ id: products.id, name: products.name, parentId: products.parentId })
      .from(products)
      .where(eq(products.orgId, actor.orgId))
      .orderBy(asc(products.name)),
    db
      .select({ id: rootCauses.id, name: rootCauses.name, category: rootCauseCategories.name })
      .from(rootCauses)
      .innerJoin(
        rootCauseCategories,
        and(
          eq(rootCauseCategories.orgId, rootCauses.orgId),
          eq(rootCauseCategories.id, rootCauses.categoryId),
        ),
      )
      .where(eq(rootCauses.orgId, actor.orgId))
      .orderBy(asc(rootCauseCategories.position), asc(rootCauses.name)),
  ]);
  const orderedProducts: FilterOptions["products"] = [];
  for (const parent of productRows.filter((p) => !p.parentId)) {
    orderedProducts.push({ id: parent.id, name: parent.name, depth: 0 });
    for (const child of productRows.filter((p) => p.parentId === parent.id)) {
      orderedProducts.push({ id: child.id, name: child.name, depth: 1 });
    }
  }
  return { teams: teamRows, owners: ownerRows, products: orderedProducts, rootCauses: causeRows };
}

// ---------------------------------------------------------------- CSV export

export const EXPORT_BATCH_SIZE = 1_000;

/** The export's columns, in order: key in the row → header. */
export const exportColumns = [
  { key: "id", header: "id" },
  { key: "externalRef", header: "external_reference" },
  { key: "receivedAt", header: "received_at" },
  { key: "channel", header: "channel" },
  { key: "product", header: "product" },
  { key: "team", header: "team" },
  { key: "owner", header: "owner" },
  { key: "severity", header: "severity" },
  { key: "status", header: "status" },
  { key: "customerName", header: "customer_name" },
  { key: "customerEmail", header: "customer_email" },
  { key: "summary", header: "summary" },
  { key: "story", header: "story" },
  { key: "paraphrase", header: "paraphrase" },
  { key: "intakeSentiment", header: "intake_sentiment" },
  { key: "intakeNps", header: "intake_nps" },
  { key: "slaDueAt", header: "sla_due_at" },
  { key: "firstResponseAt", header: "first_response_at" },
  { key: "resolvedAt", header: "resolved_at" },
  { key: "closedAt", header: "closed_at" },
  { key: "promisedBy", header: "promised_by" },
  { key: "rootCause", header: "root_cause" },
  { key: "remedyCostDeliveredMinor", header: "remedy_cost_delivered_minor" },
  { key: "remedyCurrency", header: "remedy_currency" },
  { key: "outcomeNps", header: "outcome_nps" },
  // History the CSV importer reads back under these names (lib/import/fields.ts): export → import
  // round-trips. The remedy is one per row — the one the importer would update (IMPORTED_REMEDY),
  // else the latest offered; the delivered totals above still count every remedy.
  { key: "rootCauseCategory", header: "root_cause_category" },
  { key: "remedyKind", header: "remedy_kind" },
  { key: "remedyCost", header: "remedy_cost" },
  { key: "remedyCostCurrency", header: "remedy_cost_currency" },
  { key: "remedyOfferedAt", header: "remedy_offered_at" },
  { key: "remedyDeliveredAt", header: "remedy_delivered_at" },
  { key: "outcomeSentiment", header: "outcome_sentiment" },
  { key: "outcomeAt", header: "outcome_at" },
  { key: "advocacySignals", header: "advocacy_signals" },
] as const;

/** 2550 minor units of USD → "25.50" (major units as the importer and the remedy form take them). */
function majorUnits(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const text = String(minor).padStart(digits + 1, "0");
  return digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
}

/** The row's remedy (see exportColumns) as JSON text: one lookup for its five columns. */
const exportedRemedy = qualified<string | null>(
  sql`(select json_build_object('kind', ${remedies.kind}, 'cost', ${remedies.costMinor}, 'currency', ${remedies.currency}, 'offered', ${remedies.offeredAt}, 'delivered', ${remedies.deliveredAt})::text from ${remedies} where ${remedies.orgId} = ${complaints.orgId} and ${remedies.complaintId} = ${complaints.id} order by ${remedies.description} = ${IMPORTED_REMEDY} desc, ${remedies.offeredAt} desc, ${remedies.id} desc limit 1)`,
);
const outcomeColumn = (column: typeof outcomes.finalSentiment | typeof outcomes.recordedAt) =>
  sql`(select ${column} from ${outcomes} where ${outcomes.orgId} = ${complaints.orgId} and ${outcomes.complaintId} = ${complaints.id})`;

function withExportedRemedy<T extends { remedy: string | null }>(row: T) {
  const r = row.remedy
    ? (JSON.parse(row.remedy) as {
        kind: string;
        cost: number | null;
        currency: string;
        offered: string;
        delivered: string | null;
      })
    : null;
  return {
    ...row,
    remedyKind: r?.kind ?? null,
    remedyCost: r && r.cost !== null ? majorUnits(Number(r.cost), r.currency) : null,
    remedyCostCurrency: r?.currency ?? null,
    remedyOfferedAt: r ? new Date(r.offered) : null,
    remedyDeliveredAt: r?.delivered ? new Date(r.delivered) : null,
  };
}

/**
 * Delivered remedy cost per currency (remedies of unknown cost left out). One currency gives a
 * plain number; several give aligned ";"-separated lists ("1500;2000" and "EUR;USD").
 */
const deliveredTotals = sql`(select ${remedies.currency} as currency, sum(${remedies.costMinor}) as total from ${remedies} where ${remedies.orgId} = ${complaints.orgId} and ${remedies.complaintId} = ${complaints.id} and ${remedies.deliveredAt} is not null and ${remedies.costMinor} is not null group by ${remedies.currency})`;

async function fetchExportBatch(
  db: Db,
  actor: Actor,
  filters: ComplaintFilters,
  cursor: Cursor | null,
  limit: number,
) {
  return db
    .select({
      id: complaints.id,
      externalRef: complaints.externalRef,
      receivedAt: complaints.receivedAt,
      channel: complaints.channel,
      product: productName,
      team: teamName,
      owner: ownerName,
      severity: complaints.severity,
      status: complaints.status,
      customerName,
      customerEmail,
      summary: complaints.summary,
      story: complaints.story,
      paraphrase: complaints.paraphrase,
      intakeSentiment: complaints.intakeSentiment,
      intakeNps: complaints.intakeNps,
      slaDueAt: complaints.slaDueAt,
      firstResponseAt: complaints.firstResponseAt,
      resolvedAt: complaints.resolvedAt,
      closedAt: complaints.closedAt,
      promisedBy: complaints.promisedBy,
      rootCause: rootCauseName,
      remedyCostDeliveredMinor: qualified<string | null>(
        sql`(select string_agg(t.total::text, ';' order by t.currency) from ${deliveredTotals} t)`,
      ),
      remedyCurrency: qualified<string | null>(
        sql`(select string_agg(t.currency, ';' order by t.currency) from ${deliveredTotals} t)`,
      ),
      outcomeNps,
      rootCauseCategory: qualified<string | null>(
        sql`(select ${rootCauseCategories.name} from ${rootCauses} join ${rootCauseCategories} on ${rootCauseCategories.orgId} = ${rootCauses.orgId} and ${rootCauseCategories.id} = ${rootCauses.categoryId} where ${rootCauses.orgId} = ${complaints.orgId} and ${rootCauses.id} = ${complaints.rootCauseId})`,
      ),
      remedy: exportedRemedy,
      outcomeSentiment: qualified<number | null>(outcomeColumn(outcomes.finalSentiment)),
      outcomeAt: qualified<Date | null>(outcomeColumn(outcomes.recordedAt)).mapWith(
        outcomes.recordedAt,
      ),
      advocacySignals: qualified<string | null>(
        sql`(select string_agg(${advocacySignals.kind}::text, ';' order by ${advocacySignals.kind}) from ${advocacySignals} where ${advocacySignals.orgId} = ${complaints.orgId} and ${advocacySignals.complaintId} = ${complaints.id})`,
      ),
      ...cursorFields,
    })
    .from(complaints)
    .where(and(filteredSet(actor, filters), afterCursor(cursor)))
    .orderBy(...orderFor(filters.sort))
    .limit(limit)
    .then((rows) => rows.map(withExportedRemedy));
}

/** Today's date in UTC, for the export's file name. */
export function exportFileName(now = new Date()): string {
  return `complaints-${now.toISOString().slice(0, 10)}.csv`;
}

export type { CsvExport };

/**
 * The filtered set (all pages: cursor and limit ignored) as CSV with a header row, streamed in
 * keyset batches of EXPORT_BATCH_SIZE by lib/csv.ts (one batch in memory, formulas neutralised).
 * Never throws or redirects for a missing session or role: the route handler turns the refusal
 * into a status.
 */
export async function streamComplaintsCsv(
  filters: ComplaintFilters,
  { batchSize = EXPORT_BATCH_SIZE }: { batchSize?: number } = {},
): Promise<CsvExport> {
  const authorisation = await authorise("export:run");
  if (!authorisation.ok) return authorisation;
  const { actor } = authorisation;
  const { db } = await getDatabase();
  const set: ComplaintFilters = { ...filters, cursor: undefined };
  // Every download of personal data is traceable, like the other exports (lib/exports/run.ts).
  await db.transaction(async (tx) => {
    await recordAudit(tx, actor, {
      entity: "export",
      entityId: "complaints",
      action: "export.downloaded",
      after: { kind: "complaints", filters: { ...set, cursor: undefined } },
    });
  });
  const stream = streamCsv({
    columns: exportColumns.map((column) => ({
      header: column.header,
      value: (row: Awaited<ReturnType<typeof fetchExportBatch>>[number]) => row[column.key],
    })),
    page: (cursor: Cursor | null, limit) => fetchExportBatch(db, actor, set, cursor, limit),
    cursorOf: (row) => cursorOf(set.sort, row),
    batchSize,
  });
  return { ok: true, stream, filename: exportFileName() };
}
