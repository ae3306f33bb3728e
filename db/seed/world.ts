/**
 * The generator's shared state: the reference rows written first (with their ids), the tables it
 * draws from, and the buffer of rows one chunk of complaints produces.
 */
import type { PgTable } from "drizzle-orm/pg-core";
import type { PlaybookStepKey } from "../defaults";
import type * as s from "../schema";
import type { Channel, RemedyKind, Severity } from "../schema";
import { DAY, SEASON, WEEKDAY, type BusinessCalendar } from "./calendar";
import { weightedTable, type WeightedTable } from "./random";
import type { StaffDef, TeamKey } from "./staff";
import type { CauseDef, ProductDef } from "./taxonomy";

export type Insert<T extends PgTable> = T["$inferInsert"];

export interface StaffRow extends StaffDef {
  id: string;
}
export interface CauseRow extends CauseDef {
  id: string;
  index: number;
  /** Day index from which a fix reduces the cause, and by how much. */
  fixDay: number;
  drop: number;
  remedyTable: WeightedTable<RemedyKind>;
  productTable: WeightedTable<ProductDef>;
}

export interface World {
  seed: string;
  anchor: number;
  start: number;
  days: number;
  calendar: BusinessCalendar;
  teamIds: Record<TeamKey, string>;
  agentTables: Record<TeamKey, WeightedTable<StaffRow>>;
  stepIds: Record<PlaybookStepKey, string>;
  causes: CauseRow[];
  productIds: Map<string, string>;
  dayTable: WeightedTable<number>;
  /** Per day, the table of causes in force then (fixes lower some). */
  causeTableByDay: WeightedTable<CauseRow>[];
  severityTable: WeightedTable<Severity>;
  channelTable: WeightedTable<Channel>;
  slaDueHours: Record<Severity, number>;
}

/** What the customer-activity generator needs to know about each of a customer's complaints. */
export interface ComplaintFacts {
  id: string;
  received: number;
  closed: number | null;
  retained: boolean;
  /** When the customer would cancel (churners only), before the anchor or not. */
  cancelAt: number | null;
  latentNps: number;
  outcome: Insert<typeof s.outcomes> | null;
}

/** The rows of one chunk, written together by insertChunk. */
export class Rows {
  customers: Insert<typeof s.customers>[] = [];
  customerActivities: Insert<typeof s.customerActivities>[] = [];
  complaints: Insert<typeof s.complaints>[] = [];
  complaintSteps: Insert<typeof s.complaintSteps>[] = [];
  remedies: Insert<typeof s.remedies>[] = [];
  followUps: Insert<typeof s.followUps>[] = [];
  customerUpdates: Insert<typeof s.customerUpdates>[] = [];
  outcomes: Insert<typeof s.outcomes>[] = [];
  advocacySignals: Insert<typeof s.advocacySignals>[] = [];
  auditEvents: Insert<typeof s.auditEvents>[] = [];
}

/** Complaint intensity per day: season × weekday × growth × the causes still in force. */
export function complaintIntensity(
  causes: CauseRow[],
  start: number,
  days: number,
): Pick<World, "dayTable" | "causeTableByDay"> {
  const causeTableByDay: WeightedTable<CauseRow>[] = [];
  const dayWeights: number[] = [];
  const eraTables = new Map<string, WeightedTable<CauseRow>>();
  for (let d = 0; d < days; d++) {
    const weights = causes.map((c) => c.weight * (d >= c.fixDay ? 1 - c.drop : 1));
    const era = causes.map((c) => (d >= c.fixDay ? 1 : 0)).join("");
    let table = eraTables.get(era);
    if (!table) {
      table = weightedTable(causes, weights);
      eraTables.set(era, table);
    }
    causeTableByDay.push(table);
    const date = new Date(start + d * DAY);
    dayWeights.push(
      SEASON[date.getUTCMonth()]! *
        WEEKDAY[date.getUTCDay()]! *
        (0.68 + (0.9 * d) / days) *
        table.total,
    );
  }
  return {
    dayTable: weightedTable(
      dayWeights.map((_, i) => i),
      dayWeights,
    ),
    causeTableByDay,
  };
}
