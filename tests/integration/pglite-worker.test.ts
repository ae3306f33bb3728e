/**
 * Embedded PGlite runs in a worker thread (db/pglite-worker.mjs behind db/pglite-proxy.ts): a long
 * query leaves the event loop free, requests run one at a time (each request's lane in turn, in
 * arrival order within a lane), a transaction
 * is never interleaved with other requests, and rows reach Drizzle exactly as they did when
 * PGlite ran on the calling thread.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type DatabaseHandle } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { PGliteProxy } from "../../db/pglite-proxy";
import {
  auditEvents,
  complaints,
  customerActivities,
  customers,
  holidays,
  organisations,
  users,
} from "../../db/schema";
import { DEMO_ORG_ID, seedDemo } from "../../db/seed/demo";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` while a 5 ms interval ticks; the longest gap between ticks, and the ticks. */
async function eventLoopDuring(work: () => Promise<unknown>) {
  let last = performance.now();
  let longest = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    ticks++;
  }, 5);
  const started = performance.now();
  // A timer due in 20 ms: how late does it fire?
  const late = new Promise<number>((resolve) => {
    const due = performance.now() + 20;
    setTimeout(() => resolve(performance.now() - due), 20);
  });
  await work();
  const elapsed = performance.now() - started;
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last);
  return { elapsed, longest, ticks, timerLateBy: await late };
}

describe("PGlite in a worker thread", () => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await openDatabase({ dataDir: "memory://" });
    await migrateDatabase(handle);
    await queryRows(handle.db, sql`create table queue_probe (n int not null unique)`);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("a long query leaves the event loop free", async () => {
    const run = await eventLoopDuring(() => queryRows(handle.db, sql`select pg_sleep(1.5)`));
    console.log(
      `worker: pg_sleep(1.5) took ${run.elapsed.toFixed(0)} ms; longest event-loop gap ` +
        `${run.longest.toFixed(1)} ms over ${run.ticks} ticks; 20 ms timer late by ` +
        `${run.timerLateBy.toFixed(1)} ms`,
    );
    expect(run.elapsed).toBeGreaterThanOrEqual(1_400);
    expect(run.timerLateBy).toBeLessThan(50);
    expect(run.longest).toBeLessThan(250);
    expect(run.ticks).toBeGreaterThan(100);
  });

  it("on the calling thread the same query blocks it (the control)", async () => {
    const inThread = await openDatabase({ dataDir: "memory://", worker: false });
    try {
      const run = await eventLoopDuring(() => queryRows(inThread.db, sql`select pg_sleep(0.5)`));
      console.log(`calling thread: longest event-loop gap ${run.longest.toFixed(0)} ms`);
      expect(run.longest).toBeGreaterThanOrEqual(450);
    } finally {
      await inThread.close();
    }
  });

  it("runs requests in arrival order and never interleaves a transaction", async () => {
    const { db } = handle;
    const done: string[] = [];
    const slow = queryRows(db, sql`select pg_sleep(0.3)`).then(() => done.push("slow"));
    await sleep(50);
    const transaction = db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into queue_probe values (1)`);
        // The server thread works inside the transaction; the worker must wait for it.
        await sleep(200);
        await tx.execute(sql`insert into queue_probe values (2)`);
      })
      .then(() => done.push("transaction"));
    await sleep(20);
    const counted = queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from queue_probe`,
    ).then((rows) => {
      done.push("count");
      return rows[0]!.n;
    });
    await Promise.all([slow, transaction]);
    expect(await counted).toBe(2);
    expect(done).toEqual(["slow", "transaction", "count"]);
  });

  it("takes requests' lanes in turn: a short page is not queued behind a dashboard's queries", async () => {
    let lane: object = {};
    const dashboard = {};
    const queue = {};
    const proxy = await PGliteProxy.create("memory://", () => lane);
    try {
      const done: string[] = [];
      lane = dashboard;
      const panels = Array.from({ length: 10 }, (_, i) =>
        proxy.query("select pg_sleep(0.05)").then(() => done.push(`panel ${i}`)),
      );
      lane = queue;
      const started = performance.now();
      const agentQueue = proxy.query("select 1 as one").then(() => {
        done.push("queue");
        return performance.now() - started;
      });
      const waited = await agentQueue;
      await Promise.all(panels);
      // Arrival order would put it last (~500 ms); in turns it goes second.
      expect(done.indexOf("queue")).toBeLessThanOrEqual(2);
      expect(waited).toBeLessThan(250);
      // Within one lane, arrival order holds.
      expect(done.filter((d) => d !== "queue")).toEqual(
        Array.from({ length: 10 }, (_, i) => `panel ${i}`),
      );
    } finally {
      await proxy.close();
    }
  });

  it("rolls back a failed transaction, keeps PostgreSQL's error fields, and carries on", async () => {
    const { db } = handle;
    const failure: unknown = await db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into queue_probe values (10)`);
        await tx.execute(sql`insert into queue_probe values (10)`);
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect((failure as { cause?: unknown } | null)?.cause).toMatchObject({
      code: "23505",
      constraint: "queue_probe_n_key",
    });

    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into queue_probe values (11)`);
        tx.rollback();
      }),
    ).rejects.toThrow("Rollback");

    // A savepoint (nested transaction) rolls back alone.
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into queue_probe values (12)`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`insert into queue_probe values (13)`);
          throw new Error("inner");
        })
        .catch(() => undefined);
    });

    const rows = await queryRows<{ n: number }>(
      db,
      sql`select n from queue_probe where n >= 10 order by n`,
    );
    expect(rows.map((row) => row.n)).toEqual([12]);
  });
});

describe("rows through the worker equal rows from the calling thread", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "turnaround-pglite-worker-"));

  /** Representative reads: every column type the schema has, typed and raw. */
  async function readAll(handle: DatabaseHandle) {
    const { db } = handle;
    return {
      complaints: await db.select().from(complaints).orderBy(asc(complaints.id)).limit(300),
      customers: await db.select().from(customers).orderBy(asc(customers.id)).limit(300),
      activities: await db
        .select()
        .from(customerActivities)
        .orderBy(asc(customerActivities.id))
        .limit(300),
      audit: await db.select().from(auditEvents).orderBy(asc(auditEvents.id)).limit(300),
      holidays: await db.select().from(holidays).orderBy(asc(holidays.day)),
      users: await db
        .select({ id: users.id, email: users.email, role: users.role, org: organisations.name })
        .from(users)
        .innerJoin(organisations, eq(organisations.id, users.orgId))
        .orderBy(asc(users.email)),
      raw: await queryRows(
        db,
        sql`select 1::int2 as i2, 2::int4 as i4, 9007199254740993::int8 as i8, 1.25::numeric as n,
          0.5::float4 as f4, 0.1::float8 as f8, true as b, 'x'::text as t, 'v'::varchar as v,
          gen_random_uuid() is not null as u, '{"a":[1,{"b":null}]}'::jsonb as jb,
          '{"a":1}'::json as j, '\\x00ff10'::bytea as bytes,
          '2025-01-02 03:04:05.678+00'::timestamptz as tstz,
          '2025-01-02 03:04:05'::timestamp as ts, '2025-01-02'::date as d,
          '1 day 02:03:04'::interval as iv, array['a','b'] as ta, array[1,2,null] as ia,
          array['2025-01-02 03:04:05+00'::timestamptz] as tsa, array[1.5::numeric] as na,
          null::int as nothing, 'minor'::severity as e`,
      ),
      aggregate: await queryRows(
        db,
        sql`select severity, count(*) as n, min(received_at) as first, avg(extract(epoch from
          received_at)) as mean from complaints group by severity order by severity`,
      ),
    };
  }

  let throughWorker: Awaited<ReturnType<typeof readAll>>;
  let onThread: Awaited<ReturnType<typeof readAll>>;

  beforeAll(async () => {
    const seeding = await openDatabase({ dataDir });
    await migrateDatabase(seeding);
    await seedDemo(seeding, { complaints: 150, anchor: new Date("2025-06-01T00:00:00Z") });
    await seeding.close();

    // One PGlite per folder at a time: read it on the calling thread, close, then through a worker.
    const thread = await openDatabase({ dataDir, worker: false });
    onThread = await readAll(thread);
    await thread.close();
    const worker = await openDatabase({ dataDir });
    throughWorker = await readAll(worker);
    await worker.close();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("has data to compare (the worker wrote the folder and closed it cleanly)", () => {
    expect(onThread.complaints.length).toBeGreaterThan(100);
    expect(onThread.complaints.every((row) => row.orgId === DEMO_ORG_ID)).toBe(true);
    expect(onThread.activities.length).toBeGreaterThan(0);
    expect(onThread.audit.length).toBeGreaterThan(0);
  });

  it("gives identical values and types (Date, bigint, Uint8Array, JSON, arrays, text)", () => {
    for (const key of Object.keys(onThread) as (keyof typeof onThread)[]) {
      expect(throughWorker[key], key).toStrictEqual(onThread[key]);
    }
    const raw = throughWorker.raw[0]!;
    expect(raw.bytes).toBeInstanceOf(Uint8Array);
    expect(throughWorker.complaints[0]!.receivedAt).toBeInstanceOf(Date);
  });
});
