/**
 * One chunk of the demo data: customers with one or more complaints each (a repeat is often the
 * same problem again, unless it has been fixed since), their activity, and one customer who never
 * complained for every two complaints. Each chunk has its own PRNG stream.
 */
import { generateActivities } from "./activity";
import { generateComplaint } from "./complaints";
import { newCustomer } from "./customers";
import type { Random } from "./random";
import type { CauseRow, ComplaintFacts, Rows, World } from "./world";

/** Fills the chunk with `size` complaints and their customers; returns the next customer number. */
export function generateChunk(
  w: World,
  rng: Random,
  size: number,
  customerNo: number,
  rows: Rows,
): number {
  let made = 0;
  while (made < size) {
    const customer = newCustomer(rng, ++customerNo, rows);
    const planned = Math.min(size - made, 1 + rng.weightedIndex([52, 23, 12, 8, 5]));
    const days = Array.from({ length: planned }, () => rng.fromTable(w.dayTable)).sort(
      (x, y) => x - y,
    );
    const facts: ComplaintFacts[] = [];
    let previous: { day: number; cause: CauseRow } | null = null;
    for (const day of days) {
      let cause = rng.fromTable(w.causeTableByDay[day]!);
      // Repeat complaints: the same problem again within a few months.
      if (previous && day - previous.day < 120 && rng.bernoulli(0.5)) {
        const fixed = day >= previous.cause.fixDay && rng.bernoulli(previous.cause.drop);
        if (!fixed) cause = previous.cause;
      }
      const f = generateComplaint(w, rng, customer, day, cause, rows);
      facts.push(f);
      made++;
      previous = { day, cause };
      if (!f.retained) break; // a churned customer does not come back to complain again
    }
    generateActivities(w, rng, customer.row, facts, rows);
  }
  // Customers who never complained, for the retention and NPS comparisons.
  const quiet = Math.round(size * 0.5);
  for (let i = 0; i < quiet; i++) {
    const customer = newCustomer(rng, ++customerNo, rows);
    generateActivities(w, rng, customer.row, [], rows);
  }
  return customerNo;
}
