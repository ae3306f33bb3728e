/**
 * The /import server actions carry a CFPB file's root-cause mapping to lib as the wizard sends it:
 * the preview answers with the proposal, an unconfirmed start is refused on its field with no run,
 * and a confirmed one opens the run and remembers the choices for the organisation.
 */
import fs from "node:fs";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { previewImportAction, startImportAction } from "@/app/(app)/import/actions";
import { useDatabase, type DatabaseHandle } from "@/db";
import { importMappings, importRuns, rootCauseCategories } from "@/db/schema";
import { suggestMapping } from "@/lib/import/fields";
import type { ImportMapping } from "@/lib/import/types";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const SAMPLE = path.resolve(__dirname, "../fixtures/import/cfpb-complaints-sample.csv");
const sample = (() => {
  const text = fs
    .readFileSync(SAMPLE)
    .subarray(0, 64 * 1024)
    .toString("utf8");
  return text.slice(0, text.lastIndexOf("\n") + 1);
})();
const mapping = (): ImportMapping =>
  suggestMapping("complaints", sample.split("\n")[0]!.split(","));

describe.each(engines)("the import actions with a CFPB root-cause mapping on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Cause actions");
    await handle.db.insert(rootCauseCategories).values([
      { orgId: org.orgId, key: "process", name: "Process", position: 0 },
      { orgId: org.orgId, key: "billing", name: "Billing", position: 1 },
    ]);
  });
  afterAll(async () => {
    await handle.close();
  });

  const runs = async () =>
    (
      await handle.db.select({ n: count() }).from(importRuns).where(eq(importRuns.orgId, org.orgId))
    )[0]!.n;

  it("previews the proposal, refuses an unconfirmed start, and remembers a confirmed one", async () => {
    actAs(org.users.manager);
    const preview = await previewImportAction({ kind: "complaints", mapping: mapping(), sample });
    if (!preview.ok) throw new Error(JSON.stringify(preview));
    const issues = preview.data.causes!.issues;
    expect(issues).toHaveLength(29);
    expect(preview.data.causes!.categories.map((c) => c.key)).toEqual(["process", "billing"]);
    const causes = Object.fromEntries(issues.map((i) => [i.issue, i.proposed]));
    causes["Managing an account"] = { to: "new", categoryKey: "billing" };
    const start = (options: ImportMapping["options"]) =>
      startImportAction({
        kind: "complaints",
        mapping: { ...mapping(), options: { ...mapping().options, ...options } },
        mode: "skip",
        fileName: "cfpb.csv",
      });

    const unconfirmed = await start({ causes, otherIssues: { to: "new" } });
    expect(unconfirmed).toMatchObject({
      ok: false,
      fieldErrors: { "options.taxonomyConfirmed": [expect.any(String)] },
    });
    const unknown = await start({
      causes: { ...causes, "Managing an account": { to: "new", categoryKey: "people" } },
      taxonomyConfirmed: true,
    });
    expect(unknown).toMatchObject({
      ok: false,
      fieldErrors: { "options.causes.Managing an account": [expect.any(String)] },
    });
    expect(await runs()).toBe(0);

    const confirmed = await start({ causes, otherIssues: { to: "none" }, taxonomyConfirmed: true });
    expect(confirmed).toMatchObject({ ok: true });
    expect(await runs()).toBe(1);
    const [saved] = await handle.db
      .select({ mapping: importMappings.mapping })
      .from(importMappings)
      .where(and(eq(importMappings.orgId, org.orgId), eq(importMappings.kind, "complaints")));
    expect((saved!.mapping as ImportMapping).options).toMatchObject({
      causes: expect.objectContaining({
        "Managing an account": { to: "new", categoryKey: "billing" },
      }),
      otherIssues: { to: "none" },
      taxonomyConfirmed: true,
    });

    // The next preview proposes what was confirmed.
    const next = await previewImportAction({ kind: "complaints", mapping: mapping(), sample });
    if (!next.ok) throw new Error(JSON.stringify(next));
    expect(next.data.causes!.issues.find((i) => i.issue === "Managing an account")).toMatchObject({
      proposed: { to: "new", categoryKey: "billing" },
      why: "chosen",
    });
  });
});
