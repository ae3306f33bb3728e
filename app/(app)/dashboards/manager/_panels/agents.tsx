import type { DashboardFilters } from "@/lib/metrics/filters";
import { agentTable } from "@/lib/metrics/performance";
import { AgentTable } from "./agent-table";

export async function AgentPanel({ f }: { f: DashboardFilters }) {
  const rows = await agentTable(f);
  return (
    <section
      aria-labelledby="agents-heading"
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="panel-agents"
    >
      <h2 id="agents-heading" className="text-base font-semibold text-slate-900">
        Per agent
      </h2>
      <p className="text-xs text-slate-600">
        Who carries the load and who is slipping · {f.current.from} → {f.current.to} · click a
        column to sort, a figure for its complaints
      </p>
      <div className="mt-3">
        <AgentTable rows={rows} />
      </div>
    </section>
  );
}
