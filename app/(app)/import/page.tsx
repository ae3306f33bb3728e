import type { Metadata } from "next";
import { mayImportArchive } from "@/lib/archive/access";
import { ARCHIVE_DOCS, ARCHIVE_SCHEMA_PATH } from "@/lib/archive/paths";
import { requirePermission } from "@/lib/auth/guard";
import { listImportRuns, loadImportSetup, type ImportSetup } from "@/lib/import";
import { ImportWizard } from "./_wizard/import-wizard";
import { RunHistory } from "./run-history";

export const metadata: Metadata = { title: "Import" };

const noSetup: ImportSetup = { saved: null, teams: [] };

export default async function ImportPage() {
  await requirePermission("import:run");
  const [complaints, activities, runs, archive] = await Promise.all([
    loadImportSetup("complaints"),
    loadImportSetup("activities"),
    listImportRuns(20),
    mayImportArchive(),
  ]);
  const setups = {
    complaints: complaints.ok ? complaints.data : noSetup,
    activities: activities.ok ? activities.data : noSetup,
  };
  return (
    <section className="mx-auto max-w-6xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Import</h1>
        <p className="mt-1 max-w-3xl text-slate-600">
          Bring complaints and customer activity in from your helpdesk, shop or billing system
          instead of retyping them. Files are streamed in batches, so size is no limit, and a file
          imported twice creates nothing twice: rows are matched by their external reference.
        </p>
      </div>

      <div className={`grid gap-4 ${archive ? "md:grid-cols-2 xl:grid-cols-4" : "md:grid-cols-3"}`}>
        <Expectation title="Complaints (generic CSV)">
          One row per complaint. Needs an <strong>external reference</strong> (the ticket id) and
          the <strong>date received</strong>; summary, story, channel, severity, status, customer
          reference or email, product and team are optional, and so is the history: first response,
          resolved, closed, promised by, intake sentiment and NPS. Turnaround&apos;s own complaint
          export is read as it is.
        </Expectation>
        <Expectation title="CFPB consumer-complaint export">
          The public CFPB download as it is: Complaint ID, Date received, Product, Issue, the
          narrative, the company&apos;s response and “Timely response?” are mapped for you.
        </Expectation>
        <Expectation title="Customer activity">
          Purchases, renewals, cancellations, referrals and reviews:{" "}
          <strong>customer reference</strong>, <strong>date</strong> and <strong>kind</strong>, with
          amount and currency where there is money. Retention and ROI are computed from these.
        </Expectation>
        {archive && (
          <Expectation title="Organisation archive (.jsonl)">
            Another Turnaround organisation as it is: settings, people, customers, activity,
            complaints with their whole history and corrective actions, exported from{" "}
            <strong>Exports</strong>. Admins only. Format: <code>{ARCHIVE_DOCS}</code> ·{" "}
            <a href={ARCHIVE_SCHEMA_PATH} className="font-medium text-brand-700 hover:underline">
              JSON Schema
            </a>
          </Expectation>
        )}
      </div>

      <ImportWizard setups={setups} archive={archive} />

      <div>
        <h2 className="text-lg font-semibold text-slate-900">Past imports</h2>
        <RunHistory runs={runs} />
      </div>
    </section>
  );
}

function Expectation({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600">
      <h2 className="font-semibold text-slate-900">{title}</h2>
      <p className="mt-1">{children}</p>
    </div>
  );
}
