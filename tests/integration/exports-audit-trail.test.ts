import { parse } from "csv-parse/sync";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { apiTokens, auditEvents } from "@/db/schema";
import { GET } from "@/app/(app)/exports/[kind]/route";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const EVIL = "=cmd|' /C calc'!A0";

interface Download {
  status: number;
  type: string | null;
  body: string;
}

async function download(kind: string, query = ""): Promise<Download> {
  const response = await GET(new Request(`http://turnaround.test/exports/${kind}${query}`), {
    params: Promise.resolve({ kind }),
  });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.text(),
  };
}

const records = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

describe.each(engines)("audit trail export on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  let tokenId: string;

  async function auditCount(orgId = org.orgId, action?: string) {
    const [row] = await handle.db
      .select({ n: count() })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.orgId, orgId), action ? eq(auditEvents.action, action) : undefined),
      );
    return row!.n;
  }

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Acme");
    other = await createTestOrg(handle.db, "Other");
    const db = handle.db;
    const [token] = await db
      .insert(apiTokens)
      .values({
        orgId: org.orgId,
        name: "Helpdesk sync",
        tokenHash: "a".repeat(64),
        scope: "write",
      })
      .returning({ id: apiTokens.id });
    tokenId = token!.id;
    // A quiet March 2025 in the audit trail, with every kind of actor and a formula.
    await db.insert(auditEvents).values([
      {
        orgId: org.orgId,
        occurredAt: new Date("2025-03-01T00:00:00Z"),
        actorKind: "user",
        actorId: org.users.manager.userId,
        entity: "complaint",
        entityId: "c-1",
        action: "complaint.edited",
        before: { summary: "Late" },
        after: { summary: EVIL, story: "line 1\nline 2" },
      },
      {
        orgId: org.orgId,
        occurredAt: new Date("2025-03-15T12:00:00Z"),
        actorKind: "api_token",
        actorId: tokenId,
        entity: "complaint",
        entityId: "c-2",
        action: "complaint.recorded",
        after: { via: "api" },
      },
      {
        orgId: org.orgId,
        occurredAt: new Date("2025-03-31T23:59:59.999Z"),
        actorKind: "import",
        actorId: org.users.admin.userId,
        entity: "customer",
        entityId: EVIL,
        action: "customer.imported",
      },
      {
        orgId: org.orgId,
        occurredAt: new Date("2025-04-01T00:00:00Z"),
        actorKind: "system",
        actorId: null,
        entity: "complaint",
        entityId: "c-3",
        action: "complaint.sla_breached",
      },
      {
        orgId: other.orgId,
        occurredAt: new Date("2025-03-10T00:00:00Z"),
        actorKind: "user",
        actorId: other.users.manager.userId,
        entity: "complaint",
        entityId: "theirs",
        action: "complaint.edited",
      },
    ]);
  });
  afterAll(async () => {
    await handle.close();
  });

  // ---------------------------------------------------------------- audit trail
  it.each(["agent", "executive"] as const)(
    "refuses the audit trail to the %s role with 403, streaming nothing",
    async (role) => {
      actAs(org.users[role]);
      const before = await auditCount();
      const file = await download("audit-trail");
      expect(file.status).toBe(403);
      expect(file.type).toBe("text/plain; charset=utf-8");
      expect(file.body).not.toContain("occurred_at_utc");
      expect(await auditCount()).toBe(before);
    },
  );

  it.each(["manager", "quality", "admin"] as const)(
    "gives the %s role exactly the organisation's events in range, naming people and tokens",
    async (role) => {
      actAs(org.users[role]);
      const file = await download("audit-trail", "?from=2025-03-01&to=2025-03-31");
      expect(file.status).toBe(200);
      const rows = records(file.body);
      expect(rows.map((r) => r.action)).toEqual([
        "complaint.edited",
        "complaint.recorded",
        "customer.imported",
      ]);
      const [edited, recorded, imported] = rows;
      expect(edited).toMatchObject({
        occurred_at_utc: "2025-03-01T00:00:00.000Z",
        actor_kind: "user",
        actor: `manager ${org.users.manager.email.split("-")[1]!.split("@")[0]}`,
        actor_id: org.users.manager.userId,
        entity: "complaint",
        entity_id: "c-1",
        complaint_id: "",
      });
      expect(JSON.parse(edited!.before_json!)).toEqual({ summary: "Late" });
      expect(JSON.parse(edited!.after_json!)).toEqual({ summary: EVIL, story: "line 1\nline 2" });
      expect(recorded).toMatchObject({
        actor_kind: "api_token",
        actor: "Helpdesk sync",
        actor_id: tokenId,
      });
      expect(imported).toMatchObject({
        occurred_at_utc: "2025-03-31T23:59:59.999Z",
        actor_kind: "import",
        actor_id: org.users.admin.userId,
        entity_id: `'${EVIL}`,
        before_json: "",
      });
      expect(imported!.actor).toMatch(/^admin /);
      expect(file.body).not.toContain("theirs");
    },
  );

  it("without a range holds every event, this download's own included", async () => {
    actAs(org.users.quality);
    const file = await download("audit-trail");
    const rows = records(file.body);
    expect(rows).toHaveLength(await auditCount());
    const last = rows.at(-1)!;
    expect(last).toMatchObject({
      action: "export.downloaded",
      entity_id: "audit-trail",
      actor_id: org.users.quality.userId,
    });
    expect(rows.map((r) => r.action)).toContain("complaint.sla_breached");
    const times = rows.map((r) => r.occurred_at_utc!);
    expect([...times].sort()).toEqual(times);
  });
});
