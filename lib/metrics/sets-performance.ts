/** Named complaint sets behind the performance figures (see sets.ts). */
import type { SQL } from "drizzle-orm";

export const performanceSets = {} satisfies Record<
  string,
  { label: string; predicate: SQL | ((arg: string) => SQL) }
>;
