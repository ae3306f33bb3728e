/**
 * Importing a file from disk: the CLI's path, and the tests' (so both run exactly what the CLI
 * runs). The header is read to suggest (or check) the mapping, then the file is streamed.
 */
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { ActionResult } from "@/lib/action-result";
import { suggestMapping } from "./fields";
import { headerProblem } from "./handler";
import { mappingSchema } from "./mapping";
import { ImportFileError, readCsv } from "./parse";
import { createImportRun } from "./setup";
import { runImport } from "./run";
import type { ImportKind, ImportMapping, ImportMode, ImportPreset, ImportProgress } from "./types";

export interface ImportFileOptions {
  file: string;
  kind?: ImportKind;
  mode?: ImportMode;
  /** Forces a preset; otherwise CFPB headers are recognised. */
  preset?: ImportPreset;
  /** A full mapping (e.g. from --mapping mapping.json); otherwise suggested from the header. */
  mapping?: unknown;
  /** Merged over the suggested mapping's options. */
  options?: ImportMapping["options"];
  onProgress?: (p: ImportProgress) => void;
}

/**
 * The first line of the file (up to 64 KB), split by the import's own CSV reader. Decoded
 * leniently: a bad byte further down is the run's to report, with its line.
 */
async function readHeader(file: string): Promise<string[]> {
  const handle = await fs.promises.open(file, "r");
  let first: string;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString("utf8");
    const end = text.search(/\r?\n/);
    first = end === -1 ? text : text.slice(0, end);
  } finally {
    await handle.close();
  }
  try {
    for await (const item of readCsv(Readable.from([first])).items) {
      return item.kind === "record" ? item.values : [];
    }
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
  }
  return [];
}

export async function importFile(
  opts: ImportFileOptions,
): Promise<ActionResult<ImportProgress & { mapping: ImportMapping }>> {
  const kind = opts.kind ?? "complaints";
  let mapping: ImportMapping;
  if (opts.mapping !== undefined) {
    const parsed = mappingSchema.safeParse(opts.mapping);
    if (!parsed.success) {
      return {
        ok: false,
        reason: "invalid",
        formError: `The mapping file is not valid: ${parsed.error.issues[0]?.message}`,
      };
    }
    mapping = parsed.data;
  } else {
    const headers = await readHeader(opts.file);
    // Problems with the file itself come before any talk of mapping columns.
    const problem = headerProblem(headers);
    if (problem) return { ok: false, reason: "invalid", formError: problem };
    mapping = suggestMapping(kind, headers);
    if (opts.preset && opts.preset !== mapping.preset) {
      mapping = { ...suggestMapping(kind, headers), preset: opts.preset };
    }
  }
  mapping = { ...mapping, options: { ...mapping.options, ...opts.options } };
  // No wizard here: without chosen causes, CFPB issues are filed as the preview would propose
  // (an existing cause of the same name, else a new one under the guessed category), confirmed.
  if (kind === "complaints" && mapping.preset === "cfpb" && mapping.options.causes === undefined) {
    mapping.options = {
      ...mapping.options,
      otherIssues: mapping.options.otherIssues ?? { to: "new" },
      taxonomyConfirmed: true,
    };
  }
  const stat = await fs.promises.stat(opts.file);
  const created = await createImportRun({
    kind,
    mapping,
    mode: opts.mode ?? "skip",
    fileName: path.basename(opts.file),
    totalBytes: stat.size,
  });
  if (!created.ok) return created;
  const stream = fs.createReadStream(opts.file, { highWaterMark: 256 * 1024 });
  const result = await runImport(created.data.runId, stream, { onProgress: opts.onProgress });
  if (!result.ok) return result;
  return { ...result, data: { ...result.data, mapping } };
}
