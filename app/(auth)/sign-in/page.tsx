import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/guard";
import { homeFor } from "@/lib/permissions";
import { isDemoPresent, isSetupNeeded } from "@/lib/setup/queries";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ returnTo?: string; setup?: string }>;
}) {
  const actor = await getActor();
  if (actor) redirect(homeFor(actor.role));
  // A server database with no organisation yet: nobody can sign in until setup creates one.
  if (await isSetupNeeded()) redirect("/setup");
  const { returnTo, setup } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <h1 className="text-3xl font-semibold tracking-tight text-brand-900">Turnaround</h1>
        <p className="mt-1 mb-6 text-slate-600">
          Turn angry customers into advocates — and prove it with numbers.
        </p>
        {setup === "done" && (
          <p
            role="status"
            data-testid="setup-done"
            className="mb-4 rounded-md bg-green-50 px-3 py-2 text-sm text-green-800"
          >
            Your organisation is set up. Sign in with the admin email and password you chose.
          </p>
        )}
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <SignInForm returnTo={returnTo ?? "/"} />
        </div>
        <p className="mt-4 text-sm text-slate-600">
          Forgot your password? Ask an admin for a reset code, then{" "}
          <Link href="/reset-password" className="text-brand-700 hover:underline">
            set a new password
          </Link>
          .
        </p>
        {(await isDemoPresent()) && (
          <p className="mt-4 text-xs text-slate-500">
            Demo sign-ins are listed in the README and printed when the server starts.
          </p>
        )}
      </div>
    </main>
  );
}
