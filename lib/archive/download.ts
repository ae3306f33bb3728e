/**
 * The archive as an HTTP download (GET /exports/archive): exportArchive() authorises (admins
 * only) and audits; a refusal is plain text with 401 or 403, never a redirect.
 */
import "server-only";
import { ndjsonResponse } from "@/lib/ndjson";
import { exportArchive } from "./export";

/** "turnaround-archive-2026-12-07.jsonl": the UTC day it was taken. */
export function archiveFileName(at: Date = new Date()): string {
  return `turnaround-archive-${at.toISOString().slice(0, 10)}.jsonl`;
}

export async function archiveDownload(): Promise<Response> {
  return ndjsonResponse(await exportArchive(), archiveFileName());
}
