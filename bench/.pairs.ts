// Scratch: add the new pair-dimension rows from the stored facts, set rollup_state version.
import "../scripts/server-only-shim";
const { sql } = await import("drizzle-orm");
const { openDatabase } = await import("@/db/client");
const { migrateDatabase } = await import("@/db/migrate");
const { rollupLines, moneyLines, storedFacts } = await import("@/lib/rollups/maintain");
const { ROLLUP_VERSION, rollupMeasures } = await import("@/lib/rollups/measures");
const handle = await openDatabase({ url: process.env.DATABASE_URL });
await migrateDatabase(handle);
const org = "0d3e0000-5eed-4000-8000-000000000001";
const t = Date.now();
const ins = (table: string, keys: string[], names: string[], lines: string, dims: string) =>
  `insert into ${table} (${keys.join(", ")}, ${names.join(", ")})
    select ${keys.join(", ")}, ${names.map((n) => `sum(${n})`).join(", ")} from (${lines}) l where dim in (${dims})
    group by ${keys.join(", ")} having ${names.map((n) => `sum(${n}) <> 0`).join(" or ")}`;
await handle.db.transaction(async (tx) => {
  await tx.execute(sql.raw(ins("complaint_rollups", ["org_id", "basis", "dim", "key", "day", "shard"], rollupMeasures.map(([n]) => n), rollupLines(storedFacts(org)), "10,11,12,13,14,15,16,17")));
  console.log("complaint pairs", (Date.now() - t) / 1000);
  await tx.execute(sql.raw(ins("money_rollups", ["org_id", "dim", "key", "day", "currency"], ["cost_minor", "costed_complaints", "retained_revenue_minor", "revenue_complaints"], moneyLines(storedFacts(org)), "7,8,10,11,12")));
  await tx.execute(sql`update rollup_state set version = ${ROLLUP_VERSION} where org_id = ${org}`);
});
await handle.db.execute(sql`vacuum analyze complaint_rollups`);
await handle.db.execute(sql`vacuum analyze money_rollups`);
console.log("pairs added in", (Date.now() - t) / 1000, "s");
await handle.close();
