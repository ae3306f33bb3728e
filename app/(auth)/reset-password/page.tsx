import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Set a new password" };

/** Anonymous on purpose: whoever holds the one-time code an admin issued sets a new password. */
export default async function ResetPasswordPage() {
  // Rendered per request, never prerendered: the page's scripts need this response's CSP nonce.
  await connection();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <h1 className="text-3xl font-semibold tracking-tight text-brand-900">Turnaround</h1>
        <p className="mt-1 mb-6 text-slate-600">
          Set a new password with the one-time code an admin gave you.
        </p>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <ResetPasswordForm />
        </div>
        <p className="mt-4 text-sm text-slate-600">
          No code? Ask an admin of your organisation for one. Remembered your password?{" "}
          <Link href="/sign-in" className="text-brand-700 hover:underline">
            Sign in
          </Link>
          .
        </p>
      </div>
    </main>
  );
}
