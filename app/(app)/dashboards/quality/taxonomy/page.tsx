import type { Metadata } from "next";
import { formatNumber } from "@/app/_components/dashboard/format";
import { taxonomyTree } from "@/lib/taxonomy/queries";
import { BackToRootCauses } from "../back-link";
import { RootCauseForm } from "../taxonomy-form";

export const metadata: Metadata = { title: "Root-cause taxonomy" };

/**
 * Taxonomy maintenance (quality and admin): add a cause under a category, rename, re-window,
 * deactivate. Its own page: every cause's form on the dashboard made each view several times
 * heavier, and counting complaints per cause is not a dashboard's work.
 */
export default async function TaxonomyPage() {
  const tree = await taxonomyTree();
  const active = tree.reduce((n, c) => n + c.causes.filter((r) => r.active).length, 0);
  return (
    <div className="max-w-5xl space-y-4" data-testid="taxonomy">
      <BackToRootCauses />
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Root-cause taxonomy</h1>
        <p className="text-sm text-slate-600">
          {active} active causes in {tree.length} categories. Agents choose from the active ones; a
          deactivated cause keeps its complaints and history.
        </p>
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 className="mb-2 text-base font-semibold text-slate-900">Add a cause</h2>
        <RootCauseForm categories={tree.map((c) => ({ id: c.id, name: c.name }))} />
      </section>
      {tree.map((category) => (
        <section
          key={category.id}
          aria-labelledby={`category-${category.id}`}
          className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
          <h2 id={`category-${category.id}`} className="text-base font-semibold text-slate-900">
            {category.name}
          </h2>
          <ul className="mt-1 divide-y divide-slate-100">
            {category.causes.map((cause) => (
              <li key={cause.id} className="py-1.5 text-sm">
                <details>
                  <summary className="cursor-pointer">
                    <span
                      className={cause.active ? "text-slate-900" : "text-slate-500 line-through"}
                    >
                      {cause.name}
                    </span>{" "}
                    <span className="text-xs text-slate-500">
                      {formatNumber(cause.complaints)} complaints · window{" "}
                      {cause.recurrenceWindowWeeks} wk
                      {cause.active ? "" : " · inactive"}
                    </span>
                  </summary>
                  <div className="mt-2 rounded border border-slate-200 bg-slate-50 p-3">
                    <RootCauseForm
                      key={`${cause.name}${cause.active}${cause.recurrenceWindowWeeks}${cause.description}`}
                      initial={cause}
                    />
                  </div>
                </details>
              </li>
            ))}
            {category.causes.length === 0 && (
              <li className="py-1.5 text-sm text-slate-500">No causes yet: add one above.</li>
            )}
          </ul>
        </section>
      ))}
    </div>
  );
}
