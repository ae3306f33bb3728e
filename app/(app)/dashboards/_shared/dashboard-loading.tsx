import { PanelSkeleton, TilesSkeleton } from "@/app/_components/dashboard/panel-skeleton";

/** Shown at once on navigation, so a dashboard never leaves the previous page on screen. */
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
