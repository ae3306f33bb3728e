import type { Metadata } from "next";
import { correctiveActionChoices } from "@/lib/corrective-actions/queries";
import { BackToRootCauses } from "../../back-link";
import { CorrectiveActionForm } from "../../corrective-action-form";

export const metadata: Metadata = { title: "Add a corrective action" };

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * A corrective action on its own page, not inline on the dashboard: the form's choices (every
 * active cause and person) would otherwise ride along with every dashboard view.
 */
export default async function NewCorrectiveActionPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const choices = await correctiveActionChoices();
  const { rootCause } = await searchParams;
  const preselected = typeof rootCause === "string" ? rootCause : undefined;
  return (
    <div className="max-w-5xl space-y-4">
      <BackToRootCauses />
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Add a corrective action</h1>
        <p className="text-sm text-slate-600">
          A change that removes a root cause. Once it is done, the root-causes dashboard measures
          the cause&apos;s weekly rate before and after it.
        </p>
      </div>
      {choices.rootCauses.length === 0 ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          There are no active root causes yet: add one to the taxonomy first.
        </p>
      ) : (
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <CorrectiveActionForm
            choices={choices}
            defaultRootCause={
              choices.rootCauses.some((c) => c.id === preselected) ? preselected : undefined
            }
          />
        </div>
      )}
    </div>
  );
}
