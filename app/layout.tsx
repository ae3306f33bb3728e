import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Turnaround", template: "%s · Turnaround" },
  description: "Service-recovery tracker: turn angry customers into advocates, and prove it.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">{children}</body>
    </html>
  );
}
