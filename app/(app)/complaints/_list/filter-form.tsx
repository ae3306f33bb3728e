"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { inputClass } from "@/app/_components/field";
import type { Channel, ComplaintStatus, Severity } from "@/db/schema";
import { channelLabel, keysOf, severityLabel, statusLabel } from "./labels";

export interface FilterValues {
  status: ComplaintStatus[];
  team?: string;
  owner?: string;
  channel?: Channel;
  severity?: Severity;
  product?: string;
  rootCause?: string;
  from?: string;
  to?: string;
  angry: boolean;
  slaBreached: boolean;
  followUpOverdue: boolean;
  timely?: "yes" | "no";
  importRun?: string;
  q?: string;
  sort: string;
  /** A dashboard drill-down's set and date basis, kept while other filters change. */
  set?: string;
  arg?: string;
  basis?: string;
}

export interface FilterChoices {
  teams: { id: string; name: string }[];
  owners: { id: string; name: string; active: boolean }[];
  products: { id: string; name: string; depth: 0 | 1 }[];
  rootCauses: { id: string; name: string; category: string }[];
}

const sortLabels: Record<string, string> = {
  received_desc: "Newest first",
  received_asc: "Oldest first",
  sla_due_asc: "SLA due soonest",
  severity: "Most severe first",
};

const selectClass = `${inputClass} py-1.5`;
const labelClass = "block text-xs font-medium text-slate-600";

/**
 * The filter bar. It is a plain GET form, so it works without JavaScript and every view has a
 * URL; with JavaScript, submitting leaves blank fields out of the URL and navigates client-side.
 * The page gives it a `key` of the current query, so back/forward re-render it with that URL's
 * values.
 */
export function FilterForm({ values, choices }: { values: FilterValues; choices: FilterChoices }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(event.currentTarget)) {
      if (typeof value === "string" && value.trim() !== "") params.append(name, value.trim());
    }
    if (params.get("sort") === "received_desc") params.delete("sort");
    const query = params.toString();
    startTransition(() => router.push(query ? `/complaints?${query}` : "/complaints"));
  }

  return (
    <form
      method="get"
      action="/complaints"
      onSubmit={submit}
      data-testid="filter-form"
      aria-busy={pending}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      {/* Set by links (imports, the API); kept while other filters change. */}
      {values.timely && <input type="hidden" name="timely" value={values.timely} />}
      {values.importRun && <input type="hidden" name="importRun" value={values.importRun} />}
      {values.set && <input type="hidden" name="set" value={values.set} />}
      {values.set && values.arg && <input type="hidden" name="arg" value={values.arg} />}
      {values.basis && values.basis !== "received" && (
        <input type="hidden" name="basis" value={values.basis} />
      )}
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor="filter-q" className={labelClass}>
            Search summary and story
          </label>
          <input
            id="filter-q"
            name="q"
            type="search"
            defaultValue={values.q ?? ""}
            placeholder="e.g. router, refund, technician"
            className={`${inputClass} mt-1 py-1.5`}
          />
        </div>
        <div className="w-48">
          <label htmlFor="filter-sort" className={labelClass}>
            Sort
          </label>
          <select
            id="filter-sort"
            name="sort"
            defaultValue={values.sort}
            className={`${selectClass} mt-1`}
            onChange={(e) => e.currentTarget.form?.requestSubmit()}
          >
            {Object.entries(sortLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900 disabled:opacity-60"
          disabled={pending}
        >
          {pending ? "Filtering…" : "Apply filters"}
        </button>
        <Link
          href="/complaints"
          className="px-2 py-2 text-sm text-brand-700 hover:underline"
          data-testid="clear-filters"
        >
          Clear filters
        </Link>
      </div>

      <div className="grid grid-cols-4 gap-3">
        <Select id="filter-team" name="team" label="Team" value={values.team}>
          <option value="">Any team</option>
          <option value="none">No team</option>
          {choices.teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </Select>
        <Select id="filter-owner" name="owner" label="Owner" value={values.owner}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="none">Unassigned</option>
          {choices.owners.map((u) => (
            <option key={u.id} value={u.id}>
              {u.active ? u.name : `${u.name} (inactive)`}
            </option>
          ))}
        </Select>
        <Select id="filter-channel" name="channel" label="Channel" value={values.channel}>
          <option value="">Any channel</option>
          {keysOf(channelLabel).map((c) => (
            <option key={c} value={c}>
              {channelLabel[c]}
            </option>
          ))}
        </Select>
        <Select id="filter-severity" name="severity" label="Severity" value={values.severity}>
          <option value="">Any severity</option>
          {keysOf(severityLabel).map((s) => (
            <option key={s} value={s}>
              {severityLabel[s]}
            </option>
          ))}
        </Select>
        <Select id="filter-product" name="product" label="Product" value={values.product}>
          <option value="">Any product</option>
          {choices.products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.depth ? `\u00a0\u00a0\u00a0${p.name}` : p.name}
            </option>
          ))}
        </Select>
        <Select id="filter-root-cause" name="rootCause" label="Root cause" value={values.rootCause}>
          <option value="">Any root cause</option>
          <option value="none">Not yet assigned</option>
          {groupByCategory(choices.rootCauses).map(([category, causes]) => (
            <optgroup key={category} label={category}>
              {causes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
        <div>
          <label htmlFor="filter-from" className={labelClass}>
            Received from (UTC)
          </label>
          <input
            id="filter-from"
            name="from"
            type="date"
            defaultValue={values.from ?? ""}
            className={`${selectClass} mt-1`}
          />
        </div>
        <div>
          <label htmlFor="filter-to" className={labelClass}>
            Received to (UTC)
          </label>
          <input
            id="filter-to"
            name="to"
            type="date"
            defaultValue={values.to ?? ""}
            className={`${selectClass} mt-1`}
          />
        </div>
      </div>

      <div className="flex flex-wrap items-center gap-x-8 gap-y-2 text-sm">
        <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1">
          <legend className="float-left mr-3 text-xs font-medium text-slate-600">Status</legend>
          {keysOf(statusLabel).map((s) => (
            <Check
              key={s}
              id={`filter-status-${s}`}
              name="status"
              value={s}
              label={statusLabel[s]}
              checked={values.status.includes(s)}
            />
          ))}
        </fieldset>
        <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1">
          <legend className="float-left mr-3 text-xs font-medium text-slate-600">Only</legend>
          <Check
            id="filter-angry"
            name="angry"
            value="1"
            label="Angry at intake"
            checked={values.angry}
          />
          <Check
            id="filter-sla-breached"
            name="slaBreached"
            value="1"
            label="SLA breached"
            checked={values.slaBreached}
          />
          <Check
            id="filter-follow-up-overdue"
            name="followUpOverdue"
            value="1"
            label="Follow-up overdue"
            checked={values.followUpOverdue}
          />
        </fieldset>
      </div>
    </form>
  );
}

function Select({
  id,
  name,
  label,
  value,
  children,
}: {
  id: string;
  name: string;
  label: string;
  value?: string;
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className={`${selectClass} mt-1`}>
        {children}
      </select>
    </div>
  );
}

function Check({
  id,
  name,
  value,
  label,
  checked,
}: {
  id: string;
  name: string;
  value: string;
  label: string;
  checked: boolean;
}) {
  return (
    <label htmlFor={id} className="inline-flex items-center gap-1.5 text-slate-700">
      <input
        id={id}
        type="checkbox"
        name={name}
        value={value}
        defaultChecked={checked}
        className="h-4 w-4 rounded border-slate-300 text-brand-700"
      />
      {label}
    </label>
  );
}

function groupByCategory(causes: FilterChoices["rootCauses"]) {
  const groups = new Map<string, FilterChoices["rootCauses"]>();
  for (const cause of causes) {
    const group = groups.get(cause.category) ?? [];
    group.push(cause);
    groups.set(cause.category, group);
  }
  return [...groups.entries()];
}
