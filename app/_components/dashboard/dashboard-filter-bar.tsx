import { complaintFilterOptions } from "@/lib/complaints/list";
import type { ParsedDashboardFilters } from "@/lib/metrics/filters";
import { FilterBar, type FilterBarValues, type FilterChoices } from "./filter-bar";

/** The organisation's filter choices as [id, label] pairs: what the filter bar shows, no more. */
export async function filterChoices(): Promise<FilterChoices> {
  const options = await complaintFilterOptions();
  return {
    team: options.teams.map((t) => [t.id, t.name]),
    owner: options.owners.map((o) => [o.id, o.active ? o.name : `${o.name} (inactive)`]),
    product: options.products.map((p) => [p.id, `${p.depth ? "— " : ""}${p.name}`]),
    rootCause: options.rootCauses.map((r) => [r.id, `${r.category}: ${r.name}`]),
  };
}

/** The values that are set: an unset filter is no prop at all on the wire. */
function definedOnly(values: FilterBarValues): FilterBarValues {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v != null));
}

/** A dashboard's filter bar: the page's filters, its choices, the resolved periods. */
export async function DashboardFilterBar({
  f,
  path,
  defaultRange,
}: {
  f: ParsedDashboardFilters;
  path: string;
  defaultRange?: string;
}) {
  return (
    <FilterBar
      path={path}
      defaultRange={defaultRange}
      values={definedOnly({
        range: f.range,
        from: f.range === "custom" ? f.current.from : undefined,
        to: f.range === "custom" ? f.current.to : undefined,
        ...f.dimensions,
      })}
      choices={await filterChoices()}
      current={f.current}
      previous={f.previous}
      notice={f.clamped?.message}
    />
  );
}
