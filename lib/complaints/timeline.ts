import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDatabase } from "@/db";
import { teams, users, type RemedyKind } from "@/db/schema";
import { formatMoney } from "@/lib/money";
import type { RemedyRow, TimelineEvent } from "./queries";

/*
 * The complaint's timeline: audit events turned into sentences a person reads, in the
 * organisation's time zone. Split from queries.ts, which loads the events.
 */

const uuidSchema = z.uuid();
const iso = (d: Date) => d.toISOString();

const remedyKindLabel: Record<RemedyKind, string> = {
  refund: "refund",
  replacement: "replacement",
  repair: "repair",
  credit: "credit",
  discount: "discount",
  coupon: "coupon/token",
  free_service: "free service",
  upgrade: "upgrade",
  gift: "gift",
  apology_only: "apology only",
  other: "other",
};

const sentimentLabel: Record<number, string> = {
  1: "furious",
  2: "upset",
  3: "neutral",
  4: "pleased",
  5: "delighted",
};

const statusLabel: Record<string, string> = {
  new: "new",
  in_progress: "in progress",
  resolved: "resolved",
  closed: "closed",
};

const channelLabel = (c: string) => c.replace("_", " ");
const signalLabel = (s: string) => s.replace("_", " ");

function dateTimeFormatter(timezone: string) {
  const format = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: timezone,
  });
  return (value: unknown): string => {
    const date = new Date(String(value));
    return Number.isNaN(date.getTime()) ? "—" : format.format(date);
  };
}

export interface AuditRow {
  id: string;
  occurredAt: Date;
  actorKind: string;
  actorName: string | null;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

/** Turns audit events into sentences a person reads: "Alex Rivera marked Apologize done". */
export async function describeTimeline(
  orgId: string,
  timezone: string,
  rows: AuditRow[],
  remedyList: RemedyRow[],
): Promise<TimelineEvent[]> {
  const when = dateTimeFormatter(timezone);
  const remedyById = new Map(remedyList.map((r) => [r.id, r]));

  // Owners and teams named by assignments.
  const userIds = new Set<string>();
  const teamIds = new Set<string>();
  for (const row of rows) {
    if (row.action !== "complaint.assigned") continue;
    for (const side of [asObject(row.before), asObject(row.after)]) {
      const ownerId = str(side.ownerId);
      const teamId = str(side.teamId);
      if (ownerId && uuidSchema.safeParse(ownerId).success) userIds.add(ownerId);
      if (teamId && uuidSchema.safeParse(teamId).success) teamIds.add(teamId);
    }
  }
  const { db } = await getDatabase();
  const [userNames, teamNames] = await Promise.all([
    userIds.size
      ? db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(and(eq(users.orgId, orgId), inArray(users.id, [...userIds])))
      : Promise.resolve([]),
    teamIds.size
      ? db
          .select({ id: teams.id, name: teams.name })
          .from(teams)
          .where(and(eq(teams.orgId, orgId), inArray(teams.id, [...teamIds])))
      : Promise.resolve([]),
  ]);
  const userName = new Map(userNames.map((u) => [u.id, u.name]));
  const teamName = new Map(teamNames.map((t) => [t.id, t.name]));

  const remedyText = (entityId: string, after: Json): string => {
    const remedy = remedyById.get(entityId);
    const kind = (remedy?.kind ?? str(after.kind) ?? "other") as RemedyKind;
    const costMinor = remedy ? remedy.costMinor : num(after.costMinor);
    const currency = remedy?.currency ?? str(after.currency) ?? "USD";
    const cost = costMinor === null ? "" : ` ${formatMoney(costMinor, currency)}`;
    return `${remedyKindLabel[kind] ?? kind}${cost}`;
  };
  const feeling = (sentiment: number | null, nps: number | null): string[] => {
    const parts: string[] = [];
    if (sentiment !== null) parts.push(`sentiment ${sentiment} (${sentimentLabel[sentiment]})`);
    if (nps !== null) parts.push(`NPS ${nps}`);
    return parts;
  };

  return rows.map((row) => {
    const actor =
      row.actorName ??
      (row.actorKind === "system"
        ? "Web form"
        : row.actorKind === "import"
          ? "Import"
          : row.actorKind === "api_token"
            ? "API"
            : "Someone");
    const before = asObject(row.before);
    const after = asObject(row.after);
    let text: string;
    let detail: string | null = null;
    let actorInText = true;
    switch (row.action) {
      case "complaint.created":
        text = `${actor} recorded the complaint`;
        break;
      case "step.done":
        text = `${actor} marked ${str(after.step) ?? "a step"} done`;
        detail = str(after.note);
        break;
      case "remedy.offered":
        text = `${actor} offered a remedy: ${remedyText(row.entityId, after)}`;
        detail =
          [
            str(after.description),
            after.suggestedByCustomer === true ? "suggested by the customer" : null,
            after.approvalNeeded === true ? "needs a manager's approval" : null,
          ]
            .filter(Boolean)
            .join(" · ") || null;
        break;
      case "remedy.accepted":
      case "remedy.declined":
      case "remedy.delivered": {
        const verb = row.action.split(".")[1];
        text = `Remedy ${verb}: ${remedyText(row.entityId, after)}`;
        actorInText = false;
        break;
      }
      case "remedy.approved":
        text = `${actor} approved the remedy: ${remedyText(row.entityId, after)}`;
        break;
      case "promise.set": {
        const was = str(before.promisedBy);
        const now = str(after.promisedBy);
        text = was
          ? `${actor} moved the promise from ${when(was)} to ${when(now)}`
          : `${actor} promised a resolution by ${when(now)}`;
        break;
      }
      case "follow-up.scheduled":
        text = `${actor} scheduled a follow-up for ${when(after.dueAt)}`;
        break;
      case "follow-up.done": {
        text = `${actor} followed up by ${channelLabel(str(after.channel) ?? "phone")}`;
        detail =
          [...feeling(num(after.sentiment), num(after.nps)), str(after.note)]
            .filter(Boolean)
            .join(" · ") || null;
        break;
      }
      case "outcome.recorded": {
        const signals = Array.isArray(after.signals) ? after.signals.map(String) : [];
        text = `${actor} recorded the outcome`;
        detail =
          [
            ...feeling(num(after.finalSentiment), num(after.finalNps)),
            ...signals.map(signalLabel),
          ].join(" · ") || null;
        break;
      }
      case "status.changed": {
        const to = str(after.status) ?? "";
        text =
          to === "in_progress"
            ? `${actor} started work on the complaint`
            : to === "resolved"
              ? `${actor} resolved the complaint`
              : to === "closed"
                ? `${actor} closed the complaint`
                : `${actor} changed the status to ${statusLabel[to] ?? to}`;
        detail =
          to === "resolved" && str(after.noRemedyReason)
            ? `No remedy: ${str(after.noRemedyReason)}`
            : to === "closed" && after.customerUnreachable === true
              ? "Customer unreachable"
              : null;
        break;
      }
      case "complaint.reopened":
        text = `${actor} reopened the complaint`;
        break;
      case "complaint.assigned": {
        const ownerId = str(after.ownerId);
        const teamId = str(after.teamId);
        const ownerName = (ownerId && userName.get(ownerId)) ?? "someone";
        const team = teamId ? teamName.get(teamId) : null;
        text = `${actor} assigned the complaint to ${ownerName}${team ? ` (${team})` : ""}`;
        break;
      }
      case "customer.updated":
        text = `${actor} updated the customer by ${channelLabel(str(after.channel) ?? "phone")}`;
        detail = str(after.message);
        break;
      case "complaint.imported":
        text = `${actor} imported the complaint`;
        detail =
          [num(after.line) ? `line ${num(after.line)}` : null, str(after.externalRef)]
            .filter(Boolean)
            .join(" · ") || null;
        break;
      case "complaint.import-updated": {
        // The importer records only the fields a changed row altered.
        const fields = Object.keys(after).filter((k) => k !== "runId" && k !== "line");
        text = `${actor} updated the complaint from an import`;
        detail = fields.length ? `Changed: ${fields.join(", ")}` : null;
        break;
      }
      case "root-cause.set":
        text = `${actor} set the root cause: ${str(after.rootCause) ?? "unknown"}`;
        detail = str(after.fiveWhys);
        break;
      default:
        text = `${actor}: ${row.action.replace(/[._-]/g, " ")}`;
    }
    return {
      id: row.id,
      at: iso(row.occurredAt),
      actorName: actor,
      actorInText,
      action: row.action,
      text,
      detail,
      before: row.before ?? null,
      after: row.after ?? null,
    };
  });
}
