import Link from "next/link";
import { connection } from "next/server";

// Rendered per request, not prebuilt: a prebuilt page has no nonce for the Content-Security-Policy
// the proxy sends (docs/security.md), and its scripts would be blocked.
export default async function NotFound() {
  await connection();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-brand-700">404</p>
        <h1 className="mt-1 text-2xl font-semibold">We couldn&apos;t find that page</h1>
        <p className="mt-2 text-slate-600">
          The link may be old, or the record may belong to another organisation.
        </p>
        <Link
          href="/"
          className="mt-6 inline-block rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white"
        >
          Go to your home page
        </Link>
      </div>
    </main>
  );
}
