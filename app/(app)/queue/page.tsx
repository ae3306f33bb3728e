import type { Metadata } from "next";
import Link from "next/link";
import { SeverityBadge, StatusBadge } from "@/app/(app)/complaints/_list/badges";
import { formatDateTime, zoneName } from "@/app/(app)/complaints/_list/labels";
import { requireUser } from "@/lib/auth/guard";
import { getMyQueue } from "@/lib/complaints/queue";

export const metadata: Metadata = { title: "My queue" };

export default async function QueuePage() {
  const [actor, queue] = await Promise.all([requireUser(), getMyQueue()]);
  const tz = queue.timezone;
  const firstName = actor.name.split(" ")[0];

  return (
    <section className="max-w-5xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">My queue</h1>
        <p className="mt-1 text-slate-600">
          Good to see you, {firstName}. What needs you next on the complaints you own. Times are{" "}
          {zoneName(tz)}.
        </p>
        <ul className="mt-4 grid grid-cols-3 gap-3" aria-label="At a glance">
          <Glance
            href="#follow-ups"
            count={queue.followUps.total}
            label="follow-ups due or overdue"
          />
          <Glance href="#late" count={queue.late.total} label="past SLA or promise" />
          <Glance href="#newest" count={queue.newest.total} label="open and assigned to me" />
        </ul>
      </div>

      <QueueSection
        id="follow-ups"
        title="Follow-ups due today and overdue"
        total={queue.followUps.total}
        shown={queue.followUps.rows.length}
        empty="No follow-ups due today. Nothing overdue — nice."
        seeAll="/complaints?owner=me&followUpOverdue=1"
        seeAllLabel="overdue follow-ups in the complaints list"
      >
        {queue.followUps.rows.map((row) => (
          <Row
            key={row.followUpId}
            complaintId={row.complaintId}
            summary={row.summary}
            customerName={row.customerName}
            badges={<SeverityBadge severity={row.severity} />}
            when={
              <span className={row.overdue ? "font-medium text-red-700" : "text-amber-800"}>
                {row.overdue ? "Overdue since " : "Due "}
                {formatDateTime(row.dueAt, tz)}
              </span>
            }
          />
        ))}
      </QueueSection>

      <QueueSection
        id="late"
        title="Past SLA or past the promised date"
        total={queue.late.total}
        shown={queue.late.rows.length}
        empty="Nothing past its SLA or promise — nice."
        seeAll="/complaints?owner=me&slaBreached=1&status=new&status=in_progress&sort=sla_due_asc"
        seeAllLabel="your breached complaints in the complaints list"
      >
        {queue.late.rows.map((row) => (
          <Row
            key={row.complaintId}
            complaintId={row.complaintId}
            summary={row.summary}
            customerName={row.customerName}
            badges={
              <>
                <SeverityBadge severity={row.severity} />
                <StatusBadge status={row.status} />
              </>
            }
            when={
              <span className="space-y-0.5">
                {row.slaDueAt && (
                  <span
                    className={`block ${row.slaPassed ? "font-medium text-red-700" : "text-slate-600"}`}
                  >
                    SLA {row.slaPassed ? "breached" : "due"} {formatDateTime(row.slaDueAt, tz)}
                  </span>
                )}
                {row.promisedBy && (
                  <span
                    className={`block ${row.promisePassed ? "font-medium text-red-700" : "text-slate-600"}`}
                  >
                    Promised by {formatDateTime(row.promisedBy, tz)}
                  </span>
                )}
              </span>
            }
          />
        ))}
      </QueueSection>

      <QueueSection
        id="newest"
        title="Newest assigned to me"
        total={queue.newest.total}
        shown={queue.newest.rows.length}
        countLabel="open"
        empty="No open complaints assigned to you."
        seeAll="/complaints?owner=me&status=new&status=in_progress"
        seeAllLabel="your open complaints in the complaints list"
      >
        {queue.newest.rows.map((row) => (
          <Row
            key={row.complaintId}
            complaintId={row.complaintId}
            summary={row.summary}
            customerName={row.customerName}
            badges={
              <>
                <SeverityBadge severity={row.severity} />
                <StatusBadge status={row.status} />
              </>
            }
            when={
              <span className="text-slate-600">Received {formatDateTime(row.receivedAt, tz)}</span>
            }
          />
        ))}
      </QueueSection>
    </section>
  );
}

function Glance({ href, count, label }: { href: string; count: number; label: string }) {
  return (
    <li>
      <a
        href={href}
        className="block rounded-lg border border-slate-200 bg-white px-4 py-3 hover:border-brand-600"
      >
        <span
          className={`block text-2xl font-semibold ${count > 0 ? "text-slate-900" : "text-slate-400"}`}
        >
          {count}
        </span>
        <span className="text-sm text-slate-600">{label}</span>
      </a>
    </li>
  );
}

function QueueSection({
  id,
  title,
  total,
  shown,
  countLabel,
  empty,
  seeAll,
  seeAllLabel,
  children,
}: {
  id: string;
  title: string;
  total: number;
  shown: number;
  countLabel?: string;
  empty: string;
  seeAll: string;
  seeAllLabel: string;
  children: React.ReactNode;
}) {
  return (
    <section
      id={id}
      aria-labelledby={`${id}-heading`}
      data-testid={`queue-${id}`}
      className="scroll-mt-4"
    >
      <h2 id={`${id}-heading`} className="flex items-baseline gap-2 text-lg font-semibold">
        {title}
        <span
          data-testid={`queue-${id}-count`}
          className={`rounded-full px-2 py-0.5 text-sm font-medium ${
            total > 0 ? "bg-brand-100 text-brand-900" : "bg-slate-100 text-slate-600"
          }`}
        >
          {total}
          {countLabel ? ` ${countLabel}` : ""}
        </span>
      </h2>
      {total === 0 ? (
        <p
          data-testid={`queue-${id}-empty`}
          className="mt-2 rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-slate-600"
        >
          {empty}
        </p>
      ) : (
        <>
          <ul className="mt-2 divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white">
            {children}
          </ul>
          {total > shown && (
            <p className="mt-2 text-sm text-slate-600">
              Showing the first {shown} of {total}.{" "}
              <Link href={seeAll} className="text-brand-700 hover:underline">
                See all {seeAllLabel}
              </Link>
              .
            </p>
          )}
        </>
      )}
    </section>
  );
}

function Row({
  complaintId,
  summary,
  customerName,
  badges,
  when,
}: {
  complaintId: string;
  summary: string;
  customerName: string;
  badges: React.ReactNode;
  when: React.ReactNode;
}) {
  return (
    <li className="flex items-start justify-between gap-4 px-4 py-3 hover:bg-slate-50">
      <div className="min-w-0">
        <Link
          href={`/complaints/${complaintId}`}
          className="font-medium text-brand-700 hover:underline"
          data-testid="queue-link"
        >
          {summary}
        </Link>
        <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
          <span>{customerName}</span>
          {badges}
        </div>
      </div>
      <div className="shrink-0 text-right text-sm">{when}</div>
    </li>
  );
}
