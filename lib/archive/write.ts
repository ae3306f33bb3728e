/**
 * Writes archive records into one organisation, batch by batch, inside the caller's transaction.
 *
 * Matching (so an archive imported again updates, never duplicates):
 * - customers, activity and complaints by `ref`: their external reference, or — when the ref is a
 *   UUID — their id. A new record with a UUID ref keeps it as its id; any other ref becomes its
 *   external reference. Corrective actions (no external reference column) take the UUID, or an id
 *   derived from the ref.
 * - teams by name, people by email, playbook steps and root-cause categories by key, causes by
 *   category and name, products by their path of names.
 *
 * Settings (the organisation's currency and approval limit, the SLA policy, playbook wording) are
 * taken from the archive only while the organisation has no complaints: into an organisation
 * already in use, an archive adds what is missing and leaves its settings alone.
 *
 * People the archive names who have no account here are created inactive, with no sign-in: the
 * figures keep their names; an admin decides who may sign in.
 */
import "server-only";
import crypto from "node:crypto";
import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import {
  advocacySignals,
  complaintSteps,
  complaints,
  correctiveActions,
  customerActivities,
  customerUpdates,
  customers,
  followUps,
  holidays,
  organisations,
  outcomes,
  playbookSteps,
  products,
  regulatedIssues,
  remedies,
  rootCauseCategories,
  rootCauses,
  slaPolicies,
  slaTargets,
  teamMemberships,
  teams,
  users,
} from "@/db/schema";
import { refreshComplaintFacts, refreshCustomerFacts } from "@/lib/rollups/maintain";
import { isUuid } from "@/lib/rollups/uuid-array";
import type { RecordProblem } from "./checks";
import type { ArchiveHeader, ArchiveRecord, ArchiveRecordOf } from "./format";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** No password can match this: the account exists for the figures, not for signing in. */
const NO_SIGN_IN = "!archive-import:no-sign-in";

interface Line<R> {
  line: number;
  record: R;
}
export interface Written {
  created: number;
  updated: number;
  rejected: { line: number; problems: RecordProblem[] }[];
}

const date = (v: string | null) => (v ? new Date(v) : null);

/** A stable UUID for a ref that is not one (version-5 shaped, from the organisation and ref). */
export function idForRef(orgId: string, ref: string): string {
  if (isUuid(ref)) return ref.toLowerCase();
  const h = crypto.createHash("sha256").update(`${orgId}\0${ref}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class ArchiveWriter {
  private readonly teams = new Map<string, string>();
  private readonly users = new Map<string, string>();
  private readonly steps = new Map<string, string>();
  private readonly products = new Map<string, string>();
  private readonly categories = new Map<string, string>();
  private readonly causes = new Map<string, string>();
  private readonly issues = new Map<string, string>();

  private constructor(
    private readonly db: Db,
    private readonly orgId: string,
    /** The organisation had no complaints when the import began: settings come from the archive. */
    private readonly fresh: boolean,
  ) {}

  static async open(db: Db, orgId: string): Promise<ArchiveWriter> {
    const [any] = await db
      .select({ id: complaints.id })
      .from(complaints)
      .where(eq(complaints.orgId, orgId))
      .limit(1);
    const writer = new ArchiveWriter(db, orgId, !any);
    await writer.load();
    return writer;
  }

  private async load() {
    const { db, orgId } = this;
    for (const t of await db.select().from(teams).where(eq(teams.orgId, orgId)))
      this.teams.set(t.name, t.id);
    for (const u of await db.select().from(users).where(eq(users.orgId, orgId)))
      this.users.set(u.email, u.id);
    for (const s of await db.select().from(playbookSteps).where(eq(playbookSteps.orgId, orgId)))
      this.steps.set(s.key, s.id);
    const productRows = await db.select().from(products).where(eq(products.orgId, orgId));
    const byId = new Map(productRows.map((p) => [p.id, p]));
    const path = (id: string): string[] => {
      const p = byId.get(id)!;
      return p.parentId ? [...path(p.parentId), p.name] : [p.name];
    };
    for (const p of productRows) this.products.set(pathKey(path(p.id)), p.id);
    const categoryRows = await db
      .select()
      .from(rootCauseCategories)
      .where(eq(rootCauseCategories.orgId, orgId));
    const categoryKey = new Map(categoryRows.map((c) => [c.id, c.key]));
    for (const c of categoryRows) this.categories.set(c.key, c.id);
    for (const c of await db.select().from(rootCauses).where(eq(rootCauses.orgId, orgId)))
      this.causes.set(causeKey(categoryKey.get(c.categoryId)!, c.name), c.id);
    for (const r of await db.select().from(regulatedIssues).where(eq(regulatedIssues.orgId, orgId)))
      this.issues.set(issueKey(r), r.id);
  }

  async applyHeader(header: ArchiveHeader): Promise<void> {
    if (!this.fresh) return;
    await this.db
      .update(organisations)
      .set({
        currency: header.organisation.currency,
        remedyApprovalLimitMinor: header.organisation.remedyApprovalLimitMinor,
      })
      .where(eq(organisations.id, this.orgId));
  }

  async write<T extends ArchiveRecord["type"]>(
    tx: Tx,
    type: T,
    lines: Line<ArchiveRecord>[],
  ): Promise<Written> {
    const typed = lines as Line<ArchiveRecordOf<T>>[];
    switch (type) {
      case "team":
        return this.each(typed as Line<ArchiveRecordOf<"team">>[], (r) => this.team(tx, r.name));
      case "user":
        return this.each(typed as Line<ArchiveRecordOf<"user">>[], (r) => this.user(tx, r));
      case "playbookStep":
        return this.each(typed as Line<ArchiveRecordOf<"playbookStep">>[], (r) =>
          this.playbookStep(tx, r),
        );
      case "slaPolicy":
        return this.slaPolicy(tx, typed as Line<ArchiveRecordOf<"slaPolicy">>[]);
      case "product":
        return this.each(typed as Line<ArchiveRecordOf<"product">>[], (r) => this.product(tx, r));
      case "rootCauseCategory":
        return this.each(typed as Line<ArchiveRecordOf<"rootCauseCategory">>[], (r) =>
          this.category(tx, r),
        );
      case "rootCause":
        return this.each(typed as Line<ArchiveRecordOf<"rootCause">>[], (r) => this.cause(tx, r));
      case "customer":
        return this.customers(tx, typed as Line<ArchiveRecordOf<"customer">>[]);
      case "activity":
        return this.activities(tx, typed as Line<ArchiveRecordOf<"activity">>[]);
      case "complaint":
        return this.complaints(tx, typed as Line<ArchiveRecordOf<"complaint">>[]);
      case "correctiveAction":
        return this.correctiveActions(tx, typed as Line<ArchiveRecordOf<"correctiveAction">>[]);
    }
    return { created: 0, updated: 0, rejected: [] };
  }

  /** Small settings records, one at a time: "created", "updated", or a problem. */
  private async each<R>(
    lines: Line<R>[],
    write: (record: R) => Promise<"created" | "updated" | RecordProblem>,
  ): Promise<Written> {
    const out: Written = { created: 0, updated: 0, rejected: [] };
    for (const { line, record } of lines) {
      const result = await write(record);
      if (result === "created") out.created++;
      else if (result === "updated") out.updated++;
      else out.rejected.push({ line, problems: [result] });
    }
    return out;
  }

  // ------------------------------------------------------------ settings

  private async team(tx: Tx, name: string): Promise<"created" | "updated"> {
    if (this.teams.has(name)) return "updated";
    const [row] = await tx
      .insert(teams)
      .values({ orgId: this.orgId, name })
      .returning({ id: teams.id });
    this.teams.set(name, row!.id);
    return "created";
  }

  private async teamId(tx: Tx, name: string): Promise<string> {
    await this.team(tx, name);
    return this.teams.get(name)!;
  }

  private async user(tx: Tx, r: ArchiveRecordOf<"user">): Promise<"created" | "updated"> {
    const known = this.users.get(r.email);
    const id = known ?? (await this.createUser(tx, r.email, r.name, r.role));
    if (!known) {
      for (const team of r.teams) {
        await this.team(tx, team);
        await tx
          .insert(teamMemberships)
          .values({ orgId: this.orgId, teamId: this.teams.get(team)!, userId: id })
          .onConflictDoNothing();
      }
    }
    return known ? "updated" : "created";
  }

  private async createUser(
    tx: Tx,
    email: string,
    name: string,
    role: ArchiveRecordOf<"user">["role"],
  ): Promise<string> {
    const [row] = await tx
      .insert(users)
      .values({ orgId: this.orgId, email, name, role, passwordHash: NO_SIGN_IN, active: false })
      .returning({ id: users.id });
    this.users.set(email, row!.id);
    return row!.id;
  }

  /** A person named by email: known, or created inactive (named by the email's local part). */
  private async person(tx: Tx, email: string | null): Promise<string | null> {
    if (!email) return null;
    return this.users.get(email) ?? this.createUser(tx, email, email.split("@")[0]!, "agent");
  }

  private async playbookStep(
    tx: Tx,
    r: ArchiveRecordOf<"playbookStep">,
  ): Promise<"created" | "updated"> {
    const values = {
      name: r.name,
      guidance: r.guidance,
      position: r.position,
      required: r.required,
      customerFacing: r.customerFacing,
      active: r.active,
    };
    const known = this.steps.get(r.key);
    if (known) {
      if (this.fresh)
        await tx
          .update(playbookSteps)
          .set(values)
          .where(and(eq(playbookSteps.orgId, this.orgId), eq(playbookSteps.id, known)));
      return "updated";
    }
    const [row] = await tx
      .insert(playbookSteps)
      .values({ orgId: this.orgId, key: r.key, ...values })
      .returning({ id: playbookSteps.id });
    this.steps.set(r.key, row!.id);
    return "created";
  }

  private async slaPolicy(tx: Tx, lines: Line<ArchiveRecordOf<"slaPolicy">>[]): Promise<Written> {
    const out: Written = { created: 0, updated: 0, rejected: [] };
    for (const { line, record: r } of lines) {
      if (!this.fresh && !(await this.samePolicy(tx, r))) {
        out.rejected.push({
          line,
          problems: [
            {
              field: "(line)",
              reason:
                "This organisation already has complaints: its SLA policy is kept (their due times were set by it).",
              value: r.name,
            },
          ],
        });
        continue;
      }
      if (!this.fresh) {
        out.updated++;
        continue;
      }
      const values = {
        name: r.name,
        timezone: r.timezone,
        workingDays: r.workingDays,
        workdayStartMinute: r.workdayStartMinute,
        workdayEndMinute: r.workdayEndMinute,
        closedLoopHours: r.closedLoopHours,
      };
      const [existing] = await tx
        .select({ id: slaPolicies.id })
        .from(slaPolicies)
        .where(and(eq(slaPolicies.orgId, this.orgId), eq(slaPolicies.isDefault, true)))
        .limit(1);
      let policyId: string;
      if (existing) {
        policyId = existing.id;
        await tx
          .update(slaPolicies)
          .set(values)
          .where(and(eq(slaPolicies.orgId, this.orgId), eq(slaPolicies.id, policyId)));
        await tx
          .delete(slaTargets)
          .where(and(eq(slaTargets.orgId, this.orgId), eq(slaTargets.policyId, policyId)));
        await tx
          .delete(holidays)
          .where(and(eq(holidays.orgId, this.orgId), eq(holidays.policyId, policyId)));
        out.updated++;
      } else {
        const [row] = await tx
          .insert(slaPolicies)
          .values({ orgId: this.orgId, ...values, isDefault: true })
          .returning({ id: slaPolicies.id });
        policyId = row!.id;
        out.created++;
      }
      if (r.targets.length)
        await tx
          .insert(slaTargets)
          .values(r.targets.map((t) => ({ orgId: this.orgId, policyId, ...t })));
      if (r.holidays.length)
        await tx
          .insert(holidays)
          .values(r.holidays.map((h) => ({ orgId: this.orgId, policyId, ...h })))
          .onConflictDoNothing();
    }
    return out;
  }

  /** Whether the organisation's policy already is this one (an archive imported again). */
  private async samePolicy(tx: Tx, r: ArchiveRecordOf<"slaPolicy">): Promise<boolean> {
    const [policy] = await tx
      .select()
      .from(slaPolicies)
      .where(and(eq(slaPolicies.orgId, this.orgId), eq(slaPolicies.isDefault, true)))
      .limit(1);
    if (!policy) return false;
    const targets = await tx
      .select()
      .from(slaTargets)
      .where(and(eq(slaTargets.orgId, this.orgId), eq(slaTargets.policyId, policy.id)));
    const days = await tx
      .select()
      .from(holidays)
      .where(and(eq(holidays.orgId, this.orgId), eq(holidays.policyId, policy.id)));
    const key = (t: { severity: string }) => t.severity;
    const mine = {
      timezone: policy.timezone,
      workingDays: policy.workingDays,
      workdayStartMinute: policy.workdayStartMinute,
      workdayEndMinute: policy.workdayEndMinute,
      closedLoopHours: policy.closedLoopHours,
      targets: targets
        .map((t) => [t.severity, t.firstResponseHours, t.resolutionHours, t.businessHours])
        .sort(),
      holidays: days.map((h) => h.day).sort(),
    };
    const theirs = {
      timezone: r.timezone,
      workingDays: r.workingDays,
      workdayStartMinute: r.workdayStartMinute,
      workdayEndMinute: r.workdayEndMinute,
      closedLoopHours: r.closedLoopHours,
      targets: [...r.targets]
        .sort((a, b) => key(a).localeCompare(key(b)))
        .map((t) => [t.severity, t.firstResponseHours, t.resolutionHours, t.businessHours])
        .sort(),
      holidays: r.holidays.map((h) => h.day).sort(),
    };
    return JSON.stringify(mine) === JSON.stringify(theirs);
  }

  private async product(
    tx: Tx,
    r: ArchiveRecordOf<"product">,
  ): Promise<"created" | "updated" | RecordProblem> {
    const known = this.products.has(pathKey(r.path));
    const id = await this.productId(tx, r.path);
    if (r.ref) {
      const [taken] = await tx
        .select({ id: products.id })
        .from(products)
        .where(and(eq(products.orgId, this.orgId), eq(products.externalRef, r.ref)));
      if (taken && taken.id !== id)
        return { field: "ref", reason: "Another product has this reference.", value: r.ref };
      if (!taken)
        await tx
          .update(products)
          .set({ externalRef: r.ref })
          .where(
            and(eq(products.orgId, this.orgId), eq(products.id, id), isNull(products.externalRef)),
          );
    }
    return known ? "updated" : "created";
  }

  private async productId(tx: Tx, path: string[]): Promise<string> {
    let parentId: string | null = null;
    for (let i = 0; i < path.length; i++) {
      const key = pathKey(path.slice(0, i + 1));
      let id = this.products.get(key);
      if (!id) {
        const rows: { id: string }[] = await tx
          .insert(products)
          .values({ orgId: this.orgId, name: path[i]!, parentId })
          .returning({ id: products.id });
        id = rows[0]!.id;
        this.products.set(key, id);
      }
      parentId = id;
    }
    return parentId!;
  }

  private async category(
    tx: Tx,
    r: ArchiveRecordOf<"rootCauseCategory">,
  ): Promise<"created" | "updated"> {
    const known = this.categories.get(r.key);
    if (known) {
      if (this.fresh)
        await tx
          .update(rootCauseCategories)
          .set({ name: r.name, position: r.position })
          .where(and(eq(rootCauseCategories.orgId, this.orgId), eq(rootCauseCategories.id, known)));
      return "updated";
    }
    const [row] = await tx
      .insert(rootCauseCategories)
      .values({ orgId: this.orgId, key: r.key, name: r.name, position: r.position })
      .returning({ id: rootCauseCategories.id });
    this.categories.set(r.key, row!.id);
    return "created";
  }

  private async cause(
    tx: Tx,
    r: ArchiveRecordOf<"rootCause">,
  ): Promise<"created" | "updated" | RecordProblem> {
    const categoryId = this.categories.get(r.category);
    if (!categoryId) return this.unknownCategory("category", r.category);
    const values = {
      description: r.description,
      recurrenceWindowWeeks: r.recurrenceWindowWeeks,
      active: r.active,
    };
    const known = this.causes.get(causeKey(r.category, r.name));
    if (known) {
      await tx
        .update(rootCauses)
        .set(values)
        .where(and(eq(rootCauses.orgId, this.orgId), eq(rootCauses.id, known)));
      return "updated";
    }
    const [row] = await tx
      .insert(rootCauses)
      .values({ orgId: this.orgId, categoryId, name: r.name, ...values })
      .returning({ id: rootCauses.id });
    this.causes.set(causeKey(r.category, r.name), row!.id);
    return "created";
  }

  private unknownCategory(field: string, key: string): RecordProblem {
    return {
      field,
      reason: `No root-cause category with key "${key}"; the organisation has ${[...this.categories.keys()].sort().join(", ") || "none"}.`,
      value: key,
    };
  }

  /** A cause named by category and name: known, or created under a known category. */
  private async causeId(
    tx: Tx,
    key: { category: string; name: string },
  ): Promise<string | RecordProblem> {
    const known = this.causes.get(causeKey(key.category, key.name));
    if (known) return known;
    const made = await this.cause(tx, {
      type: "rootCause",
      category: key.category,
      name: key.name,
      description: null,
      recurrenceWindowWeeks: 8,
      active: true,
    });
    return typeof made === "string" ? this.causes.get(causeKey(key.category, key.name))! : made;
  }

  // ------------------------------------------------------------ customers and activity

  /** Existing ids for refs: by external reference, else by id for UUID-shaped refs. */
  private async existing(
    tx: Tx,
    table: typeof customers | typeof customerActivities | typeof complaints,
    refs: string[],
  ): Promise<Map<string, string>> {
    const uuids = refs.filter(isUuid).map((r) => r.toLowerCase());
    const rows = await tx
      .select({ id: table.id, externalRef: table.externalRef })
      .from(table)
      .where(
        and(
          eq(table.orgId, this.orgId),
          uuids.length
            ? or(inArray(table.externalRef, refs), inArray(table.id, uuids))
            : inArray(table.externalRef, refs),
        ),
      );
    const found = new Map<string, string>();
    for (const r of rows)
      if (r.externalRef && refs.includes(r.externalRef)) found.set(r.externalRef, r.id);
    for (const r of rows) if (!found.has(r.id) && uuids.includes(r.id)) found.set(r.id, r.id);
    return found;
  }

  /** Where a new record's ref goes: a UUID is its id, anything else its external reference. */
  private static placement(ref: string): { id?: string; externalRef: string | null } {
    return isUuid(ref) ? { id: ref.toLowerCase(), externalRef: null } : { externalRef: ref };
  }

  private async customerIds(tx: Tx, refs: string[]): Promise<Map<string, string>> {
    return this.existing(tx, customers, [...new Set(refs)]);
  }

  private async customers(tx: Tx, lines: Line<ArchiveRecordOf<"customer">>[]): Promise<Written> {
    const found = await this.existing(
      tx,
      customers,
      lines.map((l) => l.record.ref),
    );
    const out: Written = { created: 0, updated: 0, rejected: [] };
    const touched: string[] = [];
    const fresh: (typeof customers.$inferInsert)[] = [];
    const seen = new Set<string>();
    for (const { line, record: r } of lines) {
      if (seen.has(r.ref)) {
        out.rejected.push({ line, problems: [twice(r.ref)] });
        continue;
      }
      seen.add(r.ref);
      const values = {
        name: r.name,
        email: r.email,
        phone: r.phone,
        segment: r.segment,
        lifetimeValueMinor: r.lifetimeValueMinor,
        currency: r.currency,
        ...(r.createdAt ? { createdAt: new Date(r.createdAt) } : {}),
      };
      const id = found.get(r.ref);
      if (id) {
        await tx
          .update(customers)
          .set(values)
          .where(and(eq(customers.orgId, this.orgId), eq(customers.id, id)));
        touched.push(id);
        out.updated++;
      } else {
        fresh.push({ orgId: this.orgId, ...ArchiveWriter.placement(r.ref), ...values });
        out.created++;
      }
    }
    if (fresh.length) {
      const rows = await tx.insert(customers).values(fresh).returning({ id: customers.id });
      touched.push(...rows.map((r) => r.id));
    }
    await refreshCustomerFacts(tx, this.orgId, touched);
    return out;
  }

  private async activities(tx: Tx, lines: Line<ArchiveRecordOf<"activity">>[]): Promise<Written> {
    const customerIds = await this.customerIds(
      tx,
      lines.map((l) => l.record.customer),
    );
    const found = await this.existing(
      tx,
      customerActivities,
      lines.map((l) => l.record.ref),
    );
    const out: Written = { created: 0, updated: 0, rejected: [] };
    const touched = new Set<string>();
    const fresh: (typeof customerActivities.$inferInsert)[] = [];
    const seen = new Set<string>();
    for (const { line, record: r } of lines) {
      if (seen.has(r.ref)) {
        out.rejected.push({ line, problems: [twice(r.ref)] });
        continue;
      }
      seen.add(r.ref);
      const customerId = customerIds.get(r.customer);
      if (!customerId) {
        out.rejected.push({ line, problems: [unknownCustomer(r.customer)] });
        continue;
      }
      const values = {
        customerId,
        kind: r.kind,
        occurredAt: new Date(r.occurredAt),
        amountMinor: r.amountMinor,
        currency: r.currency,
        score: r.score,
        note: r.note,
      };
      touched.add(customerId);
      const id = found.get(r.ref);
      if (id) {
        await tx
          .update(customerActivities)
          .set(values)
          .where(and(eq(customerActivities.orgId, this.orgId), eq(customerActivities.id, id)));
        out.updated++;
      } else {
        fresh.push({ orgId: this.orgId, ...ArchiveWriter.placement(r.ref), ...values });
        out.created++;
      }
    }
    if (fresh.length) await tx.insert(customerActivities).values(fresh);
    await refreshCustomerFacts(tx, this.orgId, [...touched]);
    return out;
  }

  // ------------------------------------------------------------ complaints

  private async complaints(tx: Tx, lines: Line<ArchiveRecordOf<"complaint">>[]): Promise<Written> {
    const out: Written = { created: 0, updated: 0, rejected: [] };
    const customerIds = await this.customerIds(
      tx,
      lines.map((l) => l.record.customer),
    );
    const found = await this.existing(
      tx,
      complaints,
      lines.map((l) => l.record.ref),
    );
    const ready: { id: string; isNew: boolean; r: ArchiveRecordOf<"complaint"> }[] = [];
    const seen = new Set<string>();
    const complaintRows: (typeof complaints.$inferInsert)[] = [];
    for (const { line, record: r } of lines) {
      const problems: RecordProblem[] = [];
      const customerId = customerIds.get(r.customer);
      if (!customerId) problems.push(unknownCustomer(r.customer));
      let rootCauseId: string | null = null;
      if (r.rootCause) {
        const cause = await this.causeId(tx, r.rootCause);
        if (typeof cause === "string") rootCauseId = cause;
        else problems.push({ ...cause, field: "rootCause.category" });
      }
      r.steps.forEach((s, i) => {
        if (!this.steps.has(s.step))
          problems.push({
            field: `steps.${i}.step`,
            reason: `No playbook step with key "${s.step}".`,
            value: s.step,
          });
      });
      if (seen.has(r.ref)) problems.push(twice(r.ref));
      if (problems.length) {
        out.rejected.push({ line, problems });
        continue;
      }
      seen.add(r.ref);
      const existing = found.get(r.ref);
      const placement = ArchiveWriter.placement(r.ref);
      const id = existing ?? placement.id ?? crypto.randomUUID();
      ready.push({ id, isNew: !existing, r });
      const values = {
        customerId: customerId!,
        receivedAt: new Date(r.receivedAt),
        channel: r.channel,
        productId: r.product ? await this.productId(tx, r.product) : null,
        teamId: r.team ? await this.teamId(tx, r.team) : null,
        ownerId: await this.person(tx, r.owner),
        severity: r.severity,
        summary: r.summary,
        story: r.story,
        paraphrase: r.paraphrase,
        intakeSentiment: r.intakeSentiment,
        intakeNps: r.intakeNps,
        status: r.status,
        slaDueAt: date(r.slaDueAt),
        promisedBy: date(r.promisedBy),
        firstResponseAt: date(r.firstResponseAt),
        resolvedAt: date(r.resolvedAt),
        closedAt: date(r.closedAt),
        reopenCount: r.reopenCount,
        noRemedyReason: r.noRemedyReason,
        customerUnreachable: r.customerUnreachable,
        rootCauseId,
        fiveWhys: r.fiveWhys,
        regulatedIssueId: r.regulatedIssue ? await this.issueId(tx, r.regulatedIssue) : null,
        timelyResponse: r.timelyResponse,
        timesInferred: r.timesInferred,
        imported: r.imported,
        ...(r.createdAt ? { createdAt: new Date(r.createdAt) } : {}),
      };
      if (existing) {
        await tx
          .update(complaints)
          .set({ ...values, version: sql`${complaints.version} + 1`, updatedAt: sql`now()` })
          .where(and(eq(complaints.orgId, this.orgId), eq(complaints.id, existing)));
        out.updated++;
      } else {
        complaintRows.push({
          orgId: this.orgId,
          id,
          externalRef: placement.externalRef,
          ...values,
        });
        out.created++;
      }
    }
    if (complaintRows.length) await tx.insert(complaints).values(complaintRows);
    const replaced = ready.filter((c) => !c.isNew).map((c) => c.id);
    if (replaced.length) await this.clearHistory(tx, replaced);
    await this.insertHistory(tx, ready);
    await refreshComplaintFacts(
      tx,
      this.orgId,
      ready.map((c) => c.id),
    );
    return out;
  }

  /** An updated complaint's history is the archive's: what was recorded before is replaced. */
  private async clearHistory(tx: Tx, ids: string[]) {
    for (const table of HISTORY_TABLES)
      await tx
        .delete(table)
        .where(and(eq(table.orgId, this.orgId), inArray(table.complaintId, ids)));
  }

  private async insertHistory(tx: Tx, ready: { id: string; r: ArchiveRecordOf<"complaint"> }[]) {
    const orgId = this.orgId;
    const stepRows: (typeof complaintSteps.$inferInsert)[] = [];
    const remedyRows: (typeof remedies.$inferInsert)[] = [];
    const followUpRows: (typeof followUps.$inferInsert)[] = [];
    const updateRows: (typeof customerUpdates.$inferInsert)[] = [];
    const outcomeRows: (typeof outcomes.$inferInsert)[] = [];
    const signalRows: (typeof advocacySignals.$inferInsert)[] = [];
    for (const { id: complaintId, r } of ready) {
      for (const s of r.steps)
        stepRows.push({
          orgId,
          complaintId,
          stepId: this.steps.get(s.step)!,
          doneBy: await this.person(tx, s.doneBy),
          doneAt: new Date(s.doneAt),
          note: s.note,
        });
      for (const m of r.remedies)
        remedyRows.push({
          orgId,
          complaintId,
          kind: m.kind,
          description: m.description,
          costMinor: m.costMinor,
          currency: m.currency,
          suggestedByCustomer: m.suggestedByCustomer,
          offeredAt: new Date(m.offeredAt),
          offeredBy: await this.person(tx, m.offeredBy),
          decision: m.decision,
          decidedAt: date(m.decidedAt),
          deliveredAt: date(m.deliveredAt),
          approvalNeeded: m.approvalNeeded,
          approvedBy: await this.person(tx, m.approvedBy),
          approvedAt: date(m.approvedAt),
        });
      for (const f of r.followUps)
        followUpRows.push({
          orgId,
          complaintId,
          dueAt: new Date(f.dueAt),
          doneAt: date(f.doneAt),
          doneBy: await this.person(tx, f.doneBy),
          channel: f.channel,
          sentiment: f.sentiment,
          nps: f.nps,
          note: f.note,
          ...(f.createdAt ? { createdAt: new Date(f.createdAt) } : {}),
        });
      for (const u of r.updates)
        updateRows.push({
          orgId,
          complaintId,
          sentAt: new Date(u.sentAt),
          sentBy: await this.person(tx, u.sentBy),
          channel: u.channel,
          message: u.message,
        });
      if (r.outcome)
        outcomeRows.push({
          orgId,
          complaintId,
          finalSentiment: r.outcome.finalSentiment,
          finalNps: r.outcome.finalNps,
          churnedAt: date(r.outcome.churnedAt),
          recordedAt: new Date(r.outcome.recordedAt),
          recordedBy: await this.person(tx, r.outcome.recordedBy),
        });
      for (const s of r.signals)
        signalRows.push({
          orgId,
          complaintId,
          kind: s.kind,
          occurredAt: new Date(s.occurredAt),
          note: s.note,
        });
    }
    if (stepRows.length) await tx.insert(complaintSteps).values(stepRows);
    if (remedyRows.length) await tx.insert(remedies).values(remedyRows);
    if (followUpRows.length) await tx.insert(followUps).values(followUpRows);
    if (updateRows.length) await tx.insert(customerUpdates).values(updateRows);
    if (outcomeRows.length) await tx.insert(outcomes).values(outcomeRows);
    if (signalRows.length) await tx.insert(advocacySignals).values(signalRows);
  }

  private async issueId(
    tx: Tx,
    r: NonNullable<ArchiveRecordOf<"complaint">["regulatedIssue"]>,
  ): Promise<string> {
    const key = issueKey(r);
    const known = this.issues.get(key);
    if (known) return known;
    const [row] = await tx
      .insert(regulatedIssues)
      .values({ orgId: this.orgId, ...r })
      .returning({ id: regulatedIssues.id });
    this.issues.set(key, row!.id);
    return row!.id;
  }

  // ------------------------------------------------------------ quality loop

  private async correctiveActions(
    tx: Tx,
    lines: Line<ArchiveRecordOf<"correctiveAction">>[],
  ): Promise<Written> {
    const out: Written = { created: 0, updated: 0, rejected: [] };
    const ids = lines.map((l) => idForRef(this.orgId, l.record.ref));
    const existing = new Set(
      (
        await tx
          .select({ id: correctiveActions.id })
          .from(correctiveActions)
          .where(and(eq(correctiveActions.orgId, this.orgId), inArray(correctiveActions.id, ids)))
      ).map((r) => r.id),
    );
    for (const [i, { line, record: r }] of lines.entries()) {
      const cause = await this.causeId(tx, r.rootCause);
      if (typeof cause !== "string") {
        out.rejected.push({ line, problems: [{ ...cause, field: "rootCause.category" }] });
        continue;
      }
      const id = ids[i]!;
      const values = {
        rootCauseId: cause,
        title: r.title,
        description: r.description,
        ownerId: await this.person(tx, r.owner),
        status: r.status,
        dueAt: date(r.dueAt),
        doneAt: date(r.doneAt),
        verifiedAt: date(r.verifiedAt),
        verificationNote: r.verificationNote,
        ...(r.createdAt ? { createdAt: new Date(r.createdAt) } : {}),
      };
      if (existing.has(id)) {
        await tx
          .update(correctiveActions)
          .set({ ...values, version: sql`${correctiveActions.version} + 1` })
          .where(and(eq(correctiveActions.orgId, this.orgId), eq(correctiveActions.id, id)));
        out.updated++;
      } else {
        await tx.insert(correctiveActions).values({ orgId: this.orgId, id, ...values });
        existing.add(id);
        out.created++;
      }
    }
    return out;
  }
}

/** What a complaint's history is made of (replaced whole when an archive updates a complaint). */
const HISTORY_TABLES = [
  complaintSteps,
  remedies,
  followUps,
  customerUpdates,
  outcomes,
  advocacySignals,
] as const;

const pathKey = (path: string[]) => path.join("\u0000");
const causeKey = (category: string, name: string) => `${category}\u0000${name}`;
const issueKey = (r: { product: string; subProduct: string; issue: string; subIssue: string }) =>
  [r.product, r.subProduct, r.issue, r.subIssue].join("\u0000");

function unknownCustomer(ref: string): RecordProblem {
  return {
    field: "customer",
    reason:
      "No customer with this ref, in the archive or the organisation (customer lines come first).",
    value: ref,
  };
}

function twice(ref: string): RecordProblem {
  return {
    field: "ref",
    reason: "This ref appears twice close together; the later line was not imported.",
    value: ref,
  };
}
