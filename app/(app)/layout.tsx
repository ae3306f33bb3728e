import Link from "next/link";
import { NavLinks } from "@/app/_components/nav-links";
import { requireUser } from "@/lib/auth/guard";
import { navigationFor } from "@/lib/permissions";
import { signOutAction } from "./actions";

const roleLabel = {
  agent: "Agent",
  manager: "Manager",
  quality: "Quality",
  executive: "Executive",
  admin: "Admin",
} as const;

export default async function SignedInLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireUser();
  return (
    <div className="flex min-h-screen">
      <nav
        aria-label="Main"
        className="flex w-56 shrink-0 flex-col border-r border-slate-200 bg-white px-3 py-4"
      >
        <p className="px-3 text-lg font-semibold tracking-tight text-brand-900">Turnaround</p>
        <div className="mt-6 flex-1">
          <NavLinks items={navigationFor(actor.role)} />
        </div>
        <div className="border-t border-slate-200 px-3 pt-3 text-sm">
          <p className="font-medium text-slate-800" data-testid="signed-in-user">
            {actor.name}
          </p>
          <p className="text-slate-500">{roleLabel[actor.role]}</p>
          <Link href="/account" className="mt-2 block text-brand-700 hover:underline">
            Your account
          </Link>
          <form action={signOutAction} className="mt-2">
            <button type="submit" className="text-brand-700 hover:underline">
              Sign out
            </button>
          </form>
        </div>
      </nav>
      <main className="flex-1 px-8 py-6">{children}</main>
    </div>
  );
}
