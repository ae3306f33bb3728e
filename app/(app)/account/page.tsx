import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/guard";
import { ChangePasswordForm, SignOutEverywhereForm } from "./account-forms";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const actor = await requireUser();
  return (
    <section className="max-w-2xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Your account</h1>
        <p className="mt-1 text-slate-600">
          {actor.name} · {actor.email} · {actor.role}
        </p>
      </div>
      <div>
        <h2 className="text-lg font-semibold">Change your password</h2>
        <div className="mt-3 rounded-lg border border-slate-200 bg-white p-5">
          <ChangePasswordForm email={actor.email} />
        </div>
      </div>
      <div>
        <h2 className="text-lg font-semibold">Sign out everywhere</h2>
        <p className="mt-1 text-sm text-slate-600">
          Ends every session you have — on other computers, phones and this browser. Use it if you
          signed in somewhere you no longer trust.
        </p>
        <div className="mt-3 rounded-lg border border-slate-200 bg-white p-5">
          <SignOutEverywhereForm />
        </div>
      </div>
    </section>
  );
}
