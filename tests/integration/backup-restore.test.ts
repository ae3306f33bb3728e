/**
 * Backup and restore (issue #12 point 9, docs/backup.md), through the real scripts: a small demo
 * seeded, backed up with `npm run backup`, restored with `npm run restore` into a fresh database
 * (PostgreSQL: pg_dump -Fc / pg_restore into a new database on the test server) or a new data
 * folder (PGlite: dumpDataDir / loadDataDir). Every complaint is found again with its audit
 * trail: the rows of every table counted, and a fingerprint of each complaint and of its audit
 * events compared. And the refusals: a folder in use, a database or folder that is not empty.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type DatabaseHandle, type Db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/db/seed/demo";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");
const ANCHOR = new Date("2025-06-01T00:00:00Z");
const COMPLAINTS = 120;
const TIMEOUT = 240_000;

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(script: "backup" | "restore", args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", `scripts/${script}.ts`, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: "", TURNAROUND_DATA_DIR: "", ...env },
      timeout: 180_000,
    });
    return { code: 0, stdout, stderr } satisfies Cli;
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr } satisfies Cli;
  }
}

/** Rows per table of the public schema. */
async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${sql.identifier(name)}`,
    );
    counts[name] = row!.n;
  }
  return counts;
}

/** Each complaint (its whole row) and its audit trail (count and every event, in order). */
async function complaintTrails(db: Db) {
  return queryRows<{ id: string; row: string; events: number; trail: string }>(
    db,
    sql`select c.id::text as id, md5(c::text) as row,
          (select count(*)::int from audit_events a where a.org_id = c.org_id and a.complaint_id = c.id) as events,
          (select md5(coalesce(string_agg(a::text, '|' order by a.occurred_at, a.id), ''))
             from audit_events a where a.org_id = c.org_id and a.complaint_id = c.id) as trail
        from complaints c order by c.org_id, c.id`,
  );
}

async function snapshot(db: Db) {
  return { tables: await tableCounts(db), trails: await complaintTrails(db) };
}

function expectSeeded(s: Awaited<ReturnType<typeof snapshot>>) {
  expect(s.tables.complaints).toBe(COMPLAINTS);
  expect(s.trails).toHaveLength(COMPLAINTS);
  // Every demo complaint has a trail (at least its receipt).
  expect(s.trails.filter((t) => t.events > 0)).toHaveLength(COMPLAINTS);
  expect(s.tables.audit_events).toBeGreaterThanOrEqual(COMPLAINTS);
}

describe("backup and restore of the embedded database (PGlite data folder)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "backup-pglite-"));
  const source = path.join(tmp, "data");
  const restored = path.join(tmp, "restored");
  const tarball = path.join(tmp, "backup.tar.gz");
  const secret = crypto.randomBytes(32).toString("base64url");
  let before: Awaited<ReturnType<typeof snapshot>>;
  let handle: DatabaseHandle | null = null;

  beforeAll(async () => {
    handle = await openDatabase({ dataDir: source, worker: false });
    await migrateDatabase(handle);
    await seedDemo(handle, { complaints: COMPLAINTS, anchor: ANCHOR });
    fs.writeFileSync(path.join(source, "auth-secret"), secret, { mode: 0o600 });
    before = await snapshot(handle.db);
  }, TIMEOUT);
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(
    "refuses while another process has the folder open, naming it, and writes nothing",
    async () => {
      const out = await cli("backup", ["--out", tarball], { TURNAROUND_DATA_DIR: source });
      expect(out.code).toBe(3);
      expect(out.stderr).toContain(`in use by process ${process.pid}`);
      expect(out.stderr).toContain("stop the Turnaround server");
      expect(fs.existsSync(tarball)).toBe(false);
    },
    TIMEOUT,
  );

  it(
    "backs up the stopped folder and restores it into a new one: every complaint with its audit trail, and the session secret",
    async () => {
      expectSeeded(before);
      await handle!.close();
      handle = null;
      const backup = await cli("backup", ["--out", tarball], { TURNAROUND_DATA_DIR: source });
      expect(backup.stderr).not.toContain("Backup not made");
      expect(backup.code).toBe(0);
      expect(backup.stdout).toContain(
        `Backed up the embedded database in ${source} (1 organisation(s), ${COMPLAINTS} complaints, ${before.tables.audit_events!.toLocaleString("en")} audit events) to ${tarball}`,
      );

      const restore = await cli("restore", [tarball, "--data-dir", restored], {});
      expect(restore.code).toBe(0);
      expect(restore.stdout).toContain(
        `Restored ${tarball} into the data folder ${restored}: 1 organisation(s), ${COMPLAINTS} complaints`,
      );

      const copy = await openDatabase({ dataDir: restored, worker: false });
      try {
        const after = await snapshot(copy.db);
        expect(after.tables).toEqual(before.tables);
        expect(after.trails).toEqual(before.trails);
      } finally {
        await copy.close();
      }
      expect(fs.readFileSync(path.join(restored, "auth-secret"), "utf8")).toBe(secret);
      expect(fs.statSync(path.join(restored, "auth-secret")).mode & 0o077).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "refuses to restore over a folder that holds data unless --force, which keeps the old folder",
    async () => {
      expect(fs.existsSync(tarball)).toBe(true);
      const refused = await cli("restore", [tarball, "--data-dir", restored], {});
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`The data folder ${restored} is not empty`);

      const forced = await cli("restore", [tarball, "--data-dir", restored, "--force"], {});
      expect(forced.code).toBe(0);
      const moved = /The folder that was there is now (\S+)\./.exec(forced.stdout)?.[1];
      expect(moved).toMatch(new RegExp(`^${restored}\\.before-restore-`));
      expect(fs.existsSync(path.join(moved!, "PG_VERSION"))).toBe(true);
    },
    TIMEOUT,
  );
});

/** The PostgreSQL part runs when TEST_DATABASE_URL is set (scratch databases on that server). */
const servers = process.env.TEST_DATABASE_URL ? [process.env.TEST_DATABASE_URL] : [];

describe.each(servers)("backup and restore on PostgreSQL (pg_dump / pg_restore)", (serverUrl) => {
  const names = [1, 2].map(() => `scratch_${crypto.randomUUID().slice(0, 8)}`);
  const urlOf = (name: string) => {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const [sourceUrl, targetUrl] = names.map(urlOf) as [string, string];
  const dump = path.join(os.tmpdir(), `backup-${names[0]}.dump`);
  let admin: DatabaseHandle;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    admin = await openDatabase({ url: serverUrl });
    for (const name of names) await admin.db.execute(sql.raw(`create database ${name}`));
    const source = await openDatabase({ url: sourceUrl });
    try {
      await migrateDatabase(source);
      await seedDemo(source, { complaints: COMPLAINTS, anchor: ANCHOR });
      before = await snapshot(source.db);
    } finally {
      await source.close();
    }
  }, TIMEOUT);
  afterAll(async () => {
    for (const name of names) await admin.db.execute(sql.raw(`drop database if exists ${name}`));
    await admin.close();
    fs.rmSync(dump, { force: true });
  });

  it(
    "dumps the database and restores it into a new one: every complaint with its audit trail",
    async () => {
      expectSeeded(before);
      const backup = await cli("backup", ["--out", dump], { DATABASE_URL: sourceUrl });
      expect(backup.code).toBe(0);
      expect(backup.stdout).toContain(
        `Backed up PostgreSQL database "${names[0]}" (1 organisation(s), ${COMPLAINTS} complaints`,
      );
      expect(fs.readFileSync(dump).subarray(0, 5).toString("latin1")).toBe("PGDMP");

      const restore = await cli("restore", [dump, "--to", targetUrl], {});
      expect(restore.code).toBe(0);
      expect(restore.stdout).toContain(
        `into PostgreSQL database "${names[1]}" with pg_restore --clean --if-exists --no-owner --single-transaction: 1 organisation(s), ${COMPLAINTS} complaints`,
      );

      const target = await openDatabase({ url: targetUrl });
      try {
        const after = await snapshot(target.db);
        expect(after.tables).toEqual(before.tables);
        expect(after.trails).toEqual(before.trails);
      } finally {
        await target.close();
      }
    },
    TIMEOUT,
  );

  it(
    "refuses a database that is not empty unless --force, then replaces what the backup holds",
    async () => {
      const refused = await cli("restore", [dump, "--to", targetUrl], {});
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`Database "${names[1]}" is not empty`);

      // A complaint recorded after the backup is gone once the backup is restored over it.
      const target = await openDatabase({ url: targetUrl });
      try {
        await target.db.execute(sql`update complaints set summary = 'changed after the backup'`);
      } finally {
        await target.close();
      }
      const forced = await cli("restore", [dump, "--to", targetUrl, "--force"], {});
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/It replaced \d+ tables \(1 organisation\(s\), 120 complaints/);
      const again = await openDatabase({ url: targetUrl });
      try {
        expect(await complaintTrails(again.db)).toEqual(before.trails);
      } finally {
        await again.close();
      }
    },
    TIMEOUT,
  );

  it(
    "a PostgreSQL dump is not restored into a data folder",
    async () => {
      const out = await cli("restore", [dump, "--data-dir", path.join(os.tmpdir(), "nowhere")], {
        DATABASE_URL: targetUrl,
      });
      expect(out.code).toBe(2);
      expect(out.stderr).toContain("is a PostgreSQL dump: it restores into a PostgreSQL database");
    },
    TIMEOUT,
  );
});
