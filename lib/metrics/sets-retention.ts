/** Named complaint sets behind the retention figures (see sets.ts). */
import type { SQL } from "drizzle-orm";

export const retentionSets = {} satisfies Record<
  string,
  { label: string; predicate: SQL | ((arg: string) => SQL) }
>;
