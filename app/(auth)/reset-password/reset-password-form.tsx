"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef } from "react";
import { Field, PasswordField, inputClass, invalidProps } from "@/app/_components/field";
import { resetPasswordAction, type ResetPasswordState } from "./actions";

export function ResetPasswordForm() {
  const [state, formAction, pending] = useActionState<ResetPasswordState, FormData>(
    resetPasswordAction,
    null,
  );
  const emailInput = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  // The admin's link carries email and code in the fragment (never sent to a server): fill them
  // in once, then drop them from the address bar and history.
  useEffect(() => {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const email = params.get("email");
    const code = params.get("code");
    if (email && emailInput.current) emailInput.current.value = email;
    if (code && codeInput.current) codeInput.current.value = code;
    if (email || code) window.history.replaceState(null, "", window.location.pathname);
  }, []);

  if (state?.ok) {
    return (
      <div role="status" className="space-y-3 text-sm" data-testid="reset-password-done">
        <p className="rounded-md bg-green-50 px-3 py-2 text-green-800">{state.message}</p>
        <Link
          href="/sign-in"
          className="inline-block rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700"
        >
          Sign in
        </Link>
      </div>
    );
  }

  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = (state && !state.ok ? state.values : undefined) ?? { email: "", code: "" };
  const invalid = (field: string) => invalidProps(errors, field);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state && !state.ok && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.formError}
        </p>
      )}
      <Field id="email" label="Email" errors={errors.email}>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          ref={emailInput}
          defaultValue={values.email}
          className={inputClass}
          {...invalid("email")}
        />
      </Field>
      <Field
        id="code"
        label="Reset code"
        errors={errors.code}
        hint="The code an admin gave you, e.g. ABCD-EFGH-JKMN-PQRS."
      >
        <input
          id="code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          ref={codeInput}
          defaultValue={values.code}
          className={`${inputClass} font-mono`}
          {...invalid("code")}
        />
      </Field>
      <PasswordField
        name="newPassword"
        label="New password"
        errors={errors}
        hint="At least 12 characters."
        autoComplete="new-password"
      />
      <PasswordField
        name="confirmPassword"
        label="New password again"
        errors={errors}
        autoComplete="new-password"
      />
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Setting…" : "Set new password"}
      </button>
    </form>
  );
}
