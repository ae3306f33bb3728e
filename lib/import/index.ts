/**
 * The importer: CSV files of complaints (generic or CFPB) or customer activity, streamed in
 * batches. Every command here authorises `import:run` itself. Used by the /import page, the
 * upload route and the CLI (scripts/import-cli.ts).
 */
import "server-only";

export type {
  ImportField,
  ImportKind,
  ImportMapping,
  ImportMode,
  ImportPreset,
  ImportPreview,
  ImportProgress,
  ImportSetup,
  ImportSource,
  PreviewRow,
} from "./types";
export { importFields, suggestMapping } from "./fields";
export { loadImportSetup, createImportRun } from "./setup";
export { previewImport } from "./preview";
export { runImport } from "./run";
export { getImportProgress, listImportRuns, rejectionsCsv } from "./runs";
