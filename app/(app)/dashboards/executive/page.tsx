import type { Metadata } from "next";
import { Placeholder } from "@/app/_components/placeholder";
import { requirePermission } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Retention" };

export default async function ExecutiveDashboardPage() {
  await requirePermission("dashboard:executive");
  return (
    <Placeholder
      title="Retention"
      lead="Angry-to-advocate conversion, retention of complainants at 30/90/180 days, recovery ROI and NPS before and after."
      comingWith="the charts arrive with the analytics issue (#4)."
    />
  );
}
