import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/guard";
import { homeFor } from "@/lib/permissions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ returnTo?: string }>;
}) {
  const actor = await getActor();
  if (actor) redirect(homeFor(actor.role));
  const { returnTo } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <h1 className="text-3xl font-semibold tracking-tight text-brand-900">Turnaround</h1>
        <p className="mt-1 mb-6 text-slate-600">
          Turn angry customers into advocates — and prove it with numbers.
        </p>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <SignInForm returnTo={returnTo ?? "/"} />
        </div>
        <p className="mt-4 text-xs text-slate-500">
          Demo sign-ins are listed in the README and printed when the server starts.
        </p>
      </div>
    </main>
  );
}
