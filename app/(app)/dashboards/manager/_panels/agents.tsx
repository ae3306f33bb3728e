import Link from "next/link";
import { MAX_ROWS, firstOf, topNote } from "@/app/_components/dashboard/caps";
import { drillHref, type DashboardFilters } from "@/lib/metrics/filters";
import { commonBase, splitHref } from "@/app/_components/dashboard/hrefs";
import { agentTable } from "@/lib/metrics/performance";
import {
  agentLinks,
  agentTuple,
  ownerPart,
  type AgentLink,
  type AgentTableLinks,
} from "./agent-links";
import { AgentTable, type AgentTableRow } from "./agent-table";

const round = (v: number | null, places: number) =>
  v == null ? null : Math.round(v * 10 ** places) / 10 ** places;

export async function AgentPanel({ f }: { f: DashboardFilters }) {
  // The busiest agents only: a large team must not make the page heavy (caps.ts).
  const agents = firstOf(
    [...(await agentTable(f))].sort((a, b) => b.volume - a.volume || a.name.localeCompare(b.name)),
    MAX_ROWS,
  );
  // Links as the table's base + the row's owner + the column's part; a row whose link that does
  // not rebuild exactly carries its own part (hrefs.ts checks each).
  const base = commonBase(agents.shown.flatMap((a) => agentLinks.map((k) => a[k])));
  const parts = agents.shown.map((a) =>
    Object.fromEntries(agentLinks.map((k) => [k, splitHref(a[k], base, ownerPart(a.ownerId))])),
  ) as Record<AgentLink, string>[];
  const links: AgentTableLinks = {
    base,
    columns: Object.fromEntries(agentLinks.map((k) => [k, parts[0]?.[k] ?? ""])) as Record<
      AgentLink,
      string
    >,
  };
  const rows = agents.shown.map((a, i): AgentTableRow => {
    const own = agentLinks.filter((k) => parts[i]![k] !== links.columns[k]);
    return {
      ownerId: a.ownerId,
      name: a.name,
      volume: a.volume,
      resolved: a.resolved,
      slaMet: a.slaMet,
      slaCounted: a.slaCounted,
      advocates: a.advocates,
      angryClosed: a.angryClosed,
      // What the table shows and the CSV needs; full float precision is only bytes.
      medianResolutionHours: round(a.medianResolutionHours, 2),
      slaRate: round(a.slaRate, 4),
      adherence: round(a.adherence, 4),
      conversion: round(a.conversion, 4),
      ...(own.length ? { links: Object.fromEntries(own.map((k) => [k, parts[i]![k]])) } : {}),
    };
  });
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
        column to sort, a figure for its complaints.{topNote(agents, "agents, by volume")}
        {agents.hidden > 0 && (
          <>
            {" "}
            <Link href={drillHref(f)} className="text-brand-700 underline" data-testid="agents-all">
              All complaints in the list
            </Link>
          </>
        )}
      </p>
      <div className="mt-3">
        <AgentTable data={rows.map(agentTuple)} links={links} />
      </div>
    </section>
  );
}
