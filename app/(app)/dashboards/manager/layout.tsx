import { requirePermission } from "@/lib/auth/guard";

/**
 * The guard sits here, outside the segment's loading boundary: a refusal thrown below it would
 * come after the loading skeleton has been sent with status 200 (the 403 page's content under a
 * 200). The page keeps its own check too.
 */
export default async function ManagerDashboardLayout({ children }: { children: React.ReactNode }) {
  await requirePermission("dashboard:manager");
  return children;
}
