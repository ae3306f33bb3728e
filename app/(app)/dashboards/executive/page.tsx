import type { Metadata } from "next";
import { Suspense } from "react";
import { PlaybookEffectPanel } from "../_shared/playbook-effect-panel";
import { DashboardFilterBar } from "@/app/_components/dashboard/dashboard-filter-bar";
import { filterKey } from "@/app/_components/dashboard/filter-key";
import { PanelSkeleton, TilesSkeleton } from "@/app/_components/dashboard/panel-skeleton";
import { requirePermission } from "@/lib/auth/guard";
import { parseDashboardFilters } from "@/lib/metrics/filters";
import {
  ConversionBreakdownPanel,
  ConversionByMonthPanel,
  FunnelPanel,
  HeadlinePanel,
  NpsPanel,
  RecoveryGridPanel,
  RetentionPanel,
  RoiByMonthPanel,
} from "./panels";

export const metadata: Metadata = { title: "Retention" };

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The executive's first question: "does recovery keep customers, and is it worth what it costs?".
 * So: conversion, 90-day retention (complainants vs not) and ROI tiles first, then the
 * retention-by-recovery grid (the classic finding), the funnel and its monthly trend, NPS and the
 * recovery paradox, ROI by month, and "does the playbook work?" with confidence intervals.
 */
export default async function ExecutiveDashboardPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  await requirePermission("dashboard:executive");
  const params = await searchParams;
  // Retention needs time: with the shared 90-day default no complaint would be 90 days old, so
  // the executive page opens on the last 12 months when the URL names no range.
  const defaulted = !params.range && !params.from && !params.to;
  const f = parseDashboardFilters(defaulted ? { ...params, range: "year" } : params);
  const key = filterKey(f);
  return (
    <div className="space-y-4" data-testid="executive-dashboard">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Retention</h1>
        <p className="text-sm text-slate-600">
          Does recovery keep customers, and is it worth what it costs?
        </p>
      </div>
      <DashboardFilterBar f={f} path="/dashboards/executive" defaultRange="year" />
      <Suspense key={`h${key}`} fallback={<TilesSkeleton count={4} />}>
        <HeadlinePanel f={f} />
      </Suspense>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Suspense key={`g${key}`} fallback={<PanelSkeleton height={280} />}>
          <RecoveryGridPanel f={f} />
        </Suspense>
        <Suspense key={`f${key}`} fallback={<PanelSkeleton height={280} />}>
          <FunnelPanel f={f} />
        </Suspense>
      </div>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Suspense key={`m${key}`} fallback={<PanelSkeleton height={320} />}>
          <ConversionByMonthPanel f={f} />
        </Suspense>
        <Suspense key={`r${key}`} fallback={<PanelSkeleton height={320} />}>
          <RetentionPanel f={f} />
        </Suspense>
      </div>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Suspense key={`n${key}`} fallback={<PanelSkeleton height={320} />}>
          <NpsPanel f={f} />
        </Suspense>
        <Suspense key={`o${key}`} fallback={<PanelSkeleton height={320} />}>
          <RoiByMonthPanel f={f} />
        </Suspense>
      </div>
      <Suspense key={`b${key}`} fallback={<PanelSkeleton height={320} />}>
        <ConversionBreakdownPanel f={f} />
      </Suspense>
      <Suspense key={`e${key}`} fallback={<PanelSkeleton height={480} />}>
        <PlaybookEffectPanel f={f} />
      </Suspense>
    </div>
  );
}
