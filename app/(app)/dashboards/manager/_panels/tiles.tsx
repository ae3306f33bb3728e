import { cache } from "react";
import { MetricTile } from "@/app/_components/dashboard/metric-tile";
import { formatHours, formatMoney, formatNumber } from "@/app/_components/dashboard/format";
import { leftOutNote } from "@/app/_components/dashboard/left-out";
import type { DashboardFilters } from "@/lib/metrics/filters";
import {
  closedLoop,
  firstResponseTime,
  openComplaints,
  overdueComplaints,
  playbookAdherence,
  promiseKept,
  remedyCost,
  reopenRate,
  slaMet,
  throughput,
  timeToResolution,
} from "@/lib/metrics/performance";

/** Both tile rows show time to resolution: compute it once per request. */
const ttrOnce = cache(timeToResolution);

const ofN = (n: number, d: number, what: string) =>
  d > 0 ? `${formatNumber(n)} of ${formatNumber(d)} ${what}` : `no ${what} in this period`;

/**
 * The headline: are we keeping up? Inflow vs outflow, the open backlog, what is overdue, and
 * whether we resolve within SLA — large, first, with their change vs the previous period.
 */
export async function HeadlineTiles({ f }: { f: DashboardFilters }) {
  const [flow, open, overdue, sla, ttr] = await Promise.all([
    throughput(f),
    openComplaints(f),
    overdueComplaints(f),
    slaMet(f),
    ttrOnce(f),
  ]);
  const net = flow.resolved.current - flow.received.current;
  return (
    <div className="space-y-2">
      <p
        className={`rounded-md px-3 py-2 text-sm font-medium ${
          net >= 0 ? "bg-emerald-50 text-emerald-900" : "bg-orange-50 text-orange-900"
        }`}
        data-testid="keeping-up"
      >
        {net >= 0
          ? `Keeping up: ${formatNumber(flow.resolved.current)} resolved vs ${formatNumber(flow.received.current)} received this period (backlog −${formatNumber(net)}).`
          : `Falling behind: ${formatNumber(flow.received.current)} received vs ${formatNumber(flow.resolved.current)} resolved this period (backlog +${formatNumber(-net)}).`}{" "}
        {overdue.current > 0
          ? `${formatNumber(overdue.current)} open complaints are past their SLA.`
          : "Nothing is past its SLA."}
      </p>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <MetricTile
          label="Overdue now"
          value={overdue.current}
          previous={overdue.previous}
          better="down"
          href={overdue.href}
          testId="tile-overdue"
          hint="Open and past SLA due · previous: at end of previous period"
          emphasis
          alert={overdue.current > 0}
        />
        <MetricTile
          label="SLA met"
          value={sla.current.rate}
          format="percent"
          previous={sla.previous.rate}
          better="up"
          href={sla.href}
          testId="tile-sla-met"
          hint={ofN(sla.current.numerator, sla.current.denominator, "resolved with an SLA")}
          leftOut={leftOutNote(sla.inferredTimesExcluded, "resolution time")}
          emphasis
          alert={sla.current.rate != null && sla.current.rate < 0.8}
        />
        <MetricTile
          label="Open now"
          value={open.current}
          previous={open.previous}
          better="down"
          href={open.href}
          testId="tile-open"
          hint="New or in progress, owned if imported · previous: at end of previous period"
          emphasis
        />
        <MetricTile
          label="Received"
          value={flow.received.current}
          previous={flow.received.previous}
          better="down"
          href={flow.received.href}
          testId="tile-received"
          hint="Complaints received in the period"
          emphasis
        />
        <MetricTile
          label="Resolved"
          value={flow.resolved.current}
          previous={flow.resolved.previous}
          better="up"
          href={flow.resolved.href}
          testId="tile-resolved"
          hint="Complaints resolved in the period"
          leftOut={leftOutNote(flow.resolved.inferredTimesExcluded, "resolution time")}
          emphasis
        />
        <MetricTile
          label="Median resolution"
          value={ttr.current.medianHours}
          format="hours"
          previous={ttr.previous.medianHours}
          better="down"
          href={ttr.href}
          testId="tile-median-resolution"
          hint={`p90 ${formatHours(ttr.current.p90Hours)} · business ${formatHours(ttr.current.medianBusinessHours)}`}
          leftOut={leftOutNote(ttr.inferredTimesExcluded, "resolution time")}
          emphasis
        />
      </div>
    </div>
  );
}

/** Where we are slipping: speed, promises, method, loop closure and cost. */
export async function DetailTiles({ f }: { f: DashboardFilters }) {
  const [fr, ttr, promise, adherence, loop, reopen, cost] = await Promise.all([
    firstResponseTime(f),
    ttrOnce(f),
    promiseKept(f),
    playbookAdherence(f),
    closedLoop(f),
    reopenRate(f),
    remedyCost(f),
  ]);
  const [main, ...rest] = cost.byCurrency;
  const others = rest.filter((c) => c.costMinor > 0);
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
      <MetricTile
        label="Median first response"
        value={fr.current.medianHours}
        format="hours"
        previous={fr.previous.medianHours}
        better="down"
        href={fr.href}
        testId="tile-median-first-response"
        hint={`Business hours ${formatHours(fr.current.medianBusinessHours)} · ${formatNumber(fr.awaiting.current)} still waiting`}
        leftOut={leftOutNote(fr.inferredTimesExcluded, "response and resolution times")}
      />
      <MetricTile
        label="p90 first response"
        value={fr.current.p90Hours}
        format="hours"
        previous={fr.previous.p90Hours}
        better="down"
        href={fr.href}
        testId="tile-p90-first-response"
        hint={`Business hours ${formatHours(fr.current.p90BusinessHours)}`}
        leftOut={leftOutNote(fr.inferredTimesExcluded, "response and resolution times")}
      />
      <MetricTile
        label="p90 resolution"
        value={ttr.current.p90Hours}
        format="hours"
        previous={ttr.previous.p90Hours}
        better="down"
        href={ttr.href}
        testId="tile-p90-resolution"
        hint={`Business hours ${formatHours(ttr.current.p90BusinessHours)} · ${formatNumber(ttr.current.count)} resolved`}
        leftOut={leftOutNote(ttr.inferredTimesExcluded, "resolution time")}
      />
      <MetricTile
        label="Promise kept"
        value={promise.current.rate}
        format="percent"
        previous={promise.previous.rate}
        better="up"
        href={promise.href}
        testId="tile-promise-kept"
        hint={ofN(
          promise.current.numerator,
          promise.current.denominator,
          "resolved with a promise",
        )}
        leftOut={leftOutNote(promise.inferredTimesExcluded, "resolution time")}
      />
      <MetricTile
        label="Playbook adherence"
        value={adherence.current.stepShare}
        format="percent"
        previous={adherence.previous.stepShare}
        better="up"
        href={adherence.href}
        testId="tile-adherence"
        hint={`Required steps done · every step on ${ofN(adherence.current.complete, adherence.current.complaints, "resolved")}`}
        leftOut={leftOutNote(adherence.inferredTimesExcluded, "resolution time")}
      />
      <MetricTile
        label={`Closed loop (${loop.windowHours} h)`}
        value={loop.current.rate}
        format="percent"
        previous={loop.previous.rate}
        better="up"
        href={loop.href}
        testId="tile-closed-loop"
        hint={`${ofN(loop.current.numerator, loop.current.denominator, "angry contacted in time")} · median contact ${formatHours(loop.timeToContact.medianHours)}`}
        leftOut={leftOutNote(loop.inferredTimesExcluded, "response and resolution times")}
      />
      <MetricTile
        label="Reopen rate"
        value={reopen.current.rate}
        format="percent"
        previous={reopen.previous.rate}
        better="down"
        href={reopen.href}
        testId="tile-reopen"
        hint={ofN(reopen.current.numerator, reopen.current.denominator, "ever resolved")}
      />
      <MetricTile
        label="Remedy cost"
        value={main?.costMinor ?? 0}
        format="money"
        currency={main?.currency ?? "USD"}
        previous={main?.previousCostMinor ?? 0}
        better="down"
        href={main?.href ?? cost.href}
        testId="tile-remedy-cost"
        hint={`Delivered remedies · ${formatNumber(cost.complaints)} complaints`}
      >
        {others.length > 0 && (
          <ul className="mt-1 text-xs text-slate-600" data-testid="tile-remedy-cost-other">
            {others.map((c) => (
              <li key={c.currency}>+ {formatMoney(c.costMinor, c.currency)} (not converted)</li>
            ))}
          </ul>
        )}
      </MetricTile>
    </div>
  );
}
