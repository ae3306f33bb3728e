import "server-only";
import { eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { organisations } from "@/db/schema";
import { requirePermission } from "@/lib/auth/guard";
import { currencyDigits, formatMoney } from "@/lib/money";

export interface OrganisationSettings {
  name: string;
  /** The organisation's reporting currency: the limit is typed in its major units. */
  currency: string;
  /** Minor units; null = no approval is ever needed. */
  approvalLimitMinor: number | null;
  /** The limit as the form shows it ("1000.00"), or "" for none. */
  approvalLimit: string;
  /** "$1,000.00", or null for none. */
  approvalLimitFormatted: string | null;
}

/** Minor units → the major-unit text the form shows ("1000.00"). */
export function majorText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** The admin's organisation settings page (admins only: the 403 page for anyone else). */
export async function getOrganisationSettings(): Promise<OrganisationSettings> {
  const actor = await requirePermission("organisation:manage");
  const { db } = await getDatabase();
  const [org] = await db
    .select({
      name: organisations.name,
      currency: organisations.currency,
      limit: organisations.remedyApprovalLimitMinor,
    })
    .from(organisations)
    .where(eq(organisations.id, actor.orgId));
  if (!org) throw new Error("the actor's organisation is missing");
  return {
    name: org.name,
    currency: org.currency,
    approvalLimitMinor: org.limit,
    approvalLimit: org.limit === null ? "" : majorText(org.limit, org.currency),
    approvalLimitFormatted: org.limit === null ? null : formatMoney(org.limit, org.currency),
  };
}
