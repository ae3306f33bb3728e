/** JSON Lines from a byte stream: one line at a time, with its number and the bytes read so far. */
import type { ImportSource } from "@/lib/import/types";

/** A line longer than this is reported, not held: one complaint with its history fits easily. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

export type SourceLine =
  | { kind: "line"; line: number; text: string; bytesRead: number }
  | { kind: "too-long"; line: number; bytesRead: number };

export async function* readLines(source: ImportSource): AsyncIterable<SourceLine> {
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let carry = "";
  let line = 0;
  let bytesRead = 0;
  let skipping = false;
  const iterable: AsyncIterable<Uint8Array | string> =
    source instanceof ReadableStream ? streamIterable(source) : source;
  for await (const chunk of iterable) {
    bytesRead += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    carry += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = carry.indexOf("\n")) !== -1) {
      const text = carry.slice(0, end).replace(/\r$/, "");
      carry = carry.slice(end + 1);
      line++;
      if (skipping) {
        skipping = false;
        yield { kind: "too-long", line, bytesRead };
      } else if (text.trim()) yield { kind: "line", line, text, bytesRead };
    }
    if (carry.length > MAX_LINE_BYTES) {
      // Keep reading to the end of the line, without holding it.
      skipping = true;
      carry = "";
    }
  }
  carry += decoder.decode();
  if (skipping) yield { kind: "too-long", line: line + 1, bytesRead };
  else if (carry.trim()) yield { kind: "line", line: line + 1, text: carry, bytesRead };
}

async function* streamIterable(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
