/**
 * Rebuilding facts and rollups from the raw rows (`npm run db:rollups -- --rebuild`), checking
 * them against the raw rows (`-- --verify`), and rebuilding an organisation whose rollups were
 * built by an older definition (`ensureRollups`, at start-up).
 */
import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db";
import { complaints } from "@/db/schema";
import { policyTime } from "@/lib/metrics/business-hours-sql";
import {
  rebuildCustomerBaseline,
  resumCustomerBaseline,
  verifyCustomerBaseline,
} from "./customer-baseline";
import { factColumnNames } from "./facts";
import { histogramLines } from "./histogram";
import {
  factorLines,
  factsSelect,
  moneyLines,
  remedyLines,
  rollupLines,
  rollupStatements,
  storedFacts,
} from "./maintain";
import { factorMeasures, ROLLUP_VERSION, rollupMeasures } from "./measures";

/** The tables the facts are summed into. */
const ROLLUP_TABLES = [
  "complaint_rollups",
  "factor_rollups",
  "money_rollups",
  "duration_histograms",
  "remedy_rollups",
] as const;

export interface RebuildResult {
  facts: number;
  rollupRows: number;
  ms: number;
}

/** Replaces the organisation's facts and rollups with ones computed from the raw rows, in one transaction. */
export async function rebuildRollups(db: Db, orgId: string): Promise<RebuildResult> {
  const started = Date.now();
  return db.transaction(async (tx) => {
    // One rebuild at a time per organisation; writers wait for it (they update the same rows).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rollups:${orgId}`}))`);
    for (const table of ROLLUP_TABLES)
      await tx.execute(sql`delete from ${sql.identifier(table)} where org_id = ${orgId}`);
    await tx.execute(sql`delete from complaint_facts where org_id = ${orgId}`);
    const policy = await policyTime(tx, orgId);
    const cols = sql.raw(factColumnNames.join(", "));
    // In time order, so a range of days reads few pages (new complaints arrive in that order too).
    await tx.execute(
      sql`insert into complaint_facts (${cols}) ${factsSelect(orgId, policy, sql`${complaints.orgId} = ${orgId}`)} order by received_at`,
    );
    for (const statement of rollupStatements(storedFacts(orgId)))
      await tx.execute(sql.raw(statement));
    await rebuildCustomerBaseline(tx, orgId);
    await tx.execute(sql`insert into rollup_state (org_id, version, built_at) values (${orgId}, ${ROLLUP_VERSION}, now())
      on conflict (org_id) do update set version = excluded.version, built_at = excluded.built_at`);
    const [counts] = await queryRows<{ facts: number; rollups: number }>(
      tx as unknown as Db,
      sql`select (select count(*)::int from complaint_facts where org_id = ${orgId}) as facts,
        (select count(*)::int from complaint_rollups where org_id = ${orgId}) as rollups`,
    );
    return {
      facts: Number(counts?.facts ?? 0),
      rollupRows: Number(counts?.rollups ?? 0),
      ms: Date.now() - started,
    };
  });
}

/**
 * Recomputes every rollup from the stored facts (complaint facts, customer baseline facts),
 * leaving the facts as they are: for a change to what the rollups sum (a new measure, histogram,
 * grain or sharding) when the facts are unchanged.
 */
export async function rebuildRollupsFromFacts(db: Db, orgId: string): Promise<RebuildResult> {
  const started = Date.now();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rollups:${orgId}`}))`);
    for (const table of ROLLUP_TABLES)
      await tx.execute(sql`delete from ${sql.identifier(table)} where org_id = ${orgId}`);
    for (const statement of rollupStatements(storedFacts(orgId)))
      await tx.execute(sql.raw(statement));
    await resumCustomerBaseline(tx, orgId);
    await tx.execute(sql`insert into rollup_state (org_id, version, built_at) values (${orgId}, ${ROLLUP_VERSION}, now())
      on conflict (org_id) do update set version = excluded.version, built_at = excluded.built_at`);
    const [counts] = await queryRows<{ facts: number; rollups: number }>(
      tx as unknown as Db,
      sql`select (select count(*)::int from complaint_facts where org_id = ${orgId}) as facts,
        (select count(*)::int from complaint_rollups where org_id = ${orgId}) as rollups`,
    );
    return {
      facts: Number(counts?.facts ?? 0),
      rollupRows: Number(counts?.rollups ?? 0),
      ms: Date.now() - started,
    };
  });
}

export interface VerifyResult {
  /** Complaints (and customers' baseline months) whose stored facts differ from the raw rows. */
  factMismatches: number;
  /** Rollup (basis, dimension, key, day) sums that differ from the sums of the stored facts. */
  rollupMismatches: number;
}

/** Compares stored facts with the raw rows, and rollups with the facts. */
export async function verifyRollups(db: Db, orgId: string): Promise<VerifyResult> {
  const policy = await policyTime(db, orgId);
  const cols = sql.raw(factColumnNames.join(", "));
  const fresh = factsSelect(orgId, policy, sql`${complaints.orgId} = ${orgId}`);
  const stored = sql`select ${cols} from complaint_facts where org_id = ${orgId}`;
  const org = `'${orgId.replace(/[^0-9a-f-]/gi, "")}'`;
  // Each rollup table: the sums of the stored facts vs the stored sums (rows of all-zero sums aside).
  const compare = (table: string, keys: string[], names: string[], lines: string) => {
    const summed = `select ${keys.join(", ")}, ${names.map((n) => `sum(${n})::bigint as ${n}`).join(", ")}`;
    const nonZero = names.map((n) => `sum(${n}) <> 0`).join(" or ");
    const groupBy = `group by ${keys.join(", ")} having ${nonZero}`;
    const expected = `${summed} from (${lines}) l ${groupBy}`;
    const actual = `${summed} from ${table} where org_id = ${org} ${groupBy}`;
    return `(select count(*)::int from ((${expected} except all ${actual}) union all (${actual} except all ${expected})) x)`;
  };
  const source = storedFacts(orgId);
  const rollups = [
    compare(
      "complaint_rollups",
      ["org_id", "basis", "dim", "key", "day"],
      rollupMeasures.map(([n]) => n),
      rollupLines(source),
    ),
    compare(
      "factor_rollups",
      ["org_id", "basis", "dim", "key", "factor", "day"],
      factorMeasures.map(([n]) => n),
      factorLines(source),
    ),
    compare(
      "money_rollups",
      ["org_id", "dim", "key", "day", "currency"],
      ["cost_minor", "costed_complaints", "retained_revenue_minor", "revenue_complaints"],
      moneyLines(source),
    ),
    compare(
      "duration_histograms",
      ["org_id", "measure", "span", "start", "owner", "bucket"],
      ["complaints"],
      histogramLines(source),
    ),
    compare(
      "remedy_rollups",
      ["org_id", "dim", "key", "day", "prev_day", "currency"],
      ["cost_minor", "complaints"],
      remedyLines(source),
    ),
  ].join(" + ");
  const [row] = await queryRows<{ facts: number; rollups: number }>(
    db,
    sql`select
      (select count(*)::int from ((${fresh} except all ${stored}) union all (${stored} except all ${fresh})) x) as facts,
      ${sql.raw(rollups)} as rollups`,
  );
  const baseline = await verifyCustomerBaseline(db, orgId);
  return {
    factMismatches: Number(row?.facts ?? 0) + baseline.factMismatches,
    rollupMismatches: Number(row?.rollups ?? 0) + baseline.rollupMismatches,
  };
}

/** Rebuilds every organisation whose rollups are missing or from an older definition. */
export async function ensureRollups(
  db: Db,
  log: (message: string) => void = () => {},
): Promise<void> {
  const stale = await queryRows<{ id: string }>(
    db,
    sql`select o.id from organisations o left join rollup_state s on s.org_id = o.id
      where s.version is null or s.version < ${ROLLUP_VERSION}`,
  );
  for (const { id } of stale) {
    const result = await rebuildRollups(db, id);
    log(
      `Rollups for organisation ${id}: ${result.facts} complaints, ${result.rollupRows} rollup rows in ${(result.ms / 1000).toFixed(1)} s.`,
    );
  }
}
