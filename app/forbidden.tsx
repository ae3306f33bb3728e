import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-brand-700">403</p>
        <h1 className="mt-1 text-2xl font-semibold">You don&apos;t have access to this page</h1>
        <p className="mt-2 text-slate-600">
          Your role does not include it. If you need it for your work, ask an admin to change your
          role.
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
