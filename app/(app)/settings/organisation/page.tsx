import type { Metadata } from "next";
import { getOrganisationSettings } from "@/lib/organisations/queries";
import { ApprovalLimitForm } from "./approval-limit-form";

export const metadata: Metadata = { title: "Organisation" };

export default async function OrganisationSettingsPage() {
  const settings = await getOrganisationSettings();
  return (
    <section className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Organisation</h1>
        <p className="mt-1 text-slate-600">Settings that apply to everyone in {settings.name}.</p>
      </div>
      <div>
        <h2 className="text-lg font-semibold">Remedy approval</h2>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          {settings.approvalLimitFormatted
            ? `Now: remedies above ${settings.approvalLimitFormatted} wait for a manager's approval before they can be delivered.`
            : "Now: no remedy needs a manager's approval."}{" "}
          A remedy in another currency is compared by the same number of minor units (cents).
          Remedies offered before a change keep what they were offered with.
        </p>
        <div className="mt-3 rounded-lg border border-slate-200 bg-white p-5">
          <ApprovalLimitForm currency={settings.currency} limit={settings.approvalLimit} />
        </div>
      </div>
    </section>
  );
}
