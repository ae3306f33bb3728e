"use client";

import { useActionState, useState } from "react";
import { Field, inputClass, invalidProps } from "@/app/_components/field";
import {
  DEFAULT_EXPIRY,
  expiryChoices,
  expiryLabels,
  type ExpiryChoice,
} from "@/lib/api-tokens/expiry";
import { createTokenAction, type CreateTokenState } from "./actions";

/** The secret, once: after this the server only knows its hash. */
function NewSecret({
  name,
  secret,
  expiresAt,
}: {
  name: string;
  secret: string;
  expiresAt: string;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      role="status"
      className="rounded-lg border border-green-300 bg-green-50 p-4 text-sm text-green-900"
    >
      <p className="font-medium">
        Token “{name}” created. Copy it now — it will not be shown again.
      </p>
      <div className="mt-3 flex gap-2">
        <label htmlFor="new-token-secret" className="sr-only">
          The new token
        </label>
        <input
          id="new-token-secret"
          data-testid="new-token-secret"
          readOnly
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full rounded-md border border-green-300 bg-white px-3 py-2 font-mono text-xs text-slate-900"
        />
        <button
          type="button"
          onClick={async () => {
            await navigator.clipboard?.writeText(secret);
            setCopied(true);
          }}
          className="shrink-0 rounded-md border border-green-400 bg-white px-3 py-2 font-medium hover:bg-green-100"
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="mt-2 text-green-800">
        Send it as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>. Lost it?
        Revoke it and create another.
      </p>
      <p className="mt-1 text-green-800" data-testid="new-token-expiry">
        It works until{" "}
        <time dateTime={expiresAt}>{expiresAt.slice(0, 16).replace("T", " ")} UTC</time>.
      </p>
    </div>
  );
}

const isChoice = (value: string | undefined): value is ExpiryChoice =>
  (expiryChoices as readonly string[]).includes(value ?? "");

/**
 * When the token expires, and the date for "On a date…" (shown only then). The select stays
 * uncontrolled, as React resets a form to its default values after each submission: the default
 * is what was sent (the select keyed by it, as a select takes its default only when it mounts),
 * and a new token's form (a new key) starts again from 90 days.
 */
function ExpiryFields({
  initial,
  expiresOn,
  dates,
  errors,
}: {
  initial: ExpiryChoice;
  expiresOn: string | undefined;
  dates: { min: string; max: string };
  errors: Record<string, string[] | undefined>;
}) {
  const [choice, setChoice] = useState<ExpiryChoice>(initial);
  const invalid = (field: string) => invalidProps(errors, field);
  return (
    <>
      <Field
        id="expiresIn"
        label="Expires"
        errors={errors.expiresIn}
        hint="After this the token stops working; at most a year."
      >
        {/* Keyed: React applies a select's defaultValue only when it mounts. */}
        <select
          key={initial}
          id="expiresIn"
          name="expiresIn"
          defaultValue={initial}
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (isChoice(value)) setChoice(value);
          }}
          className={inputClass}
          {...invalid("expiresIn")}
        >
          {expiryChoices.map((option) => (
            <option key={option} value={option}>
              {expiryLabels[option]}
            </option>
          ))}
        </select>
      </Field>
      {choice === "date" ? (
        <Field
          id="expiresOn"
          label="Expiry date"
          errors={errors.expiresOn}
          hint="It works through this whole day (UTC)."
        >
          <input
            id="expiresOn"
            name="expiresOn"
            type="date"
            min={dates.min}
            max={dates.max}
            defaultValue={expiresOn}
            className={inputClass}
            {...invalid("expiresOn")}
          />
        </Field>
      ) : (
        <div aria-hidden className="hidden sm:block" />
      )}
    </>
  );
}

/** `dates`: the first and last day a token may expire on (UTC), from the server's clock. */
export function CreateTokenForm({ dates }: { dates: { min: string; max: string } }) {
  const [state, formAction, pending] = useActionState<CreateTokenState, FormData>(
    createTokenAction,
    null,
  );
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  const invalid = (field: string) => invalidProps(errors, field);
  return (
    <div className="space-y-4">
      {state?.ok && (
        <NewSecret
          name={state.data.name}
          secret={state.data.secret}
          expiresAt={state.data.expiresAt}
        />
      )}
      {state && !state.ok && (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{state.formError}</p>
      )}
      <form
        action={formAction}
        key={state?.ok ? state.data.id : "keep"}
        className="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2"
        noValidate
      >
        <Field id="name" label="Name" errors={errors.name} hint="The system that will use it.">
          <input
            id="name"
            name="name"
            defaultValue={values.name}
            placeholder="Helpdesk sync"
            className={inputClass}
            {...invalid("name")}
          />
        </Field>
        <Field
          id="scope"
          label="Scope"
          errors={errors.scope}
          hint="Write also records complaints, recovery and activity."
        >
          <select
            key={values.scope ?? "read"}
            id="scope"
            name="scope"
            defaultValue={values.scope ?? "read"}
            className={inputClass}
            {...invalid("scope")}
          >
            <option value="read">Read</option>
            <option value="write">Write</option>
          </select>
        </Field>
        <ExpiryFields
          initial={isChoice(values.expiresIn) ? values.expiresIn : DEFAULT_EXPIRY}
          expiresOn={values.expiresOn}
          dates={dates}
          errors={errors}
        />
        <div className="flex items-start">
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
          >
            {pending ? "Creating…" : "Create token"}
          </button>
        </div>
      </form>
    </div>
  );
}
