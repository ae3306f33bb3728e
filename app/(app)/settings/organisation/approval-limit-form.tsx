"use client";

import { useActionState } from "react";
import { Field, inputClass } from "@/app/_components/field";
import { setApprovalLimitAction, type ApprovalLimitState } from "./actions";

/** The remedy approval limit, in major units of the organisation's currency; blank = none. */
export function ApprovalLimitForm({ currency, limit }: { currency: string; limit: string }) {
  const [state, formAction, pending] = useActionState<ApprovalLimitState, FormData>(
    setApprovalLimitAction,
    null,
  );
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const typed = state && !state.ok ? state.values?.approvalLimit : undefined;
  const invalid = Boolean(errors.approvalLimit);
  return (
    <form
      action={formAction}
      // Re-created after a save (shows the stored value) and after an error (keeps what was typed).
      key={state ? (state.ok ? `saved-${limit}` : `error-${typed}`) : "fresh"}
      className="grid max-w-md grid-cols-1 gap-4"
      noValidate
    >
      {state && (
        <p
          data-testid="approval-limit-message"
          role={state.ok ? "status" : "alert"}
          className={`rounded-md px-3 py-2 text-sm ${state.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
        >
          {state.ok ? state.message : state.formError}
        </p>
      )}
      <Field
        id="approvalLimit"
        label={`Remedy approval limit (${currency})`}
        errors={errors.approvalLimit}
        hint="A remedy costing more than this needs a manager's approval before it is delivered. Leave blank for no approval."
      >
        <input
          id="approvalLimit"
          name="approvalLimit"
          type="text"
          inputMode="decimal"
          autoComplete="off"
          placeholder="No limit"
          defaultValue={typed ?? limit}
          className={inputClass}
          aria-invalid={invalid}
          aria-describedby={invalid ? "approvalLimit-error" : undefined}
          // After an error the field in error takes the focus (keyboard and screen readers).
          autoFocus={invalid}
        />
      </Field>
      <div>
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60 sm:w-auto"
        >
          {pending ? "Saving…" : "Save limit"}
        </button>
      </div>
    </form>
  );
}
