/**
 * "My queue": what the signed-in user should do next, on the complaints they own. Follow-ups due
 * today (in the organisation's time zone) or overdue, open complaints past their SLA or their
 * promise, and the newest open assignments. Each section lists its first rows and counts them all.
 */
import "server-only";
import { TZDate } from "@date-fns/tz";
import { addDays, startOfDay } from "date-fns";
import { and, asc, count, desc, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { getDatabase } from "@/db";
import {
  complaints,
  customers,
  followUps,
  slaPolicies,
  type ComplaintStatus,
  type Severity,
} from "@/db/schema";
import { requirePermission } from "@/lib/auth/guard";
import { qualified } from "./list";

/** Rows shown per section; the heading counts them all. */
export const QUEUE_SECTION_LIMIT = 50;
export const QUEUE_NEWEST_LIMIT = 10;

const openStatuses: ComplaintStatus[] = ["new", "in_progress"];

interface QueueComplaint {
  complaintId: string;
  summary: string;
  customerName: string;
  severity: Severity;
  status: ComplaintStatus;
}

export interface QueueFollowUp extends QueueComplaint {
  followUpId: string;
  dueAt: Date;
  /** Due before now (else: later today). */
  overdue: boolean;
}

export interface QueueLateComplaint extends QueueComplaint {
  slaDueAt: Date | null;
  promisedBy: Date | null;
  slaPassed: boolean;
  promisePassed: boolean;
}

export interface QueueNewComplaint extends QueueComplaint {
  receivedAt: Date;
}

export interface QueueSection<T> {
  total: number;
  rows: T[];
}

export interface MyQueue {
  /** The organisation's time zone: "today" and every time on the page are read in it. */
  timezone: string;
  followUps: QueueSection<QueueFollowUp>;
  late: QueueSection<QueueLateComplaint>;
  newest: QueueSection<QueueNewComplaint>;
}

/** The start of tomorrow in a time zone: follow-ups due before it are due today or overdue. */
export function startOfTomorrow(now: Date, timezone: string): Date {
  return new Date(startOfDay(addDays(new TZDate(now.getTime(), timezone), 1)).getTime());
}

/** The signed-in user's queue. `now` is for tests; pages use the clock. */
export async function getMyQueue({ now = new Date() }: { now?: Date } = {}): Promise<MyQueue> {
  const actor = await requirePermission("queue:view");
  const { db } = await getDatabase();

  const [policy] = await db
    .select({ timezone: slaPolicies.timezone })
    .from(slaPolicies)
    .where(and(eq(slaPolicies.orgId, actor.orgId), eq(slaPolicies.isDefault, true)))
    .limit(1);
  const timezone = policy?.timezone ?? "UTC";

  const mine = and(eq(complaints.orgId, actor.orgId), eq(complaints.ownerId, actor.userId))!;
  const open = inArray(complaints.status, openStatuses);
  // Looked up per returned row, so each query plans on one table (see lib/complaints/list.ts).
  const customerName = qualified<string>(
    sql`(select ${customers.name} from ${customers} where ${customers.orgId} = ${complaints.orgId} and ${customers.id} = ${complaints.customerId})`,
  );
  const complaintFields = {
    complaintId: complaints.id,
    summary: complaints.summary,
    customerName,
    severity: complaints.severity,
    status: complaints.status,
  };

  // Open follow-ups due before tomorrow, on complaints this user owns. Both sides are read by
  // index alone (migration 0025): the count hash-joins them (~25 ms at 1M complaints, where one
  // complaint lookup per due follow-up took ~0.5 s); the rows walk the due follow-ups in order
  // and stop at the limit. Kept as two plain joins: a count over () beside the limit made the
  // planner pick the per-follow-up lookups for the count too.
  const followUpsDue: SQL = and(
    eq(followUps.orgId, actor.orgId),
    isNull(followUps.doneAt),
    lt(followUps.dueAt, startOfTomorrow(now, timezone)),
    eq(complaints.ownerId, actor.userId),
  )!;
  const joinComplaint = and(
    eq(complaints.orgId, followUps.orgId),
    eq(complaints.id, followUps.complaintId),
  );
  const late: SQL = and(
    mine,
    open,
    or(lt(complaints.slaDueAt, now), lt(complaints.promisedBy, now)),
  )!;
  const fresh: SQL = and(mine, open)!;

  const [followUpRows, [followUpTotal], lateRows, [lateTotal], newRows, [newTotal]] =
    await Promise.all([
      db
        .select({ ...complaintFields, followUpId: followUps.id, dueAt: followUps.dueAt })
        .from(followUps)
        .innerJoin(complaints, joinComplaint)
        .where(followUpsDue)
        .orderBy(asc(followUps.dueAt), asc(followUps.id))
        .limit(QUEUE_SECTION_LIMIT),
      db
        .select({ n: count() })
        .from(followUps)
        .innerJoin(complaints, joinComplaint)
        .where(followUpsDue),
      db
        .select({
          ...complaintFields,
          slaDueAt: complaints.slaDueAt,
          promisedBy: complaints.promisedBy,
        })
        .from(complaints)
        .where(late)
        .orderBy(
          asc(
            sql`least(coalesce(${complaints.slaDueAt}, 'infinity'::timestamptz), coalesce(${complaints.promisedBy}, 'infinity'::timestamptz))`,
          ),
          asc(complaints.id),
        )
        .limit(QUEUE_SECTION_LIMIT),
      db.select({ n: count() }).from(complaints).where(late),
      db
        .select({ ...complaintFields, receivedAt: complaints.receivedAt })
        .from(complaints)
        .where(fresh)
        .orderBy(desc(complaints.receivedAt), desc(complaints.id))
        .limit(QUEUE_NEWEST_LIMIT),
      db.select({ n: count() }).from(complaints).where(fresh),
    ]);

  const passed = (d: Date | null) => d !== null && d.getTime() < now.getTime();
  return {
    timezone,
    followUps: {
      total: Number(followUpTotal?.n ?? 0),
      rows: followUpRows.map((r) => ({ ...r, overdue: passed(r.dueAt) })),
    },
    late: {
      total: Number(lateTotal?.n ?? 0),
      rows: lateRows.map((r) => ({
        ...r,
        slaPassed: passed(r.slaDueAt),
        promisePassed: passed(r.promisedBy),
      })),
    },
    newest: { total: Number(newTotal?.n ?? 0), rows: newRows },
  };
}
