import { archiveDownload } from "@/lib/archive/download";

// Read per request: who is signed in decides (a static segment, so it wins over [kind]).
export const dynamic = "force-dynamic";

/**
 * GET /exports/archive: the whole organisation as JSON Lines (lib/archive/format.ts), streamed.
 * lib authorises (admins only) and records the download; a refusal is plain text with 401 or 403.
 */
export async function GET(): Promise<Response> {
  return archiveDownload();
}
