/** Demo customers: consumers with personal names, businesses with made-up trading names. */
import type * as s from "../schema";
import { DEMO_ORG_ID, DEMO_SEGMENTS } from "./constants";
import { BUSINESS_A, BUSINESS_B, BUSINESS_C, FIRST_NAMES, LAST_NAMES } from "./names";
import type { Random } from "./random";
import type { Insert, Rows } from "./world";

export type Segment = (typeof DEMO_SEGMENTS)[number];

export interface CustomerCtx {
  id: string;
  segment: Segment;
  name: string;
}

/**
 * Customer number `no`, added to `rows`. Lifetime value and the creation date are filled in
 * once their activity is known.
 */
export function newCustomer(
  rng: Random,
  no: number,
  rows: Rows,
): CustomerCtx & { row: Insert<typeof s.customers> } {
  const segment = rng.weighted(DEMO_SEGMENTS, [72, 21, 7]);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  let name: string;
  let email: string;
  if (segment === "consumer") {
    name = `${first} ${last}`;
    email =
      `${first}.${last}${rng.int(1, 99)}@${rng.pick(["example.com", "example.net", "example.org"])}`.toLowerCase();
  } else {
    name = `${rng.pick(BUSINESS_A)} ${rng.pick(BUSINESS_B)}${rng.pick(BUSINESS_C)}`;
    email = `${first}.${last}@${name
      .toLowerCase()
      .replace(/[^a-z]/g, "")
      .slice(0, 24)}.example.com`.toLowerCase();
  }
  const row: Insert<typeof s.customers> = {
    orgId: DEMO_ORG_ID,
    id: rng.uuid(),
    name,
    email,
    phone: `(${rng.int(201, 989)}) 555-01${String(rng.int(0, 99)).padStart(2, "0")}`,
    segment,
    lifetimeValueMinor: 0,
    currency: "USD",
    externalRef: `CUST-${String(no).padStart(6, "0")}`,
    createdAt: new Date(0),
  };
  rows.customers.push(row);
  return { id: row.id!, segment, name, row };
}
