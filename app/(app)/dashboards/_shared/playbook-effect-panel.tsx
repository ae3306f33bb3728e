/**
 * "Does the playbook work?": conversion and 90-day retention with and without each practice,
 * with 95 % Wilson intervals and n, so nobody reads noise as a finding.
 */
import Link from "next/link";
import { ChartCard } from "@/app/_components/dashboard/chart-card";
import { formatPercent } from "@/app/_components/dashboard/format";
import { colors } from "@/app/_components/dashboard/palette";
import type { DashboardFilters } from "@/lib/metrics/filters";
import { getPlaybookEffect, type EffectCell } from "@/lib/metrics/playbook-effect";
import type { Operation } from "@/lib/permissions";

// ---------------------------------------------------------------- does the playbook work?

function Cell({ cell, testId }: { cell: EffectCell; testId: string }) {
  if (cell.n === 0) return <span className="text-slate-400">—</span>;
  return (
    <Link
      href={cell.href}
      className="block hover:underline"
      data-testid={testId}
      title={`${cell.k} of ${cell.n} complaints — open them`}
    >
      <span className="font-medium tabular-nums">{formatPercent(cell.rate, 0)}</span>{" "}
      <span className="text-xs text-slate-500 tabular-nums">
        [{formatPercent(cell.low, 0)}–{formatPercent(cell.high, 0)}] n={cell.n}
      </span>
    </Link>
  );
}

/** With and without differ beyond noise only when their 95 % intervals do not overlap. */
function verdict(a: EffectCell, b: EffectCell): "higher" | "lower" | "unclear" {
  if (a.low == null || a.high == null || b.low == null || b.high == null) return "unclear";
  if (a.low > b.high) return "higher";
  if (a.high < b.low) return "lower";
  return "unclear";
}

const verdictText = {
  higher: { text: "▲ higher", color: colors.good },
  lower: { text: "▼ lower", color: colors.bad },
  unclear: { text: "overlap", color: colors.neutral },
};

/** "Does the playbook work?" — on the executive and the manager dashboards. */
export async function PlaybookEffectPanel({
  f,
  permission = "dashboard:executive",
}: {
  f: DashboardFilters;
  permission?: Operation;
}) {
  const rows = await getPlaybookEffect(f, { permission });
  const visible = rows.filter((r) => r.conversion.with.n + r.retention90.with.n > 0);
  const csv = visible.map((r) => ({
    group: r.group,
    factor: r.label,
    convWith: r.conversion.with.rate,
    convWithLow: r.conversion.with.low,
    convWithHigh: r.conversion.with.high,
    convWithN: r.conversion.with.n,
    convWithout: r.conversion.without.rate,
    convWithoutLow: r.conversion.without.low,
    convWithoutHigh: r.conversion.without.high,
    convWithoutN: r.conversion.without.n,
    retWith: r.retention90.with.rate,
    retWithLow: r.retention90.with.low,
    retWithHigh: r.retention90.with.high,
    retWithN: r.retention90.with.n,
    retWithout: r.retention90.without.rate,
    retWithoutLow: r.retention90.without.low,
    retWithoutHigh: r.retention90.without.high,
    retWithoutN: r.retention90.without.n,
    href: r.conversion.with.href,
  }));
  const p = "percent" as const;
  return (
    <ChartCard
      title="Does the playbook work?"
      subtitle="Angry → advocate conversion (angry complaints closed in the range) and 90-day retention (complaints received, 90 days passed), with and without each practice · [95 % Wilson interval] n = complaints · a difference counts only when the intervals do not overlap"
      testId="chart-playbook-effect"
      columns={[
        { key: "group", label: "Group" },
        { key: "factor", label: "Practice" },
        { key: "convWith", label: "Conversion with", format: p },
        { key: "convWithLow", label: "low", format: p },
        { key: "convWithHigh", label: "high", format: p },
        { key: "convWithN", label: "n" },
        { key: "convWithout", label: "Conversion without", format: p },
        { key: "convWithoutLow", label: "low", format: p },
        { key: "convWithoutHigh", label: "high", format: p },
        { key: "convWithoutN", label: "n" },
        { key: "retWith", label: "Retention 90 d with", format: p },
        { key: "retWithLow", label: "low", format: p },
        { key: "retWithHigh", label: "high", format: p },
        { key: "retWithN", label: "n" },
        { key: "retWithout", label: "Retention 90 d without", format: p },
        { key: "retWithoutLow", label: "low", format: p },
        { key: "retWithoutHigh", label: "high", format: p },
        { key: "retWithoutN", label: "n" },
      ]}
      rows={csv}
      csvName="does-the-playbook-work"
      empty="No complaints in this range to compare."
    >
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-slate-600">
            <tr>
              <th className="py-1 pr-2">Practice</th>
              <th className="px-2">Conversion with</th>
              <th className="px-2">without</th>
              <th className="px-2" />
              <th className="px-2">90-day retention with</th>
              <th className="px-2">without</th>
              <th className="px-2" />
            </tr>
          </thead>
          <tbody>
            {visible.map((r, i) => {
              const cv = verdictText[verdict(r.conversion.with, r.conversion.without)];
              const rv = verdictText[verdict(r.retention90.with, r.retention90.without)];
              const newGroup = i === 0 || visible[i - 1]!.group !== r.group;
              return (
                <tr
                  key={r.key}
                  className={newGroup ? "border-t border-slate-300" : "border-t border-slate-100"}
                >
                  <th scope="row" className="py-1 pr-2 text-left font-normal">
                    <span className="block text-xs text-slate-500">{newGroup ? r.group : ""}</span>
                    {r.label}
                  </th>
                  <td className="px-2">
                    <Cell cell={r.conversion.with} testId={`effect-${r.key}-conv-with`} />
                  </td>
                  <td className="px-2">
                    <Cell cell={r.conversion.without} testId={`effect-${r.key}-conv-without`} />
                  </td>
                  <td className="px-2 text-xs whitespace-nowrap" style={{ color: cv.color }}>
                    {cv.text}
                  </td>
                  <td className="px-2">
                    <Cell cell={r.retention90.with} testId={`effect-${r.key}-ret-with`} />
                  </td>
                  <td className="px-2">
                    <Cell cell={r.retention90.without} testId={`effect-${r.key}-ret-without`} />
                  </td>
                  <td className="px-2 text-xs whitespace-nowrap" style={{ color: rv.color }}>
                    {rv.text}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </ChartCard>
  );
}
