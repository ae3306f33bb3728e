/**
 * The import contract's types. No server code here, so the /import UI may import them (and the
 * pure helpers in fields.ts) from client components too.
 */
import type { ImportKind as RunKind, ImportMode } from "@/db/schema";

/** What a CSV import brings in, column by column. An archive run (lib/archive) has no mapping. */
export type ImportKind = Exclude<RunKind, "archive">;
export const csvImportKinds = ["complaints", "activities"] as const satisfies ImportKind[];
export type { RunKind, ImportMode };

/** "generic": the user maps every column; "cfpb": the CFPB consumer-complaint export. */
export type ImportPreset = "generic" | "cfpb";
export const importPresets = ["generic", "cfpb"] as const;

export interface ImportField {
  key: string;
  label: string;
  required: boolean;
  hint: string;
}

/** What is remembered per organisation and kind in import_mappings. */
export interface ImportMapping {
  preset: ImportPreset;
  /** Field key → source header (null = not mapped). */
  columns: Record<string, string | null>;
  options: {
    /** What the CFPB "Company" column becomes. */
    companyTo?: "team" | "product" | "ignore";
    /** When companyTo = team: which team gets the complaints. */
    companyTeamId?: string | null;
    defaultSeverity?: "minor" | "moderate" | "major" | "critical";
    defaultCurrency?: string;
    /**
     * CFPB: where each regulated issue's complaints are filed (issue as the file writes it →
     * target), as the user confirmed it in the wizard (lib/import/cause-mapping.ts).
     */
    causes?: Record<string, CauseTarget>;
    /**
     * CFPB: issues `causes` does not name. "new": an existing cause of the issue's name (any
     * category, any case), else a new cause under the category its words suggest (created when
     * missing); "none": no root cause. Default "new".
     */
    otherIssues?: { to: "new" } | { to: "none" };
    /** CFPB: the user checked how the issues map onto the taxonomy (required to start a run). */
    taxonomyConfirmed?: boolean;
  };
}

/** Where a CFPB issue's complaints are filed. */
export type CauseTarget =
  { to: "cause"; causeId: string } | { to: "new"; categoryKey: string } | { to: "none" };

/** The organisation's root-cause taxonomy, for choosing a target. */
export interface TaxonomyChoice {
  key: string;
  name: string;
  causes: { id: string; name: string }[];
}

/** What the preview proposes for a CFPB file's issues (the distinct issues of the sample). */
export interface CauseProposal {
  issues: {
    issue: string;
    /** Rows of the sample with this issue. */
    rows: number;
    proposed: CauseTarget;
    /**
     * Why: "chosen" (this mapping or the organisation's last confirmed import), "same-name" (an
     * existing cause is called that), "guessed" (a new cause under the category its words
     * suggest), "no-category" (that category is not in the taxonomy).
     */
    why: "chosen" | "same-name" | "guessed" | "no-category";
  }[];
  categories: TaxonomyChoice[];
}

export interface ImportProgress {
  runId: string;
  /** "interrupted": still "running" in the database, but no batch has landed for a long while. */
  status: "running" | "completed" | "failed" | "stopped" | "interrupted";
  bytesRead: number;
  totalBytes: number | null;
  rowsRead: number;
  rowsCreated: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  rowsPerSecond: number;
  startedAt: string;
  /** Who started the import; null when that user is gone. */
  startedByName: string | null;
  finishedAt: string | null;
  message: string | null;
  fileName: string;
  kind: RunKind;
  mode: ImportMode;
  preset: ImportPreset;
}

export interface PreviewRow {
  line: number;
  /** Field key → value as it will be stored (display form). */
  values: Record<string, string>;
  errors: { field: string; reason: string }[];
}

export interface ImportPreview {
  headers: string[];
  rows: PreviewRow[];
  /** Problems with the file as a whole, e.g. "Only one column found — is the delimiter ';'?" */
  fileErrors: string[];
  /** CFPB complaint files: how the sample's issues would map onto the root-cause taxonomy. */
  causes?: CauseProposal;
}

export interface ImportSetup {
  saved: ImportMapping | null;
  teams: { id: string; name: string }[];
}

export type ImportSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;
