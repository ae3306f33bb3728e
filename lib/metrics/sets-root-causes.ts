/** Named complaint sets behind the root causes figures (see sets.ts). */
import type { SQL } from "drizzle-orm";

export const rootCauseSets = {} satisfies Record<
  string,
  { label: string; predicate: SQL | ((arg: string) => SQL) }
>;
