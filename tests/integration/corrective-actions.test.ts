import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import type { Db } from "@/db/client";
import { auditEvents, correctiveActions, users } from "@/db/schema";
import { createCorrectiveAction, updateCorrectiveAction } from "@/lib/corrective-actions/commands";
import { insertRootCause } from "../helpers/complaints";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

/** Everything a corrective-action command could change in an organisation. */
async function snapshot(db: Db, orgId: string) {
  const rows = await db
    .select()
    .from(correctiveActions)
    .where(eq(correctiveActions.orgId, orgId))
    .orderBy(correctiveActions.id);
  const [audit] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(eq(auditEvents.orgId, orgId));
  return { rows, audit: audit!.n };
}

describe.each(engines)("corrective actions on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  let causeId: string;
  let otherCauseId: string;
  let inactiveOwner: string;

  const valid = () => ({
    rootCauseId: causeId,
    title: "Replace the courier for remote areas",
    description: "",
    ownerId: org.users.quality.userId,
    status: "in_progress",
    dueAt: "2025-03-31",
    doneAt: "",
    verificationNote: "",
  });

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "CA");
    other = await createTestOrg(handle.db, "Other CA");
    causeId = await insertRootCause(handle.db, org.orgId, "Late courier");
    otherCauseId = await insertRootCause(handle.db, other.orgId, "Theirs");
    const [u] = await handle.db
      .insert(users)
      .values({
        orgId: org.orgId,
        email: `gone-${crypto.randomUUID().slice(0, 8)}@example.test`,
        name: "Gone",
        role: "quality",
        passwordHash: "x",
        active: false,
      })
      .returning({ id: users.id });
    inactiveOwner = u!.id;
  });
  afterAll(async () => {
    await handle.close();
  });

  it("creates an action with its audit event, then updates it through to verified", async () => {
    actAs(org.users.quality);
    const created = await createCorrectiveAction(valid());
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
    const id = created.ok ? created.data.id : "";
    const [row] = await handle.db
      .select()
      .from(correctiveActions)
      .where(and(eq(correctiveActions.orgId, org.orgId), eq(correctiveActions.id, id)));
    expect(row).toMatchObject({
      title: "Replace the courier for remote areas",
      status: "in_progress",
      ownerId: org.users.quality.userId,
      dueAt: new Date("2025-03-31T00:00:00Z"),
      doneAt: null,
      version: 1,
    });
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.orgId), eq(auditEvents.entityId, id)));
    expect(events.map((e) => e.action)).toEqual(["corrective-action.created"]);

    actAs(org.users.admin);
    const updated = await updateCorrectiveAction({
      ...valid(),
      id,
      version: "1",
      status: "verified",
      doneAt: "2025-02-01",
      verificationNote: "Late-delivery complaints halved",
    });
    expect(updated, JSON.stringify(updated)).toMatchObject({ ok: true });
    const [after] = await handle.db
      .select()
      .from(correctiveActions)
      .where(and(eq(correctiveActions.orgId, org.orgId), eq(correctiveActions.id, id)));
    expect(after).toMatchObject({ status: "verified", version: 2 });
    expect(after!.verifiedAt).toBeInstanceOf(Date);
    expect(after!.doneAt).toEqual(new Date("2025-02-01T00:00:00Z"));

    // A stale version is refused and changes nothing.
    const before = await snapshot(handle.db, org.orgId);
    const stale = await updateCorrectiveAction({ ...valid(), id, version: "1" });
    expect(stale).toMatchObject({ ok: false, reason: "conflict" });
    expect(await snapshot(handle.db, org.orgId)).toEqual(before);
  });

  const bad: [string, Record<string, string>][] = [
    ["rootCauseId", { rootCauseId: "not-a-uuid" }],
    ["rootCauseId", { rootCauseId: "00000000-0000-4000-8000-000000000000" }],
    ["title", { title: "   " }],
    ["title", { title: "x".repeat(201) }],
    ["description", { description: "x".repeat(4001) }],
    ["ownerId", { ownerId: "nobody" }],
    ["status", { status: "finished" }],
    ["dueAt", { dueAt: "2025-02-30" }],
    ["doneAt", { doneAt: "yesterday", status: "done" }],
    ["doneAt", { status: "done", doneAt: "" }],
    ["doneAt", { status: "proposed", doneAt: "2025-01-01" }],
    ["doneAt", { status: "done", doneAt: "2999-01-01" }],
    ["verificationNote", { status: "verified", doneAt: "2025-01-01", verificationNote: "" }],
  ];
  it.each(bad)(
    "create: a bad %s gives a field error and changes nothing (%j)",
    async (field, patch) => {
      actAs(org.users.quality);
      const before = await snapshot(handle.db, org.orgId);
      const result = await createCorrectiveAction({ ...valid(), ...patch });
      expect(result).toMatchObject({ ok: false, reason: "invalid" });
      expect(!result.ok && result.fieldErrors?.[field]?.[0], JSON.stringify(result)).toBeTruthy();
      expect(await snapshot(handle.db, org.orgId)).toEqual(before);
    },
  );

  it("refuses a cause or owner from another organisation, or an inactive owner", async () => {
    actAs(org.users.quality);
    const before = await snapshot(handle.db, org.orgId);
    for (const [field, patch] of [
      ["rootCauseId", { rootCauseId: otherCauseId }],
      ["ownerId", { ownerId: other.users.quality.userId }],
      ["ownerId", { ownerId: inactiveOwner }],
    ] as const) {
      const result = await createCorrectiveAction({ ...valid(), ...patch });
      expect(!result.ok && result.fieldErrors?.[field]?.[0], JSON.stringify(result)).toBeTruthy();
    }
    expect(await snapshot(handle.db, org.orgId)).toEqual(before);
  });

  it("update: a bad field gives a field error and changes nothing", async () => {
    actAs(org.users.quality);
    const created = await createCorrectiveAction(valid());
    const id = created.ok ? created.data.id : "";
    const before = await snapshot(handle.db, org.orgId);
    for (const [field, patch] of bad) {
      const result = await updateCorrectiveAction({ ...valid(), id, version: "1", ...patch });
      expect(!result.ok && result.fieldErrors?.[field]?.[0], JSON.stringify(result)).toBeTruthy();
    }
    const noVersion = await updateCorrectiveAction({ ...valid(), id, version: "" });
    expect(!noVersion.ok && noVersion.fieldErrors?.version?.[0]).toBeTruthy();
    expect(await snapshot(handle.db, org.orgId)).toEqual(before);
  });

  const refusals = [
    ["agent", "forbidden"],
    ["manager", "forbidden"],
    ["executive", "forbidden"],
    ["anonymous", "unauthenticated"],
  ] as const;
  it.each(refusals)(
    "refuses %s (%s) on create and update, changing nothing",
    async (who, reason) => {
      actAs(org.users.quality);
      const created = await createCorrectiveAction(valid());
      const id = created.ok ? created.data.id : "";
      const before = await snapshot(handle.db, org.orgId);
      actAs(who === "anonymous" ? null : org.users[who]);
      expect(await createCorrectiveAction(valid())).toMatchObject({ ok: false, reason });
      expect(
        await updateCorrectiveAction({ ...valid(), id, version: "1", title: "Hijacked" }),
      ).toMatchObject({ ok: false, reason });
      expect(await snapshot(handle.db, org.orgId)).toEqual(before);
    },
  );

  it("another organisation's quality lead cannot see or change the action", async () => {
    actAs(org.users.quality);
    const created = await createCorrectiveAction(valid());
    const id = created.ok ? created.data.id : "";
    const before = await snapshot(handle.db, org.orgId);
    actAs(other.users.quality);
    expect(
      await updateCorrectiveAction({
        ...valid(),
        rootCauseId: otherCauseId,
        ownerId: "",
        id,
        version: "1",
        title: "Hijacked",
      }),
    ).toMatchObject({ ok: false, reason: "not-found" });
    // Their own cause id with our org's data is never reachable: creating lands in their org only.
    expect(await snapshot(handle.db, org.orgId)).toEqual(before);
  });
});
