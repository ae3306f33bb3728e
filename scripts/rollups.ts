/**
 * `npm run db:rollups -- --rebuild | --verify [--org <id>]`: rebuild every organisation's facts
 * and rollups from the raw rows (`--from-facts`: only the rollups, from the stored facts), or
 * compare them with the raw rows (exit 1 on any difference), or `--upgrade`: bring organisations
 * built by an older definition up to date, as the server does at start-up (all organisations).
 * Uses DATABASE_URL when set, else the embedded database (stop the server first: one process
 * per PGlite folder).
 */
// lib/ imports "server-only": a no-op here (see the shim). lib/ is loaded with import() below.
import "./server-only-shim";

const USAGE =
  "usage: npm run db:rollups -- --rebuild [--from-facts] | --verify | --upgrade [--org <organisation id>]";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const mode = args.includes("--rebuild")
    ? "rebuild"
    : args.includes("--verify")
      ? "verify"
      : args.includes("--upgrade")
        ? "upgrade"
        : null;
  const orgIndex = args.indexOf("--org");
  const onlyOrg = orgIndex >= 0 ? args[orgIndex + 1] : undefined;
  if (!mode || (orgIndex >= 0 && !onlyOrg)) {
    console.error(USAGE);
    return 2;
  }
  const { sql } = await import("drizzle-orm");
  const { openDatabase, queryRows } = await import("@/db/client");
  const { migrateDatabase } = await import("@/db/migrate");
  const { ensureRollups, rebuildRollups, rebuildRollupsFromFacts, verifyRollups } =
    await import("@/lib/rollups/rebuild");
  const fromFacts = args.includes("--from-facts");
  const handle = await openDatabase({ url: process.env.DATABASE_URL || undefined });
  try {
    await migrateDatabase(handle);
    if (mode === "upgrade") {
      await ensureRollups(handle.db, console.log);
      return 0;
    }
    const orgs = onlyOrg
      ? [{ id: onlyOrg }]
      : await queryRows<{ id: string }>(handle.db, sql`select id from organisations order by id`);
    let failed = 0;
    for (const { id } of orgs) {
      if (mode === "rebuild") {
        const r = await (fromFacts ? rebuildRollupsFromFacts : rebuildRollups)(handle.db, id);
        console.log(
          `${id}: ${r.facts.toLocaleString("en-US")} complaints, ${r.rollupRows.toLocaleString("en-US")} rollup rows, ${(r.ms / 1000).toFixed(1)} s`,
        );
      } else {
        const started = Date.now();
        const r = await verifyRollups(handle.db, id);
        const ok = r.factMismatches === 0 && r.rollupMismatches === 0;
        if (!ok) failed++;
        console.log(
          `${id}: ${ok ? "OK" : "DIFFERENT"} — ${r.factMismatches} complaint facts and ${r.rollupMismatches} rollup sums differ from the raw rows (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
      }
    }
    // Fresh statistics and visibility for the rebuilt tables (PostgreSQL; PGlite needs none).
    if (mode === "rebuild" && handle.engine === "postgres")
      for (const table of [
        "complaint_facts",
        "complaint_rollups",
        "factor_rollups",
        "money_rollups",
        "duration_histograms",
        "remedy_rollups",
        "customer_baseline_facts",
        "customer_baseline_rollups",
        "customer_score_rollups",
      ])
        await handle.db.execute(sql.raw(`vacuum analyze ${table}`));
    return failed ? 1 : 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
