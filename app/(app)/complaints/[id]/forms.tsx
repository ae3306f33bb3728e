"use client";

import { useRef, useState } from "react";
import { inputClass } from "@/app/_components/field";
import { advocacyKinds, channels, remedyKinds, type Channel } from "@/db/schema";
import type {
  AssignmentTeam,
  RemedyRow,
  RootCauseGroup,
  StatusTransition,
} from "@/lib/complaints/queries";
import {
  approveRemedyAction,
  assignComplaintAction,
  changeStatusAction,
  completeFollowUpAction,
  decideRemedyAction,
  deliverRemedyAction,
  logCustomerUpdateAction,
  offerRemedyAction,
  recordOutcomeAction,
  recordStepAction,
  scheduleFollowUpAction,
  setPromiseAction,
  setRootCauseAction,
} from "../actions";
import { ComplaintForm, FieldError, isoToLocal, zoneName } from "./form-kit";
import {
  channelLabel,
  primaryButton,
  remedyKindLabel,
  secondaryButton,
  sentimentLabel,
  signalLabel,
  smallButton,
} from "./ui";

interface Ref {
  complaintId: string;
  version: number;
  timeZone: string;
}

const labelClass = "block text-sm font-medium text-slate-700";
const compactInput = `${inputClass} py-1.5`;

function ChannelOptions() {
  return channels.map((c) => (
    <option key={c} value={c}>
      {channelLabel[c]}
    </option>
  ));
}

function SentimentOptions() {
  return (
    <>
      <option value="">—</option>
      {[1, 2, 3, 4, 5].map((n) => (
        <option key={n} value={n}>
          {n} · {sentimentLabel[n]}
        </option>
      ))}
    </>
  );
}

function NpsOptions() {
  return (
    <>
      <option value="">—</option>
      {Array.from({ length: 11 }, (_, n) => (
        <option key={n} value={n}>
          {n}
        </option>
      ))}
    </>
  );
}

// ---------------------------------------------------------------- playbook

/** "Mark done" for one playbook step, with an optional note behind "Add a note". */
export function StepDoneForm({ step, ...ref }: Ref & { step: { id: string; name: string } }) {
  const id = `step-note-${step.id}`;
  const [noting, setNoting] = useState(false);
  return (
    <ComplaintForm
      action={recordStepAction}
      {...ref}
      hidden={{ stepId: step.id }}
      label={`Mark ${step.name} done`}
      className="mt-2 space-y-2"
    >
      {(f) => {
        const showNote = noting || Boolean(f.errors("note")) || Boolean(f.value("note"));
        return (
          <>
            <div className="flex flex-wrap items-center gap-3">
              <button type="submit" disabled={f.pending} className={smallButton}>
                <span>
                  {f.pending ? (
                    "Saving…"
                  ) : (
                    <>
                      Mark <span className="sr-only">{step.name} </span>done
                    </>
                  )}
                </span>
              </button>
              {!showNote && (
                <button
                  type="button"
                  onClick={() => {
                    setNoting(true);
                    requestAnimationFrame(() => document.getElementById(id)?.focus());
                  }}
                  className="text-xs font-medium text-brand-700 hover:underline"
                >
                  <span>
                    Add a note<span className="sr-only"> to {step.name}</span>
                  </span>
                </button>
              )}
            </div>
            {showNote && (
              <div>
                <label htmlFor={id} className="sr-only">
                  Note for {step.name}
                </label>
                <input
                  id={id}
                  name="note"
                  placeholder="Note (optional), e.g. what they said"
                  defaultValue={f.value("note")}
                  onKeyDown={(event) => {
                    if (event.key === "Escape" && !event.currentTarget.value) setNoting(false);
                  }}
                  className={compactInput}
                  {...f.aria("note", id)}
                />
                <FieldError id={id} errors={f.errors("note")} />
              </div>
            )}
          </>
        );
      }}
    </ComplaintForm>
  );
}

// ---------------------------------------------------------------- remedies

/** Offers a remedy: kind, description, cost and currency, and whether the customer suggested it. */
export function OfferRemedyForm({ currency, ...ref }: Ref & { currency: string }) {
  return (
    <ComplaintForm
      action={offerRemedyAction}
      {...ref}
      className="grid grid-cols-1 gap-3 sm:grid-cols-6"
    >
      {(f) => (
        <>
          <div className="sm:col-span-2">
            <label htmlFor="remedy-kind" className={labelClass}>
              Kind
            </label>
            <select
              id="remedy-kind"
              name="kind"
              defaultValue={f.value("kind") ?? "refund"}
              className={`mt-1 ${compactInput}`}
              {...f.aria("kind", "remedy-kind")}
            >
              {remedyKinds.map((k) => (
                <option key={k} value={k}>
                  {remedyKindLabel[k]}
                </option>
              ))}
            </select>
            <FieldError id="remedy-kind" errors={f.errors("kind")} />
          </div>
          <div className="sm:col-span-2">
            <label htmlFor="remedy-cost" className={labelClass}>
              Cost
            </label>
            <input
              id="remedy-cost"
              name="cost"
              inputMode="decimal"
              placeholder="0.00"
              defaultValue={f.value("cost")}
              className={`mt-1 ${compactInput}`}
              {...f.aria("cost", "remedy-cost")}
            />
            <FieldError id="remedy-cost" errors={f.errors("cost")} />
          </div>
          <div className="sm:col-span-2">
            <label htmlFor="remedy-currency" className={labelClass}>
              Currency
            </label>
            <input
              id="remedy-currency"
              name="currency"
              maxLength={3}
              defaultValue={f.value("currency") ?? currency}
              className={`mt-1 uppercase ${compactInput}`}
              {...f.aria("currency", "remedy-currency")}
            />
            <FieldError id="remedy-currency" errors={f.errors("currency")} />
          </div>
          <div className="sm:col-span-6">
            <label htmlFor="remedy-description" className={labelClass}>
              Description
            </label>
            <input
              id="remedy-description"
              name="description"
              placeholder="e.g. Refund of the delivery fee to the original card"
              defaultValue={f.value("description")}
              className={`mt-1 ${compactInput}`}
              {...f.aria("description", "remedy-description")}
            />
            <FieldError id="remedy-description" errors={f.errors("description")} />
          </div>
          <div className="flex flex-wrap items-center justify-between gap-3 sm:col-span-6">
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name="suggestedByCustomer"
                defaultChecked={f.value("suggestedByCustomer") === "on"}
                className="h-4 w-4 rounded border-slate-300"
              />
              Suggested by the customer
            </label>
            <button type="submit" disabled={f.pending} className={primaryButton}>
              {f.pending ? "Offering…" : "Offer remedy"}
            </button>
          </div>
        </>
      )}
    </ComplaintForm>
  );
}

/** Accept / Decline / Mark delivered for one remedy, as its status allows. */
export function RemedyActions({ remedy, ...ref }: Ref & { remedy: RemedyRow }) {
  const what = `${remedyKindLabel[remedy.kind]}${remedy.cost ? ` ${remedy.cost}` : ""}`;
  return (
    <div className="flex flex-wrap items-start gap-2">
      {remedy.status === "offered" && (
        <ComplaintForm
          action={decideRemedyAction}
          {...ref}
          hidden={{ remedyId: remedy.id }}
          label={`Customer's decision on ${what}`}
          className="flex flex-wrap items-center gap-2"
        >
          {(f) => (
            <>
              <button
                type="submit"
                name="decision"
                value="accepted"
                disabled={f.pending}
                className={smallButton}
              >
                Accept
              </button>
              <button
                type="submit"
                name="decision"
                value="declined"
                disabled={f.pending}
                className={smallButton}
              >
                Decline
              </button>
            </>
          )}
        </ComplaintForm>
      )}
      {(remedy.status === "offered" || remedy.status === "accepted") &&
        !remedy.awaitingApproval && (
          <ComplaintForm
            action={deliverRemedyAction}
            {...ref}
            hidden={{ remedyId: remedy.id }}
            label={`Deliver ${what}`}
            className="flex flex-wrap items-center gap-2"
          >
            {(f) => (
              <button
                type="submit"
                disabled={f.pending}
                className={`${smallButton} border-emerald-300 text-emerald-800 hover:bg-emerald-50`}
              >
                {f.pending ? "Saving…" : "Mark delivered"}
              </button>
            )}
          </ComplaintForm>
        )}
    </div>
  );
}

/**
 * Approves a remedy above the organisation's limit. The page renders it only when the server
 * said the actor may approve (ComplaintDetail.canApproveRemedies); the command checks again.
 */
export function ApproveRemedyForm({ remedy, ...ref }: Ref & { remedy: RemedyRow }) {
  const what = `${remedyKindLabel[remedy.kind]}${remedy.cost ? ` ${remedy.cost}` : ""}`;
  return (
    <ComplaintForm
      action={approveRemedyAction}
      {...ref}
      hidden={{ remedyId: remedy.id }}
      label={`Approve ${what}`}
      className="flex flex-wrap items-center gap-2"
    >
      {(f) => (
        <button
          type="submit"
          disabled={f.pending}
          className={`${smallButton} border-amber-300 text-amber-900 hover:bg-amber-50`}
        >
          {f.pending ? "Saving…" : "Approve"}
        </button>
      )}
    </ComplaintForm>
  );
}

// ---------------------------------------------------------------- commitment

/** Sets or changes the promised-by date (read in the browser's zone, sent as an instant). */
export function PromiseForm({ hasPromise, ...ref }: Ref & { hasPromise: boolean }) {
  return (
    <ComplaintForm
      action={setPromiseAction}
      {...ref}
      localTimes={["promisedBy"]}
      className="flex flex-wrap items-end gap-2"
    >
      {(f) => (
        <>
          <div>
            <label htmlFor="promise-promisedBy" className={labelClass}>
              Promised by
            </label>
            <input
              id="promise-promisedBy"
              name="promisedBy"
              type="datetime-local"
              defaultValue={isoToLocal(f.value("promisedBy"), ref.timeZone)}
              className={`mt-1 ${compactInput}`}
              {...f.aria("promisedBy", "promise-promisedBy")}
            />
          </div>
          <button type="submit" disabled={f.pending} className={secondaryButton}>
            {f.pending ? "Saving…" : hasPromise ? "Change promise" : "Set promise"}
          </button>
          <div className="basis-full">
            <FieldError id="promise-promisedBy" errors={f.errors("promisedBy")} />
            <p className="mt-1 text-xs text-slate-500">In {zoneName(ref.timeZone)}.</p>
          </div>
        </>
      )}
    </ComplaintForm>
  );
}

// ---------------------------------------------------------------- follow-ups

const presets = [
  { value: "tomorrow", label: "Tomorrow" },
  { value: "week", label: "In a week" },
  { value: "month", label: "In a month" },
] as const;

/** Schedules a follow-up with a preset (tomorrow, in a week, in a month) or on a date. */
export function ScheduleFollowUpForm(ref: Ref) {
  const scheduleButton = useRef<HTMLButtonElement>(null);
  return (
    <ComplaintForm
      action={scheduleFollowUpAction}
      {...ref}
      localTimes={["dueAt"]}
      transform={(formData) => {
        // A preset wins over a date typed but not meant.
        if (formData.get("preset")) formData.delete("dueAt");
      }}
      className="space-y-3"
    >
      {(f) => (
        <>
          <div role="group" aria-label="Follow up" className="flex flex-wrap items-center gap-2">
            <span className="text-sm text-slate-600">Follow up</span>
            {presets.map((p) => (
              <button
                key={p.value}
                type="submit"
                name="preset"
                value={p.value}
                disabled={f.pending}
                className={secondaryButton}
              >
                {p.label}
              </button>
            ))}
          </div>
          <div className="flex flex-wrap items-end gap-2">
            <div>
              <label htmlFor="followup-dueAt" className={labelClass}>
                or on a date
              </label>
              <input
                id="followup-dueAt"
                name="dueAt"
                type="date"
                defaultValue={isoToLocal(f.value("dueAt"), ref.timeZone).slice(0, 10)}
                onKeyDown={(event) => {
                  if (event.key === "Enter") {
                    event.preventDefault();
                    event.currentTarget.form?.requestSubmit(scheduleButton.current);
                  }
                }}
                className={`mt-1 ${compactInput}`}
                {...f.aria("dueAt", "followup-dueAt")}
              />
            </div>
            <button
              ref={scheduleButton}
              type="submit"
              disabled={f.pending}
              className={secondaryButton}
            >
              {f.pending ? "Scheduling…" : "Schedule follow-up"}
            </button>
          </div>
          <FieldError id="followup-dueAt" errors={f.errors("dueAt") ?? f.errors("preset")} />
        </>
      )}
    </ComplaintForm>
  );
}

/** Marks a follow-up done: how the customer was reached, how they feel now, a note. */
export function CompleteFollowUpForm({
  followUpId,
  defaultChannel,
  ...ref
}: Ref & { followUpId: string; defaultChannel: Channel }) {
  const id = (field: string) => `followup-${field}-${followUpId}`;
  return (
    <ComplaintForm
      action={completeFollowUpAction}
      {...ref}
      hidden={{ followUpId }}
      label="Mark follow-up done"
      className="mt-3 grid grid-cols-1 gap-3 rounded-md bg-slate-50 p-3 sm:grid-cols-3"
    >
      {(f) => (
        <>
          <div>
            <label htmlFor={id("channel")} className={labelClass}>
              Follow-up channel
            </label>
            <select
              id={id("channel")}
              name="channel"
              defaultValue={f.value("channel") ?? defaultChannel}
              className={`mt-1 ${compactInput}`}
              {...f.aria("channel", id("channel"))}
            >
              <ChannelOptions />
            </select>
            <FieldError id={id("channel")} errors={f.errors("channel")} />
          </div>
          <div>
            <label htmlFor={id("sentiment")} className={labelClass}>
              Sentiment then
            </label>
            <select
              id={id("sentiment")}
              name="sentiment"
              defaultValue={f.value("sentiment") ?? ""}
              className={`mt-1 ${compactInput}`}
              {...f.aria("sentiment", id("sentiment"))}
            >
              <SentimentOptions />
            </select>
            <FieldError id={id("sentiment")} errors={f.errors("sentiment")} />
          </div>
          <div>
            <label htmlFor={id("nps")} className={labelClass}>
              NPS then
            </label>
            <select
              id={id("nps")}
              name="nps"
              defaultValue={f.value("nps") ?? ""}
              className={`mt-1 ${compactInput}`}
              {...f.aria("nps", id("nps"))}
            >
              <NpsOptions />
            </select>
            <FieldError id={id("nps")} errors={f.errors("nps")} />
          </div>
          <div className="sm:col-span-3">
            <label htmlFor={id("note")} className={labelClass}>
              Follow-up note
            </label>
            <input
              id={id("note")}
              name="note"
              placeholder="What did they say?"
              defaultValue={f.value("note")}
              className={`mt-1 ${compactInput}`}
              {...f.aria("note", id("note"))}
            />
            <FieldError id={id("note")} errors={f.errors("note")} />
          </div>
          <div className="sm:col-span-3">
            <button type="submit" disabled={f.pending} className={secondaryButton}>
              {f.pending ? "Saving…" : "Mark follow-up done"}
            </button>
          </div>
        </>
      )}
    </ComplaintForm>
  );
}

// ---------------------------------------------------------------- customer updates

/** Logs what the customer was told ("keep them apprised"). */
export function CustomerUpdateForm({ defaultChannel, ...ref }: Ref & { defaultChannel: Channel }) {
  return (
    <ComplaintForm
      action={logCustomerUpdateAction}
      {...ref}
      className="grid grid-cols-1 gap-3 sm:grid-cols-4"
    >
      {(f) => (
        <>
          <div>
            <label htmlFor="update-channel" className={labelClass}>
              Update channel
            </label>
            <select
              id="update-channel"
              name="channel"
              defaultValue={f.value("channel") ?? defaultChannel}
              className={`mt-1 ${compactInput}`}
              {...f.aria("channel", "update-channel")}
            >
              <ChannelOptions />
            </select>
            <FieldError id="update-channel" errors={f.errors("channel")} />
          </div>
          <div className="sm:col-span-3">
            <label htmlFor="update-message" className={labelClass}>
              Message
            </label>
            <textarea
              id="update-message"
              name="message"
              rows={2}
              placeholder="What you told the customer"
              defaultValue={f.value("message")}
              className={`mt-1 ${compactInput}`}
              {...f.aria("message", "update-message")}
            />
            <FieldError id="update-message" errors={f.errors("message")} />
          </div>
          <div className="sm:col-span-4">
            <button type="submit" disabled={f.pending} className={secondaryButton}>
              {f.pending ? "Logging…" : "Log update"}
            </button>
          </div>
        </>
      )}
    </ComplaintForm>
  );
}

// ---------------------------------------------------------------- outcome

/** Final sentiment and/or NPS, and advocacy signals (recorded signals stay recorded). */
export function OutcomeForm({
  outcome,
  ...ref
}: Ref & {
  outcome: { finalSentiment: number | null; finalNps: number | null; signals: string[] } | null;
}) {
  return (
    <ComplaintForm
      action={recordOutcomeAction}
      {...ref}
      resetKey={outcome ? JSON.stringify(outcome) : "none"}
      className="grid grid-cols-1 gap-3 sm:grid-cols-2"
    >
      {(f) => {
        const submittedSignals = Array.isArray(f.values.signals) ? f.values.signals : [];
        return (
          <>
            <div>
              <label htmlFor="outcome-finalSentiment" className={labelClass}>
                Final sentiment
              </label>
              <select
                id="outcome-finalSentiment"
                name="finalSentiment"
                defaultValue={f.value("finalSentiment") ?? String(outcome?.finalSentiment ?? "")}
                className={`mt-1 ${compactInput}`}
                {...f.aria("finalSentiment", "outcome-finalSentiment")}
              >
                <SentimentOptions />
              </select>
              <FieldError id="outcome-finalSentiment" errors={f.errors("finalSentiment")} />
            </div>
            <div>
              <label htmlFor="outcome-finalNps" className={labelClass}>
                Final NPS
              </label>
              <select
                id="outcome-finalNps"
                name="finalNps"
                defaultValue={f.value("finalNps") ?? String(outcome?.finalNps ?? "")}
                className={`mt-1 ${compactInput}`}
                {...f.aria("finalNps", "outcome-finalNps")}
              >
                <NpsOptions />
              </select>
              <FieldError id="outcome-finalNps" errors={f.errors("finalNps")} />
            </div>
            <fieldset className="sm:col-span-2">
              <legend className={labelClass}>Advocacy since the complaint</legend>
              <div className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
                {advocacyKinds.map((kind) => {
                  const recorded = outcome?.signals.includes(kind) ?? false;
                  return (
                    <label key={kind} className="flex items-center gap-2 text-sm text-slate-700">
                      <input
                        type="checkbox"
                        name="signals"
                        value={kind}
                        defaultChecked={recorded || submittedSignals.includes(kind)}
                        disabled={recorded}
                        className="h-4 w-4 rounded border-slate-300"
                      />
                      {signalLabel[kind]}
                    </label>
                  );
                })}
              </div>
              <FieldError id="outcome-signals" errors={f.errors("signals")} />
            </fieldset>
            <div className="sm:col-span-2">
              <button type="submit" disabled={f.pending} className={secondaryButton}>
                {f.pending ? "Saving…" : "Record outcome"}
              </button>
            </div>
          </>
        );
      }}
    </ComplaintForm>
  );
}

// ---------------------------------------------------------------- status

const transitionButton: Record<StatusTransition, { label: string; primary: boolean }> = {
  in_progress: { label: "Start", primary: false },
  resolved: { label: "Resolve", primary: true },
  closed: { label: "Close", primary: true },
  reopen: { label: "Reopen", primary: false },
};

/**
 * The allowed next statuses. Resolving without a delivered remedy asks why; closing without an
 * outcome asks whether the customer could not be reached.
 */
export function StatusForm({
  transitions,
  hasDeliveredRemedy,
  hasOutcome,
  ...ref
}: Ref & { transitions: StatusTransition[]; hasDeliveredRemedy: boolean; hasOutcome: boolean }) {
  const askReason = transitions.includes("resolved") && !hasDeliveredRemedy;
  const askUnreachable = transitions.includes("closed") && !hasOutcome;
  return (
    <ComplaintForm action={changeStatusAction} {...ref} className="space-y-3">
      {(f) => (
        <>
          {askReason && (
            <div>
              <label htmlFor="status-noRemedyReason" className={labelClass}>
                No remedy reason
              </label>
              <p className="text-xs text-slate-500">
                No remedy was delivered. To resolve anyway, say why (e.g. the customer only wanted
                to be heard).
              </p>
              <textarea
                id="status-noRemedyReason"
                name="noRemedyReason"
                rows={2}
                defaultValue={f.value("noRemedyReason")}
                className={`mt-1 ${compactInput}`}
                {...f.aria("noRemedyReason", "status-noRemedyReason")}
              />
              <FieldError id="status-noRemedyReason" errors={f.errors("noRemedyReason")} />
            </div>
          )}
          {askUnreachable && (
            <div>
              <label className="flex items-center gap-2 text-sm text-slate-700">
                <input
                  id="status-customerUnreachable"
                  type="checkbox"
                  name="customerUnreachable"
                  defaultChecked={f.value("customerUnreachable") === "on"}
                  className="h-4 w-4 rounded border-slate-300"
                  {...f.aria("customerUnreachable", "status-customerUnreachable")}
                />
                Customer unreachable
              </label>
              <p className="text-xs text-slate-500">
                No outcome is recorded: record it above, or tick this to close without one.
              </p>
              <FieldError
                id="status-customerUnreachable"
                errors={f.errors("customerUnreachable")}
              />
            </div>
          )}
          <div className="flex flex-wrap gap-2">
            {transitions.map((to) => (
              <button
                key={to}
                type="submit"
                name="to"
                value={to}
                disabled={f.pending}
                className={transitionButton[to].primary ? primaryButton : secondaryButton}
              >
                {transitionButton[to].label}
              </button>
            ))}
          </div>
          <FieldError id="status-to" errors={f.errors("to")} />
        </>
      )}
    </ComplaintForm>
  );
}

// ---------------------------------------------------------------- assignment

/** Hands the complaint to another owner, in one of the teams the actor may assign within. */
export function AssignmentForm({
  teams,
  currentTeamId,
  currentOwnerId,
  ...ref
}: Ref & { teams: AssignmentTeam[]; currentTeamId: string | null; currentOwnerId: string | null }) {
  const [teamId, setTeamId] = useState(currentTeamId ?? teams[0]?.id ?? "");
  const members = teams.find((t) => t.id === teamId)?.members ?? [];
  const ownerDefault = members.some((m) => m.id === currentOwnerId)
    ? (currentOwnerId ?? "")
    : (members[0]?.id ?? "");
  return (
    <ComplaintForm
      action={assignComplaintAction}
      {...ref}
      resetKey={`${currentTeamId}:${currentOwnerId}`}
      className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
    >
      {(f) => (
        <>
          <div>
            <label htmlFor="assign-teamId" className={labelClass}>
              Team
            </label>
            <select
              id="assign-teamId"
              name="teamId"
              value={teamId}
              onChange={(event) => setTeamId(event.target.value)}
              className={`mt-1 ${compactInput}`}
              {...f.aria("teamId", "assign-teamId")}
            >
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="assign-ownerId" className={labelClass}>
              Owner
            </label>
            <select
              key={teamId}
              id="assign-ownerId"
              name="ownerId"
              defaultValue={ownerDefault}
              className={`mt-1 ${compactInput}`}
              {...f.aria("ownerId", "assign-ownerId")}
            >
              {members.length === 0 && <option value="">No active members</option>}
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={f.pending} className={secondaryButton}>
            {f.pending ? "Saving…" : "Reassign"}
          </button>
          <div className="empty:hidden sm:col-span-3">
            <FieldError id="assign-teamId" errors={f.errors("teamId")} />
            <FieldError id="assign-ownerId" errors={f.errors("ownerId")} />
          </div>
        </>
      )}
    </ComplaintForm>
  );
}

// ---------------------------------------------------------------- root cause

/** The root cause from the taxonomy (grouped by category) and a 5-whys note. */
export function RootCauseForm({
  groups,
  currentId,
  fiveWhys,
  ...ref
}: Ref & { groups: RootCauseGroup[]; currentId: string | null; fiveWhys: string | null }) {
  return (
    <ComplaintForm
      action={setRootCauseAction}
      {...ref}
      resetKey={`${currentId}:${fiveWhys}`}
      className="space-y-3"
    >
      {(f) => (
        <>
          <div>
            <label htmlFor="rootcause-rootCauseId" className={labelClass}>
              Root cause
            </label>
            <select
              id="rootcause-rootCauseId"
              name="rootCauseId"
              defaultValue={f.value("rootCauseId") ?? currentId ?? ""}
              className={`mt-1 ${compactInput}`}
              {...f.aria("rootCauseId", "rootcause-rootCauseId")}
            >
              <option value="">Choose a root cause…</option>
              {groups.map((g) => (
                <optgroup key={g.category} label={g.category}>
                  {g.causes.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <FieldError id="rootcause-rootCauseId" errors={f.errors("rootCauseId")} />
          </div>
          <div>
            <label htmlFor="rootcause-fiveWhys" className={labelClass}>
              5 whys
            </label>
            <textarea
              id="rootcause-fiveWhys"
              name="fiveWhys"
              rows={4}
              placeholder={"Why? …\nWhy? …\nWhy? …"}
              defaultValue={f.value("fiveWhys") ?? fiveWhys ?? ""}
              className={`mt-1 ${compactInput}`}
              {...f.aria("fiveWhys", "rootcause-fiveWhys")}
            />
            <FieldError id="rootcause-fiveWhys" errors={f.errors("fiveWhys")} />
          </div>
          <button type="submit" disabled={f.pending} className={secondaryButton}>
            {f.pending ? "Saving…" : "Set root cause"}
          </button>
        </>
      )}
    </ComplaintForm>
  );
}
