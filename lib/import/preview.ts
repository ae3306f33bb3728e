/**
 * The preview on the mapping screen: the first rows of a file's opening bytes as they will be
 * stored, each with its errors, and problems with the file as a whole; for a CFPB file, how the
 * sample's issues would map onto the root-cause taxonomy (cause-mapping.ts). Writes nothing.
 */
import "server-only";
import { and, eq } from "drizzle-orm";
import { getDatabase } from "@/db";
import { importMappings, organisations, teams, type Severity } from "@/db/schema";
import { invalid, refused, type ActionResult } from "@/lib/action-result";
import { authorise } from "@/lib/auth/guard";
import { needsApproval } from "@/lib/complaints/approval";
import { formatMoney } from "@/lib/money";
import type { ActivityDraft } from "./activities";
import type { ComplaintDraft } from "./complaint-rows";
import { loadTaxonomyChoices, proposeCauses } from "./cause-mapping";
import { prepareHandler } from "./handler";
import { mappingSchema } from "./mapping";
import { ImportFileError, readCsv } from "./parse";
import { loadRootCauseIndex, TaxonomyCache } from "./taxonomy";
import type { ImportKind, ImportMapping, ImportPreview, PreviewRow } from "./types";
import { z } from "zod";
import { csvImportKinds } from "./types";

const PREVIEW_ROWS = 20;
const SAMPLE_LIMIT = 64 * 1024;

const inputSchema = z.object({
  kind: z.enum(csvImportKinds, "Choose complaints or customer activity."),
  mapping: mappingSchema,
  sample: z.string().max(SAMPLE_LIMIT * 4, "Send at most the first 64 KB of the file."),
});

const date = (d: Date | null) =>
  d === null
    ? ""
    : d.toISOString().endsWith("T00:00:00.000Z")
      ? d.toISOString().slice(0, 10)
      : d.toISOString();
const yesNo = (v: boolean | null) => (v === null ? "" : v ? "Yes" : "No");
const score = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));

function complaintValues(
  d: ComplaintDraft,
  teams: Map<string, string>,
  approvalLimit: number | null,
): Record<string, string> {
  // CFPB closed rows: resolved and closed times completed by the documented rule.
  const inferred = (t: Date | null) =>
    t && d.timesInferred ? `${date(t)} (inferred: the file has no time)` : date(t);
  const r = d.importedRemedy;
  const o = d.outcome;
  return {
    externalRef: d.externalRef,
    receivedAt: date(d.receivedAt),
    channel: d.channel,
    severity: d.severity,
    summary: d.summary,
    story: d.story.length > 300 ? `${d.story.slice(0, 300)}…` : d.story,
    status: d.status,
    customer: d.customer.ref ?? d.customer.email ?? "",
    customerName: d.customer.name,
    customerEmail: d.customer.email ?? "",
    product: d.productPath.join(" › "),
    team: d.teamId ? (teams.get(d.teamId) ?? "") : "",
    resolvedAt: inferred(d.resolvedAt),
    firstResponseAt: date(d.firstResponseAt),
    closedAt: inferred(d.closedAt),
    promisedBy: date(d.promisedBy),
    intakeSentiment: d.intakeSentiment === null ? "" : String(d.intakeSentiment),
    intakeNps: d.intakeNps === null ? "" : String(d.intakeNps),
    timelyResponse: yesNo(d.timelyResponse),
    remedy: d.remedy ? `${d.remedy.kind} (cost unknown), delivered` : "",
    rootCauseCategory: d.rootCause?.categoryName ?? "",
    rootCause: d.rootCause ? `${d.rootCause.name}${d.rootCause.id ? "" : " (new cause)"}` : "",
    remedyKind: r?.kind ?? "",
    remedyCost: !r
      ? ""
      : r.costMinor === null
        ? "cost unknown"
        : formatMoney(r.costMinor, r.currency) +
          (needsApproval(r.costMinor, approvalLimit)
            ? " (above the approval limit: approved before the import)"
            : ""),
    remedyCurrency: r?.currency ?? "",
    remedyOfferedAt: r ? date(r.offeredAt) : "",
    remedyDeliveredAt: r ? date(r.deliveredAt) || "not delivered" : "",
    outcomeNps: score(o?.nps),
    outcomeSentiment: score(o?.sentiment),
    outcomeAt: o ? date(o.at) : "",
    advocacySignals: o ? o.signals.map((k) => k.replace("_", " ")).join("; ") : "",
    regulatedIssue: d.regulated
      ? [d.regulated.product, d.regulated.subProduct, d.regulated.issue, d.regulated.subIssue]
          .filter(Boolean)
          .join(" › ")
      : "",
  };
}

function activityValues(d: ActivityDraft): Record<string, string> {
  return {
    customerRef: d.customer.ref ?? "",
    customerEmail: d.customer.email ?? "",
    customerName: d.customer.name,
    kind: d.kind,
    occurredAt: date(d.occurredAt),
    // A blank amount is no money, not $0.00 (the preview shows "—"); an explicit 0 stays $0.00.
    amount: d.amountGiven ? formatMoney(d.amountMinor, d.currency) : "",
    currency: d.currency,
    score: d.score === null ? "" : String(d.score),
    externalRef: d.externalRef,
    note: d.note ?? "",
  };
}

export async function previewImport(input: {
  kind: ImportKind;
  mapping: ImportMapping;
  sample: string;
}): Promise<ActionResult<ImportPreview>> {
  const auth = await authorise("import:run");
  if (!auth.ok) return refused(auth.reason, auth.message);
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { kind, mapping, sample } = parsed.data;
  // A sample cut at 64 KB ends mid-row: the last line is not shown rather than shown broken.
  const cut =
    sample.length >= SAMPLE_LIMIT - 4 ? sample.slice(0, sample.lastIndexOf("\n") + 1) : sample;
  const fileErrors: string[] = [];
  const rows: PreviewRow[] = [];
  let headers: string[] = [];
  const { db } = await getDatabase();
  const teamRows = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.orgId, auth.actor.orgId));
  const teamNames = new Map(teamRows.map((t) => [t.id, t.name]));
  const [org] = await db
    .select({
      currency: organisations.currency,
      approvalLimit: organisations.remedyApprovalLimitMinor,
    })
    .from(organisations)
    .where(eq(organisations.id, auth.actor.orgId));
  const rootCauses = await loadRootCauseIndex(db, auth.actor.orgId);
  // CFPB complaints: issue → rows of the sample with it, for the root-cause mapping.
  const issues =
    kind === "complaints" && mapping.preset === "cfpb" ? new Map<string, number>() : null;
  try {
    const reader = readCsv(
      (async function* () {
        yield cut;
      })(),
    );
    let handler: ReturnType<typeof prepareHandler> | null = null;
    let issueColumn = -1;
    for await (const item of reader.items) {
      if (!handler) {
        if (item.kind === "bad")
          throw new ImportFileError(`The header row cannot be read: ${item.reason}`);
        headers = item.values;
        handler = prepareHandler(kind, mapping, headers, {
          orgId: auth.actor.orgId,
          userId: auth.actor.userId,
          runId: "",
          // The preview shows what is stored; due dates are computed at import time.
          slaDueAt: (_s: Severity, _d: Date) => null,
          taxonomy: new TaxonomyCache(auth.actor.orgId),
          currency: mapping.options.defaultCurrency ?? org?.currency ?? "USD",
          teams: new Map(teamRows.map((t) => [t.name.toLowerCase(), t.id])),
          rootCauses,
        });
        if (!handler.ok) {
          fileErrors.push(handler.message);
          break;
        }
        if (issues) issueColumn = headers.indexOf(mapping.columns.issue ?? "");
        continue;
      }
      if (!handler.ok) break;
      // A CFPB sample's issues are counted on every row of it; rows are shown up to PREVIEW_ROWS.
      if (issues && item.kind === "record" && issueColumn >= 0) {
        const issue = (item.values[issueColumn] ?? "").trim();
        if (issue && issue.length <= 300) issues.set(issue, (issues.get(issue) ?? 0) + 1);
      }
      if (rows.length >= PREVIEW_ROWS) continue;
      if (item.kind === "bad") {
        rows.push({
          line: item.line,
          values: {},
          errors: [{ field: "(row)", reason: item.reason }],
        });
      } else {
        const result = handler.handler.read(item.line, item.values);
        rows.push(
          result.ok
            ? {
                line: item.line,
                values:
                  kind === "activities"
                    ? activityValues(result.draft as ActivityDraft)
                    : complaintValues(
                        result.draft as ComplaintDraft,
                        teamNames,
                        org?.approvalLimit ?? null,
                      ),
                errors: [],
              }
            : {
                line: item.line,
                values: {},
                errors: result.rejections.map((r) => ({
                  field: r.key ?? r.field,
                  reason: r.reason,
                })),
              },
        );
      }
      if (rows.length >= PREVIEW_ROWS && !issues) break;
    }
    if (!handler) fileErrors.push("The file is empty.");
    else if (handler.ok && rows.length === 0)
      fileErrors.push("The file has a header row but no data rows.");
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    fileErrors.push(error.message);
  }
  if (!issues || fileErrors.length) return { ok: true, data: { headers, rows, fileErrors } };
  // The choices made before: this mapping's (the user went back), else the last confirmed import's.
  const [saved] = await db
    .select({ mapping: importMappings.mapping })
    .from(importMappings)
    .where(and(eq(importMappings.orgId, auth.actor.orgId), eq(importMappings.kind, kind)));
  const savedMapping = saved ? mappingSchema.safeParse(saved.mapping) : null;
  const causes = proposeCauses(issues, await loadTaxonomyChoices(db, auth.actor.orgId), [
    mapping.options.causes,
    savedMapping?.success && savedMapping.data.preset === "cfpb"
      ? savedMapping.data.options.causes
      : undefined,
  ]);
  return { ok: true, data: { headers, rows, fileErrors, causes } };
}
