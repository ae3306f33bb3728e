"use client";

import { useActionState } from "react";
import { Field, inputClass, invalidProps } from "@/app/_components/field";
import { correctiveActionStatuses } from "@/db/schema";
import type { CorrectiveActionChoices } from "@/lib/corrective-actions/queries";
import { correctiveActionStatusLabel as statusLabel } from "@/lib/corrective-actions/validation";
import { saveCorrectiveActionAction, type CorrectiveActionState } from "./actions";

export interface CorrectiveActionInitial {
  id: string;
  version: number;
  rootCauseId: string;
  title: string;
  description: string | null;
  ownerId: string | null;
  status: (typeof correctiveActionStatuses)[number];
  dueAt: string | null;
  doneAt: string | null;
  verificationNote: string | null;
}

/** Create (no `initial`) or update a corrective action; errors appear beside their fields. */
export function CorrectiveActionForm({
  choices,
  initial,
  defaultRootCause,
}: {
  choices: CorrectiveActionChoices;
  initial?: CorrectiveActionInitial;
  defaultRootCause?: string;
}) {
  const [state, formAction, pending] = useActionState<CorrectiveActionState, FormData>(
    saveCorrectiveActionAction,
    null,
  );
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const typed = state && !state.ok ? state.values : undefined;
  const p = initial ? `ca-${initial.id.slice(0, 8)}-` : "ca-new-";
  const value = (key: keyof CorrectiveActionInitial) =>
    typed?.[key] ?? (initial ? String(initial[key] ?? "") : "");
  const invalid = (field: string) => invalidProps(errors, field, p);
  return (
    <form
      action={formAction}
      key={state?.ok ? JSON.stringify(state.data) : "keep"}
      className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4"
      noValidate
      data-testid={initial ? "corrective-action-edit-form" : "corrective-action-create-form"}
    >
      {initial && <input type="hidden" name="id" value={initial.id} />}
      {initial && <input type="hidden" name="version" value={initial.version} />}
      {state && (
        <p
          role="status"
          data-testid="corrective-action-message"
          className={`rounded-md px-3 py-2 text-sm sm:col-span-2 lg:col-span-4 ${state.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
        >
          {state.ok ? state.message : state.formError}
        </p>
      )}
      <div className="sm:col-span-2">
        <Field id={`${p}title`} label="Title" errors={errors.title}>
          <input
            id={`${p}title`}
            name="title"
            defaultValue={value("title")}
            className={inputClass}
            {...invalid("title")}
          />
        </Field>
      </div>
      <Field id={`${p}rootCauseId`} label="Root cause" errors={errors.rootCauseId}>
        <select
          id={`${p}rootCauseId`}
          name="rootCauseId"
          defaultValue={value("rootCauseId") || defaultRootCause || ""}
          className={inputClass}
          {...invalid("rootCauseId")}
        >
          <option value="">Choose…</option>
          {choices.rootCauses.map((c) => (
            <option key={c.id} value={c.id}>
              {c.category} — {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${p}ownerId`} label="Owner" errors={errors.ownerId}>
        <select
          id={`${p}ownerId`}
          name="ownerId"
          defaultValue={value("ownerId")}
          className={inputClass}
          {...invalid("ownerId")}
        >
          <option value="">Nobody yet</option>
          {choices.owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${p}status`} label="Status" errors={errors.status}>
        <select
          id={`${p}status`}
          name="status"
          defaultValue={value("status") || "proposed"}
          className={inputClass}
          {...invalid("status")}
        >
          {correctiveActionStatuses.map((s) => (
            <option key={s} value={s}>
              {statusLabel[s]}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${p}dueAt`} label="Due" errors={errors.dueAt}>
        <input
          id={`${p}dueAt`}
          name="dueAt"
          type="date"
          defaultValue={value("dueAt")}
          className={inputClass}
          {...invalid("dueAt")}
        />
      </Field>
      <Field
        id={`${p}doneAt`}
        label="Done on"
        errors={errors.doneAt}
        hint="Recurrence is measured before and after this date."
      >
        <input
          id={`${p}doneAt`}
          name="doneAt"
          type="date"
          defaultValue={value("doneAt")}
          className={inputClass}
          {...invalid("doneAt")}
        />
      </Field>
      <Field
        id={`${p}verificationNote`}
        label="Verification note"
        errors={errors.verificationNote}
        hint="Required to mark it verified."
      >
        <input
          id={`${p}verificationNote`}
          name="verificationNote"
          defaultValue={value("verificationNote")}
          className={inputClass}
          {...invalid("verificationNote")}
        />
      </Field>
      <div className="sm:col-span-2 lg:col-span-3">
        <Field id={`${p}description`} label="What will change" errors={errors.description}>
          <input
            id={`${p}description`}
            name="description"
            defaultValue={value("description")}
            className={inputClass}
            {...invalid("description")}
          />
        </Field>
      </div>
      <div className="flex items-end">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {pending ? "Saving…" : initial ? "Save changes" : "Add corrective action"}
        </button>
      </div>
    </form>
  );
}
