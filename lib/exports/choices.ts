import "server-only";
import { count, eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { auditEvents, correctiveActions, customerActivities } from "@/db/schema";
import { requirePermission } from "@/lib/auth/guard";
import { countComplaints, filtersFrom } from "@/lib/complaints/list";
import { actorCan } from "@/lib/permissions";
import { exportCatalogue, exportKinds, type ExportKind, type ExportKindInfo } from "./catalogue";

export interface ExportChoice extends ExportKindInfo {
  kind: ExportKind;
  /** Whether this actor may download it; the page says who may when not. */
  allowed: boolean;
  /** Rows the organisation holds (all dates); null when not allowed. */
  rows: number | null;
}

export interface ExportChoices {
  /** Complaints the list shows this actor (the list exports them with its filters). */
  complaints: number;
  exports: ExportChoice[];
}

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
  // The complaints list's own count: the same set its export streams.
  return { complaints: await countComplaints(filtersFrom({})), exports };
}
