/**
 * Streamed JSON Lines (NDJSON) downloads — the organisation archive — and the HTTP response a
 * route handler returns: the sibling of csv.ts's csvResponse, with the same plain-text refusals.
 * No database and no permission decisions here.
 */
import type { ActionResult } from "@/lib/action-result";

/** Lines are gathered into pieces of about this many characters before they are sent. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Lines of text (each ending in "\n") as a byte stream. Pull-based: the next lines are read only
 * when the client has taken the last piece, so memory holds one piece whatever the size. A
 * failure mid-file errors the stream (the download is cut, not padded); a client that goes away
 * ends the source.
 */
export function ndjsonStream(lines: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const iterator = lines[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let piece = "";
      while (piece.length < CHUNK_CHARS) {
        const next = await iterator.next();
        if (next.done) {
          if (piece) controller.enqueue(encoder.encode(piece));
          controller.close();
          return;
        }
        piece += next.value;
      }
      controller.enqueue(encoder.encode(piece));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

const refusalStatus: Record<Extract<ActionResult, { ok: false }>["reason"], number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid: 400,
  "not-found": 404,
  conflict: 409,
  failed: 500,
};

/** The HTTP response for a JSON Lines download: the streamed file, or a plain-text refusal. */
export function ndjsonResponse(
  result: ActionResult<AsyncIterable<string>>,
  filename: string,
): Response {
  if (!result.ok) {
    return new Response(`${result.formError ?? "This download is not available."}\n`, {
      status: refusalStatus[result.reason],
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  return new Response(ndjsonStream(result.data), {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
