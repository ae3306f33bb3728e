import { requirePermission } from "@/lib/auth/guard";

/**
 * The guard sits here, outside the segment's loading boundary: a refusal thrown below it would
 * come after the loading skeleton has been sent with status 200 (the 403 page's content under a
 * 200). The page keeps its own check too. The taxonomy and corrective-action pages below ask
 * for taxonomy:manage and corrective-action:manage, which every role with this dashboard has
 * (tests/e2e/page-access.spec.ts pins each page's status per role).
 */
export default async function QualityDashboardLayout({ children }: { children: React.ReactNode }) {
  await requirePermission("dashboard:quality");
  return children;
}
