import { filtersFrom, streamComplaintsCsv } from "@/lib/complaints/list";
import { csvResponse } from "@/lib/csv";

/**
 * GET /complaints/export?<the list's filters>: the whole filtered set as a streamed CSV file.
 * Authorisation happens in lib; a refusal is a plain-text 401 or 403, never a redirect.
 */
export async function GET(request: Request): Promise<Response> {
  const filters = filtersFrom(new URL(request.url).searchParams);
  return csvResponse(await streamComplaintsCsv(filters));
}
