import "server-only";
import type { CsvExport } from "@/lib/csv";
import { streamAuditTrailCsv } from "./audit-trail";
import { isExportKind, type ExportKind } from "./catalogue";
import { streamCorrectiveActionsCsv } from "./corrective-actions";
import { streamCustomerActivityCsv } from "./customer-activity";

const exporters: Record<
  ExportKind,
  (params: URLSearchParams, options?: { batchSize?: number }) => Promise<CsvExport>
> = {
  "corrective-actions": streamCorrectiveActionsCsv,
  "customer-activity": streamCustomerActivityCsv,
  "audit-trail": streamAuditTrailCsv,
};

/** One export by its URL name; an unknown name is a 404, not a guess. */
export async function streamExportCsv(
  kind: string,
  params: URLSearchParams,
  options: { batchSize?: number } = {},
): Promise<CsvExport> {
  if (!isExportKind(kind)) {
    return { ok: false, reason: "not-found", message: "There is no such export." };
  }
  return exporters[kind](params, options);
}
