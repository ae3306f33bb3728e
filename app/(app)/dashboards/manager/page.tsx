import type { Metadata } from "next";
import { Suspense } from "react";
import { DashboardFilterBar } from "@/app/_components/dashboard/dashboard-filter-bar";
import { filterKey } from "@/app/_components/dashboard/filter-key";
import { PanelSkeleton, TilesSkeleton } from "@/app/_components/dashboard/panel-skeleton";
import { requirePermission } from "@/lib/auth/guard";
import { parseDashboardFilters, rangeLabels } from "@/lib/metrics/filters";
import { PlaybookEffectPanel } from "../_shared/playbook-effect-panel";
import { AgentPanel } from "./_panels/agents";
import {
  BacklogPanel,
  StepAdherencePanel,
  TtrHistogramPanel,
  TtrTrendPanel,
} from "./_panels/charts";
import { DetailTiles, HeadlineTiles } from "./_panels/tiles";

export const metadata: Metadata = { title: "Recovery performance" };

export default async function ManagerDashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePermission("dashboard:manager");
  const f = parseDashboardFilters(await searchParams);
  // A key per filter set: panels re-suspend (and show their skeletons) when the filters change.
  const key = filterKey([f.current, f.dimensions]);
  return (
    <div className="space-y-4" data-testid="manager-dashboard">
      <header>
        <h1 className="text-2xl font-semibold text-slate-900">Recovery performance</h1>
        <p className="text-sm text-slate-600">
          Are we keeping up, and where are we slipping? {rangeLabels[f.range]}, compared with the
          previous period of the same length. Every figure opens the complaints behind it.
        </p>
      </header>
      <DashboardFilterBar f={f} path="/dashboards/manager" />
      <Suspense key={`head${key}`} fallback={<TilesSkeleton count={6} />}>
        <HeadlineTiles f={f} />
      </Suspense>
      <Suspense key={`detail${key}`} fallback={<TilesSkeleton count={8} />}>
        <DetailTiles f={f} />
      </Suspense>
      <div className="grid gap-4 lg:grid-cols-2">
        <Suspense key={`trend${key}`} fallback={<PanelSkeleton label="weekly trend" />}>
          <TtrTrendPanel f={f} />
        </Suspense>
        <Suspense key={`hist${key}`} fallback={<PanelSkeleton label="histogram" />}>
          <TtrHistogramPanel f={f} />
        </Suspense>
        <Suspense key={`backlog${key}`} fallback={<PanelSkeleton label="backlog" />}>
          <BacklogPanel f={f} />
        </Suspense>
        <Suspense key={`steps${key}`} fallback={<PanelSkeleton label="adherence by step" />}>
          <StepAdherencePanel f={f} />
        </Suspense>
      </div>
      <Suspense
        key={`agents${key}`}
        fallback={<PanelSkeleton height={320} label="per-agent table" />}
      >
        <AgentPanel f={f} />
      </Suspense>
      <Suspense key={`effect${key}`} fallback={<PanelSkeleton label="does the playbook work?" />}>
        <PlaybookEffectPanel f={f} permission="dashboard:manager" />
      </Suspense>
    </div>
  );
}
