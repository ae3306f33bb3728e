/**
 * One registry: metric name → the dashboard's own function, its permission and any extra query
 * options. The API figure equals the dashboard's because it is the same function on the same
 * filters (parseDashboardFilters reads the same parameters the dashboards put in their URLs).
 */
import "server-only";
import { z } from "zod";
import { parseComplaintFilters } from "@/lib/complaints/list";
import { parseDashboardFilters, rangePresets, type DashboardFilters } from "@/lib/metrics/filters";
import * as performance from "@/lib/metrics/performance";
import type { LeftOut } from "@/lib/metrics/performance";
import {
  calendarDay,
  MAX_DAY,
  MAX_SPAN_YEARS,
  MIN_DAY,
  rangeErrors,
} from "@/lib/metrics/range-guard";
import { getPlaybookEffect } from "@/lib/metrics/playbook-effect";
import * as retention from "@/lib/metrics/retention";
import * as rootCauses from "@/lib/metrics/root-causes";
import { actorCan, type Operation } from "@/lib/permissions";
import { ApiError, type ApiReply } from "./errors";
import type { ApiContext } from "./handler";

type Dashboard = "manager" | "quality" | "executive";

interface MetricDefinition {
  dashboard: Dashboard;
  description: string;
  /** Extra query parameters beyond the dashboard filters. */
  options?: z.ZodObject;
  run: (f: DashboardFilters, options: Record<string, unknown>) => Promise<unknown>;
  /**
   * A time-based figure whose answer is a list (a trend, a histogram, a table): how many
   * complaints whose times were inferred it leaves out, beside `data`. (A figure answering an
   * object carries `inferredTimesExcluded` in it.)
   */
  leftOut?: (f: DashboardFilters) => Promise<LeftOut>;
}

const m = (
  dashboard: Dashboard,
  description: string,
  run: MetricDefinition["run"],
  options?: z.ZodObject,
): MetricDefinition => ({ dashboard, description, run, options });

/** A list-valued time-based figure on `basis` (see `MetricDefinition.leftOut`). */
const timed = (
  definition: MetricDefinition,
  leftOut: (f: DashboardFilters) => Promise<LeftOut>,
): MetricDefinition => ({ ...definition, leftOut });
const managerLeftOut = (basis: "received" | "resolved") => (f: DashboardFilters) =>
  performance.inferredTimesLeftOut(f, basis);
const conversionLeftOut = (f: DashboardFilters) => retention.inferredAngryClosedLeftOut(f);

export const metrics = {
  "open-complaints": m(
    "manager",
    "Open complaints now (new or in progress), and at the end of the previous period.",
    (f) => performance.openComplaints(f),
  ),
  "overdue-complaints": m(
    "manager",
    "Open complaints past their SLA now, and at the end of the previous period.",
    (f) => performance.overdueComplaints(f),
  ),
  "backlog-by-age": m("manager", "Open complaints by age bucket.", (f) =>
    performance.backlogByAge(f),
  ),
  "first-response-time": m(
    "manager",
    "Median and p90 hours to first response, calendar and business hours.",
    (f) => performance.firstResponseTime(f),
  ),
  "time-to-resolution": m("manager", "Median and p90 hours from receipt to resolution.", (f) =>
    performance.timeToResolution(f),
  ),
  "ttr-trend": timed(
    m("manager", "Time to resolution by week.", (f) => performance.ttrTrend(f)),
    managerLeftOut("resolved"),
  ),
  "ttr-histogram": timed(
    m("manager", "Resolved complaints by time-to-resolution bucket.", (f) =>
      performance.ttrHistogram(f),
    ),
    managerLeftOut("resolved"),
  ),
  "sla-met": m("manager", "Share of resolved complaints resolved within their SLA.", (f) =>
    performance.slaMet(f),
  ),
  "promise-kept": m("manager", "Share of promises kept (resolved by the promised date).", (f) =>
    performance.promiseKept(f),
  ),
  "reopen-rate": m("manager", "Share of resolved complaints reopened.", (f) =>
    performance.reopenRate(f),
  ),
  "closed-loop": m("manager", "Share of complaints contacted within the closed-loop window.", (f) =>
    performance.closedLoop(f),
  ),
  "playbook-adherence": m(
    "manager",
    "Share of closed complaints with every required playbook step done.",
    (f) => performance.playbookAdherence(f),
  ),
  "adherence-by-step": timed(
    m("manager", "Playbook adherence per step.", (f) => performance.adherenceBySteps(f)),
    managerLeftOut("resolved"),
  ),
  "remedy-cost": m("manager", "Delivered remedy cost per currency.", (f) =>
    performance.remedyCost(f),
  ),
  agents: timed(
    m("manager", "Per-agent workload and performance table.", (f) => performance.agentTable(f)),
    managerLeftOut("resolved"),
  ),
  throughput: m("manager", "Complaints received and resolved in the period.", (f) =>
    performance.throughput(f),
  ),
  "root-cause-pareto": m(
    "quality",
    "Complaints (or delivered cost) per root cause with cumulative share; the vital few.",
    (f, o) => rootCauses.rootCausePareto(f, o.basis as "count" | "cost"),
    z.object({
      basis: z
        .enum(["count", "cost"])
        .default("count")
        .describe("Count complaints or sum delivered remedy cost."),
    }),
  ),
  "root-cause-trend": m(
    "quality",
    "The top root causes by month.",
    (f, o) => rootCauses.rootCauseTrend(f, o.top as number),
    z.object({
      top: z.coerce.number().int().min(1).max(20).default(5).describe("How many causes."),
    }),
  ),
  "root-cause-heat-map": m(
    "quality",
    "Root causes against products or channels.",
    (f, o) => rootCauses.rootCauseHeatMap(f, o.axis as "product" | "channel"),
    z.object({
      axis: z.enum(["product", "channel"]).default("product").describe("Columns of the heat map."),
    }),
  ),
  "repeat-complaints": m(
    "quality",
    "Complaints repeating a resolved root cause within 90 days.",
    (f) => rootCauses.repeatComplaints(f),
  ),
  "corrective-actions": m(
    "quality",
    "Corrective actions with before/after recurrence and effectiveness.",
    (f) => rootCauses.correctiveActionsReport(f),
  ),
  conversion: m("executive", "Share of angry complainants turned into advocates.", (f) =>
    retention.getConversion(f),
  ),
  "conversion-by-month": timed(
    m("executive", "Conversion by month of receipt.", (f) => retention.getConversionByMonth(f)),
    conversionLeftOut,
  ),
  funnel: timed(
    m("executive", "Recovery funnel: angry → contacted → remedied → followed up → advocate.", (f) =>
      retention.getFunnel(f),
    ),
    conversionLeftOut,
  ),
  "conversion-by-remedy-kind": timed(
    m("executive", "Conversion by kind of remedy.", (f) => retention.getConversionByRemedyKind(f)),
    conversionLeftOut,
  ),
  "conversion-by-ttr": timed(
    m("executive", "Conversion by speed of resolution.", (f) =>
      retention.getConversionByTtrBucket(f),
    ),
    conversionLeftOut,
  ),
  retention: m("executive", "Customer retention at 30, 90 and 180 days after a complaint.", (f) =>
    retention.getRetention(f),
  ),
  "retention-90": m("executive", "Retention at 90 days, current and previous period.", (f) =>
    retention.getRetention90(f),
  ),
  "retention-by-recovery": m("executive", "Retention by how the complaint was recovered.", (f) =>
    retention.getRetentionByRecovery(f),
  ),
  "recovery-cost": m("executive", "Delivered remedy cost per currency.", (f) =>
    retention.getRecoveryCost(f),
  ),
  "recovery-roi": m(
    "executive",
    "Revenue from retained complainants ÷ recovery cost, per currency.",
    (f) => retention.getRecoveryRoi(f),
  ),
  nps: m("executive", "NPS at intake and after recovery.", (f) => retention.getNps(f)),
  "playbook-effect": m(
    "executive",
    "Conversion with and without each playbook step, with 95 % intervals.",
    (f) => getPlaybookEffect(f),
  ),
} satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof metrics;
export const metricNames = Object.keys(metrics) as MetricName[];

const permissionOf: Record<Dashboard, Operation> = {
  manager: "dashboard:manager",
  quality: "dashboard:quality",
  executive: "dashboard:executive",
};

/** The query parameters every metric takes: the dashboards' filter bar. */
export const metricFilterSchema = z.object({
  range: z
    .enum(rangePresets)
    .optional()
    .describe("A preset period; default 90d. `custom` needs from and to."),
  from: calendarDay
    .optional()
    .describe(
      `First day (UTC, YYYY-MM-DD, ${MIN_DAY} to ${MAX_DAY}); with \`to\`, a custom period of at most ${MAX_SPAN_YEARS} years.`,
    ),
  to: calendarDay
    .optional()
    .describe(`Last day (UTC, YYYY-MM-DD, ${MIN_DAY} to ${MAX_DAY}), inclusive.`),
  team: z.string().optional().describe("A team id, or `none`."),
  owner: z.string().optional().describe("A user id, or `none`."),
  channel: z.string().optional().describe("A channel."),
  severity: z.string().optional().describe("A severity."),
  product: z.string().optional().describe("A product id (includes its sub-products)."),
  rootCause: z.string().optional().describe("A root cause id, or `none`."),
});

const dimensionKeys = ["team", "owner", "channel", "severity", "product", "rootCause"] as const;

/** Dashboard filters from the query, refusing (rather than ignoring) anything unreadable. */
function filtersOf(query: URLSearchParams): DashboardFilters {
  const fields: Record<string, string[]> = {};
  const checks = metricFilterSchema.pick({ range: true, from: true, to: true });
  const parsed = checks.safeParse({
    range: query.get("range") ?? undefined,
    from: query.get("from") ?? undefined,
    to: query.get("to") ?? undefined,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      (fields[String(issue.path[0])] ??= []).push("Use a preset or a date as YYYY-MM-DD.");
  } else {
    const { range, from, to } = parsed.data;
    if ((range === "custom" || from || to) && !(from && to)) fields.to = ["Give both from and to."];
    // Refused, not clamped as the pages do: a client must not get other dates than it asked for.
    if (from && to) Object.assign(fields, rangeErrors({ from, to }));
  }
  const { invalid } = parseComplaintFilters(query);
  for (const key of invalid)
    if ((dimensionKeys as readonly string[]).includes(key))
      fields[key] = [`"${key}" is not valid.`];
  if (Object.keys(fields).length) {
    throw new ApiError("validation_failed", "Some filters could not be read.", { fields });
  }
  return parseDashboardFilters(query);
}

export async function listMetricsEndpoint(ctx: ApiContext): Promise<ApiReply> {
  const data = metricNames
    .filter((name) => actorCan(ctx.actor, permissionOf[metrics[name].dashboard]))
    .map((name) => ({
      name,
      dashboard: metrics[name].dashboard,
      description: metrics[name].description,
      href: `/api/v1/metrics/${name}`,
    }));
  return { status: 200, body: { data } };
}

export async function metricEndpoint(ctx: ApiContext): Promise<ApiReply> {
  const name = ctx.params.name ?? "";
  if (!Object.hasOwn(metrics, name)) {
    throw new ApiError("not_found", `No metric "${name}". GET /api/v1/metrics lists them.`);
  }
  const definition: MetricDefinition = metrics[name as MetricName];
  if (!actorCan(ctx.actor, permissionOf[definition.dashboard])) {
    throw new ApiError(
      "forbidden",
      "This token's scope, or its creator's current role, does not allow this.",
    );
  }
  const f = filtersOf(ctx.query);
  let options: Record<string, unknown> = {};
  if (definition.options) {
    const parsed = definition.options.safeParse(Object.fromEntries(ctx.query));
    if (!parsed.success) {
      const fields: Record<string, string[]> = {};
      for (const issue of parsed.error.issues)
        (fields[String(issue.path[0])] ??= []).push(issue.message);
      throw new ApiError("validation_failed", "Some options could not be read.", { fields });
    }
    options = parsed.data;
  }
  const [data, leftOut] = await Promise.all([definition.run(f, options), definition.leftOut?.(f)]);
  return {
    status: 200,
    body: {
      metric: name,
      filters: { range: f.range, current: f.current, previous: f.previous, ...f.dimensions },
      data,
      ...(leftOut ?? {}),
    },
  };
}

/** The options some metrics take, for the document: each applies to the metric that names it. */
export const metricQuerySchema = metricFilterSchema.extend(
  Object.fromEntries(
    metricNames.flatMap((name) => {
      const options = (metrics[name] as MetricDefinition).options;
      return options
        ? Object.entries(options.shape).map(([k, v]) => [
            k,
            (v as z.ZodType).describe(`${name}: ${(v as z.ZodType).description ?? ""}`),
          ])
        : [];
    }),
  ),
);

/** The extra query options a metric takes (e.g. root-cause-pareto: basis). */
export function metricOptions(name: MetricName): string[] {
  const options = (metrics[name] as MetricDefinition).options;
  return options ? Object.keys(options.shape) : [];
}

/** Every metric with what it means, for the reference page. */
export function metricCatalogue() {
  return metricNames.map((name) => ({
    name,
    dashboard: metrics[name].dashboard,
    description: metrics[name].description,
    options: metricOptions(name),
  }));
}
