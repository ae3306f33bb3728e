import { csvResponse } from "@/lib/csv";
import { streamExportCsv } from "@/lib/exports";

/**
 * GET /exports/<kind>?from=YYYY-MM-DD&to=YYYY-MM-DD: corrective actions, customer activity or the
 * audit trail as a streamed CSV file. lib authorises, validates and records the download; a
 * refusal is plain text with 400, 401, 403 or 404, never a redirect or a stack trace.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ kind: string }> },
): Promise<Response> {
  const { kind } = await params;
  return csvResponse(await streamExportCsv(kind, new URL(request.url).searchParams));
}
