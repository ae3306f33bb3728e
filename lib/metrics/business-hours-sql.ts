/**
 * Business hours in SQL: the working windows of every local day between two instants, in the
 * default SLA policy's time zone, on its working days, minus its holidays — the same arithmetic
 * as lib/business-hours.ts `businessHoursBetween`. Used when a complaint's facts are computed.
 */
import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { slaPolicies } from "@/db/schema";
import type { Tx } from "@/lib/audit";

/** The default SLA policy's working time, as the parameters of `businessHoursSql`. */
export interface PolicyTime {
  id: string;
  timezone: string;
  workingDays: number[];
  startMinute: number;
  endMinute: number;
  closedLoopHours: number;
}

/** The organisation's default policy as business-hours parameters (null without one). */
export async function policyTime(db: Db | Tx, orgId: string): Promise<PolicyTime | null> {
  const [p] = await db
    .select()
    .from(slaPolicies)
    .where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.isDefault, true)))
    .limit(1);
  return p
    ? {
        id: p.id,
        timezone: p.timezone,
        workingDays: p.workingDays,
        startMinute: p.workdayStartMinute,
        endMinute: p.workdayEndMinute,
        closedLoopHours: p.closedLoopHours,
      }
    : null;
}

/**
 * Working hours between two instants under the policy, in SQL (null when `end` is null; 0 when
 * `end` is not after `start`; null when the org has no policy). For every local calendar day from
 * the day of `start` to the day of `end` (in the policy's time zone) that is a working day and not
 * a holiday, the day's window [start minute, end minute) — built from wall-clock time, so days
 * that change to or from summer time stay right — is intersected with [start, end) and summed.
 */
export function businessHoursSql(
  orgId: string,
  policy: PolicyTime | null,
  start: SQL,
  end: SQL,
): SQL {
  if (!policy) return sql`null::float8`;
  const tz = policy.timezone;
  const days = `{${policy.workingDays.map((d) => Math.trunc(d)).join(",")}}`;
  const windowAt = (minute: number) =>
    sql`((d.day + ${minute}::int * interval '1 minute') at time zone ${tz}::text)`;
  return sql`(case when ${end} is null or ${start} is null then null else (select coalesce(sum(greatest(0, extract(epoch from (least(${end}, w.e) - greatest(${start}, w.s))))), 0)::float8 / 3600.0 from (select ${windowAt(policy.startMinute)} as s, ${windowAt(policy.endMinute)} as e from generate_series((${start} at time zone ${tz}::text)::date::timestamp, (${end} at time zone ${tz}::text)::date::timestamp, interval '1 day') as d(day) where extract(isodow from d.day)::int = any(${days}::int[]) and not exists (select 1 from holidays h where h.org_id = ${orgId}::uuid and h.policy_id = ${policy.id}::uuid and h.day = d.day::date)) w) end)`;
}
