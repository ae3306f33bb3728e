// Scratch: migrate, rebuild factor_rollups only from stored facts, set rollup_state version.
import "../scripts/server-only-shim";
const { sql } = await import("drizzle-orm");
const { openDatabase } = await import("@/db/client");
const { migrateDatabase } = await import("@/db/migrate");
const { factorLines, storedFacts } = await import("@/lib/rollups/maintain");
const { ROLLUP_VERSION, factorMeasures } = await import("@/lib/rollups/measures");
const handle = await openDatabase({ url: process.env.DATABASE_URL });
await migrateDatabase(handle);
const org = "0d3e0000-5eed-4000-8000-000000000001";
const t = Date.now();
const names = factorMeasures.map(([n]) => n);
const keys = ["org_id", "basis", "dim", "key", "factor", "day", "shard"].join(", ");
await handle.db.transaction(async (tx) => {
  await tx.execute(sql`delete from factor_rollups where org_id = ${org}`);
  await tx.execute(
    sql.raw(`insert into factor_rollups (${keys}, ${names.join(", ")})
    select ${keys}, ${names.map((n) => `sum(${n})`).join(", ")} from (${factorLines(storedFacts(org))}) l
    group by ${keys} having ${names.map((n) => `sum(${n}) <> 0`).join(" or ")}`),
  );
  await tx.execute(sql`update rollup_state set version = ${ROLLUP_VERSION} where org_id = ${org}`);
});
await handle.db.execute(sql`vacuum analyze factor_rollups`);
console.log("factor rollups rebuilt in", (Date.now() - t) / 1000, "s");
await handle.close();
