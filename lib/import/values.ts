/**
 * Lenient readers for CSV cells: the spellings users' exports actually contain (dates in three
 * shapes, "Postal mail", "Yes"/"No", "N/A"). Each returns a value or an error message.
 */
import type { advocacyKinds, Channel, ComplaintStatus, RemedyKind, Severity } from "@/db/schema";
import { horizonProblem, pastEventProblem } from "@/lib/bounds";

/**
 * Which remedy a row's remedy columns describe (issue #11), so importing a file again never adds
 * one: the complaint's imported remedy, which is (1) its remedy whose description is
 * IMPORTED_REMEDY — the one a CSV import created — else (2) its only remedy (one recorded in
 * Turnaround, or by another system, that the file now describes: Turnaround's own export imported
 * back), else (3) a new remedy, described as IMPORTED_REMEDY so the next import finds it. The
 * remedy found is updated in place (kind, cost, currency, offered, delivered); a complaint with
 * several remedies and none imported gets a new one.
 */
export const IMPORTED_REMEDY = "Imported from a CSV file.";

export type AdvocacyKind = (typeof advocacyKinds)[number];

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = <T>(reason: string): Read<T> => ({ ok: false, reason });

const key = (v: string) => v.toLowerCase().replace(/[^a-z0-9]/g, "");

/** "N/A", "n/a", "-" and blanks mean "not given". */
export function blank(v: string | undefined): boolean {
  if (v === undefined) return true;
  const t = v.trim();
  return t === "" || /^(n\/?a|none|null|-)$/i.test(t);
}

/**
 * Cells a spreadsheet would run as a formula when the data is exported again: "=…", and "+", "-"
 * or "@" followed by a function call or a DDE link. "-- called twice" or "-5" stay plain text.
 */
export function looksLikeFormula(v: string): boolean {
  const t = v.trimStart();
  const first = t[0];
  if (first === "=") return true;
  if (first !== "+" && first !== "-" && first !== "@") return false;
  const rest = t.slice(1).trimStart();
  return /^[A-Za-z_][A-Za-z0-9_.]*\s*\(/.test(rest) || /^[^\s]*\|.*!/.test(rest);
}

const MONTH_DAY_YEAR = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const YEAR_MONTH_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const invalidDate = (label: string) =>
  bad<Date>(`${label} must be a date such as 2024-03-31, 03/31/2024 or 2024-03-31T14:05:00Z.`);

/** A past event's date (lib/bounds.ts: 1970 to now); see `parseDate` for the shapes read. */
export function readDate(v: string, label: string): Read<Date> {
  const read = parseDate(v, label);
  if (!read.ok) return read;
  const problem = pastEventProblem(read.value, label);
  return problem ? bad(problem) : read;
}

/** A date ahead (a promise): at most five years from now (lib/bounds.ts). */
export function readAheadDate(v: string, label: string): Read<Date> {
  const read = parseDate(v, label);
  if (!read.ok) return read;
  const problem = horizonProblem(read.value, label);
  return problem ? bad(problem) : read;
}

/** yyyy-mm-dd and mm/dd/yyyy are read as UTC midnight; ISO date-times keep their offset. */
function parseDate(v: string, label: string): Read<Date> {
  const t = v.trim();
  let date: Date | null = null;
  let ymd: [number, number, number] | null = null;
  let iso: RegExpExecArray | null = null;
  let us: RegExpExecArray | null = null;
  // Date-times first: they are what helpdesk exports hold, row after row.
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(t)) {
    date = new Date(t.replace(" ", "T"));
    ymd = [Number(t.slice(0, 4)), Number(t.slice(5, 7)), Number(t.slice(8, 10))];
  } else if ((iso = YEAR_MONTH_DAY.exec(t))) {
    ymd = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    date = new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2]));
  } else if ((us = MONTH_DAY_YEAR.exec(t))) {
    ymd = [Number(us[3]), Number(us[1]), Number(us[2])];
    const [h, m, s] = [Number(us[4] ?? 0), Number(us[5] ?? 0), Number(us[6] ?? 0)];
    date = new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2], h, m, s));
  }
  if (!date || Number.isNaN(date.getTime()) || !ymd) return invalidDate(label);
  // Date.UTC rolls 2024-02-31 over to March; a real calendar date must round-trip.
  const check = new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2]));
  if (check.getUTCMonth() !== ymd[1] - 1 || check.getUTCDate() !== ymd[2])
    return invalidDate(label);
  return ok(date);
}

const channelWords: Record<string, Channel> = {
  phone: "phone",
  telephone: "phone",
  call: "phone",
  email: "email",
  mail: "letter",
  chat: "chat",
  livechat: "chat",
  web: "web",
  webform: "web",
  website: "web",
  online: "web",
  internet: "web",
  referral: "web",
  social: "social",
  socialmedia: "social",
  twitter: "social",
  facebook: "social",
  inperson: "in_person",
  walkin: "in_person",
  store: "in_person",
  letter: "letter",
  postalmail: "letter",
  post: "letter",
  fax: "letter",
};

export function readChannel(v: string): Read<Channel> {
  if (blank(v)) return ok("web");
  const channel = channelWords[key(v)];
  return channel
    ? ok(channel)
    : bad("Channel is phone, email, chat, web, social, in person or letter.");
}

const severityWords: Record<string, Severity> = {
  minor: "minor",
  low: "minor",
  moderate: "moderate",
  medium: "moderate",
  normal: "moderate",
  major: "major",
  high: "major",
  critical: "critical",
  urgent: "critical",
};

export function readSeverity(v: string, fallback: Severity): Read<Severity> {
  if (blank(v)) return ok(fallback);
  const severity = severityWords[key(v)];
  return severity ? ok(severity) : bad("Severity is minor, moderate, major or critical.");
}

const statusWords: Record<string, ComplaintStatus> = {
  new: "new",
  open: "new",
  inprogress: "in_progress",
  pending: "in_progress",
  onhold: "in_progress",
  resolved: "resolved",
  solved: "resolved",
  closed: "closed",
};

export function readStatus(v: string): Read<ComplaintStatus> {
  if (blank(v)) return ok("new");
  const status = statusWords[key(v)];
  return status ? ok(status) : bad("Status is new, in progress, resolved or closed.");
}

export function readYesNo(v: string, label: string): Read<boolean | null> {
  if (blank(v)) return ok(null);
  const k = key(v);
  if (k === "yes" || k === "y" || k === "true" || k === "1") return ok(true);
  if (k === "no" || k === "n" || k === "false" || k === "0") return ok(false);
  return bad(`${label} is Yes or No.`);
}

const remedyWords: Record<string, RemedyKind> = {
  refund: "refund",
  replacement: "replacement",
  replace: "replacement",
  repair: "repair",
  credit: "credit",
  storecredit: "credit",
  accountcredit: "credit",
  discount: "discount",
  coupon: "coupon",
  token: "coupon",
  coupontoken: "coupon",
  voucher: "coupon",
  freeservice: "free_service",
  upgrade: "upgrade",
  gift: "gift",
  apologyonly: "apology_only",
  apology: "apology_only",
  other: "other",
};

export function readRemedyKind(v: string): Read<RemedyKind> {
  const kind = remedyWords[key(v)];
  return kind
    ? ok(kind)
    : bad(
        "Remedy kind is refund, replacement, repair, credit, discount, coupon, free service, upgrade, gift, apology only or other.",
      );
}

const advocacyWords: Record<string, AdvocacyKind> = {
  referral: "referral",
  referred: "referral",
  positivereview: "positive_review",
  review: "positive_review",
  testimonial: "testimonial",
  repeatpurchase: "repeat_purchase",
};

/** "referral; positive review" → each kind once, in the order given. */
export function readAdvocacySignals(v: string): Read<AdvocacyKind[]> {
  const kinds: AdvocacyKind[] = [];
  for (const part of v.split(/[;,]/)) {
    if (blank(part)) continue;
    const kind = advocacyWords[key(part)];
    if (!kind)
      return bad(
        `"${part.trim().slice(0, 60)}" is not an advocacy signal: use referral, positive review, testimonial or repeat purchase, separated by ; or ,.`,
      );
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return ok(kinds);
}

/** A whole number within a scale, e.g. an NPS 0–10; the message names the field. */
export function readScore(v: string, label: string, min: number, max: number): Read<number> {
  const t = v.trim();
  const n = Number(t);
  return /^\d{1,2}$/.test(t) && n >= min && n <= max
    ? ok(n)
    : bad(`${label} is a whole number from ${min} to ${max}.`);
}
