/**
 * How a CFPB file's regulated issues map onto the organisation's root-cause taxonomy (issue #11):
 * each issue is filed under an existing cause, under a new cause in a category the user chose, or
 * under none. The preview proposes it (`proposeCauses`), the wizard shows it and asks for
 * confirmation, createImportRun checks it (`causeMappingProblems`) and the run follows it
 * (`causePlan`, used by TaxonomyCache.regulatedIssues).
 */
import { sql } from "drizzle-orm";
import { queryRows } from "@/db";
import type { FieldErrors } from "@/lib/action-result";
import type { Tx } from "@/lib/audit";
import type { CauseProposal, CauseTarget, ImportMapping, TaxonomyChoice } from "./types";

/**
 * The category a CFPB issue's root cause is filed under, by the words in the issue: fees and
 * payments are billing, notices and disclosures communication, credit reports a third party's
 * data; everything else is a process failure until quality refiles it.
 */
export function categoryFor(issue: string): { key: string; name: string } {
  const t = issue.toLowerCase();
  if (/fee|charg|payment|billing|interest|rate|statement|money|fund|transfer|pay/.test(t))
    return { key: "billing", name: "Billing" };
  if (/notif|disclos|advertis|marketing|communicat|information about|letter|contact/.test(t))
    return { key: "communication", name: "Communication" };
  if (/credit report|your report|investigation|incorrect information|reporting company/.test(t))
    return { key: "third_party", name: "Third party" };
  return { key: "process", name: "Process" };
}

export type OrgCategory = TaxonomyChoice & { id: string };

/** The organisation's categories (in their order) with their causes (by name). */
export async function loadTaxonomyChoices(db: Tx, orgId: string): Promise<OrgCategory[]> {
  const categories = await queryRows<{ id: string; key: string; name: string }>(
    db,
    sql`select id, key, name from root_cause_categories where org_id = ${orgId} order by position, name, id`,
  );
  const causes = await queryRows<{ id: string; category_id: string; name: string }>(
    db,
    sql`select id, category_id, name from root_causes where org_id = ${orgId} order by name, id`,
  );
  const byCategory = new Map<string, OrgCategory>(
    categories.map((c) => [c.id, { ...c, causes: [] }]),
  );
  for (const c of causes) byCategory.get(c.category_id)?.causes.push({ id: c.id, name: c.name });
  return [...byCategory.values()];
}

/** The name a new cause gets from an issue (causes are at most 200 characters). */
const causeName = (issue: string) => issue.slice(0, 200);

/** An existing cause called like the issue (any case, any category; the first category wins). */
export function sameNameCause(categories: OrgCategory[], issue: string): string | null {
  const name = causeName(issue).toLowerCase();
  for (const c of categories) {
    const cause = c.causes.find((x) => x.name.toLowerCase() === name);
    if (cause) return cause.id;
  }
  return null;
}

/** The cause called like the issue in one category (any case), if any. */
function existingIn(categories: OrgCategory[], key: string, issue: string): string | null {
  const name = causeName(issue).toLowerCase();
  const category = categories.find((c) => c.key === key);
  return category?.causes.find((x) => x.name.toLowerCase() === name)?.id ?? null;
}

function validTarget(categories: OrgCategory[], t: CauseTarget | undefined): boolean {
  if (!t) return false;
  if (t.to === "cause") return categories.some((c) => c.causes.some((x) => x.id === t.causeId));
  if (t.to === "new") return categories.some((c) => c.key === t.categoryKey);
  return true;
}

/**
 * The proposal for the sample's issues (issue → rows with it), most frequent first: the choice
 * already made (this mapping's, else the organisation's last confirmed import's) while it still
 * names something in the taxonomy; else an existing cause of the same name; else a new cause
 * under the category the issue's words suggest, when the taxonomy has it; else no root cause.
 */
export function proposeCauses(
  counts: Map<string, number>,
  categories: OrgCategory[],
  chosen: (Record<string, CauseTarget> | undefined)[],
): CauseProposal {
  const issues = [...counts.entries()]
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([issue, rows]): CauseProposal["issues"][number] => {
      for (const source of chosen) {
        const t = source?.[issue];
        if (!t || !validTarget(categories, t)) continue;
        // A new cause made by an earlier import exists now: it is proposed as itself.
        const made = t.to === "new" ? existingIn(categories, t.categoryKey, issue) : null;
        const proposed: CauseTarget = made ? { to: "cause", causeId: made } : t;
        return { issue, rows, proposed, why: "chosen" };
      }
      const same = sameNameCause(categories, issue);
      if (same) return { issue, rows, proposed: { to: "cause", causeId: same }, why: "same-name" };
      const guess = categoryFor(issue).key;
      return categories.some((c) => c.key === guess)
        ? { issue, rows, proposed: { to: "new", categoryKey: guess }, why: "guessed" }
        : { issue, rows, proposed: { to: "none" }, why: "no-category" };
    });
  return {
    issues,
    categories: categories.map(({ key, name, causes }) => ({ key, name, causes })),
  };
}

/**
 * What is wrong with a CFPB mapping's root-cause options for this organisation, by field: a
 * cause or category that is not in its taxonomy, or a mapping nobody confirmed.
 */
export function causeMappingProblems(
  options: ImportMapping["options"],
  categories: OrgCategory[],
): FieldErrors {
  const errors: FieldErrors = {};
  for (const [issue, target] of Object.entries(options.causes ?? {})) {
    if (validTarget(categories, target)) continue;
    errors[`options.causes.${issue}`] = [
      target.to === "cause"
        ? "This root cause is not in your taxonomy; choose one from the list."
        : "This category is not in your taxonomy; choose one from the list.",
    ];
  }
  if (options.taxonomyConfirmed !== true) {
    errors["options.taxonomyConfirmed"] = [
      "Check how the file's issues map onto your root causes, then confirm it.",
    ];
  }
  return errors;
}

/** Where the run files an issue: a cause, a cause to find or create in a category, or none. */
export type PlannedCause =
  | { to: "cause"; causeId: string }
  | { to: "new"; categoryKey: string; categoryName: string; createCategory: boolean }
  | { to: "none" };

export interface CausePlan {
  target(issue: string): PlannedCause;
}

/**
 * The run's plan from a checked mapping: the issues it names as chosen, the others by
 * `otherIssues` ("new" by default: the same-name cause, else a new cause under the guessed
 * category, created when missing as the importer always did).
 */
export function causePlan(options: ImportMapping["options"], categories: OrgCategory[]): CausePlan {
  const causes = options.causes ?? {};
  const other = options.otherIssues?.to ?? "new";
  const names = new Map(categories.map((c) => [c.key, c.name]));
  return {
    target(issue) {
      const t = Object.hasOwn(causes, issue) ? causes[issue] : undefined;
      if (t?.to === "cause" || t?.to === "none") return t;
      if (t?.to === "new")
        return {
          to: "new",
          categoryKey: t.categoryKey,
          categoryName: names.get(t.categoryKey) ?? t.categoryKey,
          createCategory: false,
        };
      if (other === "none") return { to: "none" };
      const same = sameNameCause(categories, issue);
      if (same) return { to: "cause", causeId: same };
      const guess = categoryFor(issue);
      return {
        to: "new",
        categoryKey: guess.key,
        categoryName: names.get(guess.key) ?? guess.name,
        createCategory: !names.has(guess.key),
      };
    },
  };
}
