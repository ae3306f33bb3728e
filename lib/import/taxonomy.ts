/**
 * Products, root causes and regulated issues named by imported rows, created set-based per batch
 * and remembered for the run so each name costs one round trip at most once.
 */
import { sql } from "drizzle-orm";
import { queryRows } from "@/db";
import type { Tx } from "@/lib/audit";
import { causePlan, type CausePlan, type PlannedCause } from "./cause-mapping";
import type { ComplaintDraft } from "./complaint-rows";
import { json } from "./payload";

type Db = Exclude<Tx, never>;

export { categoryFor } from "./cause-mapping";

/**
 * The organisation's root-cause taxonomy as generic rows name it: categories by key and by name,
 * causes by name within their category, all compared in lower case. Read once per run (and per
 * preview) so a row naming an unknown category is rejected while it is read, before anything is
 * written; causes created during the run are found again when they are written (`rootCauseIds`).
 */
export interface RootCauseIndex {
  /** Lower-cased key, then lower-cased name → the category. Keys win over names. */
  categories: Map<string, { id: string; name: string }>;
  /** The category names in their order, for the message naming the known ones. */
  categoryNames: string[];
  /** Category id → lower-cased cause name → the cause (the exact spelling first when two differ by case). */
  causes: Map<string, Map<string, { id: string; name: string }>>;
}

export const emptyRootCauseIndex = (): RootCauseIndex => ({
  categories: new Map(),
  categoryNames: [],
  causes: new Map(),
});

export async function loadRootCauseIndex(db: Db, orgId: string): Promise<RootCauseIndex> {
  const categories = await queryRows<{ id: string; key: string; name: string }>(
    db,
    sql`select id, key, name from root_cause_categories where org_id = ${orgId} order by position, name`,
  );
  const causes = await queryRows<{ id: string; category_id: string; name: string }>(
    db,
    sql`select id, category_id, name from root_causes where org_id = ${orgId} order by name, id`,
  );
  const index = emptyRootCauseIndex();
  for (const c of categories) index.categories.set(c.key.toLowerCase(), c);
  for (const c of categories)
    if (!index.categories.has(c.name.toLowerCase())) index.categories.set(c.name.toLowerCase(), c);
  index.categoryNames = categories.map((c) => c.name);
  for (const c of causes) {
    let byName = index.causes.get(c.category_id);
    if (!byName) index.causes.set(c.category_id, (byName = new Map()));
    if (!byName.has(c.name.toLowerCase())) byName.set(c.name.toLowerCase(), c);
  }
  return index;
}

/** A root cause a row names: its category, and the cause's id when it exists already. */
export interface RootCauseRef {
  categoryId: string;
  categoryName: string;
  name: string;
  id: string | null;
}

export const rootCauseKey = (r: { categoryId: string; name: string }) =>
  `${r.categoryId}\u001f${r.name.toLowerCase()}`;

export class TaxonomyCache {
  private products = new Map<string, string>();
  private rootCauses = new Map<string, string>();
  private regulated = new Map<string, { id: string; rootCauseId: string | null }>();
  constructor(
    private readonly orgId: string,
    /** Where CFPB issues are filed (default: as the importer always did, see causePlan). */
    private readonly plan: CausePlan = causePlan({}, []),
  ) {}

  /** Path ["Mortgage", "FHA mortgage"] → the sub-product's id, creating each level as needed. */
  async productIds(tx: Db, paths: string[][]): Promise<Map<string, string>> {
    const depth = Math.max(0, ...paths.map((p) => p.length));
    for (let level = 1; level <= depth; level++) {
      const wanted = new Map<string, { parentId: string | null; name: string }>();
      for (const path of paths) {
        if (path.length < level) continue;
        const key = path.slice(0, level).join("\u001f");
        if (this.products.has(key) || wanted.has(key)) continue;
        const parentId =
          level === 1 ? null : this.products.get(path.slice(0, level - 1).join("\u001f"))!;
        wanted.set(key, { parentId, name: path[level - 1]! });
      }
      if (!wanted.size) continue;
      const rows = [...wanted.entries()].map(([key, v]) => ({
        key,
        parent_id: v.parentId,
        name: v.name,
      }));
      await tx.execute(sql`insert into products (org_id, name, parent_id)
        select ${this.orgId}, x.name, x.parent_id from json_to_recordset(${json(rows)}::json) as x(name text, parent_id uuid)
        on conflict (org_id, parent_id, name) do nothing`);
      const found = await queryRows<{ id: string; key: string }>(
        tx,
        sql`select p.id, x.key from json_to_recordset(${json(rows)}::json) as x(key text, name text, parent_id uuid)
          join products p on p.org_id = ${this.orgId} and p.name = x.name and p.parent_id is not distinct from x.parent_id`,
      );
      for (const r of found) this.products.set(r.key, r.id);
    }
    const out = new Map<string, string>();
    for (const path of paths)
      if (path.length) out.set(path.join("\u001f"), this.products.get(path.join("\u001f"))!);
    return out;
  }

  /**
   * The id of each root cause generic rows name (rootCauseKey → id): an existing cause of the
   * same name in the category, in any case, else one created under it with the name as written.
   */
  async rootCauseIds(tx: Db, refs: RootCauseRef[]): Promise<Map<string, string>> {
    const missing = new Map<string, RootCauseRef>();
    for (const r of refs) {
      const key = rootCauseKey(r);
      if (r.id) this.rootCauses.set(key, r.id);
      else if (!this.rootCauses.has(key)) missing.set(key, r);
    }
    if (missing.size) {
      const rows = [...missing.entries()].map(([key, r]) => ({
        key,
        category_id: r.categoryId,
        name: r.name,
      }));
      const payload = json(rows);
      // Only names no cause of the category has in any case; two rows differing by case make one.
      await tx.execute(sql`insert into root_causes (org_id, category_id, name, description)
        select distinct on (x.category_id, lower(x.name)) ${this.orgId}::uuid, x.category_id, x.name, 'Created by a CSV import.'
        from json_to_recordset(${payload}::json) as x(category_id uuid, name text)
        where not exists (select 1 from root_causes rc where rc.org_id = ${this.orgId}
          and rc.category_id = x.category_id and lower(rc.name) = lower(x.name))
        order by x.category_id, lower(x.name), x.name
        on conflict (org_id, category_id, name) do nothing`);
      const found = await queryRows<{ key: string; id: string }>(
        tx,
        sql`select distinct on (x.key) x.key, rc.id
          from json_to_recordset(${payload}::json) as x(key text, category_id uuid, name text)
          join root_causes rc on rc.org_id = ${this.orgId} and rc.category_id = x.category_id
            and lower(rc.name) = lower(x.name)
          order by x.key, rc.name = x.name desc, rc.name, rc.id`,
      );
      for (const r of found) this.rootCauses.set(r.key, r.id);
    }
    return this.rootCauses;
  }

  /**
   * The regulated issue of each path, and the root cause this run files its complaints under (the
   * plan's: an existing cause, one found or created under a category, or none). A new regulated
   * issue records that cause; one imported before keeps the cause it has.
   */
  async regulatedIssues(
    tx: Db,
    paths: NonNullable<ComplaintDraft["regulated"]>[],
  ): Promise<Map<string, { id: string; rootCauseId: string | null }>> {
    const missing = new Map<string, NonNullable<ComplaintDraft["regulated"]>>();
    for (const p of paths) {
      const key = regulatedKey(p);
      if (!this.regulated.has(key)) missing.set(key, p);
    }
    if (missing.size) {
      const targets = new Map<string, PlannedCause>();
      for (const p of missing.values())
        if (!targets.has(p.issue)) targets.set(p.issue, this.plan.target(p.issue));
      const created = await this.newCauses(tx, targets);
      const causeOf = (issue: string): string | null => {
        const t = targets.get(issue)!;
        return t.to === "cause" ? t.causeId : t.to === "none" ? null : (created.get(issue) ?? null);
      };
      const rows = [...missing.entries()].map(([key, p]) => ({
        key,
        product: p.product,
        sub_product: p.subProduct,
        issue: p.issue,
        sub_issue: p.subIssue,
        root_cause_id: causeOf(p.issue),
      }));
      const payload = json(rows);
      await tx.execute(sql`insert into regulated_issues (org_id, product, sub_product, issue, sub_issue, root_cause_id)
        select ${this.orgId}, x.product, x.sub_product, x.issue, x.sub_issue, x.root_cause_id
        from json_to_recordset(${payload}::json) as x(product text, sub_product text, issue text, sub_issue text, root_cause_id uuid)
        on conflict (org_id, product, sub_product, issue, sub_issue) do nothing`);
      const found = await queryRows<{ key: string; id: string; issue: string }>(
        tx,
        sql`select x.key, r.id, x.issue from json_to_recordset(${payload}::json) as x(key text, product text, sub_product text, issue text, sub_issue text)
          join regulated_issues r on r.org_id = ${this.orgId} and r.product = x.product and r.sub_product = x.sub_product and r.issue = x.issue and r.sub_issue = x.sub_issue`,
      );
      for (const r of found) this.regulated.set(r.key, { id: r.id, rootCauseId: causeOf(r.issue) });
    }
    return this.regulated;
  }

  /**
   * The causes of issues filed under a new cause in a category (issue → cause id): one of the
   * issue's name in the category (any case) when there is one, else created with the issue's
   * name; the category itself is created only for the guessed ones the taxonomy lacks.
   */
  private async newCauses(
    tx: Db,
    targets: Map<string, PlannedCause>,
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const wanted = [...targets.entries()].flatMap(([issue, t]) =>
      t.to !== "new"
        ? []
        : [
            {
              issue,
              name: issue.slice(0, 200),
              category: t.categoryKey,
              categoryName: t.categoryName,
              create: t.createCategory,
            },
          ],
    );
    if (!wanted.length) return out;
    const payload = json(wanted);
    await tx.execute(sql`insert into root_cause_categories (org_id, key, name, position)
      select distinct ${this.orgId}::uuid, x.category, x."categoryName", 99
      from json_to_recordset(${payload}::json) as x(category text, "categoryName" text, "create" boolean)
      where x."create"
      on conflict (org_id, key) do nothing`);
    await tx.execute(sql`insert into root_causes (org_id, category_id, name, description)
      select distinct on (c.id, lower(x.name)) ${this.orgId}::uuid, c.id, x.name,
        'Created by the CFPB import from the regulated issue "' || x.issue || '".'
      from json_to_recordset(${payload}::json) as x(issue text, name text, category text)
      join root_cause_categories c on c.org_id = ${this.orgId} and c.key = x.category
      where not exists (select 1 from root_causes rc where rc.org_id = ${this.orgId}
        and rc.category_id = c.id and lower(rc.name) = lower(x.name))
      order by c.id, lower(x.name), x.name
      on conflict (org_id, category_id, name) do nothing`);
    const found = await queryRows<{ issue: string; id: string }>(
      tx,
      sql`select distinct on (x.issue) x.issue, rc.id
        from json_to_recordset(${payload}::json) as x(issue text, name text, category text)
        join root_cause_categories c on c.org_id = ${this.orgId} and c.key = x.category
        join root_causes rc on rc.org_id = ${this.orgId} and rc.category_id = c.id and lower(rc.name) = lower(x.name)
        order by x.issue, rc.name = x.name desc, rc.name, rc.id`,
    );
    for (const r of found) out.set(r.issue, r.id);
    return out;
  }
}

export const regulatedKey = (p: NonNullable<ComplaintDraft["regulated"]>) =>
  [p.product, p.subProduct, p.issue, p.subIssue].join("\u001f");
