/**
 * Issue #11 point 4: a CFPB file's issues map onto the organisation's root-cause taxonomy through
 * a mapping the user confirms. The preview proposes it (existing causes by name, else a new cause
 * under the guessed category), an unconfirmed or wrong mapping is refused by field with nothing
 * written, the run follows it (existing cause / none / new under the chosen category), the next
 * preview proposes the confirmed choices again, and the CLI (no wizard) still imports the sample.
 */
import fs from "node:fs";
import path from "node:path";
import { and, count, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows, useDatabase, type DatabaseHandle } from "@/db";
import {
  complaints,
  importMappings,
  importRuns,
  rootCauseCategories,
  rootCauses,
} from "@/db/schema";
import { previewImport, suggestMapping } from "@/lib/import";
import { importFile } from "@/lib/import/file";
import { createImportRun } from "@/lib/import/setup";
import type { CauseTarget, ImportMapping } from "@/lib/import/types";
import { csvFiles } from "../helpers/csv-files";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

// A copy of ../shared/data/cfpb-complaints-sample.csv (public domain).
const SAMPLE = path.resolve(__dirname, "../fixtures/import/cfpb-complaints-sample.csv");
const bytes = fs.readFileSync(SAMPLE);
/** The first 64 KB cut to whole lines: what the wizard sends to the preview (151 rows). */
const sample = (() => {
  const text = bytes.subarray(0, 64 * 1024).toString("utf8");
  return text.slice(0, text.lastIndexOf("\n") + 1);
})();
const HEADERS = sample.slice(0, sample.indexOf("\n")).split(",");
const file = csvFiles("import-cause-mapping");
const SMALL = file("sample-64k.csv", [sample.trimEnd()]);

const INCORRECT = "Incorrect information on your report"; // 46 rows; guessed: Third party
const IMPROPER = "Improper use of your report"; // 28 rows; a cause of that name exists
const MANAGING = "Managing an account"; // 7 rows; guessed: Process
const STATEMENT = "Problem with a purchase shown on your statement"; // 3 rows; guessed: Billing

const proposedTraining = (categories: { causes: { id: string; name: string }[] }[]) =>
  categories.flatMap((c) => c.causes).find((c) => c.name === "Training gap")!.id;

describe.each(engines)("mapping CFPB issues onto the taxonomy on $name", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await engine.open();
    useDatabase(handle);
  });
  afterAll(async () => {
    await handle.close();
  });

  /** An organisation with Billing, Process and People, and "IMPROPER use of your report" under People. */
  async function orgWithTaxonomy(label: string) {
    const org = await createTestOrg(handle.db, label);
    const cats = await handle.db
      .insert(rootCauseCategories)
      .values(
        [
          ["billing", "Billing"],
          ["process", "Process"],
          ["people", "People"],
        ].map(([key, name], position) => ({ orgId: org.orgId, key: key!, name: name!, position })),
      )
      .returning({ id: rootCauseCategories.id, key: rootCauseCategories.key });
    const category = Object.fromEntries(cats.map((c) => [c.key, c.id]));
    const [improper, training] = await handle.db
      .insert(rootCauses)
      .values([
        { orgId: org.orgId, categoryId: category.people!, name: "IMPROPER use of your report" },
        { orgId: org.orgId, categoryId: category.people!, name: "Training gap" },
      ])
      .returning({ id: rootCauses.id });
    return { org, category, improperId: improper!.id, trainingId: training!.id };
  }

  const n = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;
  const taxonomySize = async (orgId: string) => ({
    categories: await n(
      handle.db
        .select({ n: count() })
        .from(rootCauseCategories)
        .where(eq(rootCauseCategories.orgId, orgId)),
    ),
    causes: await n(
      handle.db.select({ n: count() }).from(rootCauses).where(eq(rootCauses.orgId, orgId)),
    ),
  });
  const written = async (orgId: string) => ({
    ...(await taxonomySize(orgId)),
    runs: await n(
      handle.db.select({ n: count() }).from(importRuns).where(eq(importRuns.orgId, orgId)),
    ),
    mappings: await n(
      handle.db.select({ n: count() }).from(importMappings).where(eq(importMappings.orgId, orgId)),
    ),
    complaints: await n(
      handle.db.select({ n: count() }).from(complaints).where(eq(complaints.orgId, orgId)),
    ),
  });
  /** Root cause id (or null) → complaints, for the complaints of one regulated issue. */
  const causesOfIssue = async (orgId: string, issue: string) => {
    const rows = await queryRows<{ root_cause_id: string | null; n: number }>(
      handle.db,
      sql`select c.root_cause_id, count(*)::int as n from complaints c
        join regulated_issues r on r.org_id = c.org_id and r.id = c.regulated_issue_id
        where c.org_id = ${orgId} and r.issue = ${issue} group by 1`,
    );
    return new Map(rows.map((r) => [r.root_cause_id, r.n]));
  };
  const cfpbMapping = (options: ImportMapping["options"] = {}): ImportMapping => {
    const m = suggestMapping("complaints", HEADERS);
    expect(m.preset).toBe("cfpb");
    return { ...m, options: { ...m.options, ...options } };
  };
  const start = (org: TestOrg, mapping: unknown) =>
    createImportRun({
      kind: "complaints",
      mapping: mapping as ImportMapping,
      mode: "skip",
      fileName: "cfpb.csv",
    });

  it("proposes existing causes by name, else a new cause under the guessed category, and writes nothing", async () => {
    const { org, improperId } = await orgWithTaxonomy("Propose");
    actAs(org.users.manager);
    const before = await written(org.orgId);
    const result = await previewImport({ kind: "complaints", mapping: cfpbMapping(), sample });
    if (!result.ok) throw new Error(JSON.stringify(result));
    const causes = result.data.causes!;
    expect(causes.issues).toHaveLength(29);
    expect(causes.issues.reduce((s, i) => s + i.rows, 0)).toBe(151);
    const byIssue = new Map(causes.issues.map((i) => [i.issue, i]));
    // Most frequent first.
    expect(causes.issues[0]).toEqual({
      issue: INCORRECT,
      rows: 46,
      // Third party is not in this taxonomy: nothing to file it under until the user chooses.
      proposed: { to: "none" },
      why: "no-category",
    });
    expect(byIssue.get(IMPROPER)).toEqual({
      issue: IMPROPER,
      rows: 28,
      proposed: { to: "cause", causeId: improperId },
      why: "same-name",
    });
    expect(byIssue.get(MANAGING)).toMatchObject({
      rows: 7,
      proposed: { to: "new", categoryKey: "process" },
      why: "guessed",
    });
    expect(byIssue.get(STATEMENT)).toMatchObject({
      rows: 3,
      proposed: { to: "new", categoryKey: "billing" },
      why: "guessed",
    });
    expect(causes.categories.map((c) => c.key)).toEqual(["billing", "process", "people"]);
    expect(causes.categories[2]!.causes.map((c) => c.name)).toEqual([
      "IMPROPER use of your report",
      "Training gap",
    ]);
    expect(await written(org.orgId)).toEqual(before);

    // A generic file gets no root-cause proposal.
    const generic = await previewImport({
      kind: "complaints",
      mapping: { ...cfpbMapping(), preset: "generic" },
      sample,
    });
    if (!generic.ok) throw new Error(JSON.stringify(generic));
    expect(generic.data.causes).toBeUndefined();
  });

  it("refuses an unconfirmed CFPB mapping by field and creates nothing", async () => {
    const { org } = await orgWithTaxonomy("Unconfirmed");
    actAs(org.users.manager);
    const before = await written(org.orgId);
    for (const options of [{}, { causes: {}, taxonomyConfirmed: false }]) {
      const result = await start(org, cfpbMapping(options));
      expect(result).toMatchObject({
        ok: false,
        reason: "invalid",
        fieldErrors: { "options.taxonomyConfirmed": [expect.stringContaining("confirm")] },
      });
    }
    expect(await written(org.orgId)).toEqual(before);
  });

  it("refuses unknown causes, unknown categories and bad shapes by field, writing nothing", async () => {
    const { org, trainingId } = await orgWithTaxonomy("Bad values");
    const other = await orgWithTaxonomy("Someone else's");
    actAs(org.users.manager);
    const before = await written(org.orgId);
    const confirmed = (causes: unknown) =>
      cfpbMapping({ causes: causes as Record<string, CauseTarget>, taxonomyConfirmed: true });

    const unknown = await start(
      org,
      confirmed({
        [IMPROPER]: { to: "cause", causeId: crypto.randomUUID() },
        // Another organisation's cause is no cause of this one.
        [INCORRECT]: { to: "cause", causeId: other.improperId },
        [MANAGING]: { to: "new", categoryKey: "third_party" },
        [STATEMENT]: { to: "cause", causeId: trainingId },
      }),
    );
    expect(unknown).toMatchObject({ ok: false, reason: "invalid" });
    if (unknown.ok) return;
    expect(unknown.fieldErrors).toEqual({
      [`options.causes.${IMPROPER}`]: [expect.stringContaining("root cause is not in your")],
      [`options.causes.${INCORRECT}`]: [expect.stringContaining("root cause is not in your")],
      [`options.causes.${MANAGING}`]: [expect.stringContaining("category is not in your")],
    });

    for (const bad of [
      { [IMPROPER]: { to: "elsewhere" } },
      { [IMPROPER]: { to: "cause", causeId: "not-a-uuid" } },
      { [IMPROPER]: { to: "new" } },
      { [IMPROPER]: "none" },
    ]) {
      const result = await start(org, confirmed(bad));
      expect(result, JSON.stringify(bad)).toMatchObject({ ok: false, reason: "invalid" });
      if (result.ok) continue;
      const keys = Object.keys(result.fieldErrors ?? {});
      expect(keys.length, JSON.stringify(bad)).toBeGreaterThan(0);
      expect(
        keys.every((k) => k.startsWith(`mapping.options.causes.${IMPROPER}`)),
        keys.join(),
      ).toBe(true);
    }
    const badOther = await start(
      org,
      cfpbMapping({ otherIssues: { to: "later" } as never, taxonomyConfirmed: true }),
    );
    expect(badOther).toMatchObject({
      ok: false,
      fieldErrors: { "mapping.options.otherIssues.to": [expect.any(String)] },
    });
    const badConfirm = await start(org, cfpbMapping({ taxonomyConfirmed: "yes" as never }));
    expect(badConfirm).toMatchObject({
      ok: false,
      fieldErrors: { "mapping.options.taxonomyConfirmed": [expect.any(String)] },
    });
    expect(await written(org.orgId)).toEqual(before);
  });

  it("files each issue as confirmed: existing cause, none, or one new cause under the chosen category; and proposes the same next time", async () => {
    const { org, category, improperId } = await orgWithTaxonomy("Confirmed");
    actAs(org.users.manager);
    const before = await taxonomySize(org.orgId);
    const causes: Record<string, CauseTarget> = {
      [IMPROPER]: { to: "cause", causeId: improperId },
      [INCORRECT]: { to: "none" },
      // Not the guessed Process: the user chose Billing.
      [MANAGING]: { to: "new", categoryKey: "billing" },
    };
    const result = await importFile({
      file: SMALL,
      mapping: cfpbMapping({ causes, otherIssues: { to: "none" }, taxonomyConfirmed: true }),
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ status: "completed", rowsCreated: 151, rowsRejected: 0 });

    expect(await taxonomySize(org.orgId)).toEqual({ ...before, causes: before.causes + 1 });
    const [created] = await handle.db
      .select()
      .from(rootCauses)
      .where(and(eq(rootCauses.orgId, org.orgId), eq(rootCauses.name, MANAGING)));
    expect(created).toMatchObject({ categoryId: category.billing });

    expect(await causesOfIssue(org.orgId, IMPROPER)).toEqual(new Map([[improperId, 28]]));
    expect(await causesOfIssue(org.orgId, INCORRECT)).toEqual(new Map([[null, 46]]));
    expect(await causesOfIssue(org.orgId, MANAGING)).toEqual(new Map([[created!.id, 7]]));
    // Issues the user did not list: "none".
    expect(await causesOfIssue(org.orgId, STATEMENT)).toEqual(new Map([[null, 3]]));
    const filed = await n(
      handle.db
        .select({ n: count() })
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), isNull(complaints.rootCauseId))),
    );
    expect(filed).toBe(151 - 28 - 7);
    // The regulated issues keep the CFPB hierarchy, with the cause as mapped.
    const [reg] = await queryRows<{ product: string; root_cause_id: string | null; n: number }>(
      handle.db,
      sql`select product, root_cause_id, count(*)::int as n from regulated_issues
        where org_id = ${org.orgId} and issue = ${MANAGING} group by 1, 2`,
    );
    expect(reg).toMatchObject({ root_cause_id: created!.id });

    // The next CFPB preview proposes the confirmed choices (a fresh mapping, as the wizard starts).
    const next = await previewImport({ kind: "complaints", mapping: cfpbMapping(), sample });
    if (!next.ok) throw new Error(JSON.stringify(next));
    const proposed = new Map(next.data.causes!.issues.map((i) => [i.issue, i]));
    expect(proposed.get(IMPROPER)).toMatchObject({ proposed: causes[IMPROPER], why: "chosen" });
    expect(proposed.get(INCORRECT)).toMatchObject({ proposed: { to: "none" }, why: "chosen" });
    // The new cause the first import made is proposed as itself.
    expect(proposed.get(MANAGING)).toMatchObject({
      proposed: { to: "cause", causeId: created!.id },
      why: "chosen",
    });
    expect(proposed.get(STATEMENT)).toMatchObject({ why: "guessed" });

    // Importing again with another choice files the complaints that have no root cause yet, and
    // never refiles one that has (quality may have refiled it in Turnaround).
    const trainingId = proposedTraining(next.data.causes!.categories);
    const again = await importFile({
      file: SMALL,
      mapping: cfpbMapping({
        causes: {
          ...causes,
          [INCORRECT]: { to: "cause", causeId: trainingId },
          [IMPROPER]: { to: "cause", causeId: trainingId },
        },
        otherIssues: { to: "none" },
        taxonomyConfirmed: true,
      }),
    });
    if (!again.ok) throw new Error(JSON.stringify(again));
    expect(again.data).toMatchObject({ rowsCreated: 0, rowsUpdated: 46 });
    expect(await causesOfIssue(org.orgId, INCORRECT)).toEqual(new Map([[trainingId, 46]]));
    expect(await causesOfIssue(org.orgId, IMPROPER)).toEqual(new Map([[improperId, 28]]));
  });

  it("adds no cause to the taxonomy when every issue goes to an existing cause or none", async () => {
    const { org, improperId, trainingId } = await orgWithTaxonomy("No new causes");
    actAs(org.users.manager);
    const before = await taxonomySize(org.orgId);
    const preview = await previewImport({ kind: "complaints", mapping: cfpbMapping(), sample });
    if (!preview.ok) throw new Error(JSON.stringify(preview));
    const causes: Record<string, CauseTarget> = Object.fromEntries(
      preview.data.causes!.issues.map((i, k) => [
        i.issue,
        i.issue === IMPROPER
          ? { to: "cause", causeId: improperId }
          : k % 2
            ? { to: "cause", causeId: trainingId }
            : { to: "none" },
      ]),
    );
    const result = await importFile({
      file: SAMPLE,
      mapping: cfpbMapping({ causes, otherIssues: { to: "none" }, taxonomyConfirmed: true }),
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({ status: "completed", rowsCreated: 2067 });
    expect(await taxonomySize(org.orgId)).toEqual(before);
    expect(await causesOfIssue(org.orgId, IMPROPER)).toEqual(
      new Map([[improperId, expect.any(Number)]]),
    );
  });

  it("the CLI (no wizard) still imports the sample, filing issues as the preview proposes", async () => {
    const { org, improperId, category } = await orgWithTaxonomy("CLI");
    actAs(org.users.manager);
    const result = await importFile({ file: SAMPLE });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({
      status: "completed",
      preset: "cfpb",
      rowsCreated: 2067,
      rowsRejected: 1,
    });
    expect(result.data.mapping.options).toMatchObject({
      otherIssues: { to: "new" },
      taxonomyConfirmed: true,
    });
    // Same name (any case, any category) → the existing cause; nothing new called that.
    expect(await causesOfIssue(org.orgId, IMPROPER)).toEqual(
      new Map([[improperId, expect.any(Number)]]),
    );
    const named = await handle.db
      .select({ id: rootCauses.id })
      .from(rootCauses)
      .where(
        and(eq(rootCauses.orgId, org.orgId), sql`lower(${rootCauses.name}) = lower(${IMPROPER})`),
      );
    expect(named).toHaveLength(1);
    // Else a new cause under the guessed category; a guessed category the taxonomy lacks is created.
    const [managing] = await handle.db
      .select({ categoryId: rootCauses.categoryId })
      .from(rootCauses)
      .where(and(eq(rootCauses.orgId, org.orgId), eq(rootCauses.name, MANAGING)));
    expect(managing).toEqual({ categoryId: category.process });
    const [third] = await queryRows<{ key: string; cause: string }>(
      handle.db,
      sql`select c.key, rc.name as cause from root_causes rc
        join root_cause_categories c on c.org_id = rc.org_id and c.id = rc.category_id
        where rc.org_id = ${org.orgId} and rc.name = ${INCORRECT}`,
    );
    expect(third).toEqual({ key: "third_party", cause: INCORRECT });
    const unfiled = await n(
      handle.db
        .select({ n: count() })
        .from(complaints)
        .where(and(eq(complaints.orgId, org.orgId), isNull(complaints.rootCauseId))),
    );
    expect(unfiled).toBe(0);
  });
});
