import type { Metadata } from "next";
import { Placeholder } from "@/app/_components/placeholder";
import { requirePermission } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Root causes" };

export default async function QualityDashboardPage() {
  await requirePermission("dashboard:quality");
  return (
    <Placeholder
      title="Root causes"
      lead="Root-cause Pareto by count and cost, trends, corrective actions and recurrence before and after each fix."
      comingWith="the charts arrive with the analytics issue (#4)."
    />
  );
}
