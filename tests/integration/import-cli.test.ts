import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { complaints } from "@/db/schema";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");
// A copy of ../shared/data/cfpb-complaints-sample.csv (public domain), so the suite needs nothing beside the repo.
const SAMPLE = path.resolve(root, "tests/fixtures/import/cfpb-complaints-sample.csv");

/** The CLI against a PGlite folder of its own, or the test server when TEST_DATABASE_URL is set. */
const target = process.env.TEST_DATABASE_URL
  ? { name: "postgres", env: { DATABASE_URL: process.env.TEST_DATABASE_URL } }
  : {
      name: "pglite",
      env: { TURNAROUND_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "import-cli-")) },
    };

async function open(): Promise<DatabaseHandle> {
  const handle = target.env.DATABASE_URL
    ? await openDatabase({ url: target.env.DATABASE_URL })
    : await openDatabase({ dataDir: target.env.TURNAROUND_DATA_DIR });
  await migrateDatabase(handle);
  return handle;
}

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "scripts/import-cli.ts", ...args], {
      cwd: root,
      env: { ...process.env, ...target.env, DATABASE_URL: target.env.DATABASE_URL ?? "" },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe(`the import CLI on ${target.name}`, () => {
  let org: TestOrg;
  const report = path.join(os.tmpdir(), `cli-report-${process.pid}.csv`);

  beforeAll(async () => {
    // PGlite allows one process per folder: set up, close, then let the CLI open it.
    const handle = await open();
    org = await createTestOrg(handle.db, "CLI");
    await handle.close();
  });
  afterAll(() => fs.rmSync(report, { force: true }));

  async function complaintCount(): Promise<number> {
    const handle = await open();
    try {
      const [row] = await handle.db
        .select({ n: count() })
        .from(complaints)
        .where(eq(complaints.orgId, org.orgId));
      return row!.n;
    } finally {
      await handle.close();
    }
  }

  it("imports the CFPB sample, prints the summary and writes the report", async () => {
    const out = await cli([SAMPLE, "--as", org.users.manager.email, "--report", report]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(
      "2,067 imported (2,067 created, 0 updated, 0 unchanged), 1 rejected — line 3,302:",
    );
    expect(out.stderr).toMatch(/rows\/s/);
    const lines = fs.readFileSync(report, "utf8").trim().split("\n");
    expect(lines[0]).toBe("line,field,reason,value");
    expect(lines).toHaveLength(2);
    expect(await complaintCount()).toBe(2067);
    const again = await cli([SAMPLE, "--as", org.users.admin.email]);
    expect(again.stdout).toContain("2,067 imported (0 created, 0 updated, 2,067 unchanged)");
  }, 240_000);

  it("exits non-zero on a file-level failure, and refuses roles that may not import", async () => {
    const empty = path.join(os.tmpdir(), `cli-empty-${process.pid}.csv`);
    fs.writeFileSync(empty, "");
    const failed = await cli([empty, "--as", org.users.manager.email]);
    fs.rmSync(empty);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("The file is empty.");
    const agent = await cli([SAMPLE, "--as", org.users.agent.email]);
    expect(agent.code).toBe(2);
    expect(agent.stderr).toContain("importing needs a manager or an admin");
    expect(await complaintCount()).toBe(2067);
  }, 240_000);
});
