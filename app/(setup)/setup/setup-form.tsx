"use client";

import { useActionState } from "react";
import { Field, PasswordField, inputClass, invalidProps } from "@/app/_components/field";
import { setupAction, type SetupState } from "./actions";

export function SetupForm() {
  const [state, formAction, pending] = useActionState<SetupState, FormData>(setupAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  const invalid = (field: string) => invalidProps(errors, field);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state && !state.ok && (
        <p
          role="alert"
          data-testid="setup-message"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          {state.formError}
        </p>
      )}
      <Field
        id="code"
        label="Setup code"
        errors={errors.code}
        hint="From the server log: “open …/setup and enter the code XXXX-XXXX-XXXX”."
      >
        <input
          id="code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          autoFocus
          defaultValue={values.code}
          className={`${inputClass} font-mono tracking-wider`}
          {...invalid("code")}
        />
      </Field>
      <Field id="organisationName" label="Organisation name" errors={errors.organisationName}>
        <input
          id="organisationName"
          name="organisationName"
          autoComplete="organization"
          defaultValue={values.organisationName}
          className={inputClass}
          {...invalid("organisationName")}
        />
      </Field>
      <Field id="name" label="Your name" errors={errors.name}>
        <input
          id="name"
          name="name"
          autoComplete="name"
          defaultValue={values.name}
          className={inputClass}
          {...invalid("name")}
        />
      </Field>
      <Field
        id="email"
        label="Your email"
        errors={errors.email}
        hint="You sign in with it, as the organisation's admin."
      >
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          defaultValue={values.email}
          className={inputClass}
          {...invalid("email")}
        />
      </Field>
      <PasswordField
        name="password"
        label="Password"
        errors={errors}
        hint="At least 12 characters."
        autoComplete="new-password"
      />
      <PasswordField
        name="passwordConfirmation"
        label="Password again"
        errors={errors}
        autoComplete="new-password"
      />
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Setting up…" : "Create organisation and admin"}
      </button>
    </form>
  );
}
