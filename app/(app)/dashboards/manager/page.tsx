import type { Metadata } from "next";
import { Placeholder } from "@/app/_components/placeholder";
import { requirePermission } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Recovery performance" };

export default async function ManagerDashboardPage() {
  await requirePermission("dashboard:manager");
  return (
    <Placeholder
      title="Recovery performance"
      lead="Open and ageing cases, time to first response and resolution, SLA and promise-kept rates, playbook adherence and remedy cost, by team and agent."
      comingWith="the charts arrive with the analytics issue (#4)."
    />
  );
}
