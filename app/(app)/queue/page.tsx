import type { Metadata } from "next";
import { Placeholder } from "@/app/_components/placeholder";
import { requirePermission } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "My queue" };

export default async function QueuePage() {
  const actor = await requirePermission("queue:view");
  return (
    <Placeholder
      title="My queue"
      lead={`Good to see you, ${actor.name}. Follow-ups due today and overdue, complaints past SLA or promise, and your newest assignments will be listed here.`}
      comingWith="the queue arrives with the recovery-loop issue (#3)."
    />
  );
}
