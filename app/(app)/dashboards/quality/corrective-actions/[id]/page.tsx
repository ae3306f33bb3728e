import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { correctiveActionChoices, correctiveActionForEdit } from "@/lib/corrective-actions/queries";
import { BackToRootCauses } from "../../back-link";
import { CorrectiveActionForm } from "../../corrective-action-form";

export const metadata: Metadata = { title: "Corrective action" };

export default async function EditCorrectiveActionPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id } = await params;
  const [action, choices] = await Promise.all([
    correctiveActionForEdit(id),
    correctiveActionChoices(),
  ]);
  if (!action) notFound();
  // The action's cause stays choosable even if it was deactivated since.
  const rootCauses = choices.rootCauses.some((c) => c.id === action.rootCauseId)
    ? choices.rootCauses
    : [
        { id: action.rootCauseId, name: action.rootCause, category: "Inactive" },
        ...choices.rootCauses,
      ];
  return (
    <div className="max-w-5xl space-y-4">
      <BackToRootCauses />
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">{action.title}</h1>
        <p className="text-sm text-slate-600">Corrective action for {action.rootCause}</p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <CorrectiveActionForm choices={{ ...choices, rootCauses }} initial={action} />
      </div>
    </div>
  );
}
