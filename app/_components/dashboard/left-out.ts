import { formatNumber } from "./format";

/**
 * The note a time-based figure carries when it leaves out complaints whose times were completed
 * by rule (an import's history without them: lib/metrics/predicates.ts `timesInferred`), or null
 * when it leaves out none. `what`: the time the figure reads.
 */
export function leftOutNote(
  n: number | undefined,
  what: "resolution time" | "closing time" | "response and resolution times",
): string | null {
  if (!n) return null;
  return `Leaves out ${formatNumber(n)} imported ${n === 1 ? "complaint" : "complaints"} whose ${what} ${what.endsWith("times") ? "were" : "was"} completed by rule`;
}
