import "server-only";
import { count, eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { auditEvents, correctiveActions, customerActivities } from "@/db/schema";
import { requirePermission } from "@/lib/auth/guard";
import { countComplaints, filtersFrom } from "@/lib/complaints/list";
import { actorCan, type Operation } from "@/lib/permissions";
import { exportCatalogue, exportKinds, type ExportKind, type ExportKindInfo } from "./catalogue";

export interface ExportChoice extends ExportKindInfo {
  kind: ExportKind;
  /** Whether this actor may download it; the page says who may when not. */
  allowed: boolean;
  /** Rows the organisation holds (all dates); null when not allowed. */
  rows: number | null;
}

/** The organisation archive (lib/archive): everything, as JSON Lines, in one download. */
export interface ArchiveChoice {
  title: string;
  description: string;
  /** Every operation the actor needs. */
  needs: readonly Operation[];
  /** Who that means, in words, for the page. */
  who: string;
  /** Whether this actor may download it; the page says who may when not. */
  allowed: boolean;
}

export interface ExportChoices {
  /** Complaints the list shows this actor (the list exports them with its filters). */
  complaints: number;
  exports: ExportChoice[];
  archive: ArchiveChoice;
}

/**
 * The archive holds every person, setting and record of the organisation, so only admins may
 * take it (archive:export, which no other role's list names).
 */
export const archiveExport: Omit<ArchiveChoice, "allowed"> = {
  title: "Organisation archive",
  description:
    "Everything, with every timestamp, as JSON Lines: settings (SLA policy, playbook, approval limit), people and teams, products and the root-cause taxonomy, customers and their activity, complaints with their whole history (steps, remedies, follow-ups, updates, outcome), and corrective actions. Import it into another organisation or installation from Import.",
  needs: ["archive:export"],
  who: "Admins",
};

const tables = {
  "corrective-actions": correctiveActions,
  "customer-activity": customerActivities,
  "audit-trail": auditEvents,
} as const;

/** What the /exports page offers this actor, with how many rows each holds (counted in SQL). */
export async function exportChoices(): Promise<ExportChoices> {
  const actor = await requirePermission("export:run");
  const { db } = await getDatabase();
  const total = async (table: (typeof tables)[ExportKind]) => {
    const [row] = await db.select({ n: count() }).from(table).where(eq(table.orgId, actor.orgId));
    return row?.n ?? 0;
  };
  const exports = await Promise.all(
    exportKinds.map(async (kind): Promise<ExportChoice> => {
      const info = exportCatalogue[kind];
      const allowed = info.needs.every((operation) => actorCan(actor, operation));
      return { ...info, kind, allowed, rows: allowed ? await total(tables[kind]) : null };
    }),
  );
  const archive: ArchiveChoice = {
    ...archiveExport,
    allowed: archiveExport.needs.every((operation) => actorCan(actor, operation)),
  };
  // The complaints list's own count: the same set its export streams.
  return { complaints: await countComplaints(filtersFrom({})), exports, archive };
}
