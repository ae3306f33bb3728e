/**
 * The archive round trip (issue #11): the demo organisation exported, imported into an empty
 * organisation, gives the same answer from every /api/v1/metrics endpoint — ids aside, which
 * are the new organisation's own (teams, people, products, causes are matched by name, so they
 * are compared by name). Importing the same archive again changes nothing. On both engines; the
 * demo is seeded into a database of its own so no other test sees it.
 */
import { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import { queryRows, type DatabaseHandle, type Db } from "@/db/client";
import { createOrganisationDefaults } from "@/db/defaults";
import { useDatabase } from "@/db";
import { organisations, userLogins, users } from "@/db/schema";
import { DEMO_ORG_ID, seedDemo } from "@/db/seed/demo";
import { exportArchive } from "@/lib/archive/export";
import { createArchiveRun, importArchive } from "@/lib/archive/import";
import { metricNames } from "@/lib/api/metrics";
import { runAsActor } from "@/lib/auth/actor-context";
import type { Actor } from "@/lib/auth/guard";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { call, issueToken } from "../helpers/api-client";
import { FIXTURE_PASSWORD_HASH, type TestOrg } from "../helpers/fixtures";
import { scratchEngines } from "../helpers/scratch-db";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const ANCHOR = new Date("2025-06-01T00:00:00Z");
const COMPLAINTS = 1_200;
const PERIODS = [
  { from: "2024-01-01", to: "2025-05-31" },
  { from: "2025-03-01", to: "2025-05-31" },
];

async function adminOf(db: Db, orgId: string): Promise<Actor> {
  const [row] = await queryRows<{ id: string; email: string; name: string }>(
    db,
    sql`select id, email, name from users where org_id = ${orgId} and role = 'admin' and active
        order by created_at limit 1`,
  );
  return { userId: row!.id, orgId, role: "admin", name: row!.name, email: row!.email, teamIds: [] };
}

async function exportLines(actor: Actor): Promise<string[]> {
  const result = await runAsActor(actor, exportArchive);
  if (!result.ok) throw new Error(`export refused: ${result.reason}`);
  const lines: string[] = [];
  for await (const line of result.data) lines.push(line);
  return lines;
}

async function importLines(actor: Actor, lines: string[]) {
  return runAsActor(actor, async () => {
    const run = await createArchiveRun({ fileName: "demo.jsonl", mode: "skip" });
    if (!run.ok) throw new Error(`run refused: ${run.reason}`);
    const result = await importArchive(run.data.runId, Readable.from(lines));
    if (!result.ok) throw new Error(`import refused: ${result.reason}`);
    return result.data;
  });
}

/** Each org's ids of things matched by name, as those names (so answers compare across orgs). */
async function namesById(db: Db, orgId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; label: string }>(
    db,
    sql`select id::text, 'team:' || name as label from teams where org_id = ${orgId}
        union all select id::text, 'user:' || email from users where org_id = ${orgId}
        union all select id::text, 'step:' || key from playbook_steps where org_id = ${orgId}
        union all select id::text, 'product:' || name || coalesce(parent_id::text, '') from products where org_id = ${orgId}
        union all select c.id::text, 'cause:' || k.key || '/' || c.name from root_causes c
          join root_cause_categories k on k.org_id = c.org_id and k.id = c.category_id
          where c.org_id = ${orgId}
        union all select id::text, 'category:' || key from root_cause_categories where org_id = ${orgId}
        union all select id::text, 'issue:' || product || '/' || issue from regulated_issues where org_id = ${orgId}`,
  );
  return new Map(rows.map((r) => [r.id, r.label]));
}

function byName(answer: unknown, names: Map<string, string>): unknown {
  let text = JSON.stringify(answer);
  // Product labels name their parent by id: resolve to names until none is left.
  for (let i = 0; i < 3; i++)
    text = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) =>
      names.has(id) ? names.get(id)! : id,
    );
  return JSON.parse(text);
}

describe.each(scratchEngines)("archive round trip on $name", (engine) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let source: Actor;
  let target: Actor;
  let archive: string[];
  const rateLimit = process.env.TURNAROUND_API_RATE_LIMIT;

  beforeAll(async () => {
    process.env.TURNAROUND_API_RATE_LIMIT = "1000000";
    ({ handle, drop } = await engine.open());
    useDatabase(handle);
    await seedDemo(handle, { complaints: COMPLAINTS, anchor: ANCHOR });
    await rebuildRollups(handle.db, DEMO_ORG_ID);
    source = await adminOf(handle.db, DEMO_ORG_ID);
    // An empty organisation, as a new customer of Turnaround would have it.
    const [org] = await handle.db.insert(organisations).values({ name: "Moved in" }).returning();
    await createOrganisationDefaults(handle.db, org!.id);
    const email = `admin-${org!.id.slice(0, 8)}@moved.test`;
    const [admin] = await handle.db
      .insert(users)
      .values({
        orgId: org!.id,
        email,
        name: "Admin",
        role: "admin",
        passwordHash: FIXTURE_PASSWORD_HASH,
      })
      .returning();
    await handle.db.insert(userLogins).values({ email, orgId: org!.id, userId: admin!.id });
    target = await adminOf(handle.db, org!.id);
    archive = await exportLines(source);
  }, 600_000);

  afterAll(async () => {
    if (rateLimit === undefined) delete process.env.TURNAROUND_API_RATE_LIMIT;
    else process.env.TURNAROUND_API_RATE_LIMIT = rateLimit;
    await drop();
  });

  it("the archive holds every complaint, customer and corrective action, one per line", async () => {
    const types = archive.map((line) => (JSON.parse(line) as { type: string }).type);
    const count = (type: string) => types.filter((t) => t === type).length;
    const [expected] = await queryRows<Record<string, number>>(
      handle.db,
      sql`select
        (select count(*)::int from complaints where org_id = ${DEMO_ORG_ID}) as complaint,
        (select count(*)::int from customers where org_id = ${DEMO_ORG_ID}) as customer,
        (select count(*)::int from customer_activities where org_id = ${DEMO_ORG_ID}) as activity,
        (select count(*)::int from corrective_actions where org_id = ${DEMO_ORG_ID}) as "correctiveAction"`,
    );
    expect(types[0]).toBe("archive");
    for (const [type, n] of Object.entries(expected!)) expect(count(type), type).toBe(n);
    expect(count("complaint")).toBe(COMPLAINTS);
  });

  it("imported into an empty organisation, every metric answers the same", async () => {
    const progress = await importLines(target, archive);
    expect(progress.status, progress.message ?? "").toBe("completed");
    expect(progress.rowsRejected, progress.message ?? "").toBe(0);
    expect(progress.rowsCreated).toBeGreaterThan(COMPLAINTS);

    const tokenFor = (actor: Actor) =>
      issueToken(
        handle.db,
        { orgId: actor.orgId, users: { admin: actor } } as unknown as TestOrg,
        "read",
      );
    const [sourceToken, targetToken] = [await tokenFor(source), await tokenFor(target)];
    const [sourceNames, targetNames] = [
      await namesById(handle.db, source.orgId),
      await namesById(handle.db, target.orgId),
    ];
    for (const name of metricNames) {
      for (const period of PERIODS) {
        const ask = (token: string) =>
          call(metricRoute.GET, "GET", `/metrics/${name}`, {
            token,
            params: { name },
            query: { range: "custom", ...period },
          });
        const [want, got] = [await ask(sourceToken), await ask(targetToken)];
        expect(want.status, `${name} ${JSON.stringify(want.body)}`).toBe(200);
        expect(got.status, name).toBe(200);
        const [g, w] = [byName(got.body, targetNames), byName(want.body, sourceNames)];
        expect(g, `${name} ${period.from}`).toEqual(w);
      }
    }
  }, 600_000);

  it("exported again, the archive is the same; imported again, nothing is duplicated", async () => {
    const again = await exportLines(target);
    const body = (lines: string[]) =>
      lines
        .slice(1)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        // The target's own admin is not in the source; the source's people are, inactive.
        .filter((r) => r.type !== "user")
        .map((r) => JSON.stringify({ ...r, createdAt: undefined }))
        // Within a type, lines come in id order; the imported records have ids of their own.
        .sort();
    expect(body(again)).toEqual(body(archive));

    const before = await queryRows<{ n: number }>(
      handle.db,
      sql`select (select count(*) from complaints where org_id = ${target.orgId})
        + (select count(*) from remedies where org_id = ${target.orgId})
        + (select count(*) from complaint_steps where org_id = ${target.orgId})
        + (select count(*) from customers where org_id = ${target.orgId})
        + (select count(*) from customer_activities where org_id = ${target.orgId})
        + (select count(*) from corrective_actions where org_id = ${target.orgId}) as n`,
    );
    const progress = await importLines(target, archive);
    expect(progress.rowsRejected).toBe(0);
    expect(progress.rowsCreated).toBe(0);
    const after = await queryRows<{ n: number }>(
      handle.db,
      sql`select (select count(*) from complaints where org_id = ${target.orgId})
        + (select count(*) from remedies where org_id = ${target.orgId})
        + (select count(*) from complaint_steps where org_id = ${target.orgId})
        + (select count(*) from customers where org_id = ${target.orgId})
        + (select count(*) from customer_activities where org_id = ${target.orgId})
        + (select count(*) from corrective_actions where org_id = ${target.orgId}) as n`,
    );
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));
  }, 600_000);
});
