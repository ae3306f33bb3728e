/**
 * Remedy approval (issue #11): a remedy costing more than the organisation's limit waits for a
 * manager's approval before it can be delivered. The limit is in minor units and is compared with
 * the remedy's cost in its own currency's minor units; no limit (null) means no approval.
 */
import { formatMoney } from "@/lib/money";

/** Whether a remedy of this cost needs a manager's approval under this limit. */
export function needsApproval(costMinor: number | null, limitMinor: number | null): boolean {
  return costMinor !== null && limitMinor !== null && costMinor > limitMinor;
}

/** "Needs a manager's approval (limit $1,000.00)": shown on the remedy to everyone. */
export function approvalNote(limitMinor: number | null, currency: string): string {
  return limitMinor === null
    ? "Needs a manager's approval"
    : `Needs a manager's approval (limit ${formatMoney(limitMinor, currency)})`;
}

/** Why delivery is refused while the approval is outstanding. */
export function awaitingApprovalMessage(
  costMinor: number | null,
  currency: string,
  limitMinor: number | null,
): string {
  const cost = costMinor === null ? "this remedy" : formatMoney(costMinor, currency);
  const limit = limitMinor === null ? "" : ` of ${formatMoney(limitMinor, currency)}`;
  return `Waiting for a manager's approval: ${cost} is above the organisation's limit${limit}. A manager or an admin approves it on the complaint page before it is delivered.`;
}
