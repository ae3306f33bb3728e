/**
 * Quality dashboard metrics (PRODUCT.md "root-cause Pareto", "repeat complaint", "recurrence"):
 * which few causes hurt most, and whether the fixes for them work. Each function authorises
 * itself and reads the rollups (or the complaint facts when the filters need them:
 * lib/rollups/read.ts), and returns each figure with the `href` of the complaints list behind it
 * (same filters, same set), so the list's count equals the figure. The raw-row implementation is
 * lib/metrics/reference/root-causes.ts; the tests hold the two equal.
 */
import "server-only";
import { correctiveActionColumns, rootCauseOfAction } from "@/lib/corrective-actions/queries";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDatabase, queryRows } from "@/db";
import {
  correctiveActions,
  organisations,
  products,
  rootCauseCategories,
  rootCauses,
  users,
  type Channel,
} from "@/db/schema";
import { requirePermission, type Actor } from "@/lib/auth/guard";
import {
  factsWhere,
  figureScope,
  moneyBy,
  sums,
  sumsBy,
  sumsByGroups,
  type FigureScope,
} from "@/lib/rollups/read";
import { ROOT_CAUSE_BY_CHANNEL, ROOT_CAUSE_BY_PRODUCT } from "@/lib/rollups/maintain";
import { drillHref, type DashboardFilters } from "./filters";
import type {
  CorrectiveActionRow,
  CorrectiveActionsReport,
  HeatMapAxis,
  ParetoBasis,
  ParetoBar,
  Recurrence,
  RepeatComplaints,
  RootCauseHeatMap,
  RootCausePareto,
  RootCauseTrend,
} from "./reference/root-causes";
import { VITAL_SHARE } from "./reference/root-causes";

export type {
  CorrectiveActionRow,
  CorrectiveActionsReport,
  HeatMapAxis,
  ParetoBar,
  ParetoBasis,
  Recurrence,
  RepeatComplaints,
  RootCauseHeatMap,
  RootCausePareto,
  RootCauseTrend,
} from "./reference/root-causes";
export { VITAL_SHARE };

const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);

async function quality(f: DashboardFilters): Promise<{ actor: Actor; scope: FigureScope }> {
  const actor = await requirePermission("dashboard:quality");
  return { actor, scope: await figureScope(actor, f) };
}

async function orgCurrency(actor: Actor): Promise<string> {
  const { db } = await getDatabase();
  const [org] = await db
    .select({ currency: organisations.currency })
    .from(organisations)
    .where(eq(organisations.id, actor.orgId));
  return org?.currency ?? "USD";
}

/** The organisation's root causes with their category names and their rank in the database's name order. */
async function causeNames(
  orgId: string,
): Promise<Map<string, { name: string; category: string; rank: number }>> {
  const { db } = await getDatabase();
  const rows = await db
    .select({ id: rootCauses.id, name: rootCauses.name, category: rootCauseCategories.name })
    .from(rootCauses)
    .innerJoin(
      rootCauseCategories,
      and(
        eq(rootCauseCategories.orgId, rootCauses.orgId),
        eq(rootCauseCategories.id, rootCauses.categoryId),
      ),
    )
    .where(eq(rootCauses.orgId, orgId))
    // Ties are broken by name as the database orders text (its collation), as the reference does.
    .orderBy(asc(rootCauses.name), asc(rootCauses.id));
  return new Map(rows.map((r, rank) => [r.id, { name: r.name, category: r.category, rank }]));
}

/** The filters with one dimension replaced (e.g. the cause of a bar, or "none"). */
const withDimension = (
  f: DashboardFilters,
  dimensions: Partial<DashboardFilters["dimensions"]>,
): DashboardFilters => ({ ...f, dimensions: { ...f.dimensions, ...dimensions } });

// ---------------------------------------------------------------- Pareto

/**
 * Root-cause Pareto: complaints (or delivered remedy cost in the organisation's currency) per
 * root cause over complaints received in the range, descending (ties by name, then id), with
 * cumulative share; the "vital few" reach 80 %. Complaints without a cause are `unassigned`;
 * other currencies are totalled apart, never converted (see the reference for every choice).
 */
export async function rootCausePareto(
  f: DashboardFilters,
  basis: ParetoBasis = "count",
): Promise<RootCausePareto> {
  const { actor, scope } = await quality(f);
  const currency = basis === "cost" ? await orgCurrency(actor) : null;
  const [names, unassignedScope] = await Promise.all([
    causeNames(actor.orgId),
    figureScope(actor, withDimension(f, { rootCause: "none" })),
  ]);
  let perCause: { id: string; value: number; n: number }[];
  let otherCurrencies: { currency: string; costMinor: number }[] = [];
  if (currency === null) {
    const rows = await sumsBy(scope, "received", f.current, ["complaints"], "rootCause");
    perCause = rows
      .filter((r) => r.group !== "none" && (r.complaints ?? 0) > 0)
      .map((r) => ({ id: r.group, value: r.complaints!, n: r.complaints! }));
  } else {
    const money = (await moneyBy(scope, f.current, ["rootCause"])).filter(
      (m) => m.keys[0] !== "none" && m.costedComplaints > 0,
    );
    perCause = money
      .filter((m) => m.currency === currency)
      .map((m) => ({ id: m.keys[0]!, value: m.costMinor, n: m.costedComplaints }));
    const others = new Map<string, number>();
    for (const m of money)
      if (m.currency !== currency)
        others.set(m.currency, (others.get(m.currency) ?? 0) + m.costMinor);
    otherCurrencies = [...others.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([c, costMinor]) => ({ currency: c, costMinor }));
  }
  const ordered = perCause
    .filter((p) => p.value > 0 && names.has(p.id))
    .map((p) => ({ ...p, ...names.get(p.id)! }))
    .sort((a, b) => b.value - a.value || a.rank - b.rank);
  const total = ordered.reduce((t, p) => t + p.value, 0);
  let running = 0;
  const bars: ParetoBar[] = ordered.map((p) => {
    const before = running;
    running += p.value;
    return {
      rootCauseId: p.id,
      label: p.name,
      category: p.category,
      value: p.value,
      complaints: p.n,
      cumulative: total > 0 ? running / total : 0,
      vital: total > 0 && before / total < VITAL_SHARE,
      href: drillHref(f, {
        extra: { rootCause: p.id },
        ...(currency
          ? { set: "remedy-cost" as const, extra: { rootCause: p.id, arg: currency } }
          : {}),
      }),
    };
  });
  const unassigned = await sums(unassignedScope, "received", f.current, ["complaints"]);
  return {
    basis,
    currency,
    total,
    bars,
    unassigned: {
      count: unassigned.complaints!,
      href: drillHref(f, { extra: { rootCause: "none" } }),
    },
    otherCurrencies,
  };
}

/** Byte order, as PostgreSQL orders uuids. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------- trend

/**
 * Root-cause trend: monthly counts (received month, UTC, clipped to the range) of the `top`
 * causes with the most complaints received in the range (ties by name).
 */
export async function rootCauseTrend(f: DashboardFilters, top = 5): Promise<RootCauseTrend> {
  const { actor, scope } = await quality(f);
  const [rows, names] = await Promise.all([
    sumsByGroups(scope, "received", f.current, ["complaints"], ["rootCause", "month"]),
    causeNames(actor.orgId),
  ]);
  const totals = new Map<string, number>();
  for (const r of rows)
    if (r.keys[0] !== "none" && r.complaints)
      totals.set(r.keys[0]!, (totals.get(r.keys[0]!) ?? 0) + (r.complaints ?? 0));
  const causes = [...totals.entries()]
    .filter(([id]) => names.has(id))
    .sort((a, b) => b[1] - a[1] || names.get(a[0])!.rank - names.get(b[0])!.rank)
    .slice(0, top)
    .map(([id]) => ({ id, name: names.get(id)!.name }));

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
  const chosen = new Set(causes.map((c) => c.id));
  for (const r of rows) {
    if (!chosen.has(r.keys[0]!)) continue;
    const month = months.find((m) => m.month === r.keys[1]);
    if (month) month.counts[r.keys[0]!] = (month.counts[r.keys[0]!] ?? 0) + r.complaints!;
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

/**
 * Root cause × product (top-level, unless the dashboard is filtered to one product) or × channel:
 * complaints received in the range per cell, for the `limit` causes with the most complaints.
 * Unfiltered, from the pair rollups (dims 7 and 8); filtered on the axis alone (one product or
 * channel), from that filter's cause pairs; otherwise from the facts.
 */
export async function rootCauseHeatMap(
  f: DashboardFilters,
  axis: HeatMapAxis = "product",
  limit = 12,
): Promise<RootCauseHeatMap> {
  const { actor, scope } = await quality(f);
  const { db } = await getDatabase();
  const column = axis === "product" ? sql`d.product_id::text` : sql`d.channel::text`;
  // No filter: the cause × product / cause × channel rollups; else the facts.
  const pairDim = axis === "product" ? ROOT_CAUSE_BY_PRODUCT : ROOT_CAUSE_BY_CHANNEL;
  // Filtered on the axis's own dimension (one product, or one channel): one column, the cause
  // pair rollups of that filter.
  const axisFilter = axis === "product" ? f.dimensions.product : f.dimensions.channel;
  const onAxisOnly = scope.conditions.length === 1 && axisFilter !== undefined;
  const cellQuery = onAxisOnly
    ? null
    : scope.rollup?.dim === 0
      ? sql`select l.rc, l.col, l.n from (select split_part(r.key, '|', 1) as rc, split_part(r.key, '|', 2) as col,
            sum(r.complaints)::int as n
          from complaint_rollups r
          where r.org_id = ${scope.orgId} and r.basis = 0 and r.dim = ${pairDim}
            and r.day between ${f.current.from}::date and ${f.current.to}::date
          group by r.key) l
          where l.n <> 0 and l.rc <> 'none' and l.col <> 'none'`
      : sql`select d.root_cause_id::text as rc, ${column} as col, count(*)::int as n
        from complaint_facts d where ${factsWhere(scope, "received", f.current)}
          and d.root_cause_id is not null ${axis === "product" ? sql`and d.product_id is not null` : sql``}
        group by 1, 2`;
  const [raw, names, productRows] = await Promise.all([
    cellQuery
      ? queryRows<{ rc: string; col: string; n: number }>(db, cellQuery)
      : axisFilter === "none" // no product: no column (as the facts' `product_id is not null`)
        ? Promise.resolve([])
        : sumsBy(scope, "received", f.current, ["complaints"], "rootCause").then((rows) =>
            rows
              .filter((r) => r.group !== "none" && r.complaints)
              .map((r) => ({ rc: r.group, col: axisFilter!, n: r.complaints! })),
          ),
    causeNames(actor.orgId),
    axis === "product"
      ? db
          .select({ id: products.id, name: products.name, parentId: products.parentId })
          .from(products)
          .where(eq(products.orgId, actor.orgId))
      : Promise.resolve([]),
  ]);
  const product = new Map(productRows.map((p) => [p.id, p]));
  // A sub-product counts under its product (or the one product the dashboard is filtered to).
  const cellsByKey = new Map<string, { rc: string; col: string; n: number }>();
  for (const r of raw) {
    const col =
      axis === "product" ? (f.dimensions.product ?? product.get(r.col)?.parentId ?? r.col) : r.col;
    const key = `${r.rc}|${col}`;
    const cell = cellsByKey.get(key) ?? { rc: r.rc, col, n: 0 };
    cell.n += Number(r.n);
    cellsByKey.set(key, cell);
  }
  const cells = [...cellsByKey.values()];
  const causeTotals = new Map<string, number>();
  for (const c of cells) causeTotals.set(c.rc, (causeTotals.get(c.rc) ?? 0) + c.n);
  const topCauses = new Set(
    [...causeTotals.entries()]
      // Ties by name, not id: the same data gives the same heat map in any organisation.
      .sort(
        (a, b) =>
          b[1] - a[1] ||
          (names.get(a[0])?.rank ?? Infinity) - (names.get(b[0])?.rank ?? Infinity) ||
          compareText(a[0], b[0]),
      )
      .slice(0, limit)
      .map(([rc]) => rc),
  );
  const shown = cells.filter((c) => topCauses.has(c.rc) && names.has(c.rc));
  const totals = new Map<string, { label: string; n: number }>();
  const colTotals = new Map<string, { label: string; n: number }>();
  for (const c of shown) {
    const t = totals.get(c.rc) ?? { label: names.get(c.rc)!.name, n: 0 };
    t.n += c.n;
    totals.set(c.rc, t);
    const label = axis === "product" ? (product.get(c.col)?.name ?? c.col) : c.col;
    const ct = colTotals.get(c.col) ?? { label, n: 0 };
    ct.n += c.n;
    colTotals.set(c.col, ct);
  }
  const order = (m: Map<string, { label: string; n: number }>) =>
    [...m.entries()]
      .sort((a, b) => b[1].n - a[1].n || a[1].label.localeCompare(b[1].label))
      .map(([id, v]) => ({
        id,
        label: axis === "channel" && m === colTotals ? channelLabel(id) : v.label,
      }));
  const rows = order(totals);
  const columns = order(colTotals);
  // Cells row by row, in the rows' and columns' order (not the database's).
  const rowAt = new Map(rows.map((r, i) => [r.id, i]));
  const columnAt = new Map(columns.map((c, i) => [c.id, i]));
  shown.sort(
    (a, b) => rowAt.get(a.rc)! - rowAt.get(b.rc)! || columnAt.get(a.col)! - columnAt.get(b.col)!,
  );
  return {
    axis,
    rows,
    columns,
    cells: shown.map((c) => ({
      row: c.rc,
      column: c.col,
      value: c.n,
      href: drillHref(f, {
        extra:
          axis === "product"
            ? { rootCause: c.rc, product: c.col }
            : { rootCause: c.rc, channel: c.col as Channel },
      }),
    })),
  };
}

function channelLabel(channel: string): string {
  return channel === "in_person" ? "In person" : channel[0]!.toUpperCase() + channel.slice(1);
}

// ---------------------------------------------------------------- repeat complaints

/** Repeat complaints received in the range (set `repeat`), the previous period's, and by cause. */
export async function repeatComplaints(f: DashboardFilters): Promise<RepeatComplaints> {
  const { actor, scope } = await quality(f);
  const [current, previous, byCause, names] = await Promise.all([
    sums(scope, "received", f.current, ["repeat"]),
    sums(scope, "received", f.previous, ["repeat"]),
    sumsBy(scope, "received", f.current, ["repeat"], "rootCause"),
    causeNames(actor.orgId),
  ]);
  return {
    count: current.repeat!,
    previous: previous.repeat!,
    href: drillHref(f, { set: "repeat" }),
    byCause: byCause
      .filter((r) => r.repeat! > 0 && names.has(r.group))
      .map((r) => ({ id: r.group, ...names.get(r.group)!, n: r.repeat! }))
      .sort((a, b) => b.n - a.n || a.rank - b.rank)
      .map((r) => ({
        rootCauseId: r.id,
        label: r.name,
        count: r.n,
        href: drillHref(f, { set: "repeat", extra: { rootCause: r.id } }),
      })),
  };
}

// ---------------------------------------------------------------- corrective actions & recurrence
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
  // Each action's cause, counted in its before and after windows (dimension filters apply).
  const windows = await Promise.all(
    rows.map(async (r) => {
      if (!r.doneAt) return null;
      const done = dayMs(isoDay(r.doneAt.getTime()));
      const span = r.weeks * 7 * DAY;
      const before = { from: isoDay(done - span), to: isoDay(done - DAY) };
      const after = { from: isoDay(done), to: isoDay(done + span - DAY) };
      const scope = await figureScope(actor, withDimension(f, { rootCause: r.rootCauseId }));
      const [b, a] = await Promise.all([
        sums(scope, "received", before, ["complaints"]),
        sums(scope, "received", after, ["complaints"]),
      ]);
      return { before, after, b: b.complaints!, a: a.complaints! };
    }),
  );
  const actions: CorrectiveActionRow[] = [];
  for (const [i, r] of rows.entries()) {
    let recurrence: Recurrence | null = null;
    const w = windows[i];
    if (w) {
      const { before, after, b, a } = w;
      const extra = { rootCause: r.rootCauseId };
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
