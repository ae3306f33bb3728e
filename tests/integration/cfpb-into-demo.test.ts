/**
 * Issue #11's acceptance: importing the CFPB sample into the demo organisation does not move the
 * demo's own figures — every /api/v1/metrics answer for a recent period, and for a year filtered
 * to one of the demo's teams, is the same before and after (imported history that is open and
 * unowned is neither overdue nor queued; closed CFPB rows, whose times the importer completes by
 * rule, count in no time figure) — and the time figures over the CFPB period say how many
 * imported complaints they left out. On both engines, in a database of the test's own.
 */
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import { queryRows, type DatabaseHandle } from "@/db/client";
import { useDatabase } from "@/db";
import { DEMO_ORG_ID, seedDemo } from "@/db/seed/demo";
import { metricNames } from "@/lib/api/metrics";
import { runAsActor } from "@/lib/auth/actor-context";
import type { Actor } from "@/lib/auth/guard";
import { importFile } from "@/lib/import/file";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { call, issueToken } from "../helpers/api-client";
import type { TestOrg } from "../helpers/fixtures";
import { scratchEngines } from "../helpers/scratch-db";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const SAMPLE = path.resolve(__dirname, "../fixtures/import/cfpb-complaints-sample.csv");
const ANCHOR = new Date("2025-06-01T00:00:00Z");

describe.each(scratchEngines)("the CFPB sample imported into the demo, on $name", (engine) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let admin: Actor;
  let token: string;
  let teamId: string;
  const rateLimit = process.env.TURNAROUND_API_RATE_LIMIT;

  const views = (): Record<string, string>[] => [
    { range: "custom", from: "2025-03-03", to: "2025-05-31" },
    { range: "custom", from: "2024-06-01", to: "2025-05-31", team: teamId },
  ];
  const answers = async () => {
    const out: Record<string, unknown> = {};
    for (const name of metricNames)
      for (const [i, query] of views().entries()) {
        const reply = await call(metricRoute.GET, "GET", `/metrics/${name}`, {
          token,
          params: { name },
          query,
        });
        expect(reply.status, `${name} ${JSON.stringify(reply.body)}`).toBe(200);
        out[`${name} #${i}`] = reply.body;
      }
    return out;
  };

  beforeAll(async () => {
    process.env.TURNAROUND_API_RATE_LIMIT = "1000000";
    ({ handle, drop } = await engine.open());
    useDatabase(handle);
    await seedDemo(handle, { complaints: 1_200, anchor: ANCHOR });
    await rebuildRollups(handle.db, DEMO_ORG_ID);
    const [row] = await queryRows<{ id: string; email: string; name: string }>(
      handle.db,
      sql`select id, email, name from users where org_id = ${DEMO_ORG_ID} and role = 'admin' limit 1`,
    );
    admin = {
      userId: row!.id,
      orgId: DEMO_ORG_ID,
      role: "admin",
      name: row!.name,
      email: row!.email,
      teamIds: [],
    };
    token = await issueToken(
      handle.db,
      { orgId: DEMO_ORG_ID, users: { admin } } as unknown as TestOrg,
      "read",
    );
    const [team] = await queryRows<{ id: string }>(
      handle.db,
      sql`select team_id as id from complaints where org_id = ${DEMO_ORG_ID} and team_id is not null
          group by 1 order by count(*) desc limit 1`,
    );
    teamId = team!.id;
  }, 600_000);

  afterAll(async () => {
    if (rateLimit === undefined) delete process.env.TURNAROUND_API_RATE_LIMIT;
    else process.env.TURNAROUND_API_RATE_LIMIT = rateLimit;
    await drop();
  });

  it("leaves every demo figure where it was, and says what the time figures left out", async () => {
    const before = await answers();
    const imported = await runAsActor(admin, () =>
      importFile({ file: SAMPLE, kind: "complaints", preset: "cfpb" }),
    );
    if (!imported.ok) throw new Error(`import refused: ${imported.reason}`);
    expect(imported.data.rowsCreated).toBeGreaterThan(2_000);
    const after = await answers();
    for (const key of Object.keys(before)) expect(after[key], key).toEqual(before[key]);

    // Over the CFPB period, time to resolution counts no inferred time and says how many it left out.
    const [counted] = await queryRows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from complaints where org_id = ${DEMO_ORG_ID} and times_inferred
          and resolved_at >= '2023-01-01' and resolved_at < '2023-10-01'`,
    );
    expect(counted!.n).toBeGreaterThan(0);
    const ttr = await call(metricRoute.GET, "GET", "/metrics/time-to-resolution", {
      token,
      params: { name: "time-to-resolution" },
      query: { range: "custom", from: "2023-01-01", to: "2023-09-30" },
    });
    expect(ttr.status).toBe(200);
    expect(JSON.stringify(ttr.body)).toContain(`"inferredTimesExcluded":${counted!.n}`);
  }, 600_000);
});
