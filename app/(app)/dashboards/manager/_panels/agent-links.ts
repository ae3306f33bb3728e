import type { AgentTableRow } from "./agent-table";

/** The per-agent table's compact links, shared by the server panel and the client table. */

/** The table's links: each figure opens its complaints. */
export const agentLinks = ["volumeHref", "resolvedHref", "slaHref", "conversionHref"] as const;
export type AgentLink = (typeof agentLinks)[number];

/**
 * Compact links: each is `base` + the row's owner + the column's part (hrefs.ts), so the owner
 * ids and the period cross the wire once per row and once per table, not once per figure.
 */
export interface AgentTableLinks {
  base: string;
  columns: Record<AgentLink, string>;
}

/** The part a row's owner adds to the table's base. */
export const ownerPart = (ownerId: string) => `owner=${encodeURIComponent(ownerId)}`;

/** A row as sent: the same fields in this order, without their names (every row repeats them). */
export type AgentTuple = [
  ownerId: string,
  name: string,
  volume: number,
  resolved: number,
  medianResolutionHours: number | null,
  slaRate: number | null,
  slaMet: number,
  slaCounted: number,
  adherence: number | null,
  conversion: number | null,
  advocates: number,
  angryClosed: number,
  links?: Partial<Record<AgentLink, string>>,
];

export function agentTuple(r: AgentTableRow): AgentTuple {
  const t: AgentTuple = [
    r.ownerId,
    r.name,
    r.volume,
    r.resolved,
    r.medianResolutionHours,
    r.slaRate,
    r.slaMet,
    r.slaCounted,
    r.adherence,
    r.conversion,
    r.advocates,
    r.angryClosed,
  ];
  if (r.links) t.push(r.links);
  return t;
}
