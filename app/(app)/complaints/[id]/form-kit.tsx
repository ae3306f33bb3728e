"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useTransition, type RefObject } from "react";
import type { FormState, FormValues } from "../actions";

export type ComplaintAction = (prev: FormState, formData: FormData) => Promise<FormState>;

/** Milliseconds the zone is ahead of UTC at an instant. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * A `datetime-local` ("2026-11-23T14:05") or `date` value (read as 09:00), as wall-clock time in
 * the organisation's zone — the zone every time on the page is shown in — turned into an ISO
 * instant. Anything unparseable is passed on for the server to reject.
 */
export function localToIso(value: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
  if (!m) return value;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 9), +(m[5] ?? 0));
  let instant = wall - zoneOffset(wall, timeZone);
  // Around a DST change the offset at the first guess may differ from the one at the answer.
  const second = wall - zoneOffset(instant, timeZone);
  if (second !== instant) instant = second;
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** An ISO instant as a `datetime-local` value in the zone (empty when not given). */
export function isoToLocal(value: string | undefined, timeZone: string): string {
  if (!value) return "";
  const instant = new Date(value).getTime();
  if (Number.isNaN(instant)) return value;
  return new Date(instant + zoneOffset(instant, timeZone)).toISOString().slice(0, 16);
}

/** "New York time": how a zone is named beside a date input. */
export function zoneName(timeZone: string): string {
  return `${(timeZone.split("/").pop() ?? timeZone).replace(/_/g, " ")} time`;
}

/** Rewrites the named local date/time fields of a submission as ISO instants. */
export function convertLocalTimes(
  formData: FormData,
  fields: readonly string[],
  timeZone: string,
): void {
  for (const name of fields) {
    const value = formData.get(name);
    if (typeof value === "string" && value) formData.set(name, localToIso(value, timeZone));
  }
}

/**
 * A result's message under a form. A conflict (someone else changed the complaint) is shown
 * prominently with a Reload button, until the page shows a newer version.
 */
export function FormMessage({ state, version }: { state: FormState; version?: number }) {
  const router = useRouter();
  const [reloading, startReload] = useTransition();
  if (!state) return null;
  if (state.ok) {
    return state.message ? (
      <p data-testid="form-message" role="status" className="text-sm text-emerald-700">
        {state.message}
      </p>
    ) : null;
  }
  if (state.reason === "conflict") {
    const submitted = state.values?.version;
    if (version !== undefined && submitted !== undefined && submitted !== String(version)) {
      return null;
    }
    return (
      <div
        data-testid="conflict-message"
        role="alert"
        className="flex flex-wrap items-center gap-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
      >
        <span className="flex-1">{state.formError}</span>
        <button
          type="button"
          onClick={() =>
            // A complaint page refreshes in place (typed values stay); the intake form reloads
            // fully, for a fresh idempotency key.
            version === undefined ? window.location.reload() : startReload(() => router.refresh())
          }
          disabled={reloading}
          className="rounded-md bg-amber-600 px-3 py-1 text-sm font-medium text-white hover:bg-amber-700 disabled:opacity-60"
        >
          {reloading ? "Reloading…" : "Reload"}
        </button>
      </div>
    );
  }
  return (
    <p data-testid="form-message" role="alert" className="text-sm text-red-700">
      {state.formError}
    </p>
  );
}

/**
 * A key for a form that changes with what an error sent back. React resets a form after its
 * action, to the fields' default values — but a select never picks up a changed default, so the
 * form is re-created with the submitted values as defaults instead. After a success the key is
 * stable and the reset empties the form.
 */
export function resultKey(state: FormState): string {
  return state && !state.ok ? JSON.stringify(state.values ?? {}) : "fresh";
}

/** After an error, focus the first field marked invalid (or leave focus where it is). */
export function useFocusFirstInvalid(
  formRef: RefObject<HTMLFormElement | null>,
  state: FormState,
): void {
  useEffect(() => {
    if (!state || state.ok) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [formRef, state]);
}

export interface FormKit {
  pending: boolean;
  values: FormValues;
  /** Errors for a schema field (e.g. "cost"). */
  errors: (field: string) => string[] | undefined;
  /** The submitted value of a field after an error, to keep what was typed. */
  value: (field: string) => string | undefined;
  /** aria-invalid / aria-describedby for an input with this id showing errors of this field. */
  aria: (
    field: string,
    id: string,
  ) => { "aria-invalid": boolean; "aria-describedby": string | undefined };
}

/**
 * A form posting to one complaint server action: it carries the complaint id and the version
 * the page shows, converts local date/time fields, and shows the result underneath.
 */
export function ComplaintForm({
  action,
  complaintId,
  version,
  timeZone,
  localTimes = [],
  resetKey = "",
  transform,
  className,
  label,
  hidden,
  children,
}: {
  action: ComplaintAction;
  complaintId: string;
  version: number;
  /** The organisation's zone, in which date/time fields are read. */
  timeZone: string;
  localTimes?: readonly string[];
  /**
   * Changes when the data the fields show changes (e.g. the recorded outcome): the fields are
   * re-created with the new defaults, while the result message stays.
   */
  resetKey?: string;
  transform?: (formData: FormData) => void;
  className?: string;
  label?: string;
  hidden?: Record<string, string>;
  children: (kit: FormKit) => React.ReactNode;
}) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const fieldErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  const kit: FormKit = {
    pending,
    values,
    errors: (field) => fieldErrors[field],
    value: (field) => {
      const v = values[field];
      return typeof v === "string" ? v : undefined;
    },
    aria: (field, id) => ({
      "aria-invalid": Boolean(fieldErrors[field]),
      "aria-describedby": fieldErrors[field] ? `${id}-error` : undefined,
    }),
  };
  return (
    <form
      ref={formRef}
      key={`${resetKey}|${resultKey(state)}`}
      aria-label={label}
      noValidate
      className={className}
      action={(formData) => {
        convertLocalTimes(formData, localTimes, timeZone);
        transform?.(formData);
        formAction(formData);
      }}
    >
      <input type="hidden" name="complaintId" value={complaintId} />
      <input type="hidden" name="version" value={version} />
      {hidden &&
        Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
      {children(kit)}
      <div className="col-span-full basis-full empty:hidden">
        <FormMessage state={state} version={version} />
      </div>
    </form>
  );
}

/** A field's first error, beside it, linked by id for screen readers. */
export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={`${id}-error`} data-testid={`${id}-error`} className="mt-1 text-sm text-red-700">
      {errors[0]}
    </p>
  );
}
