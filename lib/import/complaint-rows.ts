/**
 * One CSV row → one complaint as it will be stored, or the reasons it cannot be. Generic files and
 * the CFPB export differ only here; the writer (write-complaints.ts) takes either.
 */
import { z } from "zod";
import type { Channel, ComplaintStatus, RemedyKind, Severity } from "@/db/schema";
import { importedComplaintFields as rules } from "@/lib/complaints/validation";
import type { ImportMapping } from "./types";
import {
  blank,
  looksLikeFormula,
  readChannel,
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
 * What every row reader starts with: a cell by field, the file's own name for a field (for the
 * report), and the checks every mapped cell gets before its field's rules — a spreadsheet formula
 * or a NUL byte rejects the row whatever the field.
 */
export function rowKit(ctx: RowContext) {
  const cell = (values: string[], field: string): string => {
    const i = ctx.columns.get(field);
    return i === undefined ? "" : (values[i] ?? "");
  };
  const label = (field: string) => ctx.headers.get(field) ?? field;
  const start = (values: string[]) => {
    const rejections: Rejection[] = [];
    const reject = (field: string, reason: string) =>
      rejections.push({
        key: field,
        field: label(field),
        reason,
        value: cell(values, field).slice(0, 200),
      });
    for (const [field, i] of ctx.columns) {
      const v = values[i] ?? "";
      if (looksLikeFormula(v)) {
        reject(
          field,
          "Looks like a spreadsheet formula; remove it or start the cell with an apostrophe.",
        );
      } else if (v.includes("\u0000"))
        reject(field, "Contains a NUL character; this is not a text file.");
    }
    return { rejections, reject };
  };
  return { cell, label, start };
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
  const { cell, start } = rowKit(ctx);
  const cfpb = ctx.mapping.preset === "cfpb";
  const fallbackSeverity = ctx.mapping.options.defaultSeverity ?? "moderate";
  const companyTo = ctx.mapping.options.companyTo ?? "ignore";
  const companyTeamId = ctx.mapping.options.companyTeamId ?? null;

  return function read(line: number, values: string[]): RowResult<ComplaintDraft> {
    const { rejections, reject } = start(values);
    if (rejections.length) return { ok: false, rejections };
    const take = <T>(field: string, r: Read<T>, fallback: T): T => {
      if (r.ok) return r.value;
      reject(field, r.reason);
      return fallback;
    };
    const optionalText = (field: string) => {
      const v = cell(values, field);
      return blank(v) ? undefined : v;
    };

    const receivedAt = take(
      "receivedAt",
      readDate(cell(values, "receivedAt"), "Received at"),
      new Date(0),
    );
    const channel = take("channel", readChannel(cell(values, "channel")), "web");
    const timelyResponse = take(
      "timelyResponse",
      readYesNo(cell(values, "timelyResponse"), "Timely response"),
      null,
    );
    let severity: Severity = fallbackSeverity;
    let status: ComplaintStatus = "new";
    let resolvedAt: Date | null = null;
    let remedy: ComplaintDraft["remedy"] = null;
    let productPath: string[] = [];
    let teamId: string | null = null;
    let regulated: ComplaintDraft["regulated"] = null;
    let summary: string;
    const story = cell(values, "story").trim() === "N/A" ? "" : cell(values, "story");

    if (cfpb) {
      const product = cell(values, "product").trim();
      const subProduct = blank(cell(values, "subProduct")) ? "" : cell(values, "subProduct").trim();
      const issue = cell(values, "issue").trim();
      const subIssue = blank(cell(values, "subIssue")) ? "" : cell(values, "subIssue").trim();
      if (!product) reject("product", "Enter the product.");
      if (!issue) reject("issue", "Enter the issue.");
      for (const [field, v, max] of [
        ["product", product, 200],
        ["subProduct", subProduct, 200],
        ["issue", issue, 300],
        ["subIssue", subIssue, 300],
      ] as const) {
        if (v.length > max) reject(field, `Keep it under ${max} characters.`);
      }
      regulated = { product, subProduct, issue, subIssue };
      summary = issue.slice(0, 300);
      productPath = [product, subProduct].filter(Boolean);
      const company = cell(values, "company").trim();
      if (companyTo === "product" && company) productPath = [company.slice(0, 200), ...productPath];
      if (companyTo === "team") teamId = companyTeamId;
      const response = cell(values, "companyResponse").trim();
      if (response) {
        const meaning = cfpbResponses[response.toLowerCase()];
        if (!meaning) reject("companyResponse", "Not a CFPB company response this importer knows.");
        else {
          status = meaning.status;
          if (meaning.remedy) remedy = { kind: meaning.remedy, description: `CFPB: ${response}` };
        }
      }
    } else {
      severity = take(
        "severity",
        readSeverity(cell(values, "severity"), fallbackSeverity),
        "moderate",
      );
      status = take("status", readStatus(cell(values, "status")), "new");
      const resolved = cell(values, "resolvedAt");
      if (!blank(resolved)) {
        resolvedAt = take("resolvedAt", readDate(resolved, "Resolved at"), null);
        if (resolvedAt && resolvedAt < receivedAt)
          reject("resolvedAt", "Resolved at is before received at.");
      }
      const product = optionalText("product")?.trim();
      if (product) productPath = [product.slice(0, 200)];
      const team = optionalText("team")?.trim();
      if (team) {
        teamId = ctx.teams.get(team.toLowerCase()) ?? null;
        if (!teamId)
          reject(
            "team",
            `No team is called "${team}"; create it first or leave the column unmapped.`,
          );
      }
      const given = optionalText("summary")?.trim();
      summary = (given ?? story.trim().split("\n")[0] ?? "").slice(0, 300);
      if (!given && !summary)
        summary = `Complaint ${cell(values, "externalRef").trim()}`.slice(0, 300);
    }

    const parsed = textRow.safeParse({
      externalRef: cell(values, "externalRef"),
      summary,
      story,
      customerName: optionalText("customerName"),
      customerEmail: optionalText("customerEmail")?.trim(),
      customerRef: optionalText("customerRef"),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        reject(String(issue.path[0] ?? "externalRef"), issue.message);
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
