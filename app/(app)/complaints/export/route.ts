import { filtersFrom, streamComplaintsCsv } from "@/lib/complaints/list";

/**
 * GET /complaints/export?<the list's filters>: the whole filtered set as a streamed CSV file.
 * Authorisation happens in lib; a refusal is a plain-text 401 or 403, never a redirect.
 */
export async function GET(request: Request): Promise<Response> {
  const filters = filtersFrom(new URL(request.url).searchParams);
  const result = await streamComplaintsCsv(filters);
  if (!result.ok) {
    return new Response(`${result.message}\n`, {
      status: result.reason === "unauthenticated" ? 401 : 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  return new Response(result.stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${result.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
