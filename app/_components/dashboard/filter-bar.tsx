"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useInBrowser } from "./use-in-browser";
import { channelLabel, keysOf, severityLabel } from "@/app/(app)/complaints/_list/labels";
import { MAX_DAY, MIN_DAY } from "@/lib/metrics/range-guard";

/** A choice as [value, label]: compact, since the lists cross the wire once with the page. */
export type Choice = [value: string, label: string];

/** The organisation's own choices (teams, people, products, causes), labels ready to show. */
export interface FilterChoices {
  team: Choice[];
  owner: Choice[];
  product: Choice[];
  rootCause: Choice[];
}

export interface FilterBarValues {
  range?: string;
  from?: string;
  to?: string;
  team?: string;
  owner?: string;
  channel?: string;
  severity?: string;
  product?: string;
  rootCause?: string;
}

const presets: { value: string; label: string }[] = [
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "90d", label: "Last 90 days" },
  { value: "quarter", label: "This quarter" },
  { value: "year", label: "Last 12 months" },
  { value: "custom", label: "Custom dates" },
];

const channels = keysOf(channelLabel).map((c): Choice => [c, channelLabel[c]]);
const severities = keysOf(severityLabel).map((s): Choice => [s, severityLabel[s]]);

const selectClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-brand-600";

/**
 * The dashboards' shared filter bar: a date range (presets or custom dates) and the dimension
 * filters. Every change is pushed to the URL, so a view can be shared and the server re-renders.
 */
export function FilterBar({
  path,
  values,
  choices,
  current,
  previous,
  notice,
  defaultRange = "90d",
}: {
  path?: string;
  /** The range this page opens on when the URL names none (it is left out of the URL). */
  defaultRange?: string;
  values: FilterBarValues;
  choices: FilterChoices;
  /** The resolved dates of the range and of the previous period, shown for clarity. */
  current?: { from: string; to: string };
  previous?: { from: string; to: string };
  /** Why the dates shown differ from those asked for (parseDashboardFilters' `clamped`). */
  notice?: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const range = values.range ?? defaultRange;
  const [from, setFrom] = useState(values.from ?? current?.from ?? "");
  const [to, setTo] = useState(values.to ?? current?.to ?? "");
  const [customOpen, setCustomOpen] = useState(range === "custom");
  const inBrowser = useInBrowser();

  function push(next: FilterBarValues) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) {
      if (!value) continue;
      if (key === "range" && value === defaultRange) continue;
      if ((key === "from" || key === "to") && next.range !== "custom") continue;
      params.set(key, value);
    }
    const query = params.toString();
    startTransition(() => router.push(`${path ?? pathname}${query ? `?${query}` : ""}`));
  }

  function change(key: keyof FilterBarValues, value: string) {
    if (key === "range" && value === "custom") {
      setCustomOpen(true);
      return;
    }
    if (key === "range") setCustomOpen(false);
    push({ ...values, [key]: value || undefined });
  }

  const field = (id: keyof FilterBarValues, label: string, all: Choice[]) => {
    // On the server: "All", the fixed choices and the chosen one; every choice in the browser.
    const options = inBrowser ? all : all.filter(([value]) => value === values[id]);
    return (
      <label className="flex flex-col text-xs font-medium text-slate-600">
        {label}
        <select
          className={selectClass}
          value={values[id] ?? ""}
          onChange={(e) => change(id, e.target.value)}
          data-testid={`filter-${id}`}
          name={id}
        >
          <option value="">All</option>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </label>
    );
  };

  const hasDimension = ["team", "owner", "channel", "severity", "product", "rootCause"].some(
    (k) => values[k as keyof FilterBarValues],
  );

  return (
    <form
      role="search"
      aria-label="Dashboard filters"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
      aria-busy={pending}
      data-testid="filter-bar"
      onSubmit={(e) => {
        e.preventDefault();
        if (from && to && from <= to) push({ ...values, range: "custom", from, to });
      }}
    >
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Period
        <select
          className={selectClass}
          value={customOpen ? "custom" : range}
          onChange={(e) => change("range", e.target.value)}
          data-testid="filter-range"
          name="range"
        >
          {presets.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {customOpen && (
        <>
          <label className="flex flex-col text-xs font-medium text-slate-600">
            From
            <input
              type="date"
              className={selectClass}
              value={from}
              min={MIN_DAY}
              max={to || MAX_DAY}
              onChange={(e) => setFrom(e.target.value)}
              data-testid="filter-from"
              name="from"
              required
            />
          </label>
          <label className="flex flex-col text-xs font-medium text-slate-600">
            To
            <input
              type="date"
              className={selectClass}
              value={to}
              min={from || MIN_DAY}
              max={MAX_DAY}
              onChange={(e) => setTo(e.target.value)}
              data-testid="filter-to"
              name="to"
              required
            />
          </label>
          <button
            type="submit"
            className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-900"
            data-testid="filter-apply"
          >
            Apply
          </button>
        </>
      )}
      {field("team", "Team", [["none", "No team"], ...choices.team])}
      {field("owner", "Owner", [["none", "Unassigned"], ...choices.owner])}
      {field("channel", "Channel", channels)}
      {field("severity", "Severity", severities)}
      {field("product", "Product", choices.product)}
      {field("rootCause", "Root cause", [["none", "No root cause"], ...choices.rootCause])}
      {hasDimension && (
        <button
          type="button"
          className="px-1 py-1.5 text-sm text-brand-700 underline"
          onClick={() => push({ range: values.range, from: values.from, to: values.to })}
          data-testid="filter-clear"
        >
          Clear filters
        </button>
      )}
      {current && (
        <p className="ml-auto text-xs text-slate-600" data-testid="filter-period">
          {current.from} → {current.to}
          {previous && (
            <>
              <br />
              compared with {previous.from} → {previous.to}
            </>
          )}
          {pending && <span className="ml-2 text-slate-500">Updating…</span>}
        </p>
      )}
      {notice && (
        <p
          role="status"
          className="w-full rounded border border-amber-300 bg-amber-50 px-2 py-1 text-sm text-amber-900"
          data-testid="filter-notice"
        >
          {notice}
        </p>
      )}
    </form>
  );
}
