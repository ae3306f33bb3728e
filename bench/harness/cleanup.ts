/**
 * Removing what the intake run recorded without rebuilding every rollup (a 14-minute rebuild at
 * 1M complaints): the intake complaints' facts are subtracted from the rollups first, the raw rows
 * deleted (removeIntakeRows), then their customers' other complaints and baselines refreshed —
 * the same maintenance the app runs in its write transactions.
 */
// lib/ imports "server-only": a no-op here (see the shim). lib/ is loaded with import() below.
import "../../scripts/server-only-shim";
import { DEMO_ORG_ID } from "../../db/seed/constants";
import { INTAKE_MARKER, removeIntakeRows, type Query } from "./data";

export async function removeIntakeRowsKeepingRollups(url: string, query: Query): Promise<number> {
  const marked = await query<{ id: string }>(
    `select id from complaints where org_id = $1 and summary like $2`,
    [DEMO_ORG_ID, `${INTAKE_MARKER}%`],
  );
  if (marked.length === 0) return 0;
  const { openDatabase } = await import("../../db/client");
  const { forgetComplaints, refreshCustomerFacts } = await import("../../lib/rollups/maintain");
  const handle = await openDatabase({ url });
  try {
    const ids = marked.map((m) => m.id);
    const customers = await handle.db.transaction((tx) => forgetComplaints(tx, DEMO_ORG_ID, ids));
    const removed = await removeIntakeRows(query);
    await handle.db.transaction((tx) => refreshCustomerFacts(tx, DEMO_ORG_ID, customers));
    return removed;
  } finally {
    await handle.close();
  }
}
