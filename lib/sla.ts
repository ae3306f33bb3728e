import "server-only";
import { and, eq } from "drizzle-orm";
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

/** The organisation's default SLA policy with its targets and holidays, or null when it has none. */
export async function getSlaPolicy(tx: Tx, orgId: string): Promise<SlaPolicy | null> {
  const [policy] = await tx
    .select()
    .from(slaPolicies)
    .where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.isDefault, true)))
    .limit(1);
  if (!policy) return null;
  const [targets, days] = await Promise.all([
    tx
      .select()
      .from(slaTargets)
      .where(and(eq(slaTargets.orgId, orgId), eq(slaTargets.policyId, policy.id))),
    tx
      .select({ day: holidays.day })
      .from(holidays)
      .where(and(eq(holidays.orgId, orgId), eq(holidays.policyId, policy.id))),
  ]);
  return {
    timezone: policy.timezone,
    workingDays: policy.workingDays,
    workdayStartMinute: policy.workdayStartMinute,
    workdayEndMinute: policy.workdayEndMinute,
    holidays: new Set(days.map((d) => d.day)),
    closedLoopHours: policy.closedLoopHours,
    targets: new Map(targets.map((t) => [t.severity, t])),
  };
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
