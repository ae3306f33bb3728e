/**
 * Quality dashboard metrics (PRODUCT.md "root-cause Pareto", "repeat complaint", "recurrence"):
 * which few causes hurt most, and whether the fixes for them work. Each function authorises
 * itself, scopes its complaints with `scopeFor` and returns each figure with the `href` of the
 * complaints list behind it (same filters, same set), so the list's count equals the figure.
 */
import "server-only";
import { correctiveActionColumns, rootCauseOfAction } from "@/lib/corrective-actions/queries";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { getDatabase, queryRows } from "@/db";
import { correctiveActions, organisations, rootCauses, users, type Channel } from "@/db/schema";
import { requirePermission, type Actor } from "@/lib/auth/guard";
import { drillHref, scopeFor, type DashboardFilters, type DateRange } from "../filters";

const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** The share of the total the "vital few" reach (PRODUCT.md: 80 %). */
export const VITAL_SHARE = 0.8;

async function orgCurrency(actor: Actor): Promise<string> {
  const { db } = await getDatabase();
  const [org] = await db
    .select({ currency: organisations.currency })
    .from(organisations)
    .where(eq(organisations.id, actor.orgId));
  return org?.currency ?? "USD";
}

// ---------------------------------------------------------------- Pareto

export type ParetoBasis = "count" | "cost";

export interface ParetoBar {
  rootCauseId: string;
  label: string;
  category: string;
  /** Complaints (count basis) or delivered remedy cost in minor units of `currency` (cost basis). */
  value: number;
  /** Complaints behind the bar: what the drilled-down list counts. */
  complaints: number;
  /** Share of the total up to and including this bar, 0–1. */
  cumulative: number;
  /** Among the causes that together reach 80 % of the total. */
  vital: boolean;
  href: string;
}

export interface RootCausePareto {
  basis: ParetoBasis;
  /** Cost basis: the organisation's reporting currency; count basis: null. */
  currency: string | null;
  total: number;
  bars: ParetoBar[];
  /** Complaints in scope without a root cause (not in the Pareto), with their list. */
  unassigned: { count: number; href: string };
  /** Cost basis: delivered remedy costs in other currencies, left out of the bars (never converted). */
  otherCurrencies: { currency: string; costMinor: number }[];
}

/**
 * Root-cause Pareto: complaints (or delivered remedy cost) per root cause over complaints
 * received in the range, descending, with cumulative share; the "vital few" are the causes,
 * in order, up to and including the first whose cumulative share reaches 80 %.
 * Choices: complaints without a root cause are left out of the bars and reported as `unassigned`.
 * Ties are ordered by cause name. Cost basis: the sum of delivered remedies with a known cost in
 * the organisation's reporting currency only; other currencies are excluded from the bars (never
 * converted) and totalled separately in `otherCurrencies`. A cost bar drills down to the cause's
 * complaints with a delivered remedy cost in that currency (set `remedy-cost`).
 */
export async function rootCausePareto(
  f: DashboardFilters,
  basis: ParetoBasis = "count",
): Promise<RootCausePareto> {
  const actor = await requirePermission("dashboard:quality");
  const { db } = await getDatabase();
  const scope = scopeFor(actor, f);
  const currency = basis === "cost" ? await orgCurrency(actor) : null;

  const perCause: SQL =
    currency === null
      ? sql`select complaints.root_cause_id as id, count(*)::float8 as value, count(*)::int as n
            from complaints where ${scope} and complaints.root_cause_id is not null group by 1`
      : sql`select complaints.root_cause_id as id, sum(r.cost_minor)::float8 as value, count(distinct complaints.id)::int as n
            from complaints join remedies r on r.org_id = complaints.org_id and r.complaint_id = complaints.id
              and r.delivered_at is not null and r.cost_minor is not null and r.currency = ${currency}
            where ${scope} and complaints.root_cause_id is not null group by 1`;

  const rows = await queryRows<{
    id: string;
    name: string;
    category: string;
    value: number;
    n: number;
    before: number;
    cumulative: number;
    total: number;
  }>(
    db,
    sql`with per as (${perCause})
        select per.id, rc.name, cat.name as category, per.value, per.n,
          coalesce(sum(per.value) over (order by per.value desc, rc.name, per.id rows between unbounded preceding and 1 preceding), 0)::float8 as before,
          (sum(per.value) over (order by per.value desc, rc.name, per.id rows unbounded preceding))::float8 as cumulative,
          (sum(per.value) over ())::float8 as total
        from per
        join root_causes rc on rc.org_id = ${actor.orgId} and rc.id = per.id
        join root_cause_categories cat on cat.org_id = rc.org_id and cat.id = rc.category_id
        where per.value > 0
        order by per.value desc, rc.name, per.id`,
  );
  const total = Number(rows[0]?.total ?? 0);
  const bars = rows.map((r) => ({
    rootCauseId: r.id,
    label: r.name,
    category: r.category,
    value: Number(r.value),
    complaints: Number(r.n),
    cumulative: total > 0 ? Number(r.cumulative) / total : 0,
    vital: total > 0 && Number(r.before) / total < VITAL_SHARE,
    href: drillHref(f, {
      extra: { rootCause: r.id },
      ...(currency
        ? { set: "remedy-cost" as const, extra: { rootCause: r.id, arg: currency } }
        : {}),
    }),
  }));

  const unassignedScope = scopeFor(actor, f, { extra: { rootCause: "none" } });
  const [unassigned] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from complaints where ${unassignedScope}`,
  );
  const otherCurrencies = currency
    ? (
        await queryRows<{ currency: string; cost: number }>(
          db,
          sql`select r.currency, sum(r.cost_minor)::float8 as cost
              from complaints join remedies r on r.org_id = complaints.org_id and r.complaint_id = complaints.id
                and r.delivered_at is not null and r.cost_minor is not null and r.currency <> ${currency}
              where ${scope} and complaints.root_cause_id is not null
              group by 1 order by 1`,
        )
      ).map((r) => ({ currency: r.currency, costMinor: Number(r.cost) }))
    : [];

  return {
    basis,
    currency,
    total,
    bars,
    unassigned: {
      count: Number(unassigned?.n ?? 0),
      href: drillHref(f, { extra: { rootCause: "none" } }),
    },
    otherCurrencies,
  };
}

// ---------------------------------------------------------------- trend

export interface RootCauseTrend {
  causes: { id: string; name: string }[];
  /** Months of the range (YYYY-MM), each with the count per cause id; every month present. */
  months: { month: string; from: string; to: string; counts: Record<string, number> }[];
  /** One point per month × cause, with the list behind it (table, CSV, drill-down). */
  points: { month: string; rootCauseId: string; cause: string; count: number; href: string }[];
}

/**
 * Root-cause trend: monthly counts (by received month, UTC) of the `top` causes with the most
 * complaints received in the range. Choice: months are clipped to the range, so the first and
 * last month may be partial; a point drills down to the cause over that (clipped) month.
 */
export async function rootCauseTrend(f: DashboardFilters, top = 5): Promise<RootCauseTrend> {
  const actor = await requirePermission("dashboard:quality");
  const { db } = await getDatabase();
  const scope = scopeFor(actor, f);
  const rows = await queryRows<{ id: string; name: string; month: string | null; n: number }>(
    db,
    sql`with top as (
          select complaints.root_cause_id as id, count(*) as total from complaints
          where ${scope} and complaints.root_cause_id is not null
          group by 1 order by count(*) desc,
            (select r.name from root_causes r where r.org_id = ${actor.orgId} and r.id = complaints.root_cause_id), 1
          limit ${top}
        ), monthly as (
          select complaints.root_cause_id as id, to_char(complaints.received_at at time zone 'UTC', 'YYYY-MM') as month, count(*)::int as n
          from complaints where ${scope} and complaints.root_cause_id in (select id from top) group by 1, 2
        )
        select top.id, rc.name, monthly.month, coalesce(monthly.n, 0)::int as n
        from top join root_causes rc on rc.org_id = ${actor.orgId} and rc.id = top.id
        left join monthly on monthly.id = top.id
        order by top.total desc, rc.name, top.id, monthly.month`,
  );
  const causes: RootCauseTrend["causes"] = [];
  for (const r of rows)
    if (!causes.some((c) => c.id === r.id)) causes.push({ id: r.id, name: r.name });

  const months: RootCauseTrend["months"] = [];
  let cursor = dayMs(`${f.current.from.slice(0, 7)}-01`);
  const end = dayMs(f.current.to);
  while (cursor <= end) {
    const d = new Date(cursor);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const from = isoDay(Math.max(cursor, dayMs(f.current.from)));
    const to = isoDay(Math.min(next - DAY, end));
    const counts: Record<string, number> = {};
    for (const c of causes) counts[c.id] = 0;
    months.push({ month: isoDay(cursor).slice(0, 7), from, to, counts });
    cursor = next;
  }
  for (const r of rows) {
    const month = months.find((m) => m.month === r.month);
    if (month) month.counts[r.id] = Number(r.n);
  }
  const points = months.flatMap((m) =>
    causes.map((c) => ({
      month: m.month,
      rootCauseId: c.id,
      cause: c.name,
      count: m.counts[c.id] ?? 0,
      href: drillHref(f, { range: { from: m.from, to: m.to }, extra: { rootCause: c.id } }),
    })),
  );
  return { causes, months, points };
}

// ---------------------------------------------------------------- heat map

export type HeatMapAxis = "product" | "channel";

export interface RootCauseHeatMap {
  axis: HeatMapAxis;
  rows: { id: string; label: string }[];
  columns: { id: string; label: string }[];
  cells: { row: string; column: string; value: number; href: string }[];
}

/**
 * Root cause × product (or channel): complaints received in the range per cell. Choices: products
 * are grouped by top-level product (a sub-product counts under its parent, matching the list's
 * product filter, which includes sub-products) — unless the dashboard is filtered to one product,
 * whose single column is then that product; complaints without a product or root cause are
 * left out; rows are the `limit` causes with the most complaints.
 */
export async function rootCauseHeatMap(
  f: DashboardFilters,
  axis: HeatMapAxis = "product",
  limit = 12,
): Promise<RootCauseHeatMap> {
  const actor = await requirePermission("dashboard:quality");
  const { db } = await getDatabase();
  const scope = scopeFor(actor, f);
  const rows = await queryRows<{
    rc: string;
    rc_name: string;
    col: string;
    col_name: string;
    n: number;
  }>(
    db,
    axis === "product"
      ? sql`with cells as (
              select complaints.root_cause_id as rc, coalesce(${f.dimensions.product ?? null}::uuid, p.parent_id, p.id) as col, count(*)::int as n
              from complaints join products p on p.org_id = complaints.org_id and p.id = complaints.product_id
              where ${scope} and complaints.root_cause_id is not null group by 1, 2
            ), top as (select rc from cells group by rc order by sum(n) desc,
              (select r.name from root_causes r where r.org_id = ${actor.orgId} and r.id = cells.rc), rc limit ${limit})
            select cells.rc, rc.name as rc_name, cells.col::text as col, p.name as col_name, cells.n
            from cells join top on top.rc = cells.rc
            join root_causes rc on rc.org_id = ${actor.orgId} and rc.id = cells.rc
            join products p on p.org_id = ${actor.orgId} and p.id = cells.col`
      : sql`with cells as (
              select complaints.root_cause_id as rc, complaints.channel::text as col, count(*)::int as n
              from complaints where ${scope} and complaints.root_cause_id is not null group by 1, 2
            ), top as (select rc from cells group by rc order by sum(n) desc,
              (select r.name from root_causes r where r.org_id = ${actor.orgId} and r.id = cells.rc), rc limit ${limit})
            select cells.rc, rc.name as rc_name, cells.col, cells.col as col_name, cells.n
            from cells join top on top.rc = cells.rc
            join root_causes rc on rc.org_id = ${actor.orgId} and rc.id = cells.rc`,
  );
  const totals = new Map<string, { label: string; n: number }>();
  const colTotals = new Map<string, { label: string; n: number }>();
  for (const r of rows) {
    const t = totals.get(r.rc) ?? { label: r.rc_name, n: 0 };
    t.n += Number(r.n);
    totals.set(r.rc, t);
    const c = colTotals.get(r.col) ?? { label: r.col_name, n: 0 };
    c.n += Number(r.n);
    colTotals.set(r.col, c);
  }
  const order = (m: Map<string, { label: string; n: number }>) =>
    [...m.entries()]
      .sort((a, b) => b[1].n - a[1].n || a[1].label.localeCompare(b[1].label))
      .map(([id, v]) => ({
        id,
        label: axis === "channel" && m === colTotals ? channelLabel(id) : v.label,
      }));
  return {
    axis,
    rows: order(totals),
    columns: order(colTotals),
    cells: rows.map((r) => ({
      row: r.rc,
      column: r.col,
      value: Number(r.n),
      href: drillHref(f, {
        extra:
          axis === "product"
            ? { rootCause: r.rc, product: r.col }
            : { rootCause: r.rc, channel: r.col as Channel },
      }),
    })),
  };
}

function channelLabel(channel: string): string {
  return channel === "in_person" ? "In person" : channel[0]!.toUpperCase() + channel.slice(1);
}

// ---------------------------------------------------------------- repeat complaints

export interface RepeatComplaints {
  count: number;
  previous: number;
  href: string;
  /** Repeat complaints received in the range, by root cause. */
  byCause: { rootCauseId: string; label: string; count: number; href: string }[];
}

/**
 * Repeat complaints received in the range (set `repeat`, lib/metrics/sets-root-causes.ts: same
 * customer, same root cause, within 90 days of an earlier one being resolved), with the previous
 * period's count and a breakdown by cause.
 */
export async function repeatComplaints(f: DashboardFilters): Promise<RepeatComplaints> {
  const actor = await requirePermission("dashboard:quality");
  const { db } = await getDatabase();
  const count = async (range: DateRange) => {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from complaints where ${scopeFor(actor, f, { range, set: "repeat" })}`,
    );
    return Number(row?.n ?? 0);
  };
  const byCause = await queryRows<{ id: string; name: string; n: number }>(
    db,
    sql`select complaints.root_cause_id as id, rc.name, count(*)::int as n
        from complaints join root_causes rc on rc.org_id = complaints.org_id and rc.id = complaints.root_cause_id
        where ${scopeFor(actor, f, { set: "repeat" })}
        group by 1, 2 order by 3 desc, 2`,
  );
  return {
    count: await count(f.current),
    previous: await count(f.previous),
    href: drillHref(f, { set: "repeat" }),
    byCause: byCause.map((r) => ({
      rootCauseId: r.id,
      label: r.name,
      count: Number(r.n),
      href: drillHref(f, { set: "repeat", extra: { rootCause: r.id } }),
    })),
  };
}

// ---------------------------------------------------------------- corrective actions & recurrence

export interface Recurrence {
  /** N: the cause's recurrence window in weeks. */
  weeks: number;
  before: { from: string; to: string; count: number; perWeek: number; href: string };
  after: { from: string; to: string; count: number; perWeek: number; href: string };
  /** False until N weeks have passed since done at: the after-figures are then partial. */
  measurable: boolean;
  /** 1 − after ÷ before; null when not measurable or when there was nothing before. */
  effectiveness: number | null;
}

export interface CorrectiveActionRow {
  id: string;
  version: number;
  title: string;
  description: string | null;
  rootCauseId: string;
  rootCause: string;
  ownerId: string | null;
  owner: string | null;
  status: "proposed" | "in_progress" | "done" | "verified";
  dueAt: string | null;
  doneAt: string | null;
  verificationNote: string | null;
  overdue: boolean;
  recurrence: Recurrence | null;
}

export interface CorrectiveActionsReport {
  actions: CorrectiveActionRow[];
  /** Done or verified actions whose recurrence is measurable. */
  measurable: number;
  /** Of those, verified and effective (after-rate below the before-rate). */
  verifiedEffective: number;
  /** verifiedEffective ÷ measurable; null when nothing is measurable yet. */
  verifiedEffectiveShare: number | null;
}

/**
 * Corrective actions with recurrence (PRODUCT.md "recurrence"): the weekly rate of the cause in the
 * N weeks before the action was done vs the N weeks after; N = the cause's recurrence window
 * (default 8). Choices: windows are whole UTC days, so the list can drill into them — "before" is
 * the 7·N days ending the day before the done date, "after" the 7·N days from the done date on;
 * complaints count by received date, with the dashboard's dimension filters (team, channel, …)
 * but not its date range. Measurable once the after-window has fully passed (`today` is later than
 * its last day). Effectiveness = 1 − after ÷ before, null if before is 0. "Verified effective":
 * status verified and effectiveness > 0; the share is over measurable done-or-verified actions.
 * Every action of the organisation is listed (the dashboard's root-cause filter narrows them).
 */
export async function correctiveActionsReport(
  f: DashboardFilters,
  today: Date = new Date(),
): Promise<CorrectiveActionsReport> {
  const actor = await requirePermission("dashboard:quality");
  const { db } = await getDatabase();
  const rows = await db
    .select({
      ...correctiveActionColumns,
      weeks: rootCauses.recurrenceWindowWeeks,
      owner: users.name,
    })
    .from(correctiveActions)
    .innerJoin(rootCauses, rootCauseOfAction)
    .leftJoin(
      users,
      and(eq(users.orgId, correctiveActions.orgId), eq(users.id, correctiveActions.ownerId)),
    )
    .where(
      and(
        eq(correctiveActions.orgId, actor.orgId),
        f.dimensions.rootCause && f.dimensions.rootCause !== "none"
          ? eq(correctiveActions.rootCauseId, f.dimensions.rootCause)
          : undefined,
      ),
    )
    .orderBy(
      sql`case ${correctiveActions.status} when 'in_progress' then 0 when 'proposed' then 1 when 'done' then 2 else 3 end`,
      asc(correctiveActions.dueAt),
      asc(correctiveActions.title),
    );

  const todayDay = isoDay(today.getTime());
  const actions: CorrectiveActionRow[] = [];
  for (const r of rows) {
    let recurrence: Recurrence | null = null;
    if (r.doneAt) {
      const done = dayMs(isoDay(r.doneAt.getTime()));
      const span = r.weeks * 7 * DAY;
      const before = { from: isoDay(done - span), to: isoDay(done - DAY) };
      const after = { from: isoDay(done), to: isoDay(done + span - DAY) };
      const extra = { rootCause: r.rootCauseId };
      const beforeScope = scopeFor(actor, f, { range: before, extra });
      const afterScope = scopeFor(actor, f, { range: after, extra });
      const [counts] = await queryRows<{ before: number; after: number }>(
        db,
        sql`select count(*) filter (where ${beforeScope})::int as before, count(*) filter (where ${afterScope})::int as after
            from complaints where (${beforeScope}) or (${afterScope})`,
      );
      const b = Number(counts?.before ?? 0);
      const a = Number(counts?.after ?? 0);
      const measurable = todayDay > after.to;
      recurrence = {
        weeks: r.weeks,
        before: {
          ...before,
          count: b,
          perWeek: b / r.weeks,
          href: drillHref(f, { range: before, extra }),
        },
        after: {
          ...after,
          count: a,
          perWeek: a / r.weeks,
          href: drillHref(f, { range: after, extra }),
        },
        measurable,
        effectiveness: measurable && b > 0 ? 1 - a / b : null,
      };
    }
    actions.push({
      id: r.id,
      version: r.version,
      title: r.title,
      description: r.description,
      rootCauseId: r.rootCauseId,
      rootCause: r.rootCause,
      ownerId: r.ownerId,
      owner: r.owner,
      status: r.status,
      dueAt: r.dueAt ? isoDay(r.dueAt.getTime()) : null,
      doneAt: r.doneAt ? isoDay(r.doneAt.getTime()) : null,
      verificationNote: r.verificationNote,
      overdue:
        (r.status === "proposed" || r.status === "in_progress") &&
        r.dueAt !== null &&
        isoDay(r.dueAt.getTime()) < todayDay,
      recurrence,
    });
  }
  const measured = actions.filter(
    (a) => (a.status === "done" || a.status === "verified") && a.recurrence?.measurable,
  );
  const verifiedEffective = measured.filter(
    (a) => a.status === "verified" && (a.recurrence?.effectiveness ?? 0) > 0,
  ).length;
  return {
    actions,
    measurable: measured.length,
    verifiedEffective,
    verifiedEffectiveShare: measured.length > 0 ? verifiedEffective / measured.length : null,
  };
}
