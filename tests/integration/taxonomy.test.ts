import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import type { Db } from "@/db/client";
import { auditEvents, rootCauseCategories, rootCauses } from "@/db/schema";
import { createRootCause, updateRootCause } from "@/lib/taxonomy/commands";
import { taxonomyTree } from "@/lib/taxonomy/queries";
import { engines } from "../helpers/db";
import { insertComplaint, insertCustomer, insertRootCause } from "../helpers/complaints";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

async function snapshot(db: Db, orgId: string) {
  const rows = await db
    .select()
    .from(rootCauses)
    .where(eq(rootCauses.orgId, orgId))
    .orderBy(rootCauses.id);
  const [audit] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(eq(auditEvents.orgId, orgId));
  return { rows, audit: audit!.n };
}

async function insertCategory(db: Db, orgId: string, key: string): Promise<string> {
  const [row] = await db
    .insert(rootCauseCategories)
    .values({ orgId, key, name: key[0]!.toUpperCase() + key.slice(1) })
    .returning({ id: rootCauseCategories.id });
  return row!.id;
}

describe.each(engines)("root-cause taxonomy on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let other: TestOrg;
  let categoryId: string;
  let otherCategoryId: string;
  const valid = () => ({
    categoryId,
    name: "Courier misses remote addresses",
    description: "",
    recurrenceWindowWeeks: "12",
  });

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Taxonomy");
    other = await createTestOrg(handle.db, "Other taxonomy");
    categoryId = await insertCategory(handle.db, org.orgId, "delivery");
    otherCategoryId = await insertCategory(handle.db, other.orgId, "delivery");
  });
  afterAll(async () => {
    await handle.close();
  });

  it("adds a cause, renames it, deactivates it; each with an audit event", async () => {
    actAs(org.users.quality);
    const created = await createRootCause(valid());
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
    const id = created.ok ? created.data.id : "";
    const renamed = await updateRootCause({
      id,
      name: "Courier misses rural addresses",
      recurrenceWindowWeeks: "16",
      active: "",
    });
    expect(renamed, JSON.stringify(renamed)).toMatchObject({ ok: true });
    const tree = await taxonomyTree();
    const cause = tree.find((c) => c.id === categoryId)!.causes.find((c) => c.id === id);
    expect(cause).toMatchObject({
      name: "Courier misses rural addresses",
      recurrenceWindowWeeks: 16,
      active: false,
      complaints: 0,
    });
    const events = await handle.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.entityId, id));
    expect(events.map((e) => e.action).sort()).toEqual([
      "root-cause.created",
      "root-cause.updated",
    ]);
    // The same name again in the category is refused beside the name.
    const before = await snapshot(handle.db, org.orgId);
    const again = await createRootCause({ ...valid(), name: "Courier misses rural addresses" });
    expect(!again.ok && again.fieldErrors?.name?.[0]).toBeTruthy();
    expect(await snapshot(handle.db, org.orgId)).toEqual(before);
  });

  it.each([
    ["categoryId", { categoryId: "nope" }],
    ["categoryId", { categoryId: "00000000-0000-4000-8000-000000000000" }],
    ["name", { name: " " }],
    ["name", { name: "x".repeat(201) }],
    ["description", { description: "x".repeat(2001) }],
    ["recurrenceWindowWeeks", { recurrenceWindowWeeks: "0" }],
    ["recurrenceWindowWeeks", { recurrenceWindowWeeks: "105" }],
    ["recurrenceWindowWeeks", { recurrenceWindowWeeks: "2.5" }],
  ] as const)("a bad %s gives a field error and changes nothing", async (field, patch) => {
    actAs(org.users.quality);
    const before = await snapshot(handle.db, org.orgId);
    const result = await createRootCause({ ...valid(), name: "Another", ...patch });
    expect(!result.ok && result.fieldErrors?.[field]?.[0], JSON.stringify(result)).toBeTruthy();
    expect(await snapshot(handle.db, org.orgId)).toEqual(before);
  });

  it("refuses another organisation's category, and cannot touch another organisation's cause", async () => {
    actAs(org.users.quality);
    const before = await snapshot(handle.db, org.orgId);
    const result = await createRootCause({ ...valid(), categoryId: otherCategoryId });
    expect(!result.ok && result.fieldErrors?.categoryId?.[0]).toBeTruthy();
    const [mine] = before.rows;
    actAs(other.users.quality);
    expect(
      await updateRootCause({
        id: mine!.id,
        name: "Hijacked",
        recurrenceWindowWeeks: "8",
        active: "on",
      }),
    ).toMatchObject({ ok: false, reason: "not-found" });
    expect(await snapshot(handle.db, org.orgId)).toEqual(before);
  });

  it.each([
    ["agent", "forbidden"],
    ["manager", "forbidden"],
    ["executive", "forbidden"],
    ["anonymous", "unauthenticated"],
  ] as const)("refuses %s and changes nothing", async (who, reason) => {
    actAs(org.users.quality);
    const before = await snapshot(handle.db, org.orgId);
    const [mine] = before.rows;
    actAs(who === "anonymous" ? null : org.users[who]);
    expect(await createRootCause({ ...valid(), name: "Sneaky" })).toMatchObject({
      ok: false,
      reason,
    });
    expect(
      await updateRootCause({
        id: mine!.id,
        name: "Hijacked",
        recurrenceWindowWeeks: "8",
        active: "on",
      }),
    ).toMatchObject({ ok: false, reason });
    expect(await snapshot(handle.db, org.orgId)).toEqual(before);
  });
  it("counts each cause's complaints, and only its own organisation's", async () => {
    const late = await insertRootCause(handle.db, org.orgId, "Courier left parcel outside");
    const wrong = await insertRootCause(handle.db, org.orgId, "Wrong item picked");
    const unused = await insertRootCause(handle.db, org.orgId, "Label printer jams");
    const theirs = await insertRootCause(handle.db, other.orgId, "Courier left parcel outside");
    const mine = await insertCustomer(handle.db, org.orgId);
    const someoneElse = await insertCustomer(handle.db, other.orgId);
    for (const rootCauseId of [late, late, late, wrong, null])
      await insertComplaint(handle.db, org.orgId, { customerId: mine, rootCauseId });
    for (let i = 0; i < 4; i++)
      await insertComplaint(handle.db, other.orgId, {
        customerId: someoneElse,
        rootCauseId: theirs,
      });

    actAs(org.users.quality);
    const causes = new Map(
      (await taxonomyTree()).flatMap((c) => c.causes).map((c) => [c.id, c.complaints]),
    );
    expect([causes.get(late), causes.get(wrong), causes.get(unused)]).toEqual([3, 1, 0]);
    expect(causes.has(theirs)).toBe(false);
  });
});
