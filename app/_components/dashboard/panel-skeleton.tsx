"use client";

// Client components: each panel's fallback is a few props in the page's payload, not its markup.

/** The loading placeholder of a dashboard panel while its data streams in. */
export function PanelSkeleton({ height = 280, label }: { height?: number; label?: string }) {
  return (
    <div
      role="status"
      aria-label={label ? `Loading ${label}` : "Loading"}
      className="animate-pulse rounded-lg border border-slate-200 bg-white p-4"
      style={{ minHeight: height }}
      data-testid="panel-skeleton"
    >
      <div className="h-4 w-1/3 rounded bg-slate-200" />
      <div className="mt-6 rounded bg-slate-100" style={{ height: Math.max(height - 90, 20) }} />
    </div>
  );
}

/** A row of tile-sized skeletons. */
export function TilesSkeleton({ count = 6 }: { count?: number }) {
  return (
    <div
      className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6"
      role="status"
      aria-label="Loading"
    >
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="h-24 animate-pulse rounded-lg border border-slate-200 bg-white" />
      ))}
    </div>
  );
}
