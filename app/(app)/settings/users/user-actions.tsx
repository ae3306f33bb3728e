"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/action-result";
import {
  deactivateUserAction,
  issuePasswordResetAction,
  reactivateUserAction,
  signOutUserEverywhereAction,
  type IssueResetState,
} from "./lifecycle-actions";

const smallButton =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-60";

/** The result of an action beside its buttons, announced to screen readers. */
function Outcome({ state }: { state: ActionResult<unknown> | null }) {
  if (!state) return null;
  return (
    <p role="status" className={`text-xs ${state.ok ? "text-green-800" : "text-red-700"}`}>
      {state.ok ? state.message : state.formError}
    </p>
  );
}

/** The code, once: after this the server only knows its hash. */
function NewResetCode({ name, code, email }: { name: string; code: string; email: string }) {
  const [copied, setCopied] = useState<"code" | "link" | null>(null);
  // The code rides in the fragment: browsers never send it to a server or in a Referer.
  const link = `${window.location.origin}/reset-password#${new URLSearchParams({ email, code })}`;
  const copy = async (what: "code" | "link") => {
    await navigator.clipboard?.writeText(what === "code" ? code : link);
    setCopied(what);
  };
  return (
    <div className="mt-2 rounded-lg border border-green-300 bg-green-50 p-3 text-xs text-green-900">
      <p className="font-medium">
        Password reset code for {name}. Copy it now — it will not be shown again.
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <label htmlFor={`reset-code-${email}`} className="sr-only">
          Reset code for {name}
        </label>
        <input
          id={`reset-code-${email}`}
          data-testid="reset-code"
          readOnly
          value={code}
          onFocus={(e) => e.currentTarget.select()}
          className="w-52 rounded-md border border-green-300 bg-white px-2 py-1 font-mono text-sm text-slate-900"
        />
        <button type="button" onClick={() => copy("code")} className={smallButton}>
          {copied === "code" ? "Copied" : "Copy code"}
        </button>
        <button type="button" onClick={() => copy("link")} className={smallButton}>
          {copied === "link" ? "Copied" : "Copy link"}
        </button>
      </div>
      <p className="mt-2">
        They open the link (or go to /reset-password and type their email and this code) within 24
        hours and choose a new password; the code then stops working and their sessions end.
      </p>
    </div>
  );
}

/**
 * Per-person account actions on Settings › Users. Deactivation asks for a confirmation. "End
 * sessions" is sign out everywhere for someone else (named apart from the shell's "Sign out").
 */
export function UserActions({
  userId,
  name,
  active,
  isSelf,
}: {
  userId: string;
  name: string;
  active: boolean;
  isSelf: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const [deactivated, deactivate, deactivating] = useActionState<ActionResult | null, FormData>(
    deactivateUserAction,
    null,
  );
  const [reactivated, reactivate, reactivating] = useActionState<ActionResult | null, FormData>(
    reactivateUserAction,
    null,
  );
  const [reset, issueReset, issuing] = useActionState<IssueResetState, FormData>(
    issuePasswordResetAction,
    null,
  );
  const [signedOut, signOut, signingOut] = useActionState<ActionResult | null, FormData>(
    signOutUserEverywhereAction,
    null,
  );
  const hidden = <input type="hidden" name="userId" value={userId} />;
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        {active && (
          <form action={issueReset}>
            {hidden}
            <button type="submit" disabled={issuing} className={smallButton}>
              {issuing ? "Issuing…" : "Reset password"}
              <span className="sr-only"> of {name}</span>
            </button>
          </form>
        )}
        {active && !isSelf && (
          <form action={signOut}>
            {hidden}
            <button type="submit" disabled={signingOut} className={smallButton}>
              {signingOut ? "Ending…" : "End sessions"}
              <span className="sr-only"> of {name}</span>
            </button>
          </form>
        )}
        {active && !isSelf && !confirming && (
          <button type="button" onClick={() => setConfirming(true)} className={smallButton}>
            Deactivate<span className="sr-only"> {name}</span>
          </button>
        )}
        {active && !isSelf && confirming && (
          <form action={deactivate} className="flex items-center gap-2">
            {hidden}
            <button
              type="submit"
              disabled={deactivating}
              className="rounded-md bg-red-700 px-2 py-1 text-xs font-medium text-white hover:bg-red-800 disabled:opacity-60"
            >
              {deactivating ? "Deactivating…" : `Confirm: deactivate ${name}`}
            </button>
            <button
              type="button"
              onClick={() => setConfirming(false)}
              className="text-xs text-slate-600 hover:underline"
            >
              Cancel
            </button>
          </form>
        )}
        {!active && (
          <form action={reactivate}>
            {hidden}
            <button type="submit" disabled={reactivating} className={smallButton}>
              {reactivating ? "Reactivating…" : "Reactivate"}
              <span className="sr-only"> {name}</span>
            </button>
          </form>
        )}
      </div>
      <Outcome state={deactivated} />
      <Outcome state={reactivated} />
      <Outcome state={signedOut} />
      {reset && !reset.ok && <Outcome state={reset} />}
      {reset?.ok && <NewResetCode name={name} code={reset.data.code} email={reset.data.email} />}
    </div>
  );
}
