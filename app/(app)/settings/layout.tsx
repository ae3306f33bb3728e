"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const tabs = [
  { href: "/settings/users", label: "Users" },
  { href: "/settings/api-tokens", label: "API tokens" },
  { href: "/settings/api", label: "API reference" },
  { href: "/settings/organisation", label: "Organisation" },
];

function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="mb-6 border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-x-6 gap-y-1 text-sm">
        {tabs.map((tab) => {
          const active = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={`inline-block border-b-2 px-1 pb-2 ${
                  active
                    ? "border-brand-600 font-medium text-brand-900"
                    : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-800"
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** Settings pages share this sub-navigation; each page still checks its own permission. */
export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <div>
      <SettingsNav />
      {children}
    </div>
  );
}
