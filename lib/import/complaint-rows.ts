/**
 * One CSV row → one complaint as it will be stored, or the reasons it cannot be. Generic files and
 * the CFPB export differ only here; the writer (write-complaints.ts) takes either.
 */
import { z } from "zod";
import type { Channel, ComplaintStatus, RemedyKind, Severity } from "@/db/schema";
import { CURRENCY_MESSAGE, isIsoCurrency, remedyCostProblem } from "@/lib/bounds";
import { promiseProblem, statusTimeProblems } from "@/lib/complaints/consistency";
import { nps, importedComplaintFields as rules, sentiment } from "@/lib/complaints/validation";
import { toMinorUnits } from "@/lib/money";
import type { RootCauseIndex, RootCauseRef } from "./taxonomy";
import type { ImportMapping } from "./types";
import {
  blank,
  looksLikeFormula,
  readAdvocacySignals,
  readChannel,
  readAheadDate,
  readDate,
  readRemedyKind,
  readScore,
  readSeverity,
  readStatus,
  readYesNo,
  type AdvocacyKind,
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
  /** The remedy a CFPB company response implies (cost unknown). */
  remedy: { kind: RemedyKind; description: string } | null;
  /**
   * Generic files: the resolved/closed times were completed by a documented rule, not given —
   * never; CFPB rows: closed ones, whose export has no resolution time (see `cfpbCompletion`).
   */
  timesInferred: boolean;
  /** Generic files: the root cause the row names (null: the file says nothing about it). */
  rootCause: RootCauseRef | null;
  /** Generic files: the complaint's imported remedy (write-complaints.ts says which it updates). */
  importedRemedy: ImportedRemedy | null;
  /** Generic files: how the customer ended up, recorded at `at`; blank scores keep stored ones. */
  outcome: {
    nps: number | null;
    sentiment: number | null;
    at: Date;
    signals: AdvocacyKind[];
  } | null;
}

export interface ImportedRemedy {
  kind: RemedyKind;
  /** Null when the cost cell is empty: the cost is unknown (as for CFPB remedies). */
  costMinor: number | null;
  currency: string;
  offeredAt: Date;
  deliveredAt: Date | null;
}

export interface RowContext {
  mapping: ImportMapping;
  /** Field key → column index in the file. */
  columns: Map<string, number>;
  /** Field key → the header the user knows it by (for the report). */
  headers: Map<string, string>;
  /** Lower-cased team name → id. */
  teams: Map<string, string>;
  /** The organisation's root-cause categories and causes (generic files may name them). */
  rootCauses: RootCauseIndex;
  /** The import's currency: the mapping's default, else the organisation's (remedy costs). */
  currency: string;
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

/**
 * The CFPB completion rule (issue #11). The export says a complaint was closed ("Closed with
 * explanation", …) but never when: such a row is resolved and closed at its "Date sent to
 * company" (the company's response cannot come before the complaint reached it), else at its
 * "Date received", and marked `times_inferred` so time-based figures can leave it out. Rows with
 * real times (generic files, CFPB rows still in progress) are not inferred, and importing a
 * complaint again with real times clears the mark.
 */
function cfpbCompletion(receivedAt: Date, sentToCompany: Date | null) {
  const at = sentToCompany ?? receivedAt;
  return { resolvedAt: at, closedAt: at, timesInferred: true };
}

export function rowReader(ctx: RowContext) {
  const cfpb = ctx.mapping.preset === "cfpb";
  const fallbackSeverity = ctx.mapping.options.defaultSeverity ?? "moderate";
  const companyTo = ctx.mapping.options.companyTo ?? "ignore";
  const companyTeamId = ctx.mapping.options.companyTeamId ?? null;
  const categoryById = new Map([...ctx.rootCauses.categories.values()].map((c) => [c.id, c]));
  const knownCategories = ctx.rootCauses.categoryNames.length
    ? `use one of: ${ctx.rootCauses.categoryNames.join(", ")}.`
    : "this organisation has no root-cause categories yet (Quality → Taxonomy).";

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
    let timesInferred = false;
    let rootCause: ComplaintDraft["rootCause"] = null;
    let importedRemedy: ComplaintDraft["importedRemedy"] = null;
    let outcome: ComplaintDraft["outcome"] = null;
    const receivedRead = !row.rejections.some((r) => r.key === "receivedAt");
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
      const sentCell = row.optional("dateSentToCompany");
      let sent: Date | null = null;
      if (sentCell !== undefined) {
        sent = row.take("dateSentToCompany", readDate(sentCell, "Date sent to company"), null);
        if (sent && receivedRead && sent < receivedAt) {
          row.reject("dateSentToCompany", "Date sent to company is before date received.");
          sent = null;
        }
      }
      const response = row.cell("companyResponse").trim();
      if (response) {
        const meaning = cfpbResponses[response.toLowerCase()];
        if (!meaning)
          row.reject("companyResponse", "Not a CFPB company response this importer knows.");
        else {
          status = meaning.status;
          if (meaning.remedy) remedy = { kind: meaning.remedy, description: `CFPB: ${response}` };
          if (status === "closed")
            ({ resolvedAt, closedAt, timesInferred } = cfpbCompletion(receivedAt, sent));
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
      rootCause = readRootCause(row);
      const timesRead =
        receivedRead && !row.rejections.some((r) => timeFields.includes(r.key ?? ""));
      importedRemedy = readRemedy(row, receivedAt, firstResponseAt, timesRead);
      outcome = readOutcome(row, receivedAt, closedAt ?? resolvedAt, timesRead);
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
        timesInferred,
        rootCause,
        importedRemedy,
        outcome,
      },
    };
  };

  /** The root cause: category (by key or name) and cause; a cause alone must name one. */
  function readRootCause(row: RowCheck): RootCauseRef | null {
    const categoryCell = row.optional("rootCauseCategory")?.trim();
    const causeCell = row.optional("rootCause")?.trim();
    if (causeCell && causeCell.length > 200) {
      row.reject("rootCause", "Keep the root cause under 200 characters.");
      return null;
    }
    if (categoryCell) {
      const category = ctx.rootCauses.categories.get(categoryCell.toLowerCase());
      if (!category) {
        row.reject(
          "rootCauseCategory",
          `No root-cause category is called "${categoryCell.slice(0, 120)}": ${knownCategories}`,
        );
        return null;
      }
      if (!causeCell) {
        row.reject("rootCause", `Name the root cause within the category ${category.name}.`);
        return null;
      }
      const cause = ctx.rootCauses.causes.get(category.id)?.get(causeCell.toLowerCase());
      return {
        categoryId: category.id,
        categoryName: category.name,
        name: cause?.name ?? causeCell,
        id: cause?.id ?? null,
      };
    }
    if (!causeCell) return null;
    const matches: RootCauseRef[] = [];
    for (const [categoryId, causes] of ctx.rootCauses.causes) {
      const cause = causes.get(causeCell.toLowerCase());
      const category = categoryById.get(categoryId);
      if (cause && category)
        matches.push({ categoryId, categoryName: category.name, name: cause.name, id: cause.id });
    }
    if (matches.length === 1) return matches[0]!;
    row.reject(
      "rootCause",
      matches.length
        ? `Several categories have a root cause called "${causeCell}" (${matches.map((m) => m.categoryName).join(", ")}): add a root-cause category column.`
        : `No root cause is called "${causeCell}": add a root-cause category column to create it under its category (${knownCategories.replace(/\.$/, "")}).`,
    );
    return null;
  }

  /**
   * One remedy: kind, cost as typed in major units with its currency (the forms' bounds and
   * messages), offered at (default: delivered, else first response, else received) and
   * delivered at; received ≤ offered ≤ delivered.
   */
  function readRemedy(
    row: RowCheck,
    receivedAt: Date,
    firstResponseAt: Date | null,
    timesRead: boolean,
  ): ImportedRemedy | null {
    // A currency alone describes no remedy (an older export's "remedy_currency" totals): ignored.
    const fields = ["remedyCost", "remedyOfferedAt", "remedyDeliveredAt"];
    const kindCell = row.optional("remedyKind");
    if (kindCell === undefined) {
      const given = fields.find((f) => row.optional(f) !== undefined);
      if (given)
        row.reject(given, "Give the remedy's kind too (Remedy kind), or leave the remedy empty.");
      return null;
    }
    const before = row.rejections.length;
    const kind = row.take("remedyKind", readRemedyKind(kindCell), "other");
    let currency = ctx.currency;
    const currencyCell = row.optional("remedyCurrency")?.trim().toUpperCase();
    if (currencyCell !== undefined) {
      if (isIsoCurrency(currencyCell)) currency = currencyCell;
      else row.reject("remedyCurrency", CURRENCY_MESSAGE);
    }
    let costMinor: number | null = null;
    const cost = row.optional("remedyCost")?.trim();
    if (cost !== undefined) {
      // The remedy form's rules and messages (lib/complaints/validation.ts offerRemedySchema).
      if (!/^\d{1,12}(\.\d{1,3})?$/.test(cost))
        row.reject("remedyCost", "Enter the cost as a number, e.g. 25.00.");
      else {
        const problem = remedyCostProblem(cost);
        costMinor = problem ? null : toMinorUnits(cost, currency);
        if (problem) row.reject("remedyCost", problem);
        else if (costMinor === null)
          row.reject("remedyCost", `${currency} amounts have fewer decimals.`);
      }
    }
    const time = (field: string, label: string) => {
      const v = row.optional(field);
      return v === undefined ? null : row.take(field, readDate(v, label), null);
    };
    const deliveredAt = time("remedyDeliveredAt", "Remedy delivered at");
    const offeredGiven = time("remedyOfferedAt", "Remedy offered at");
    const offeredAt = offeredGiven ?? deliveredAt ?? firstResponseAt ?? receivedAt;
    if (timesRead && offeredGiven && offeredGiven < receivedAt)
      row.reject("remedyOfferedAt", "A remedy is offered after the complaint came in.");
    else if (timesRead && !offeredGiven && deliveredAt && deliveredAt < receivedAt)
      row.reject("remedyDeliveredAt", "A remedy is delivered after the complaint came in.");
    else if (deliveredAt && deliveredAt < offeredAt)
      row.reject("remedyDeliveredAt", "A remedy is delivered after it was offered.");
    if (row.rejections.length > before) return null;
    return { kind, costMinor, currency, offeredAt, deliveredAt };
  }

  /**
   * The outcome: NPS 0–10, sentiment 1–5, advocacy signals, at a past time not before receipt
   * (default: when the complaint was closed, else resolved). Every signal is recorded then.
   */
  function readOutcome(
    row: RowCheck,
    receivedAt: Date,
    settledAt: Date | null,
    timesRead: boolean,
  ): ComplaintDraft["outcome"] {
    const npsCell = row.optional("outcomeNps");
    const sentimentCell = row.optional("outcomeSentiment");
    const signalsCell = row.optional("advocacySignals");
    const atCell = row.optional("outcomeAt");
    if ([npsCell, sentimentCell, signalsCell, atCell].every((v) => v === undefined)) return null;
    const before = row.rejections.length;
    const nps =
      npsCell === undefined
        ? null
        : row.take("outcomeNps", readScore(npsCell, "Outcome NPS", 0, 10), null);
    const sentiment =
      sentimentCell === undefined
        ? null
        : row.take("outcomeSentiment", readScore(sentimentCell, "Outcome sentiment", 1, 5), null);
    const signals =
      signalsCell === undefined
        ? []
        : row.take("advocacySignals", readAdvocacySignals(signalsCell), []);
    let at: Date | null = null;
    if (atCell !== undefined) {
      at = row.take("outcomeAt", readDate(atCell, "Outcome at"), null);
      if (at && timesRead && at < receivedAt)
        row.reject("outcomeAt", "Outcome at is before received at.");
      if (npsCell === undefined && sentimentCell === undefined && signalsCell === undefined)
        row.reject(
          "outcomeAt",
          "Outcome at needs an outcome: an outcome NPS, sentiment or advocacy signal.",
        );
    } else {
      at = settledAt;
      if (!at && timesRead)
        row.reject(
          "outcomeAt",
          "Outcome at is needed: the complaint is not resolved, so give the time the outcome was recorded.",
        );
    }
    if (row.rejections.length > before || !at) return null;
    return { nps, sentiment, at, signals };
  }
}
