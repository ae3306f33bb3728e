/**
 * What can be exported, who may, and which date the range filters on. Shared by the /exports page
 * and the route handler, so the page never offers what the handler would refuse.
 */
import type { Operation } from "@/lib/permissions";

export const exportKinds = ["corrective-actions", "customer-activity", "audit-trail"] as const;
export type ExportKind = (typeof exportKinds)[number];

export interface ExportKindInfo {
  title: string;
  description: string;
  /** Every operation the actor needs. */
  needs: readonly Operation[];
  /** Who that means, in words, for the page. */
  who: string;
  /** The date the from/to range applies to. */
  dated: string;
  /** Shown when the organisation has no rows of this kind. */
  empty: string;
}

/**
 * Choices: corrective actions need the quality dashboard as well, because that is the only place
 * the product shows them (and their recurrence figures come from it); the audit trail needs
 * audit:read (every change, by whom); customer activity is personal data like the complaints
 * export and needs export:run only.
 */
export const exportCatalogue: Record<ExportKind, ExportKindInfo> = {
  "corrective-actions": {
    title: "Corrective actions",
    description:
      "Every corrective action with its root cause and category, owner, status, dates, version, and the cause's complaint recurrence before vs after the action was done.",
    needs: ["export:run", "dashboard:quality"],
    who: "Quality and admins",
    dated: "created",
    empty: "No corrective actions have been recorded yet.",
  },
  "customer-activity": {
    title: "Customer activity",
    description:
      "Purchases, renewals, cancellations, referrals, reviews and surveys: customer reference, name and email, kind, date, amount in the currency's units, score, external reference and note.",
    needs: ["export:run"],
    who: "Everyone who may export",
    dated: "occurred",
    empty: "No customer activity has been recorded or imported yet.",
  },
  "audit-trail": {
    title: "Audit trail",
    description:
      "Every recorded change: when, who (person, API token or import), what entity, the action, and the values before and after as JSON.",
    needs: ["export:run", "audit:read"],
    who: "Managers, quality and admins",
    dated: "occurred",
    empty: "Nothing has been recorded in the audit trail yet.",
  },
};

export function isExportKind(value: string): value is ExportKind {
  return (exportKinds as readonly string[]).includes(value);
}
