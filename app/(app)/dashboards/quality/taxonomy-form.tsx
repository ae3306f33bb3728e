"use client";

import { useActionState } from "react";
import { Field, inputClass, invalidProps } from "@/app/_components/field";
import { saveRootCauseAction, type TaxonomyState } from "./actions";

export interface RootCauseInitial {
  id: string;
  name: string;
  description: string | null;
  recurrenceWindowWeeks: number;
  active: boolean;
}

/** Add a cause under a category (no `initial`) or rename / re-window / (de)activate one. */
export function RootCauseForm({
  categories,
  initial,
}: {
  categories?: { id: string; name: string }[];
  initial?: RootCauseInitial;
}) {
  const [state, formAction, pending] = useActionState<TaxonomyState, FormData>(
    saveRootCauseAction,
    null,
  );
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const typed = state && !state.ok ? state.values : undefined;
  const p = initial ? `rc-${initial.id.slice(0, 8)}-` : "rc-new-";
  const invalid = (field: string) => invalidProps(errors, field, p);
  return (
    <form
      action={formAction}
      key={state?.ok ? JSON.stringify(state.data) : "keep"}
      className="grid grid-cols-1 items-start gap-3 sm:grid-cols-2 lg:grid-cols-5"
      noValidate
      data-testid={initial ? "root-cause-edit-form" : "root-cause-create-form"}
    >
      {initial && <input type="hidden" name="id" value={initial.id} />}
      {state && (
        <p
          role="status"
          className={`rounded-md px-3 py-2 text-sm sm:col-span-2 lg:col-span-5 ${state.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
        >
          {state.ok ? state.message : state.formError}
        </p>
      )}
      {categories && (
        <Field id={`${p}categoryId`} label="Category" errors={errors.categoryId}>
          <select
            id={`${p}categoryId`}
            name="categoryId"
            defaultValue={typed?.categoryId ?? ""}
            className={inputClass}
            {...invalid("categoryId")}
          >
            <option value="">Choose…</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field id={`${p}name`} label="Name" errors={errors.name}>
        <input
          id={`${p}name`}
          name="name"
          defaultValue={typed?.name ?? initial?.name ?? ""}
          className={inputClass}
          {...invalid("name")}
        />
      </Field>
      <Field
        id={`${p}recurrenceWindowWeeks`}
        label="Recurrence window (weeks)"
        errors={errors.recurrenceWindowWeeks}
      >
        <input
          id={`${p}recurrenceWindowWeeks`}
          name="recurrenceWindowWeeks"
          inputMode="numeric"
          defaultValue={typed?.recurrenceWindowWeeks ?? String(initial?.recurrenceWindowWeeks ?? 8)}
          className={inputClass}
          {...invalid("recurrenceWindowWeeks")}
        />
      </Field>
      <Field id={`${p}description`} label="Description" errors={errors.description}>
        <input
          id={`${p}description`}
          name="description"
          defaultValue={typed?.description ?? initial?.description ?? ""}
          className={inputClass}
          {...invalid("description")}
        />
      </Field>
      <div className="flex items-center gap-3 pt-6">
        {initial && (
          <label className="flex items-center gap-1 text-sm text-slate-700">
            <input
              type="checkbox"
              name="active"
              defaultChecked={typed ? typed.active === "on" : initial.active}
            />
            Active
          </label>
        )}
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {pending ? "Saving…" : initial ? "Save" : "Add cause"}
        </button>
      </div>
    </form>
  );
}
