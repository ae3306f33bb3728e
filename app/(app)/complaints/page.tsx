import type { Metadata } from "next";
import Link from "next/link";
import {
  complaintFilterOptions,
  countComplaints,
  filtersToSearchParams,
  hasActiveFilters,
  listComplaints,
  parseComplaintFilters,
  type ComplaintFilters,
  type FilterName,
} from "@/lib/complaints/list";
import { drillSets } from "@/lib/metrics/sets";
import { AngryFlag, SeverityBadge, StatusBadge } from "./_list/badges";
import { FilterForm } from "./_list/filter-form";
import { channelLabel, formatDateTime } from "./_list/labels";

export const metadata: Metadata = { title: "Complaints" };

const filterNames: Record<FilterName, string> = {
  status: "status",
  team: "team",
  owner: "owner",
  channel: "channel",
  severity: "severity",
  product: "product",
  rootCause: "root cause",
  from: "received from",
  to: "received to",
  angry: "angry",
  slaBreached: "SLA breached",
  followUpOverdue: "follow-up overdue",
  timely: "timely response",
  importRun: "import",
  basis: "date basis",
  set: "dashboard figure",
  arg: "dashboard figure detail",
  q: "search",
  sort: "sort",
  cursor: "page",
  limit: "page size",
};

function href(filters: ComplaintFilters, cursor?: string | null, path = "/complaints"): string {
  const params = filtersToSearchParams({ ...filters, cursor: cursor ?? undefined }, { page: true });
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export default async function ComplaintsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { filters, invalid } = parseComplaintFilters(await searchParams);
  const [page, total, choices] = await Promise.all([
    listComplaints(filters),
    countComplaints(filters),
    complaintFilterOptions(),
  ]);
  const filtered = hasActiveFilters(filters);
  const exportQuery = filtersToSearchParams(filters).toString();
  const exportHref = exportQuery ? `/complaints/export?${exportQuery}` : "/complaints/export";
  const formKey = filtersToSearchParams(filters).toString();

  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Complaints</h1>
          <p className="mt-1 text-slate-600">
            <span data-testid="complaint-count" className="font-semibold text-slate-900">
              {total}
            </span>{" "}
            {total === 1 ? "complaint" : "complaints"}
            {filtered ? " match these filters" : " in total"}
          </p>
        </div>
        <div className="flex items-center gap-3">
          {page.canExport && (
            <a
              href={exportHref}
              data-testid="export-csv"
              className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
            >
              Export CSV
            </a>
          )}
          {page.canCreate && (
            <Link
              href="/complaints/new"
              data-testid="record-complaint"
              className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900"
            >
              Record a complaint
            </Link>
          )}
        </div>
      </div>

      <FilterForm
        key={formKey}
        choices={choices}
        values={{
          status: filters.status,
          team: filters.team,
          owner: filters.owner,
          channel: filters.channel,
          severity: filters.severity,
          product: filters.product,
          rootCause: filters.rootCause,
          from: filters.from,
          to: filters.to,
          angry: filters.angry,
          slaBreached: filters.slaBreached,
          followUpOverdue: filters.followUpOverdue,
          timely: filters.timely,
          importRun: filters.importRun,
          q: filters.q,
          sort: filters.sort,
          set: filters.set,
          arg: filters.arg,
          basis: filters.basis,
        }}
      />

      {(filters.set || filters.basis !== "received") && (
        <p
          data-testid="drill-banner"
          className="flex flex-wrap items-center gap-2 rounded-md border border-brand-100 bg-brand-50 px-4 py-2 text-sm text-brand-900"
        >
          <span>
            From a dashboard: {filters.set ? <strong>{drillSets[filters.set].label}</strong> : null}
            {filters.basis !== "received" && (filters.from || filters.to)
              ? ` · dates are when complaints were ${filters.basis}`
              : null}
          </span>
          <Link
            className="ml-auto text-brand-700 underline"
            href={href({ ...filters, set: undefined, basis: "received" })}
          >
            Show all complaints for these filters
          </Link>
        </p>
      )}

      {(filters.importRun || filters.timely) && (
        <p
          data-testid="source-banner"
          className="flex flex-wrap items-center gap-2 rounded-md border border-brand-100 bg-brand-50 px-4 py-2 text-sm text-brand-900"
        >
          <span>
            {[
              filters.importRun ? "Created or changed by one import" : null,
              filters.timely === "yes" ? "Response reported timely" : null,
              filters.timely === "no" ? "Response reported not timely" : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </span>
          <Link
            className="ml-auto text-brand-700 underline"
            href={href({ ...filters, importRun: undefined, timely: undefined })}
          >
            Show all complaints for the other filters
          </Link>
        </p>
      )}

      {invalid.length > 0 && (
        <p
          data-testid="invalid-filters"
          className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900"
        >
          Some of this link&apos;s filters were not understood and were left out:{" "}
          {invalid.map((name) => filterNames[name]).join(", ")}.
        </p>
      )}

      {page.rows.length === 0 ? (
        <EmptyState
          filtered={filtered}
          pastEnd={Boolean(filters.cursor) && total > 0}
          firstPage={href(filters)}
          canCreate={page.canCreate}
        />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Complaints matching the filters</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <Th>Received (UTC)</Th>
                <Th>Summary and customer</Th>
                <Th>Severity</Th>
                <Th>Status</Th>
                <Th>Owner and team</Th>
                <Th>SLA due (UTC)</Th>
                <Th>Root cause</Th>
                <Th>Channel</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.rows.map((row) => (
                <tr
                  key={row.id}
                  data-testid="complaint-row"
                  data-complaint-id={row.id}
                  className="align-top hover:bg-slate-50"
                >
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                    <DateTime date={row.receivedAt} />
                  </td>
                  <td className="min-w-72 px-3 py-2">
                    <Link
                      href={`/complaints/${row.id}`}
                      className="font-medium text-brand-700 hover:underline"
                      data-testid="complaint-link"
                    >
                      {row.summary}
                    </Link>
                    <div className="mt-0.5 flex items-center gap-2 text-xs text-slate-500">
                      <span>{row.customerName}</span>
                      {row.angry && <AngryFlag />}
                    </div>
                  </td>
                  <td className="px-3 py-2">
                    <SeverityBadge severity={row.severity} />
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge status={row.status} />
                  </td>
                  <td className="px-3 py-2">
                    <div className={row.ownerName ? "text-slate-800" : "text-slate-400"}>
                      {row.ownerName ?? "Unassigned"}
                    </div>
                    <div className="text-xs text-slate-500">{row.teamName ?? "No team"}</div>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    {row.slaDueAt ? (
                      <span
                        className={row.breached ? "text-red-700" : "text-slate-600"}
                        data-testid={row.breached ? "sla-breached" : undefined}
                      >
                        <DateTime date={row.slaDueAt} />
                        {row.breached && (
                          <span className="block text-xs font-semibold">SLA breached</span>
                        )}
                      </span>
                    ) : (
                      <span className="text-slate-400">—</span>
                    )}
                  </td>
                  <td className="max-w-44 px-3 py-2 text-xs text-slate-600">
                    {row.rootCauseName ?? <span className="text-slate-400">—</span>}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                    {channelLabel[row.channel]}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {(page.nextCursor || filters.cursor) && (
        <nav aria-label="Pages" className="flex items-center justify-between text-sm">
          <p className="text-slate-600">
            Showing {page.rows.length} of {total}
            {filters.cursor ? ", after the first page" : ""}
          </p>
          <div className="flex items-center gap-4">
            {filters.cursor && (
              <Link
                href={href(filters)}
                data-testid="first-page"
                className="text-brand-700 hover:underline"
              >
                First page
              </Link>
            )}
            {page.nextCursor && (
              <Link
                href={href(filters, page.nextCursor)}
                data-testid="next-page"
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50"
              >
                Next page →
              </Link>
            )}
          </div>
        </nav>
      )}
    </section>
  );
}

/** Date over time, to keep the column narrow. */
function DateTime({ date }: { date: Date }) {
  const [day, time] = formatDateTime(date).split(", ");
  return (
    <>
      <span className="block">{day}</span>
      <span className="block text-xs text-slate-500">{time}</span>
    </>
  );
}

function Th({ children }: { children: React.ReactNode }) {
  return (
    <th scope="col" className="whitespace-nowrap px-3 py-2 font-medium">
      {children}
    </th>
  );
}

function EmptyState({
  filtered,
  pastEnd,
  firstPage,
  canCreate,
}: {
  filtered: boolean;
  pastEnd: boolean;
  firstPage: string;
  canCreate: boolean;
}) {
  let message: React.ReactNode;
  if (pastEnd) {
    message = (
      <>
        No more complaints after this point —{" "}
        <Link href={firstPage} className="text-brand-700 hover:underline">
          back to the first page
        </Link>
        .
      </>
    );
  } else if (filtered) {
    message = (
      <>
        No complaints match these filters —{" "}
        <Link href="/complaints" className="text-brand-700 hover:underline">
          clear filters
        </Link>{" "}
        or loosen one of them.
      </>
    );
  } else if (canCreate) {
    message = (
      <>
        No complaints yet —{" "}
        <Link href="/complaints/new" className="text-brand-700 hover:underline">
          record the first one
        </Link>
        .
      </>
    );
  } else {
    message = <>No complaints yet. They will appear here as soon as the team records them.</>;
  }
  return (
    <p
      data-testid="empty-state"
      className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-600"
    >
      {message}
    </p>
  );
}
