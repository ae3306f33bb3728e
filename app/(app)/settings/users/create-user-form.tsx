"use client";

import { useActionState } from "react";
import { Field, PasswordField, inputClass, invalidProps } from "@/app/_components/field";
import { roles } from "@/db/schema";
import { createUserAction, type CreateUserState } from "./actions";

export function CreateUserForm({ teams }: { teams: { id: string; name: string }[] }) {
  const [state, formAction, pending] = useActionState<CreateUserState, FormData>(
    createUserAction,
    null,
  );
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  const invalid = (field: string) => invalidProps(errors, field);
  return (
    <form
      action={formAction}
      key={state?.ok ? "reset" : "keep"}
      className="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2"
      noValidate
    >
      {state && (
        <p
          data-testid="create-user-message"
          className={`sm:col-span-2 rounded-md px-3 py-2 text-sm ${state.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
        >
          {state.ok ? state.message : state.formError}
        </p>
      )}
      <Field id="name" label="Name" errors={errors.name}>
        <input
          id="name"
          name="name"
          defaultValue={values.name}
          className={inputClass}
          {...invalid("name")}
        />
      </Field>
      <Field id="email" label="Email" errors={errors.email}>
        <input
          id="email"
          name="email"
          type="email"
          defaultValue={values.email}
          className={inputClass}
          {...invalid("email")}
        />
      </Field>
      <Field id="role" label="Role" errors={errors.role}>
        <select
          id="role"
          name="role"
          defaultValue={values.role ?? "agent"}
          className={inputClass}
          {...invalid("role")}
        >
          {roles.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </Field>
      <Field id="teamId" label="Team" errors={errors.teamId}>
        <select
          id="teamId"
          name="teamId"
          defaultValue={values.teamId ?? ""}
          className={inputClass}
          {...invalid("teamId")}
        >
          <option value="">No team</option>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </Field>
      <PasswordField
        name="password"
        label="Initial password"
        errors={errors}
        hint="At least 12 characters; share it privately."
        autoComplete="new-password"
      />
      <div className="flex items-end">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {pending ? "Adding…" : "Add person"}
        </button>
      </div>
    </form>
  );
}
