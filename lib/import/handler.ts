/** The header row → a reader and writer for the file's kind, or why the file cannot be imported. */
import type { Severity } from "@/db/schema";
import type { ImportKind } from "./types";
import type { Tx } from "@/lib/audit";

import { activityReader, writeActivityBatch, type ActivityDraft } from "./activities";
import { rowReader, type ComplaintDraft, type RowResult } from "./complaint-rows";
import { importFields, normaliseHeader } from "./fields";
import { emptyRootCauseIndex, type RootCauseIndex, type TaxonomyCache } from "./taxonomy";
import type { ImportMapping } from "./types";
import {
  prepareComplaintBatch,
  writeComplaintBatch,
  type BatchCounts,
  type PreparedComplaints,
} from "./write-complaints";

export interface Handler {
  read(line: number, values: string[]): RowResult<{ externalRef: string }>;
  /**
   * What a batch's rows refer to (customers, products…), found or created in a transaction of its
   * own before `write`. Batches are prepared one after another, in file order.
   */
  prepare?(tx: Tx, drafts: { externalRef: string }[]): Promise<unknown>;
  /** Writes a prepared batch; with `parallel`, two batches may be written at the same time. */
  write(tx: Tx, drafts: { externalRef: string }[], prepared: unknown): Promise<BatchCounts>;
  /** Whether batches without a reference in common may be written concurrently. */
  parallel: boolean;
}

export interface HandlerContext {
  orgId: string;
  userId: string;
  runId: string;
  slaDueAt: (severity: Severity, receivedAt: Date) => Date | null;
  taxonomy: TaxonomyCache;
  currency: string;
  /** Lower-cased team name → id (generic complaint files may name teams). */
  teams?: Map<string, string>;
  /** The organisation's root-cause taxonomy (generic complaint files may name causes). */
  rootCauses?: RootCauseIndex;
}

/** What is wrong with a header row as such (nothing read, or the wrong delimiter), if anything. */
export function headerProblem(header: string[]): string | null {
  if (header.length === 0 || (header.length === 1 && header[0]!.trim() === "")) {
    return "The file is empty.";
  }
  if (header.length === 1) {
    const guess = [";", "\t", "|"].find((d) => header[0]!.includes(d));
    if (guess) {
      const name = guess === "\t" ? "a tab" : `'${guess}'`;
      return `Only one column found — is the delimiter ${name}? Save the file as comma-separated CSV and import it again.`;
    }
  }
  return null;
}

/** Checks the header against the mapping: every mapped column present, every required one mapped. */
export function checkHeader(
  kind: ImportKind,
  mapping: ImportMapping,
  header: string[],
):
  | { ok: true; columns: Map<string, number>; headers: Map<string, string> }
  | { ok: false; message: string } {
  const problem = headerProblem(header);
  if (problem) return { ok: false, message: problem };
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (!index.has(h.trim())) index.set(h.trim(), i);
    if (!index.has(normaliseHeader(h))) index.set(normaliseHeader(h), i);
  });
  const columns = new Map<string, number>();
  const headers = new Map<string, string>();
  const missing: string[] = [];
  for (const field of importFields(kind, mapping.preset)) {
    const source = mapping.columns[field.key];
    if (!source) {
      if (field.required) missing.push(`${field.label} is not mapped to a column`);
      continue;
    }
    const i = index.get(source.trim()) ?? index.get(normaliseHeader(source));
    if (i === undefined) {
      missing.push(`column "${source}" (${field.label}) is not in the file`);
      continue;
    }
    columns.set(field.key, i);
    headers.set(field.key, header[i]!.trim());
  }
  if (missing.length) {
    return { ok: false, message: `The file cannot be imported: ${missing.join("; ")}.` };
  }
  return { ok: true, columns, headers };
}

export function prepareHandler(
  kind: ImportKind,
  mapping: ImportMapping,
  header: string[],
  ctx: HandlerContext,
): { ok: true; handler: Handler } | { ok: false; message: string } {
  const checked = checkHeader(kind, mapping, header);
  if (!checked.ok) return checked;
  const rowCtx = {
    mapping,
    columns: checked.columns,
    headers: checked.headers,
    teams: ctx.teams ?? new Map(),
    rootCauses: ctx.rootCauses ?? emptyRootCauseIndex(),
    currency: ctx.currency,
  };
  if (kind === "activities") {
    const read = activityReader(rowCtx);
    return {
      ok: true,
      handler: {
        read,
        // Activities resolve their customers while writing: nothing to prepare, one batch at a time.
        write: (tx, drafts) => writeActivityBatch(tx, ctx, drafts as ActivityDraft[]),
        parallel: false,
      },
    };
  }
  const read = rowReader(rowCtx);
  return {
    ok: true,
    handler: {
      read,
      prepare: (tx, drafts) => prepareComplaintBatch(tx, ctx, drafts as ComplaintDraft[]),
      write: (tx, drafts, prepared) =>
        writeComplaintBatch(tx, ctx, drafts as ComplaintDraft[], prepared as PreparedComplaints),
      parallel: true,
    },
  };
}
