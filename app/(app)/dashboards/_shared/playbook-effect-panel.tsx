/**
 * "Does the playbook work?": conversion and 90-day retention with and without each practice,
 * with 95 % Wilson intervals and n, so nobody reads noise as a finding.
 */
import type { DashboardFilters } from "@/lib/metrics/filters";
import { getPlaybookEffect, type EffectCell } from "@/lib/metrics/playbook-effect";
import type { Operation } from "@/lib/permissions";
import { PlaybookEffectTable, type EffectCellView } from "./playbook-effect-table";

/** What the table shows of a cell; rates to 4 places (shown to whole percent). */
function view(c: EffectCell): EffectCellView {
  const round = (v: number | null) => (v == null ? null : Math.round(v * 1e4) / 1e4);
  return {
    k: c.k,
    n: c.n,
    rate: round(c.rate),
    low: round(c.low),
    high: round(c.high),
    href: c.href,
  };
}

/** "Does the playbook work?" — on the executive and the manager dashboards. */
export async function PlaybookEffectPanel({
  f,
  permission = "dashboard:executive",
}: {
  f: DashboardFilters;
  permission?: Operation;
}) {
  const rows = await getPlaybookEffect(f, { permission });
  return (
    <PlaybookEffectTable
      rows={rows
        .filter((r) => r.conversion.with.n + r.retention90.with.n > 0)
        .map((r) => ({
          group: r.group,
          key: r.key,
          label: r.label,
          conversion: { with: view(r.conversion.with), without: view(r.conversion.without) },
          retention90: { with: view(r.retention90.with), without: view(r.retention90.without) },
        }))}
    />
  );
}
