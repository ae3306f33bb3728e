import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { holidays, slaPolicies, slaTargets, type Severity } from "@/db/schema";
import type { Tx } from "@/lib/audit";
import { addBusinessHours, type WorkingTime } from "./business-hours";

export interface SlaPolicy extends WorkingTime {
  closedLoopHours: number;
  targets: Map<
    Severity,
    { firstResponseHours: number; resolutionHours: number; businessHours: boolean }
  >;
}

/** The policy as `slaPolicyJson` selects it. */
interface SlaPolicyJson {
  timezone: string;
  workingDays: number[];
  workdayStartMinute: number;
  workdayEndMinute: number;
  closedLoopHours: number;
  targets: {
    severity: Severity;
    firstResponseHours: number;
    resolutionHours: number;
    businessHours: boolean;
  }[];
  holidays: string[];
}

/**
 * The organisation's default SLA policy with its targets and holidays as one JSON value (null
 * when it has none): a scalar subquery, so a caller can read it in a statement it makes anyway.
 * Read it back with `slaPolicyFrom`.
 */
export function slaPolicyJson(orgId: string): SQL<unknown> {
  const targets = sql`select json_agg(json_build_object(
      'severity', ${slaTargets.severity},
      'firstResponseHours', ${slaTargets.firstResponseHours},
      'resolutionHours', ${slaTargets.resolutionHours},
      'businessHours', ${slaTargets.businessHours}))
    from ${slaTargets}
    where ${slaTargets.orgId} = ${slaPolicies.orgId} and ${slaTargets.policyId} = ${slaPolicies.id}`;
  const days = sql`select json_agg(${holidays.day})
    from ${holidays}
    where ${holidays.orgId} = ${slaPolicies.orgId} and ${holidays.policyId} = ${slaPolicies.id}`;
  return sql`(select json_build_object(
      'timezone', ${slaPolicies.timezone},
      'workingDays', ${slaPolicies.workingDays},
      'workdayStartMinute', ${slaPolicies.workdayStartMinute},
      'workdayEndMinute', ${slaPolicies.workdayEndMinute},
      'closedLoopHours', ${slaPolicies.closedLoopHours},
      'targets', coalesce((${targets}), '[]'),
      'holidays', coalesce((${days}), '[]'))
    from ${slaPolicies}
    where ${slaPolicies.orgId} = ${orgId} and ${slaPolicies.isDefault}
    limit 1)`;
}

/** The policy `slaPolicyJson` read, or null when the organisation has none. */
export function slaPolicyFrom(value: unknown): SlaPolicy | null {
  if (value === null || value === undefined) return null;
  const policy = value as SlaPolicyJson;
  return {
    timezone: policy.timezone,
    workingDays: policy.workingDays,
    workdayStartMinute: policy.workdayStartMinute,
    workdayEndMinute: policy.workdayEndMinute,
    holidays: new Set(policy.holidays),
    closedLoopHours: policy.closedLoopHours,
    targets: new Map(
      policy.targets.map((t) => [
        t.severity,
        {
          firstResponseHours: t.firstResponseHours,
          resolutionHours: t.resolutionHours,
          businessHours: t.businessHours,
        },
      ]),
    ),
  };
}

/** The organisation's default SLA policy with its targets and holidays, or null when it has none. */
export async function getSlaPolicy(tx: Tx, orgId: string): Promise<SlaPolicy | null> {
  const [row] = await queryRows<{ policy: unknown }>(
    tx as Db,
    sql`select ${slaPolicyJson(orgId)} as policy`,
  );
  return slaPolicyFrom(row?.policy);
}

/** When a complaint of this severity, received then, must be resolved under the policy. */
export function slaDueAt(
  policy: SlaPolicy | null,
  severity: Severity,
  receivedAt: Date,
): Date | null {
  const target = policy?.targets.get(severity);
  if (!policy || !target) return null;
  return target.businessHours
    ? addBusinessHours(receivedAt, target.resolutionHours, policy)
    : new Date(receivedAt.getTime() + target.resolutionHours * 3600_000);
}
