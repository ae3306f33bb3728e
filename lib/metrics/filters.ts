/**
 * Dashboard filters: a date range (a preset or custom dates) and the same dimension filters as
 * the complaints list (team, owner, channel, severity, product, root cause), all in the URL.
 * Every metric scopes its complaints through the list's own `filteredSet`, and every drill-down
 * link is a list URL with the same filters plus the figure's set — one definition of each set.
 */
import type { SQL } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "@/lib/auth/guard";
import {
  filteredSet,
  filtersFrom,
  filtersToSearchParams,
  type ComplaintFilters,
  type SearchParamsInput,
} from "@/lib/complaints/list";
import { calendarDay, clampRange, type RangeClamp } from "./range-guard";
import type { DateBasis, DrillSet } from "./sets";

export const rangePresets = ["7d", "30d", "90d", "quarter", "year", "custom"] as const;
export type RangePreset = (typeof rangePresets)[number];
export const rangeLabels: Record<RangePreset, string> = {
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  quarter: "This quarter",
  year: "Last 12 months",
  custom: "Custom",
};

/** An inclusive range of UTC dates, YYYY-MM-DD. */
export interface DateRange {
  from: string;
  to: string;
}

export interface DashboardFilters {
  range: RangePreset;
  current: DateRange;
  /** The previous period of equal length, for "change vs previous". */
  previous: DateRange;
  /** The list filters minus dates, sort and paging: team, owner, channel, severity, product, root cause. */
  dimensions: Pick<
    ComplaintFilters,
    "team" | "owner" | "channel" | "severity" | "product" | "rootCause"
  >;
}

const day = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const parseDay = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** The range a preset means on a given day (today included). */
export function presetRange(preset: Exclude<RangePreset, "custom">, today: Date): DateRange {
  const end = parseDay(iso(today.getTime()));
  switch (preset) {
    case "7d":
      return { from: iso(end - 6 * day), to: iso(end) };
    case "30d":
      return { from: iso(end - 29 * day), to: iso(end) };
    case "90d":
      return { from: iso(end - 89 * day), to: iso(end) };
    case "quarter": {
      const d = new Date(end);
      const start = Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
      return { from: iso(start), to: iso(end) };
    }
    case "year": {
      const d = new Date(end);
      const start = Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate() + 1);
      return { from: iso(start), to: iso(end) };
    }
  }
}

/** The period of equal length that ends the day before `range` starts. */
export function previousRange(range: DateRange): DateRange {
  const days = Math.round((parseDay(range.to) - parseDay(range.from)) / day) + 1;
  const to = parseDay(range.from) - day;
  return { from: iso(to - (days - 1) * day), to: iso(to) };
}

/** Dashboard filters as the pages read them: `clamped` says how a custom range was cut to the rule. */
export interface ParsedDashboardFilters extends DashboardFilters {
  clamped?: RangeClamp;
}

/**
 * Dashboard filters from the URL; anything unreadable falls back to the default (last 90 days).
 * A custom range outside the years or longer than the rule allows (range-guard.ts) is clamped,
 * and `clamped` says what was asked and what is shown.
 */
export function parseDashboardFilters(
  params: SearchParamsInput = {},
  today = new Date(),
): ParsedDashboardFilters {
  const get = (key: string) => {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    return Array.isArray(value) ? value[0] : (value ?? undefined);
  };
  const list = filtersFrom(params);
  const dimensions = {
    team: list.team,
    owner: list.owner,
    channel: list.channel,
    severity: list.severity,
    product: list.product,
    rootCause: list.rootCause,
  };
  const preset = z.enum(rangePresets).safeParse(get("range"));
  // Any real day here: one outside the allowed years is clamped (and said), not dropped.
  const from = calendarDay.safeParse(get("from"));
  const to = calendarDay.safeParse(get("to"));
  let range: RangePreset = preset.success ? preset.data : "90d";
  let current: DateRange;
  let clamped: RangeClamp | undefined;
  if (range === "custom" || (!preset.success && from.success && to.success)) {
    if (from.success && to.success && from.data <= to.data) {
      range = "custom";
      ({ range: current, clamped } = clampRange({ from: from.data, to: to.data }));
    } else {
      range = "90d";
      current = presetRange("90d", today);
    }
  } else {
    current = presetRange(range as Exclude<RangePreset, "custom">, today);
  }
  const f: ParsedDashboardFilters = {
    range,
    current,
    previous: previousRange(current),
    dimensions,
  };
  if (clamped) f.clamped = clamped;
  return f;
}

/** The list filters that select a figure's complaints: dimensions, the range on `basis`, a set. */
export function listFiltersFor(
  f: DashboardFilters,
  options: {
    range?: DateRange;
    basis?: DateBasis;
    set?: DrillSet;
    extra?: Partial<ComplaintFilters>;
  } = {},
): ComplaintFilters {
  const range = options.range ?? f.current;
  return {
    ...filtersFrom({}),
    ...f.dimensions,
    from: range.from,
    to: range.to,
    basis: options.basis ?? "received",
    set: options.set,
    ...options.extra,
  };
}

/** The WHERE for a metric's complaints: the same SQL the drilled-down list runs. */
export function scopeFor(
  actor: Actor,
  f: DashboardFilters,
  options: Parameters<typeof listFiltersFor>[1] = {},
): SQL {
  return filteredSet(actor, listFiltersFor(f, options));
}

/** The complaints list behind a figure. */
export function drillHref(
  f: DashboardFilters,
  options: Parameters<typeof listFiltersFor>[1] = {},
): string {
  return `/complaints?${filtersToSearchParams(listFiltersFor(f, options)).toString()}`;
}

/** Dashboard filters → URL search parameters (defaults left out). */
export function dashboardSearchParams(f: DashboardFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.range !== "90d") params.set("range", f.range);
  if (f.range === "custom") {
    params.set("from", f.current.from);
    params.set("to", f.current.to);
  }
  for (const [key, value] of Object.entries(f.dimensions))
    if (typeof value === "string") params.set(key, value);
  return params;
}
