import { PanelSkeleton, TilesSkeleton } from "@/app/_components/dashboard/panel-skeleton";

/**
 * Shown at once on navigation, so a dashboard never leaves the previous page on screen. Each
 * dashboard has its own loading.tsx (not one for all of dashboards/): a loading boundary above a
 * guard would send 200 before the guard could answer 403.
 */
export default function DashboardLoading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading the dashboard">
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200" />
      <TilesSkeleton count={4} />
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <PanelSkeleton label="chart" />
        <PanelSkeleton label="chart" />
      </div>
    </div>
  );
}
