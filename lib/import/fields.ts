/**
 * The fields each kind of import fills, and the mapping suggested from a file's headers. Pure: the
 * mapping screen may call these in the browser.
 */
import type { ImportField, ImportKind, ImportMapping, ImportPreset } from "./types";

const f = (key: string, label: string, required: boolean, hint: string): ImportField => ({
  key,
  label,
  required,
  hint,
});

const genericComplaintFields: ImportField[] = [
  f(
    "externalRef",
    "External reference",
    true,
    "The ticket's id in your helpdesk: re-imports update it instead of duplicating.",
  ),
  f("receivedAt", "Received at", true, "ISO date/time, yyyy-mm-dd or mm/dd/yyyy."),
  f(
    "channel",
    "Channel",
    false,
    "phone, email, chat, web, social, in person, letter (default web).",
  ),
  f(
    "severity",
    "Severity",
    false,
    "minor, moderate, major or critical (default: the option below).",
  ),
  f("summary", "Summary", false, "Up to 300 characters; the story's first line when not mapped."),
  f("story", "Customer's story", false, "What the customer said, up to 20,000 characters."),
  f("status", "Status", false, "new, in progress, resolved or closed (default new)."),
  f("customerRef", "Customer reference", false, "Matches the customer by your system's id."),
  f(
    "customerEmail",
    "Customer email",
    false,
    "Matches the customer by email when there is no reference.",
  ),
  f("customerName", "Customer name", false, "Names a customer created by the import."),
  f("product", "Product", false, "Product name; created when new."),
  f("team", "Team", false, "Team name; must already exist."),
  f(
    "resolvedAt",
    "Resolved at",
    false,
    "When it was resolved: needed for resolved and closed rows (a closed row is closed then too), empty for new and in-progress ones.",
  ),
  f("timelyResponse", "Timely response", false, "Yes/No: whether the response met its deadline."),
  f(
    "firstResponseAt",
    "First response at",
    false,
    "When the customer first heard back: at or after received, not after resolved.",
  ),
  f(
    "closedAt",
    "Closed at",
    false,
    "When it was closed: needed for closed rows (else their resolved time); a closed row with only this is resolved then too.",
  ),
  f("promisedBy", "Promised by", false, "The date promised to the customer, after received."),
  f("intakeSentiment", "Intake sentiment", false, "1 (furious) to 5 (delighted)."),
  f("intakeNps", "Intake NPS", false, "0 to 10."),
  f(
    "rootCauseCategory",
    "Root-cause category",
    false,
    "A category of your root-cause taxonomy, by name or key (any case); it must exist.",
  ),
  f(
    "rootCause",
    "Root cause",
    false,
    "The cause's name within the category (created there when new); alone, it must name one existing cause.",
  ),
  f(
    "remedyKind",
    "Remedy kind",
    false,
    "refund, replacement, repair, credit, discount, coupon, free service, upgrade, gift, apology only or other.",
  ),
  f(
    "remedyCost",
    "Remedy cost",
    false,
    "In major units, e.g. 25.50 (at most 1,000,000; empty: unknown); above the approval limit it counts as approved before the import.",
  ),
  f(
    "remedyCurrency",
    "Remedy currency",
    false,
    "Three letters, e.g. USD (default: the import's default currency, else the organisation's).",
  ),
  f(
    "remedyOfferedAt",
    "Remedy offered at",
    false,
    "At or after received; default: when delivered, else the first response, else received.",
  ),
  f(
    "remedyDeliveredAt",
    "Remedy delivered at",
    false,
    "At or after the offer; empty while not delivered.",
  ),
  f("outcomeNps", "Outcome NPS", false, "0 to 10, after the recovery."),
  f(
    "outcomeSentiment",
    "Outcome sentiment",
    false,
    "1 (furious) to 5 (delighted), after the recovery.",
  ),
  f(
    "outcomeAt",
    "Outcome at",
    false,
    "When the outcome was recorded, at or after received; default: closed, else resolved.",
  ),
  f(
    "advocacySignals",
    "Advocacy signals",
    false,
    "referral, positive review, testimonial, repeat purchase; several separated by ; or ,.",
  ),
];

const cfpbComplaintFields: ImportField[] = [
  f(
    "externalRef",
    "Complaint ID",
    true,
    "Becomes the external reference (and the anonymous customer's).",
  ),
  f("receivedAt", "Date received", true, "yyyy-mm-dd."),
  f("channel", "Submitted via", false, "Web, Phone, Email, Fax, Postal mail, Referral…"),
  f("product", "Product", true, "Becomes the product and the top of the regulated issue."),
  f("subProduct", "Sub-product", false, "A product under the product."),
  f("issue", "Issue", true, "The regulated issue; mapped to a root cause of the same name."),
  f("subIssue", "Sub-issue", false, "The level under the issue."),
  f(
    "story",
    "Consumer complaint narrative",
    false,
    "The customer's story; redactions (XXXX) kept.",
  ),
  f("companyResponse", "Company response to consumer", false, "Sets status and remedy."),
  f(
    "dateSentToCompany",
    "Date sent to company",
    false,
    "A closed row's resolved and closed time (else Date received), marked as inferred.",
  ),
  f("timelyResponse", "Timely response?", false, "Yes/No."),
  f("company", "Company", false, "Becomes a team, a product line, or is ignored (option below)."),
];

const activityFields: ImportField[] = [
  f("customerRef", "Customer reference", true, "Your system's customer id; new ones are created."),
  f("occurredAt", "Date", true, "ISO date/time, yyyy-mm-dd or mm/dd/yyyy."),
  f("kind", "Kind", true, "purchase, renewal, cancellation, referral, review or survey."),
  f("amount", "Amount", false, "In major units, e.g. 25.50; not negative."),
  f("currency", "Currency", false, "Three letters, e.g. USD (default: the option below)."),
  f("score", "Score", false, "0–10, for reviews and surveys."),
  f(
    "externalRef",
    "External reference",
    false,
    "The activity's id: re-imports change nothing. Without one, a hash of customer, kind, date and amount.",
  ),
  f("customerEmail", "Customer email", false, "Stored on customers created by the import."),
  f("customerName", "Customer name", false, "Names customers created by the import."),
  f("note", "Note", false, "Up to 2,000 characters."),
];

export function importFields(kind: ImportKind, preset: ImportPreset): ImportField[] {
  if (kind === "activities") return activityFields;
  return preset === "cfpb" ? cfpbComplaintFields : genericComplaintFields;
}

/** Lower case, letters and digits only: "Complaint ID" and "complaint_id" compare equal. */
export const normaliseHeader = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, "");

const synonyms: Record<ImportKind, Record<string, string[]>> = {
  complaints: {
    externalRef: [
      "complaintid",
      "externalref",
      "externalreference",
      "externalid",
      "ticketid",
      "ticket",
      "ticketnumber",
      "caseid",
      "casenumber",
      "reference",
      "ref",
      "id",
    ],
    receivedAt: [
      "datereceived",
      "receivedat",
      "received",
      "created",
      "createdat",
      "createddate",
      "opened",
      "openedat",
      "date",
    ],
    channel: ["submittedvia", "channel", "source", "via", "medium"],
    severity: ["severity", "priority"],
    summary: ["summary", "subject", "title", "issue"],
    story: [
      "consumercomplaintnarrative",
      "narrative",
      "story",
      "description",
      "body",
      "details",
      "comment",
      "message",
    ],
    status: ["status", "state", "companyresponsetoconsumer"],
    customerRef: [
      "customerref",
      "customerid",
      "customerreference",
      "clientid",
      "accountid",
      "requesterid",
    ],
    customerEmail: ["customeremail", "email", "requesteremail", "emailaddress"],
    customerName: ["customername", "name", "requester", "requestername", "customer", "client"],
    product: ["product", "productname"],
    team: ["team", "group", "department", "queue"],
    resolvedAt: ["resolvedat", "resolved", "solvedat", "resolveddate", "solved"],
    firstResponseAt: ["firstresponseat", "firstresponse", "firstreplyat", "firstrepliedat"],
    closedAt: ["closedat", "closed", "closeddate"],
    promisedBy: ["promisedby", "promiseddate", "promised", "duedate"],
    intakeSentiment: ["intakesentiment", "sentiment"],
    intakeNps: ["intakenps", "nps"],
    // Turnaround's own export (lib/complaints/list.ts) writes these names. Its "remedy_currency"
    // lists the currencies of all delivered remedies; the remedy's own, "remedy_cost_currency",
    // comes first (a currency without a remedy kind is ignored).
    rootCauseCategory: ["rootcausecategory", "causecategory"],
    rootCause: ["rootcause", "rootcausename"],
    remedyKind: ["remedykind", "remedytype"],
    remedyCost: ["remedycost", "remedyamount"],
    remedyCurrency: ["remedycostcurrency", "remedycurrency"],
    remedyOfferedAt: ["remedyofferedat", "remedyoffered"],
    remedyDeliveredAt: ["remedydeliveredat", "remedydelivered"],
    outcomeNps: ["outcomenps", "finalnps"],
    outcomeSentiment: ["outcomesentiment", "finalsentiment"],
    outcomeAt: ["outcomeat", "outcomerecordedat", "outcomedate"],
    advocacySignals: ["advocacysignals", "advocacysignal", "advocacy"],
    timelyResponse: ["timelyresponse", "timely", "withinsla", "metsla"],
    subProduct: ["subproduct"],
    issue: ["issue"],
    subIssue: ["subissue"],
    companyResponse: ["companyresponsetoconsumer", "companyresponse"],
    dateSentToCompany: ["datesenttocompany", "senttocompany"],
    company: ["company"],
  },
  activities: {
    customerRef: [
      "customerref",
      "customerid",
      "customerreference",
      "clientid",
      "accountid",
      "customer",
    ],
    occurredAt: ["occurredat", "date", "datetime", "timestamp", "createdat", "purchasedat", "when"],
    kind: ["kind", "type", "activity", "activitytype", "event", "eventtype"],
    amount: ["amount", "total", "value", "price", "revenue"],
    currency: ["currency", "currencycode"],
    score: ["score", "rating", "nps"],
    externalRef: [
      "externalref",
      "externalid",
      "orderid",
      "transactionid",
      "invoiceid",
      "activityid",
      "reference",
      "ref",
      "id",
    ],
    customerEmail: ["customeremail", "email", "emailaddress"],
    customerName: ["customername", "name"],
    note: ["note", "notes", "comment", "description"],
  },
};

const cfpbSignature = ["complaintid", "datereceived", "submittedvia", "companyresponsetoconsumer"];

/** Whether the headers are the CFPB consumer-complaint export's. */
export function looksLikeCfpb(headers: string[]): boolean {
  const names = new Set(headers.map(normaliseHeader));
  return cfpbSignature.every((h) => names.has(h));
}

export function defaultOptions(): ImportMapping["options"] {
  return {
    companyTo: "ignore",
    companyTeamId: null,
    defaultSeverity: "moderate",
    // No default currency: the organisation's reporting currency applies unless the user picks one.
  };
}

/** The mapping suggested from header names; a CFPB export is recognised and gets its preset. */
export function suggestMapping(kind: ImportKind, headers: string[]): ImportMapping {
  const preset: ImportPreset = kind === "complaints" && looksLikeCfpb(headers) ? "cfpb" : "generic";
  const byName = new Map<string, string>();
  for (const h of headers) if (!byName.has(normaliseHeader(h))) byName.set(normaliseHeader(h), h);
  const columns: Record<string, string | null> = {};
  const taken = new Set<string>();
  for (const field of importFields(kind, preset)) {
    // Earlier synonyms win; one header feeds one field.
    const match = synonyms[kind][field.key]
      ?.map((s) => byName.get(s))
      .find((h): h is string => h !== undefined && !taken.has(h));
    columns[field.key] = match ?? null;
    if (match) taken.add(match);
  }
  return { preset, columns, options: defaultOptions() };
}
