import type { ComplaintStatus, Severity } from "@/db/schema";
import { severityLabel, statusLabel } from "./labels";

const pill =
  "inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium";

const statusStyle: Record<ComplaintStatus, string> = {
  new: "bg-brand-100 text-brand-900",
  in_progress: "bg-amber-100 text-amber-900",
  resolved: "bg-emerald-100 text-emerald-900",
  closed: "bg-slate-100 text-slate-700",
};

const severityStyle: Record<Severity, string> = {
  minor: "bg-slate-100 text-slate-700",
  moderate: "bg-yellow-100 text-yellow-900",
  major: "bg-orange-100 text-orange-900",
  critical: "bg-red-600 text-white",
};

export function StatusBadge({ status }: { status: ComplaintStatus }) {
  return (
    <span className={`${pill} ${statusStyle[status]}`} data-testid="status-badge">
      {statusLabel[status]}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`${pill} ${severityStyle[severity]}`} data-testid="severity-badge">
      {severityLabel[severity]}
    </span>
  );
}

/** Intake sentiment ≤ 2 or intake NPS 0–6. */
export function AngryFlag() {
  return (
    <span
      className={`${pill} border border-red-200 bg-red-50 text-red-800`}
      title="Angry at intake: sentiment 1–2 or NPS 0–6"
      data-testid="angry-flag"
    >
      Angry
    </span>
  );
}
