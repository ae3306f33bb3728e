import type { Metadata } from "next";
import { Placeholder } from "@/app/_components/placeholder";
import { requirePermission } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Complaints" };

export default async function ComplaintsPage() {
  await requirePermission("complaint:read");
  return (
    <Placeholder
      title="Complaints"
      lead="Every complaint with filters, search and CSV export."
      comingWith="the list, intake form and complaint page arrive with the recovery-loop issue (#3)."
    />
  );
}
