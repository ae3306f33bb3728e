/**
 * One CSV row → one complaint as it will be stored, or the reasons it cannot be. Generic files and
 * the CFPB export differ only here; the writer (write-complaints.ts) takes either.
 */
import { z } from "zod";
import type { Channel, ComplaintStatus, RemedyKind, Severity } from "@/db/schema";
import { promiseProblem, statusTimeProblems } from "@/lib/complaints/consistency";
import { nps, importedComplaintFields as rules, sentiment } from "@/lib/complaints/validation";
import type { ImportMapping } from "./types";
import {
  blank,
  looksLikeFormula,
  readChannel,
  readAheadDate,
  readDate,
  readSeverity,
  readStatus,
  readYesNo,
  type Read,
} from "./values";

export interface Rejection {
  /** The import field's key (for the preview); `field` is the column as the file names it. */
  key?: string;
  field: string;
  reason: string;
  value: string;
}

export interface ComplaintDraft {
  line: number;
  externalRef: string;
  receivedAt: Date;
  channel: Channel;
  severity: Severity;
  summary: string;
  story: string;
  status: ComplaintStatus;
  resolvedAt: Date | null;
  /** History (generic files): when the customer first heard back, when it was closed. */
  firstResponseAt: Date | null;
  closedAt: Date | null;
  promisedBy: Date | null;
  intakeSentiment: number | null;
  intakeNps: number | null;
  timelyResponse: boolean | null;
  /** Matched by reference, else by email; CFPB rows get an anonymous customer of their own. */
  customer: { ref: string | null; email: string | null; name: string };
  /** Product, then sub-product (and a product line above them when CFPB "Company" is one). */
  productPath: string[];
  teamId: string | null;
  regulated: { product: string; subProduct: string; issue: string; subIssue: string } | null;
  remedy: { kind: RemedyKind; description: string } | null;
}

export interface RowContext {
  mapping: ImportMapping;
  /** Field key → column index in the file. */
  columns: Map<string, number>;
  /** Field key → the header the user knows it by (for the report). */
  headers: Map<string, string>;
  /** Lower-cased team name → id. */
  teams: Map<string, string>;
}

/**
 * One row being read: its cells by field, the rejections found so far (each naming the column
 * as the file calls it), and the checks every mapped cell gets before its field's rules — a
 * spreadsheet formula or a NUL byte rejects the row whatever the field. A class, not closures
 * made per row: a million-row import reads a million rows.
 */
export class RowCheck {
  readonly rejections: Rejection[] = [];
  constructor(
    private readonly ctx: RowContext,
    readonly values: string[],
  ) {
    for (const [field, i] of ctx.columns) {
      const v = values[i] ?? "";
      if (looksLikeFormula(v)) {
        this.reject(
          field,
          "Looks like a spreadsheet formula; remove it or start the cell with an apostrophe.",
        );
      } else if (v.includes("\u0000"))
        this.reject(field, "Contains a NUL character; this is not a text file.");
      // The separator of the importer's column payloads (write-complaints.ts); never in real text.
      else if (v.includes("\u001f"))
        this.reject(field, "Contains the control character U+001F; remove it and import again.");
    }
  }
  cell(field: string): string {
    const i = this.ctx.columns.get(field);
    return i === undefined ? "" : (this.values[i] ?? "");
  }
  /** The cell, or undefined when it is blank ("", "N/A", "-"). */
  optional(field: string): string | undefined {
    const v = this.cell(field);
    return blank(v) ? undefined : v;
  }
  reject(field: string, reason: string): void {
    this.rejections.push({
      key: field,
      field: this.ctx.headers.get(field) ?? field,
      reason,
      value: this.cell(field).slice(0, 200),
    });
  }
  /** A read cell's value, or the fallback with the reason recorded. */
  take<T>(field: string, read: Read<T>, fallback: T): T {
    if (read.ok) return read.value;
    this.reject(field, read.reason);
    return fallback;
  }
}

export type RowResult<T> = { ok: true; draft: T } | { ok: false; rejections: Rejection[] };

const textRow = z.object({
  externalRef: rules.externalRef,
  summary: rules.summary,
  story: rules.story,
  customerName: rules.customerName,
  customerEmail: rules.customerEmail,
  customerRef: rules.customerRef,
});

/** What CFPB "Company response to consumer" means for the complaint. */
const cfpbResponses: Record<string, { status: ComplaintStatus; remedy: RemedyKind | null }> = {
  "closed with monetary relief": { status: "closed", remedy: "refund" },
  "closed with non-monetary relief": { status: "closed", remedy: "other" },
  "closed with relief": { status: "closed", remedy: "other" },
  "closed with explanation": { status: "closed", remedy: null },
  "closed without relief": { status: "closed", remedy: null },
  closed: { status: "closed", remedy: null },
  "in progress": { status: "in_progress", remedy: null },
  "untimely response": { status: "in_progress", remedy: null },
};

export function rowReader(ctx: RowContext) {
  const cfpb = ctx.mapping.preset === "cfpb";
  const fallbackSeverity = ctx.mapping.options.defaultSeverity ?? "moderate";
  const companyTo = ctx.mapping.options.companyTo ?? "ignore";
  const companyTeamId = ctx.mapping.options.companyTeamId ?? null;

  return function read(line: number, values: string[]): RowResult<ComplaintDraft> {
    const row = new RowCheck(ctx, values);
    const { rejections } = row;
    if (rejections.length) return { ok: false, rejections };

    const receivedAt = row.take(
      "receivedAt",
      readDate(row.cell("receivedAt"), "Received at"),
      new Date(0),
    );
    const channel = row.take("channel", readChannel(row.cell("channel")), "web");
    const timelyResponse = row.take(
      "timelyResponse",
      readYesNo(row.cell("timelyResponse"), "Timely response"),
      null,
    );
    let severity: Severity = fallbackSeverity;
    let status: ComplaintStatus = "new";
    let resolvedAt: Date | null = null;
    let firstResponseAt: Date | null = null;
    let closedAt: Date | null = null;
    let promisedBy: Date | null = null;
    let intakeSentiment: number | null = null;
    let intakeNps: number | null = null;
    let remedy: ComplaintDraft["remedy"] = null;
    let productPath: string[] = [];
    let teamId: string | null = null;
    let regulated: ComplaintDraft["regulated"] = null;
    let summary: string;
    const story = row.cell("story").trim() === "N/A" ? "" : row.cell("story");

    if (cfpb) {
      const product = row.cell("product").trim();
      const subProduct = blank(row.cell("subProduct")) ? "" : row.cell("subProduct").trim();
      const issue = row.cell("issue").trim();
      const subIssue = blank(row.cell("subIssue")) ? "" : row.cell("subIssue").trim();
      if (!product) row.reject("product", "Enter the product.");
      if (!issue) row.reject("issue", "Enter the issue.");
      for (const [field, v, max] of [
        ["product", product, 200],
        ["subProduct", subProduct, 200],
        ["issue", issue, 300],
        ["subIssue", subIssue, 300],
      ] as const) {
        if (v.length > max) row.reject(field, `Keep it under ${max} characters.`);
      }
      regulated = { product, subProduct, issue, subIssue };
      summary = issue.slice(0, 300);
      productPath = [product, subProduct].filter(Boolean);
      const company = row.cell("company").trim();
      if (companyTo === "product" && company) productPath = [company.slice(0, 200), ...productPath];
      if (companyTo === "team") teamId = companyTeamId;
      const response = row.cell("companyResponse").trim();
      if (response) {
        const meaning = cfpbResponses[response.toLowerCase()];
        if (!meaning)
          row.reject("companyResponse", "Not a CFPB company response this importer knows.");
        else {
          status = meaning.status;
          if (meaning.remedy) remedy = { kind: meaning.remedy, description: `CFPB: ${response}` };
        }
      }
    } else {
      severity = row.take(
        "severity",
        readSeverity(row.cell("severity"), fallbackSeverity),
        "moderate",
      );
      status = row.take("status", readStatus(row.cell("status")), "new");
      const time = (field: string, label: string) => {
        const v = row.optional(field);
        return v === undefined ? null : row.take(field, readDate(v, label), null);
      };
      resolvedAt = time("resolvedAt", "Resolved at");
      firstResponseAt = time("firstResponseAt", "First response at");
      closedAt = time("closedAt", "Closed at");
      // Documented completions: a closed row without a closed time was closed when resolved,
      // one with only a closed time was resolved then too.
      if (status === "closed") {
        closedAt ??= resolvedAt;
        resolvedAt ??= closedAt;
      }
      const timeFields = ["status", "resolvedAt", "firstResponseAt", "closedAt"];
      // The shared rules (lib/complaints/consistency.ts), once every time could be read.
      if (!row.rejections.some((r) => timeFields.includes(r.key ?? ""))) {
        const asked = { status, receivedAt, firstResponseAt, resolvedAt, closedAt };
        const problems = statusTimeProblems(asked);
        // A closed row missing both times: say it once, on the resolved time.
        for (const p of problems)
          if (!(p.field === "closedAt" && problems.some((q) => q.field === "resolvedAt")))
            row.reject(p.field, p.message);
      }
      const promise = row.optional("promisedBy");
      if (promise !== undefined) {
        promisedBy = row.take("promisedBy", readAheadDate(promise, "Promised by"), null);
        const problem = promisedBy && promiseProblem(promisedBy, receivedAt);
        if (problem) row.reject("promisedBy", problem);
      }
      // The intake form's rules for how the customer felt (1–5, 0–10).
      const score = (field: string, schema: typeof sentiment) => {
        const v = row.optional(field);
        if (v === undefined) return null;
        const read = schema.safeParse(v.trim());
        if (read.success) return read.data ?? null;
        row.reject(field, read.error.issues[0]!.message);
        return null;
      };
      intakeSentiment = score("intakeSentiment", sentiment);
      intakeNps = score("intakeNps", nps);
      const product = row.optional("product")?.trim();
      if (product) productPath = [product.slice(0, 200)];
      const team = row.optional("team")?.trim();
      if (team) {
        teamId = ctx.teams.get(team.toLowerCase()) ?? null;
        if (!teamId)
          row.reject(
            "team",
            `No team is called "${team}"; create it first or leave the column unmapped.`,
          );
      }
      const given = row.optional("summary")?.trim();
      summary = (given ?? story.trim().split("\n")[0] ?? "").slice(0, 300);
      if (!given && !summary) summary = `Complaint ${row.cell("externalRef").trim()}`.slice(0, 300);
    }

    const parsed = textRow.safeParse({
      externalRef: row.cell("externalRef"),
      summary,
      story,
      customerName: row.optional("customerName"),
      customerEmail: row.optional("customerEmail")?.trim(),
      customerRef: row.optional("customerRef"),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        row.reject(String(issue.path[0] ?? "externalRef"), issue.message);
    }
    if (rejections.length || !parsed.success) return { ok: false, rejections };
    const t = parsed.data;
    const customer = cfpb
      ? { ref: `cfpb-${t.externalRef}`, email: null, name: `CFPB consumer ${t.externalRef}` }
      : t.customerRef || t.customerEmail
        ? {
            ref: t.customerRef ?? null,
            email: t.customerEmail?.toLowerCase() ?? null,
            name: t.customerName ?? t.customerEmail ?? t.customerRef ?? "",
          }
        : {
            ref: `complaint-${t.externalRef}`,
            email: null,
            name: t.customerName ?? `Customer of complaint ${t.externalRef}`,
          };
    return {
      ok: true,
      draft: {
        line,
        externalRef: t.externalRef,
        receivedAt,
        channel,
        severity,
        summary: t.summary,
        story: t.story,
        status,
        resolvedAt,
        firstResponseAt,
        closedAt,
        promisedBy,
        intakeSentiment,
        intakeNps,
        timelyResponse,
        customer: { ...customer, name: customer.name.slice(0, 200) },
        productPath,
        teamId,
        regulated,
        remedy,
      },
    };
  };
}
