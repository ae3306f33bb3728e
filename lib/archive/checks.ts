/**
 * What an archive record must satisfy beyond its shape: the bounds every input path applies
 * (lib/bounds.ts) and the status/time rules (lib/complaints/consistency.ts). Pure.
 */
import { horizonProblem, MAX_REMEDY_COST, pastEventProblem } from "@/lib/bounds";
import { statusTimeProblems } from "@/lib/complaints/consistency";
import { currencyDigits } from "@/lib/money";
import type { ArchiveRecord } from "./format";

export interface RecordProblem {
  field: string;
  reason: string;
  value: string;
}

export function recordProblems(record: ArchiveRecord, now = Date.now()): RecordProblem[] {
  const problems: RecordProblem[] = [];
  const past = (field: string, value: string | null | undefined, label: string) => {
    if (!value) return;
    const problem = pastEventProblem(new Date(value), label, now);
    if (problem) problems.push({ field, reason: problem, value });
  };
  const ahead = (field: string, value: string | null | undefined, label: string) => {
    if (!value) return;
    const problem = horizonProblem(new Date(value), label, now);
    if (problem) problems.push({ field, reason: problem, value });
  };
  const notBefore = (field: string, value: string | null, label: string, start: string) => {
    if (value && new Date(value) < new Date(start))
      problems.push({ field, reason: `${label} is before the complaint came in.`, value });
  };
  const cost = (field: string, minor: number | null, currency: string) => {
    if (minor !== null && minor > MAX_REMEDY_COST * 10 ** currencyDigits(currency))
      problems.push({
        field,
        reason: `A remedy costs at most ${MAX_REMEDY_COST.toLocaleString("en")} — check the amount.`,
        value: String(minor),
      });
  };

  switch (record.type) {
    case "activity":
      past("occurredAt", record.occurredAt, "Occurred at");
      break;
    case "correctiveAction":
      ahead("dueAt", record.dueAt, "Due");
      past("doneAt", record.doneAt, "Done at");
      past("verifiedAt", record.verifiedAt, "Verified at");
      break;
    case "slaPolicy":
      if (record.workdayStartMinute >= record.workdayEndMinute)
        problems.push({
          field: "workdayEndMinute",
          reason: "The working day must end after it starts.",
          value: String(record.workdayEndMinute),
        });
      if (!isTimeZone(record.timezone))
        problems.push({
          field: "timezone",
          reason: "Use an IANA time zone such as Europe/London.",
          value: record.timezone,
        });
      break;
    case "complaint": {
      const c = record;
      past("receivedAt", c.receivedAt, "Received at");
      past("firstResponseAt", c.firstResponseAt, "First response at");
      past("resolvedAt", c.resolvedAt, "Resolved at");
      past("closedAt", c.closedAt, "Closed at");
      ahead("slaDueAt", c.slaDueAt, "SLA due");
      ahead("promisedBy", c.promisedBy, "Promised by");
      const times = {
        status: c.status,
        receivedAt: new Date(c.receivedAt),
        firstResponseAt: c.firstResponseAt ? new Date(c.firstResponseAt) : null,
        resolvedAt: c.resolvedAt ? new Date(c.resolvedAt) : null,
        closedAt: c.closedAt ? new Date(c.closedAt) : null,
      };
      // An archive is a faithful copy: a complaint given up on (closed, never resolved) stays so —
      // retention by recovery counts it as "not resolved". Every other status/time rule holds.
      const givenUp = c.status === "closed" && c.closedAt !== null && c.resolvedAt === null;
      for (const p of statusTimeProblems(times))
        if (!(givenUp && p.field === "resolvedAt"))
          problems.push({ field: p.field, reason: p.message, value: String(c[p.field] ?? "") });
      const seenSteps = new Set<string>();
      c.steps.forEach((s, i) => {
        past(`steps.${i}.doneAt`, s.doneAt, "Done at");
        notBefore(`steps.${i}.doneAt`, s.doneAt, "Done at", c.receivedAt);
        if (seenSteps.has(s.step))
          problems.push({
            field: `steps.${i}.step`,
            reason: "A step is done once.",
            value: s.step,
          });
        seenSteps.add(s.step);
      });
      c.remedies.forEach((r, i) => {
        past(`remedies.${i}.offeredAt`, r.offeredAt, "Offered at");
        past(`remedies.${i}.decidedAt`, r.decidedAt, "Decided at");
        past(`remedies.${i}.deliveredAt`, r.deliveredAt, "Delivered at");
        past(`remedies.${i}.approvedAt`, r.approvedAt, "Approved at");
        notBefore(`remedies.${i}.offeredAt`, r.offeredAt, "Offered at", c.receivedAt);
        cost(`remedies.${i}.costMinor`, r.costMinor, r.currency);
        if (r.deliveredAt && new Date(r.deliveredAt) < new Date(r.offeredAt))
          problems.push({
            field: `remedies.${i}.deliveredAt`,
            reason: "Delivered before it was offered.",
            value: r.deliveredAt,
          });
      });
      c.followUps.forEach((f, i) => {
        ahead(`followUps.${i}.dueAt`, f.dueAt, "Due");
        past(`followUps.${i}.doneAt`, f.doneAt, "Done at");
      });
      c.updates.forEach((u, i) => past(`updates.${i}.sentAt`, u.sentAt, "Sent at"));
      if (c.outcome) {
        past("outcome.recordedAt", c.outcome.recordedAt, "Recorded at");
        past("outcome.churnedAt", c.outcome.churnedAt, "Churned at");
      }
      const seenSignals = new Set<string>();
      c.signals.forEach((s, i) => {
        past(`signals.${i}.occurredAt`, s.occurredAt, "Occurred at");
        if (seenSignals.has(s.kind))
          problems.push({
            field: `signals.${i}.kind`,
            reason: "Each advocacy signal is recorded once per complaint.",
            value: s.kind,
          });
        seenSignals.add(s.kind);
      });
      break;
    }
    default:
      break;
  }
  return problems;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
