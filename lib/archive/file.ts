/** Archives on disk: the CLI's path and the tests' (the same code the /import and /exports pages run). */
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { ActionResult } from "@/lib/action-result";
import type { ImportMode, ImportProgress } from "@/lib/import/types";
import { exportArchive } from "./export";
import { createArchiveRun, importArchive } from "./import";

export async function importArchiveFile(opts: {
  file: string;
  mode?: ImportMode;
  onProgress?: (p: ImportProgress) => void;
}): Promise<ActionResult<ImportProgress>> {
  const stat = await fs.promises.stat(opts.file);
  const created = await createArchiveRun({
    fileName: path.basename(opts.file),
    mode: opts.mode ?? "skip",
    totalBytes: stat.size,
  });
  if (!created.ok) return created;
  const stream = fs.createReadStream(opts.file, { highWaterMark: 256 * 1024 });
  return importArchive(created.data.runId, stream, { onProgress: opts.onProgress });
}

/** Writes the archive to a file; returns the number of lines written. */
export async function exportArchiveFile(file: string): Promise<ActionResult<{ lines: number }>> {
  const result = await exportArchive();
  if (!result.ok) return result;
  let lines = 0;
  const counted = (async function* () {
    for await (const line of result.data) {
      lines++;
      yield line;
    }
  })();
  await pipeline(Readable.from(counted), fs.createWriteStream(file));
  return { ok: true, data: { lines } };
}
