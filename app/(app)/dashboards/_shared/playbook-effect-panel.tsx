/**
 * "Does the playbook work?": conversion and 90-day retention with and without each practice,
 * with 95 % Wilson intervals and n, so nobody reads noise as a finding.
 */
import { commonBase, splitHref } from "@/app/_components/dashboard/hrefs";
import type { DashboardFilters } from "@/lib/metrics/filters";
import { getPlaybookEffect, type EffectCell } from "@/lib/metrics/playbook-effect";
import type { Operation } from "@/lib/permissions";
import { fillTemplate } from "@/app/_components/dashboard/series";
import {
  PlaybookEffectTable,
  type EffectCellTuple,
  type EffectData,
} from "./playbook-effect-table";

const round = (v: number | null) => (v == null ? null : Math.round(v * 1e4) / 1e4);

/**
 * What the table shows of a cell, as a tuple: rates to 4 places (shown to whole percent) and the
 * link's part, left out when the row's template gives it (templateParts). An empty cell (n = 0)
 * is not a link, so it goes as [0, 0] unless `keepLink`.
 */
function tuple(c: EffectCell, part: string | undefined, keepLink = false): EffectCellTuple {
  if (c.n === 0 && !keepLink) return [0, 0];
  const t: EffectCellTuple = [c.k, c.n, round(c.rate), round(c.low), round(c.high)];
  return part == null ? t : [...t, part];
}

/** The practice's own key in its links: the first cell's `arg`, up to its first ":". */
function keyOf(part: string): string {
  const arg = /(?:^|&)arg=([^&]*)/.exec(part)?.[1] ?? "";
  const colon = arg.indexOf("%3A");
  return colon < 0 ? arg : arg.slice(0, colon);
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
  // Links as parts of one base (hrefs.ts); a practice's four parts differ only by its key, so
  // each group sends a template per cell ("%s" for the key) and each row its key; a part the
  // template does not give back exactly goes whole.
  const partsOf = rows.map((r) => cells(r).map((c) => splitHref(c.href, base)));
  const keys = partsOf.map((parts) => keyOf(parts[0] ?? ""));
  const templates = groups.map((g) => {
    const first = rows.findIndex((r) => r.group === g);
    const key = keys[first] ?? "";
    return (partsOf[first] ?? []).map((part) => (key ? part.split(key).join("%s") : part));
  });
  const data: EffectData = {
    base,
    groups,
    templates,
    // The first cell keeps its link even when empty: the table view links each practice by it.
    rows: rows.map((r, i) => {
      const g = groups.indexOf(r.group);
      const key = keys[i] ?? "";
      return [
        g,
        r.label,
        cells(r).map((c, j) => {
          const part = partsOf[i]![j]!;
          const fromTemplate = fillTemplate(templates[g]?.[j], key);
          return tuple(c, fromTemplate === part ? undefined : part, j === 0);
        }),
        key,
      ];
    }),
  };
  return <PlaybookEffectTable data={data} />;
}
