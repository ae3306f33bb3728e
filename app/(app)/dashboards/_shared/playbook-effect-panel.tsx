/**
 * "Does the playbook work?": conversion and 90-day retention with and without each practice,
 * with 95 % Wilson intervals and n, so nobody reads noise as a finding.
 */
import { commonBase, splitHref } from "@/app/_components/dashboard/hrefs";
import type { DashboardFilters } from "@/lib/metrics/filters";
import { getPlaybookEffect, type EffectCell } from "@/lib/metrics/playbook-effect";
import type { Operation } from "@/lib/permissions";
import {
  PlaybookEffectTable,
  type EffectCellTuple,
  type EffectData,
} from "./playbook-effect-table";

const round = (v: number | null) => (v == null ? null : Math.round(v * 1e4) / 1e4);

/**
 * What the table shows of a cell, as a tuple: rates to 4 places (shown to whole percent) and the
 * link's part. An empty cell (n = 0) is not a link, so it goes as [0, 0] unless `keepLink`.
 */
function tuple(c: EffectCell, base: string, keepLink = false): EffectCellTuple {
  if (c.n === 0 && !keepLink) return [0, 0];
  return [c.k, c.n, round(c.rate), round(c.low), round(c.high), splitHref(c.href, base)];
}

/** "Does the playbook work?" — on the executive and the manager dashboards. */
export async function PlaybookEffectPanel({
  f,
  permission = "dashboard:executive",
}: {
  f: DashboardFilters;
  permission?: Operation;
}) {
  const rows = (await getPlaybookEffect(f, { permission })).filter(
    (r) => r.conversion.with.n + r.retention90.with.n > 0,
  );
  const cells = (r: (typeof rows)[number]) => [
    r.conversion.with,
    r.conversion.without,
    r.retention90.with,
    r.retention90.without,
  ];
  const base = commonBase(rows.flatMap((r) => cells(r).map((c) => c.href)));
  const groups = [...new Set(rows.map((r) => r.group))];
  const data: EffectData = {
    base,
    groups,
    // The first cell keeps its link even when empty: the table view links each practice by it.
    rows: rows.map((r) => [
      groups.indexOf(r.group),
      r.label,
      cells(r).map((c, i) => tuple(c, base, i === 0)),
    ]),
  };
  return <PlaybookEffectTable data={data} />;
}
