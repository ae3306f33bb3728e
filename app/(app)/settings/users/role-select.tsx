"use client";

import { useActionState } from "react";
import { roles, type Role } from "@/db/schema";
import type { ActionResult } from "@/lib/action-result";
import { changeUserRoleAction } from "./actions";

/** Changes a role as soon as another is picked; errors show beside the select. */
export function RoleSelect({ userId, role, name }: { userId: string; role: Role; name: string }) {
  const [state, formAction, pending] = useActionState<ActionResult | null, FormData>(
    changeUserRoleAction,
    null,
  );
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role of {name}
      </label>
      <select
        id={`role-${userId}`}
        name="role"
        defaultValue={role}
        disabled={pending}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {state && !state.ok && <span className="text-xs text-red-700">{state.formError}</span>}
    </form>
  );
}
