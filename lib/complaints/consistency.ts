/**
 * The one set of rules a complaint's status and times obey (issue #11), for every way a
 * complaint's history comes in: received ≤ first response ≤ resolved ≤ closed; a resolved or
 * closed complaint has its resolved time (closed: its closed time too); a new or in-progress one
 * has neither. The commands keep them by construction (each transition stamps its own time);
 * the importer checks each row with them and rejects a row that breaks one, with its reason.
 */
import type { ComplaintStatus } from "@/db/schema";

export interface StatusAndTimes {
  status: ComplaintStatus;
  receivedAt: Date;
  firstResponseAt?: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

export type TimeField = "status" | "firstResponseAt" | "resolvedAt" | "closedAt";

export interface TimeProblem {
  field: TimeField;
  message: string;
}

/** A promise is made after the complaint came in. */
export function promiseProblem(promisedBy: Date, receivedAt: Date): string | null {
  return promisedBy <= receivedAt ? "A promise must be after the complaint came in." : null;
}

/** Every rule the status and times break, each with the field to name (none: consistent). */
export function statusTimeProblems(t: StatusAndTimes): TimeProblem[] {
  const problems: TimeProblem[] = [];
  const settled = t.status === "resolved" || t.status === "closed";
  if (settled && !t.resolvedAt)
    problems.push({
      field: "resolvedAt",
      message: `A ${t.status} complaint needs the time it was resolved.`,
    });
  if (t.status === "closed" && !t.closedAt)
    problems.push({
      field: "closedAt",
      message: "A closed complaint needs the time it was closed.",
    });
  if (!settled && (t.resolvedAt || t.closedAt))
    problems.push({
      field: "status",
      message: `A complaint that is ${t.status === "new" ? "new" : "in progress"} has no resolved or closed time: clear them or give the status it reached.`,
    });
  const order: [TimeField, string, Date | null | undefined][] = [
    ["firstResponseAt", "First response", t.firstResponseAt],
    ["resolvedAt", "Resolved at", t.resolvedAt],
    ["closedAt", "Closed at", t.closedAt],
  ];
  let previous: [string, Date] = ["received at", t.receivedAt];
  for (const [field, label, at] of order) {
    if (!at) continue;
    if (at < previous[1])
      problems.push({ field, message: `${label} is before ${previous[0].toLowerCase()}.` });
    else previous = [label, at];
  }
  return problems;
}
