import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import {
  getAssignmentOptions,
  getComplaintDetail,
  getRootCauseOptions,
  type ComplaintDetail,
  type TimelineEvent,
} from "@/lib/complaints/queries";
import {
  ApproveRemedyForm,
  AssignmentForm,
  CompleteFollowUpForm,
  CustomerUpdateForm,
  OfferRemedyForm,
  OutcomeForm,
  PromiseForm,
  RemedyActions,
  RootCauseForm,
  ScheduleFollowUpForm,
  StatusForm,
  StepDoneForm,
} from "./forms";
import {
  activityLabel,
  badge,
  card,
  cardHeading,
  channelLabel,
  dayKey,
  formatDate,
  formatDateTime,
  formatSpan,
  formatTime,
  mutedText,
  remedyKindLabel,
  remedyStatusClass,
  sentimentLabel,
  severityClass,
  severityLabel,
  signalLabel,
  statusClass,
  statusLabel,
} from "./ui";

export const metadata: Metadata = { title: "Complaint" };

type Tone = "good" | "bad" | "warn" | "plain";
const toneClass: Record<Tone, string> = {
  good: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  bad: "bg-red-50 text-red-800 ring-red-200",
  warn: "bg-amber-50 text-amber-800 ring-amber-200",
  plain: "bg-slate-50 text-slate-600 ring-slate-200",
};

function Pill({
  tone,
  children,
  testId,
}: {
  tone: Tone;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <span data-testid={testId} className={`${badge} ${toneClass[tone]}`}>
      {children}
    </span>
  );
}

/** SLA: met / missed once resolved; breached / due in … while open. */
function slaState(c: ComplaintDetail, now: number): { tone: Tone; text: string } | null {
  if (!c.slaDueAt) return null;
  const due = new Date(c.slaDueAt).getTime();
  if (c.resolvedAt) {
    return new Date(c.resolvedAt).getTime() <= due
      ? { tone: "good", text: "met" }
      : { tone: "bad", text: "missed" };
  }
  if (now > due) return { tone: "bad", text: `breached ${formatSpan(now - due)} ago` };
  return {
    tone: due - now < 8 * 3600_000 ? "warn" : "plain",
    text: `due in ${formatSpan(due - now)}`,
  };
}

/** Promise: kept / broken once resolved; overdue or due in … while open. */
function promiseState(c: ComplaintDetail, now: number): { tone: Tone; text: string } | null {
  if (!c.promisedBy) return null;
  const by = new Date(c.promisedBy).getTime();
  if (c.resolvedAt) {
    return new Date(c.resolvedAt).getTime() <= by
      ? { tone: "good", text: "kept" }
      : { tone: "bad", text: "broken" };
  }
  if (now > by) return { tone: "bad", text: `overdue by ${formatSpan(now - by)}` };
  return { tone: "plain", text: `in ${formatSpan(by - now)}` };
}

function Feeling({ sentiment, nps }: { sentiment: number | null; nps: number | null }) {
  const parts: string[] = [];
  if (sentiment !== null) parts.push(`Sentiment ${sentiment} · ${sentimentLabel[sentiment]}`);
  if (nps !== null) parts.push(`NPS ${nps}`);
  return <>{parts.length ? parts.join(" · ") : "—"}</>;
}

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}

function Card({
  title,
  testId,
  aside,
  children,
}: {
  title: string;
  testId: string;
  aside?: React.ReactNode;
  children: React.ReactNode;
}) {
  const headingId = `${testId}-heading`;
  return (
    <section aria-labelledby={headingId} data-testid={testId} className={card}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className={cardHeading}>
          {title}
        </h2>
        {aside}
      </div>
      <div className="mt-3">{children}</div>
    </section>
  );
}

export default async function ComplaintPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const c = await getComplaintDetail(id);
  if (!c) notFound();
  const [rootCauseGroups, assignTeams] = await Promise.all([
    c.canSetRootCause ? getRootCauseOptions() : Promise.resolve([]),
    c.canReassign ? getAssignmentOptions(c.team?.id ?? null) : Promise.resolve([]),
  ]);

  const tz = c.timezone;
  const now = new Date(c.readAt).getTime();
  const ref = { complaintId: c.id, version: c.version, timeZone: tz };
  const closed = c.status === "closed";
  /** Steps, remedies, the promise and new follow-ups are locked once closed. */
  const canWork = c.canEdit && !closed;
  const sla = slaState(c, now);
  const promise = promiseState(c, now);
  const nextStepId = c.steps.find((s) => !s.done && s.active)?.id;
  const progress = c.requiredTotal ? Math.round((c.requiredDone / c.requiredTotal) * 100) : 0;

  return (
    <article className="mx-auto max-w-7xl space-y-6">
      <header className={card}>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <Link href="/complaints" className="hover:text-brand-700 hover:underline">
            Complaints
          </Link>{" "}
          / <span className="font-mono">{c.id.slice(0, 8)}</span>
        </nav>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
          <h1 className="max-w-3xl text-2xl font-semibold text-slate-900">{c.summary}</h1>
          <div className="flex flex-wrap items-center gap-2">
            <span data-testid="status-badge" className={`${badge} ${statusClass[c.status]}`}>
              {statusLabel[c.status]}
            </span>
            <span data-testid="severity-badge" className={`${badge} ${severityClass[c.severity]}`}>
              {severityLabel[c.severity]}
            </span>
            <span className="text-xs text-slate-400" data-testid="complaint-version">
              v{c.version}
            </span>
          </div>
        </div>
        <dl className="mt-5 grid grid-cols-2 gap-x-6 gap-y-4 text-sm md:grid-cols-4">
          <Meta label="Customer">
            <span className="font-medium">{c.customer.name}</span>
            {(c.customer.email || c.customer.phone) && (
              <span className="block truncate text-slate-500">
                {c.customer.email ?? c.customer.phone}
              </span>
            )}
          </Meta>
          <Meta label="Received">
            {formatDateTime(c.receivedAt, tz)}
            <span className="block text-slate-500">by {channelLabel[c.channel].toLowerCase()}</span>
          </Meta>
          <Meta label="SLA due">
            {c.slaDueAt ? formatDateTime(c.slaDueAt, tz) : "No SLA"}
            {sla && (
              <span className="mt-0.5 block">
                <Pill tone={sla.tone} testId="sla-state">
                  {sla.text}
                </Pill>
              </span>
            )}
          </Meta>
          <Meta label="Owner">
            {c.owner?.name ?? "Unassigned"}
            <span className="block text-slate-500">{c.team?.name ?? "No team"}</span>
          </Meta>
          <Meta label="Product">{c.product?.name ?? "—"}</Meta>
          <Meta label="Promised by">
            {c.promisedBy ? formatDateTime(c.promisedBy, tz) : "No promise yet"}
            {promise && (
              <span className="mt-0.5 block">
                <Pill tone={promise.tone} testId="promise-state">
                  {promise.text}
                </Pill>
              </span>
            )}
          </Meta>
          <Meta label="First response">
            {c.firstResponseAt ? formatDateTime(c.firstResponseAt, tz) : "Not yet"}
          </Meta>
          <Meta label="At intake">
            <Feeling sentiment={c.intakeSentiment} nps={c.intakeNps} />
          </Meta>
        </dl>
        {!c.canEdit && (
          <p
            data-testid="read-only-note"
            className="mt-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600"
          >
            You can read this complaint; its team makes the changes.
          </p>
        )}
        {c.canEdit && closed && (
          <p className="mt-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600">
            This complaint is closed. Reopen it to change the playbook, remedies, promise or
            follow-ups.
          </p>
        )}
      </header>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title="In the customer's words" testId="story">
            <blockquote className="whitespace-pre-wrap border-l-4 border-brand-100 pl-4 text-slate-800">
              {c.story || <span className={mutedText}>No story recorded.</span>}
            </blockquote>
            <div className="mt-4">
              <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
                Paraphrase, confirmed with the customer
              </p>
              <p className="mt-1 whitespace-pre-wrap text-slate-800">
                {c.paraphrase ?? <span className={mutedText}>Not recorded.</span>}
              </p>
            </div>
          </Card>

          <Card
            title="Recovery playbook"
            testId="playbook"
            aside={
              <p data-testid="playbook-progress" className="text-sm text-slate-600">
                {c.requiredDone} of {c.requiredTotal} required steps done
              </p>
            }
          >
            <div
              className="h-1.5 overflow-hidden rounded-full bg-slate-100"
              role="progressbar"
              aria-label="Required playbook steps done"
              aria-valuenow={c.requiredDone}
              aria-valuemin={0}
              aria-valuemax={c.requiredTotal}
            >
              <div className="h-full bg-emerald-500" style={{ width: `${progress}%` }} />
            </div>
            <ol className="mt-4 divide-y divide-slate-100">
              {c.steps.map((step, index) => (
                <li
                  key={step.id}
                  data-testid={`step-${step.key}`}
                  className={`flex gap-3 py-3 ${
                    canWork && step.id === nextStepId ? "-mx-3 rounded-md bg-brand-50/60 px-3" : ""
                  }`}
                >
                  <span
                    aria-hidden
                    className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${
                      step.done ? "bg-emerald-500 text-white" : "bg-slate-100 text-slate-500"
                    }`}
                  >
                    {step.done ? "✓" : index + 1}
                  </span>
                  <div className="min-w-0 flex-1">
                    <p className="font-medium text-slate-900">
                      {step.name}
                      {step.done && <span className="sr-only"> (done)</span>}
                      {!step.required && (
                        <span className="ml-2 text-xs font-normal text-slate-400">optional</span>
                      )}
                      {canWork && step.id === nextStepId && (
                        <span className="ml-2 rounded bg-brand-100 px-1.5 py-0.5 text-xs font-medium text-brand-900">
                          next
                        </span>
                      )}
                      {!step.active && (
                        <span className="ml-2 text-xs font-normal text-slate-400">retired</span>
                      )}
                    </p>
                    <p className="text-sm text-slate-500">{step.guidance}</p>
                    {step.done ? (
                      <p className="mt-1 text-sm text-emerald-800">
                        ✓ {step.done.by ?? "Someone"} · {formatDateTime(step.done.at, tz)}
                        {step.done.note && (
                          <span className="block text-slate-700">“{step.done.note}”</span>
                        )}
                      </p>
                    ) : (
                      canWork && step.active && <StepDoneForm {...ref} step={step} />
                    )}
                  </div>
                </li>
              ))}
            </ol>
          </Card>

          <Card
            title="Remedies"
            testId="remedies"
            aside={
              c.deliveredTotals.length > 0 && (
                <p className="text-sm text-slate-600">
                  Delivered: {c.deliveredTotals.map((t) => t.formatted).join(" + ")}
                </p>
              )
            }
          >
            {c.remedies.length === 0 ? (
              <p className={mutedText}>No remedy offered yet.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {c.remedies.map((r) => (
                  <li key={r.id} data-testid="remedy" className="py-3">
                    <div className="flex flex-wrap items-start justify-between gap-2">
                      <div className="min-w-0">
                        <p className="font-medium text-slate-900">
                          {remedyKindLabel[r.kind]}
                          <span className="ml-2 font-normal text-slate-700">
                            {r.cost ?? "cost unknown"}
                          </span>
                          <span className="ml-1 text-xs text-slate-400">{r.currency}</span>
                        </p>
                        {r.description && <p className="text-sm text-slate-700">{r.description}</p>}
                        <p className="mt-0.5 text-xs text-slate-500">
                          Offered {formatDateTime(r.offeredAt, tz)}
                          {r.offeredBy && ` by ${r.offeredBy}`}
                          {r.deliveredAt && ` · delivered ${formatDateTime(r.deliveredAt, tz)}`}
                        </p>
                        {r.approvalNote && (
                          <p
                            data-testid="remedy-approval"
                            className={`mt-1 text-xs ${r.awaitingApproval ? "font-medium text-amber-800" : "text-slate-500"}`}
                          >
                            {r.approvalNote}
                            {r.approvedAt
                              ? ` · approved${r.approvedBy ? ` by ${r.approvedBy}` : ""} ${formatDateTime(r.approvedAt, tz)}`
                              : r.awaitingApproval &&
                                " · not approved yet, so it cannot be delivered"}
                          </p>
                        )}
                      </div>
                      <div className="flex flex-wrap items-center gap-2">
                        {r.suggestedByCustomer && (
                          <span className={`${badge} bg-violet-50 text-violet-800 ring-violet-200`}>
                            Suggested by the customer
                          </span>
                        )}
                        <span
                          data-testid="remedy-status"
                          className={`${badge} ${remedyStatusClass[r.status]}`}
                        >
                          {r.status}
                        </span>
                      </div>
                    </div>
                    {(canWork || c.canApproveRemedies) &&
                      r.status !== "delivered" &&
                      r.status !== "declined" && (
                        <div className="mt-2 flex flex-wrap items-start gap-2">
                          {c.canApproveRemedies && r.awaitingApproval && (
                            <ApproveRemedyForm {...ref} remedy={r} />
                          )}
                          {canWork && <RemedyActions {...ref} remedy={r} />}
                        </div>
                      )}
                  </li>
                ))}
              </ul>
            )}
            {canWork && (
              <div className="mt-4 border-t border-slate-100 pt-4">
                <h3 className="text-sm font-semibold text-slate-800">Offer a remedy</h3>
                <p className="mb-3 text-xs text-slate-500">
                  Offer options, include what the customer asked for — then ask “what else can I
                  do?”
                </p>
                <OfferRemedyForm {...ref} currency={c.currency} />
              </div>
            )}
          </Card>

          <Card title="Commitment" testId="commitment">
            <p className="text-sm text-slate-700">
              {c.promisedBy ? (
                <>
                  Resolution promised by{" "}
                  <span className="font-medium">{formatDateTime(c.promisedBy, tz)}</span>
                  {promise && (
                    <>
                      {" "}
                      <Pill tone={promise.tone}>{promise.text}</Pill>
                    </>
                  )}
                </>
              ) : (
                "No promise made yet. Under-promise, then over-deliver."
              )}
            </p>
            {canWork && (
              <div className="mt-3">
                <PromiseForm {...ref} hasPromise={Boolean(c.promisedBy)} />
              </div>
            )}
          </Card>

          <Card title="Follow-ups" testId="follow-ups">
            {c.followUps.length === 0 ? (
              <p className={mutedText}>No follow-up scheduled.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {c.followUps.map((fu) => {
                  const overdue = !fu.doneAt && new Date(fu.dueAt).getTime() < now;
                  return (
                    <li key={fu.id} data-testid="follow-up" className="py-3">
                      <div className="flex flex-wrap items-center gap-2 text-sm">
                        <span className="font-medium text-slate-900">
                          Due {formatDateTime(fu.dueAt, tz)}
                        </span>
                        {fu.doneAt ? (
                          <Pill tone="good">done</Pill>
                        ) : overdue ? (
                          <Pill tone="bad">overdue</Pill>
                        ) : (
                          <Pill tone="plain">
                            due in {formatSpan(new Date(fu.dueAt).getTime() - now)}
                          </Pill>
                        )}
                      </div>
                      {fu.doneAt && (
                        <p className="mt-1 text-sm text-slate-700">
                          ✓ {fu.doneBy ?? "Someone"} · {formatDateTime(fu.doneAt, tz)}
                          {fu.channel && ` · ${channelLabel[fu.channel].toLowerCase()}`}
                          {(fu.sentiment !== null || fu.nps !== null) && (
                            <>
                              {" · "}
                              <Feeling sentiment={fu.sentiment} nps={fu.nps} />
                            </>
                          )}
                          {fu.note && <span className="block text-slate-600">“{fu.note}”</span>}
                        </p>
                      )}
                      {!fu.doneAt && c.canEdit && (
                        <CompleteFollowUpForm
                          {...ref}
                          followUpId={fu.id}
                          defaultChannel={c.channel}
                        />
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
            {canWork && (
              <div className="mt-4 border-t border-slate-100 pt-4">
                <ScheduleFollowUpForm {...ref} />
              </div>
            )}
          </Card>

          <Card title="Customer updates" testId="customer-updates">
            {c.canEdit && (
              <div className="mb-4">
                <CustomerUpdateForm {...ref} defaultChannel={c.channel} />
              </div>
            )}
            {c.updates.length === 0 ? (
              <p className={mutedText}>The customer has not been updated yet.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {c.updates.map((u) => (
                  <li key={u.id} className="py-2 text-sm">
                    <p className="whitespace-pre-wrap text-slate-800">{u.message}</p>
                    <p className="text-xs text-slate-500">
                      {channelLabel[u.channel]} · {u.sentBy ?? "Someone"} ·{" "}
                      {formatDateTime(u.sentAt, tz)}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <Card title="Outcome" testId="outcome">
            {c.outcome ? (
              <div className="mb-4 text-sm text-slate-800">
                <p>
                  <Feeling sentiment={c.outcome.finalSentiment} nps={c.outcome.finalNps} />
                  {c.intakeSentiment !== null || c.intakeNps !== null ? (
                    <span className="text-slate-500">
                      {" "}
                      (at intake: <Feeling sentiment={c.intakeSentiment} nps={c.intakeNps} />)
                    </span>
                  ) : null}
                </p>
                {c.outcome.signals.length > 0 && (
                  <p className="mt-2 flex flex-wrap gap-2">
                    {c.outcome.signals.map((s) => (
                      <Pill key={s} tone="good">
                        {signalLabel[s] ?? s}
                      </Pill>
                    ))}
                  </p>
                )}
                <p className="mt-1 text-xs text-slate-500">
                  Recorded {formatDateTime(c.outcome.recordedAt, tz)}
                  {c.outcome.recordedBy && ` by ${c.outcome.recordedBy}`}
                </p>
              </div>
            ) : (
              <p className={`mb-4 ${mutedText}`}>
                {c.canEdit
                  ? "How does the customer feel now? Record it before closing."
                  : "No outcome recorded yet."}
              </p>
            )}
            {c.canEdit && <OutcomeForm {...ref} outcome={c.outcome} />}
          </Card>

          <Card title="Status" testId="status">
            <p className="text-sm text-slate-700">
              <span className={`${badge} ${statusClass[c.status]}`}>{statusLabel[c.status]}</span>
              {c.resolvedAt && ` · resolved ${formatDateTime(c.resolvedAt, tz)}`}
              {c.closedAt && ` · closed ${formatDateTime(c.closedAt, tz)}`}
              {c.reopenCount > 0 &&
                ` · reopened ${c.reopenCount} time${c.reopenCount === 1 ? "" : "s"}`}
            </p>
            {c.noRemedyReason && (
              <p className="mt-1 text-sm text-slate-600">No remedy: {c.noRemedyReason}</p>
            )}
            {c.customerUnreachable && (
              <p className="mt-1 text-sm text-slate-600">Closed with the customer unreachable.</p>
            )}
            {c.transitions.length > 0 && (
              <div className="mt-3">
                <StatusForm
                  {...ref}
                  transitions={c.transitions}
                  hasDeliveredRemedy={c.hasDeliveredRemedy}
                  hasOutcome={Boolean(c.outcome)}
                />
              </div>
            )}
          </Card>

          {c.canReassign && (
            <Card title="Assignment" testId="assignment">
              <AssignmentForm
                {...ref}
                teams={assignTeams}
                currentTeamId={c.team?.id ?? null}
                currentOwnerId={c.owner?.id ?? null}
              />
            </Card>
          )}

          <Card title="Root cause" testId="root-cause">
            {c.rootCause ? (
              <div className="mb-3 text-sm">
                <p className="text-slate-800">
                  <span className="text-slate-500">{c.rootCause.category} ›</span>{" "}
                  <span className="font-medium">{c.rootCause.name}</span>
                </p>
                {c.fiveWhys && !c.canSetRootCause && (
                  <p className="mt-1 whitespace-pre-wrap text-slate-700">{c.fiveWhys}</p>
                )}
              </div>
            ) : (
              <p className={`mb-3 ${mutedText}`}>No root cause assigned yet.</p>
            )}
            {c.canSetRootCause && (
              <RootCauseForm
                {...ref}
                groups={rootCauseGroups}
                currentId={c.rootCause?.id ?? null}
                fiveWhys={c.fiveWhys}
              />
            )}
          </Card>
        </div>

        <aside className="min-w-0 space-y-6">
          <CustomerHistory c={c} />
          <Timeline events={c.timeline} timezone={tz} />
        </aside>
      </div>
    </article>
  );
}

function CustomerHistory({ c }: { c: ComplaintDetail }) {
  const tz = c.timezone;
  const { history, customer } = c;
  return (
    <Card title="Customer" testId="customer-history">
      <p className="font-medium text-slate-900">{customer.name}</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        {customer.email && (
          <>
            <dt className="text-slate-500">Email</dt>
            <dd className="truncate">{customer.email}</dd>
          </>
        )}
        {customer.phone && (
          <>
            <dt className="text-slate-500">Phone</dt>
            <dd>{customer.phone}</dd>
          </>
        )}
        {customer.segment && (
          <>
            <dt className="text-slate-500">Segment</dt>
            <dd>{customer.segment}</dd>
          </>
        )}
        <dt className="text-slate-500">Lifetime value</dt>
        <dd>{customer.lifetimeValue}</dd>
        {customer.externalRef && (
          <>
            <dt className="text-slate-500">Reference</dt>
            <dd className="font-mono text-xs leading-5">{customer.externalRef}</dd>
          </>
        )}
        {history.remedyTotals.length > 0 && (
          <>
            <dt className="text-slate-500">Remedies</dt>
            <dd>{history.remedyTotals.map((t) => t.formatted).join(" + ")} delivered in all</dd>
          </>
        )}
      </dl>

      <h3 className="mt-5 text-sm font-semibold text-slate-800">Other complaints</h3>
      {history.complaints.length === 0 ? (
        <p className={`mt-1 ${mutedText}`}>None: this is their first.</p>
      ) : (
        <ul className="mt-2 space-y-2">
          {history.complaints.map((h) => (
            <li key={h.id} className="rounded-md border border-slate-100 p-2 text-sm">
              <Link
                href={`/complaints/${h.id}`}
                className="font-medium text-brand-700 hover:underline"
              >
                {h.summary}
              </Link>
              <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-500">
                <span className={`${badge} ${statusClass[h.status]}`}>{statusLabel[h.status]}</span>
                <span>received {formatDate(h.receivedAt, tz)}</span>
                {h.resolvedAt && <span>· resolved {formatDate(h.resolvedAt, tz)}</span>}
                {h.remedyTotals.length > 0 && (
                  <span>· {h.remedyTotals.map((t) => t.formatted).join(" + ")}</span>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}

      <h3 className="mt-5 text-sm font-semibold text-slate-800">Activity</h3>
      {history.activity.length === 0 ? (
        <p className={`mt-1 ${mutedText}`}>No purchases, renewals or reviews on record.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100 text-sm">
          {history.activity.map((a) => (
            <li key={a.id} className="flex items-baseline justify-between gap-2 py-1.5">
              <span>
                <span
                  className={
                    a.kind === "cancellation" ? "font-medium text-red-700" : "text-slate-800"
                  }
                >
                  {activityLabel[a.kind] ?? a.kind}
                </span>
                {a.score !== null && <span className="text-slate-500"> · score {a.score}</span>}
                <span className="block text-xs text-slate-500">{formatDate(a.occurredAt, tz)}</span>
              </span>
              {a.amount && <span className="tabular-nums text-slate-700">{a.amount}</span>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function Timeline({ events, timezone }: { events: TimelineEvent[]; timezone: string }) {
  return (
    <Card title="Timeline" testId="timeline-card">
      {events.length === 0 ? (
        <p className={mutedText}>Nothing recorded yet.</p>
      ) : (
        <ol data-testid="timeline" className="relative space-y-3 border-l border-slate-200 pl-4">
          {events.map((event, index) => {
            const day = dayKey(event.at, timezone);
            const newDay = index === 0 || dayKey(events[index - 1]!.at, timezone) !== day;
            return (
              <li key={event.id} className="relative text-sm" data-action={event.action}>
                <span
                  aria-hidden
                  className="absolute -left-[21px] top-1.5 h-2.5 w-2.5 rounded-full border-2 border-white bg-brand-600"
                />
                {newDay && (
                  <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-400">
                    {day}
                  </p>
                )}
                <p className="text-slate-800">
                  {event.text}
                  <span className="text-slate-400"> · </span>
                  <time dateTime={event.at} className="text-slate-500">
                    {formatTime(event.at, timezone)}
                  </time>
                </p>
                {!event.actorInText && (
                  <p className="text-xs text-slate-500">by {event.actorName}</p>
                )}
                {event.detail && (
                  <p className="mt-0.5 whitespace-pre-wrap text-xs text-slate-600">
                    {event.detail}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
