import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { isSetupNeeded } from "@/lib/setup/queries";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up Turnaround" };

/** The first run on a server database: creates the organisation and its first admin. */
export default async function SetupPage() {
  await connection(); // read at request time: setup is over as soon as an organisation exists
  if (!(await isSetupNeeded())) redirect("/sign-in");
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-10 sm:items-center">
      <div className="w-full max-w-md">
        <h1 className="text-3xl font-semibold tracking-tight text-brand-900">Set up Turnaround</h1>
        <p className="mt-1 mb-6 text-slate-600">
          Name your organisation and create its first admin. The setup code is printed in the
          server&apos;s log when it starts.
        </p>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <SetupForm />
        </div>
      </div>
    </main>
  );
}
