/** A labelled form field with its error shown beside it and linked for screen readers. */
export function Field({
  id,
  label,
  errors,
  hint,
  children,
}: {
  id: string;
  label: string;
  errors?: string[];
  hint?: string;
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="mt-1">{children}</div>
      {hint && !errors?.length && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
      {errors?.length ? (
        <p id={`${id}-error`} data-testid={`${id}-error`} className="mt-1 text-sm text-red-700">
          {errors[0]}
        </p>
      ) : null}
    </div>
  );
}

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-600 aria-[invalid=true]:border-red-500";

type FieldErrors = Partial<Record<string, string[]>>;

/** The attributes that tie an input to its error message (screen readers read it with the field). */
export function invalidProps(errors: FieldErrors, field: string, idPrefix = "") {
  return {
    "aria-invalid": Boolean(errors[field]),
    "aria-describedby": errors[field] ? `${idPrefix}${field}-error` : undefined,
  };
}

/**
 * A password input in its labelled field. `autoComplete` tells password managers whether to fill
 * the stored password ("current-password") or offer a new one ("new-password").
 */
export function PasswordField({
  name,
  label,
  errors,
  hint,
  autoComplete,
}: {
  name: string;
  label: string;
  errors: FieldErrors;
  hint?: string;
  autoComplete: "current-password" | "new-password";
}) {
  return (
    <Field id={name} label={label} errors={errors[name]} hint={hint}>
      <input
        id={name}
        name={name}
        type="password"
        autoComplete={autoComplete}
        className={inputClass}
        {...invalidProps(errors, name)}
      />
    </Field>
  );
}
