"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { revokeTokenAction } from "./actions";

/** Two steps, so a stray click cannot cut off an integration. */
export function RevokeButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [state, formAction, pending] = useActionState<ActionResult | null, FormData>(
    revokeTokenAction,
    null,
  );
  if (!confirming) {
    return (
      <button
        type="button"
        onClick={() => setConfirming(true)}
        className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100"
        aria-label={`Revoke ${name}`}
      >
        Revoke
      </button>
    );
  }
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="tokenId" value={tokenId} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-red-700 px-2 py-1 text-xs font-medium text-white hover:bg-red-800 disabled:opacity-60"
      >
        {pending ? "Revoking…" : `Confirm: revoke ${name}`}
      </button>
      <button
        type="button"
        onClick={() => setConfirming(false)}
        className="text-xs text-slate-600 hover:underline"
      >
        Cancel
      </button>
      {state && !state.ok && <span className="text-xs text-red-700">{state.formError}</span>}
    </form>
  );
}
