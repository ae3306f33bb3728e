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
