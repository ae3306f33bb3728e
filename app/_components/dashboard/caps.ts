/**
 * How much of a long list or series a dashboard panel sends to the browser. A page must stay
 * small (≤ 100 KB of HTML and RSC payload) whatever the period or the taxonomy: tables show
 * their top rows, series their most recent points, and the panel says what was left out.
 * The figures themselves (lib/metrics) are unchanged; the API returns them in full.
 */

/** Rows of a ranked table or bar chart (agents, causes, corrective actions). */
export const MAX_ROWS = 20;
/** Points of a weekly series: two years. */
export const MAX_WEEKS = 104;
/** Points of a monthly series: two years. */
export const MAX_MONTHS = 24;
/** Columns of the root-cause heat map (products; there are only a few channels). */
export const MAX_HEAT_COLUMNS = 8;

export interface Capped<T> {
  shown: T[];
  /** How many were left out. */
  hidden: number;
  total: number;
}

/** The first `max` items (a ranked list's top), and how many were left out. */
export function firstOf<T>(items: readonly T[], max: number): Capped<T> {
  return {
    shown: items.slice(0, max),
    hidden: Math.max(0, items.length - max),
    total: items.length,
  };
}

/** The last `max` items (a series' most recent points), and how many were left out. */
export function lastOf<T>(items: readonly T[], max: number): Capped<T> {
  return {
    shown: items.slice(Math.max(0, items.length - max)),
    hidden: Math.max(0, items.length - max),
    total: items.length,
  };
}

/** " Showing the top 20 of 143 causes." or "" when nothing was left out. */
export function topNote(c: Capped<unknown>, noun: string): string {
  return c.hidden ? ` Showing the top ${c.shown.length} of ${c.total} ${noun}.` : "";
}

/** " Showing the last 104 of 261 weeks; choose a shorter period for earlier ones." or "". */
export function lastNote(c: Capped<unknown>, noun: string): string {
  return c.hidden
    ? ` Showing the last ${c.shown.length} of ${c.total} ${noun}; choose a shorter period for earlier ones.`
    : "";
}
