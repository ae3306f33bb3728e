"use client";

import Link from "next/link";
import { useActionState } from "react";
import { PasswordField } from "@/app/_components/field";
import type { ActionResult } from "@/lib/action-result";
import { changeOwnPasswordAction, signOutEverywhereAction } from "./actions";

const primaryButton =
  "rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60";

/** Success ends this session too, so the message leads to sign-in. */
function Message({ state, testId }: { state: ActionResult | null; testId: string }) {
  if (!state) return null;
  return (
    <div
      role={state.ok ? "status" : "alert"}
      data-testid={testId}
      className={`rounded-md px-3 py-2 text-sm ${state.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
    >
      <p>{state.ok ? state.message : state.formError}</p>
      {state.ok && (
        <p className="mt-1">
          <Link href="/sign-in" className="font-medium underline">
            Sign in again
          </Link>
        </p>
      )}
    </div>
  );
}

export function ChangePasswordForm({ email }: { email: string }) {
  const [state, formAction, pending] = useActionState<ActionResult | null, FormData>(
    changeOwnPasswordAction,
    null,
  );
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={formAction} className="max-w-md space-y-4" noValidate>
      <Message state={state} testId="change-password-message" />
      {/* Lets password managers tie the new password to the account. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <PasswordField
        name="currentPassword"
        label="Current password"
        errors={errors}
        autoComplete="current-password"
      />
      <PasswordField
        name="newPassword"
        label="New password"
        errors={errors}
        hint="At least 12 characters, different from the current one."
        autoComplete="new-password"
      />
      <PasswordField
        name="confirmPassword"
        label="New password again"
        errors={errors}
        autoComplete="new-password"
      />
      <p className="text-xs text-slate-500">
        Changing your password signs you out everywhere, this browser too.
      </p>
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}

export function SignOutEverywhereForm() {
  const [state, formAction, pending] = useActionState<ActionResult | null, FormData>(
    signOutEverywhereAction,
    null,
  );
  return (
    <form action={formAction} className="max-w-md space-y-4">
      <Message state={state} testId="sign-out-everywhere-message" />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-60"
      >
        {pending ? "Signing out…" : "Sign out everywhere"}
      </button>
    </form>
  );
}
