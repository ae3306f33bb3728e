/**
 * The deterministic demo organisation: staff, taxonomy, playbook, SLA policy, and N complaints
 * over the 18 months before an anchor date, with customers, recovery steps, remedies, follow-ups,
 * outcomes and customer activity shaped so that the dashboards show real findings (fast recovery
 * keeps customers, fixes reduce recurrence, a few causes dominate).
 *
 * Generation runs in chunks of customers with their complaints, so memory stays bounded at any
 * size; each chunk has its own PRNG stream, so the same seed and anchor give identical rows.
 * Large tables are written in batches by bulk-insert.ts. The parts: reference-data.ts (what is
 * written first), chunk.ts → complaints.ts (one complaint) → activity.ts (the customer's
 * activity around it).
 */
import { sql } from "drizzle-orm";
import { hashPassword } from "../../lib/auth/password";
import { queryRows, type DatabaseHandle, type Db } from "../client";
import { insertChunk, skipForeignKeyChecks } from "./bulk-insert";
import { todayUtc } from "./calendar";
import { generateChunk } from "./chunk";
import { DEMO_DEFAULT_COMPLAINTS, DEMO_ORG_ID, DEMO_PASSWORD, DEMO_SEED } from "./constants";
import { Random } from "./random";
import { insertReferenceData } from "./reference-data";
import { Rows } from "./world";

export {
  DEMO_DEFAULT_COMPLAINTS,
  DEMO_EMAIL_DOMAIN,
  DEMO_ORG_ID,
  DEMO_ORG_NAME,
  DEMO_PASSWORD,
  DEMO_SEED,
  DEMO_SEGMENTS,
  DEMO_USERS,
} from "./constants";
export { todayUtc } from "./calendar";

export interface SeedDemoOptions {
  /** How many complaints to generate (default 20,000). */
  complaints?: number;
  /** The "today" of the data set; everything happens before it (default: today 00:00 UTC). */
  anchor?: Date;
  log?: (msg: string) => void;
  /** PRNG seed (default DEMO_SEED). */
  seed?: string;
}

export interface SeedDemoResult {
  seeded: boolean;
  counts: Record<string, number>;
  ms: number;
}

/** True when the demo organisation already exists. */
export async function isDemoSeeded(db: Db): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    db,
    sql`select 1 as one from organisations where id = ${DEMO_ORG_ID} limit 1`,
  );
  return rows.length > 0;
}

/** Seeds the demo organisation in one transaction, unless it already exists. */
export async function seedDemo(
  handle: DatabaseHandle,
  options: SeedDemoOptions = {},
): Promise<SeedDemoResult> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  if (await isDemoSeeded(handle.db)) {
    log("Demo organisation already present; nothing to do.");
    return { seeded: false, counts: {}, ms: Date.now() - started };
  }
  const total = Math.max(0, Math.floor(options.complaints ?? DEMO_DEFAULT_COMPLAINTS));
  const anchor = (options.anchor ?? todayUtc()).getTime();
  const seed = options.seed ?? DEMO_SEED;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const counts: Record<string, number> = {};

  await handle.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    await skipForeignKeyChecks(db);
    const world = await insertReferenceData(db, seed, anchor, passwordHash, counts);
    const chunkSize = 5_000;
    const logEvery = Math.max(1, Math.round(total / chunkSize / 20));
    let customerNo = 0;
    for (let chunk = 0, done = 0; done < total; chunk++) {
      const size = Math.min(chunkSize, total - done);
      const rows = new Rows();
      customerNo = generateChunk(
        world,
        Random.derive(seed, "chunk", chunk),
        size,
        customerNo,
        rows,
      );
      await insertChunk(db, rows, counts);
      done += size;
      if ((chunk + 1) % logEvery === 0 || done === total) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        log(
          `  ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} complaints (${seconds} s)`,
        );
      }
    }
  });
  // PGlite has no autovacuum: without statistics the planner picks plans ~30× slower.
  await handle.db.execute(sql`analyze`);
  return { seeded: true, counts, ms: Date.now() - started };
}
