import type { Metadata } from "next";
import { Suspense } from "react";
import { DashboardFilterBar } from "@/app/_components/dashboard/dashboard-filter-bar";
import { filterKey } from "@/app/_components/dashboard/filter-key";
import { PanelSkeleton } from "@/app/_components/dashboard/panel-skeleton";
import { requirePermission } from "@/lib/auth/guard";
import { parseDashboardFilters } from "@/lib/metrics/filters";
import {
  CorrectiveActionsPanel,
  HeadlinePanel,
  HeatMapPanel,
  ParetoPanel,
  RepeatPanel,
  TaxonomyLink,
  TrendPanel,
  type QualityView,
} from "./panels";

export const metadata: Metadata = { title: "Root causes" };

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * The quality lead's first question: "which few causes hurt most, and are our fixes working?".
 * So: the vital-few and verified-effective tiles, then the Pareto, then the corrective actions
 * with their measured recurrence; trend, heat map and repeats below.
 */
export default async function QualityDashboardPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  await requirePermission("dashboard:quality");
  const params = await searchParams;
  const f = parseDashboardFilters(params);
  const view: QualityView = {
    pareto: first(params.pareto) === "cost" ? "cost" : "count",
    heat: first(params.heat) === "channel" ? "channel" : "product",
  };
  const key = filterKey(f);
  return (
    <div className="space-y-4" data-testid="quality-dashboard">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Root causes</h1>
        <p className="text-sm text-slate-600">
          Which few causes hurt most, and are our fixes working?
        </p>
      </div>
      <DashboardFilterBar f={f} path="/dashboards/quality" />
      <Suspense key={`h${key}`} fallback={<PanelSkeleton height={120} />}>
        <HeadlinePanel f={f} />
      </Suspense>
      <Suspense key={`p${key}${view.pareto}`} fallback={<PanelSkeleton height={380} />}>
        <ParetoPanel f={f} view={view} />
      </Suspense>
      <Suspense key={`c${key}`} fallback={<PanelSkeleton height={240} />}>
        <CorrectiveActionsPanel f={f} />
      </Suspense>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Suspense key={`t${key}`} fallback={<PanelSkeleton height={320} />}>
          <TrendPanel f={f} />
        </Suspense>
        <Suspense key={`r${key}`} fallback={<PanelSkeleton height={320} />}>
          <RepeatPanel f={f} />
        </Suspense>
      </div>
      <Suspense key={`m${key}${view.heat}`} fallback={<PanelSkeleton height={320} />}>
        <HeatMapPanel f={f} view={view} />
      </Suspense>
      <Suspense fallback={null}>
        <TaxonomyLink />
      </Suspense>
    </div>
  );
}
