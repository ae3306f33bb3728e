/**
 * The corrective actions on the top demo causes. Those done some months before the anchor cut
 * their cause's complaints from then on, so the recurrence charts show the fix working.
 */
import type { Db } from "../client";
import * as s from "../schema";
import { DAY, HOUR, type BusinessCalendar } from "./calendar";
import { DEMO_ORG_ID } from "./constants";
import type { Random } from "./random";
import type { CauseRow, Insert, StaffRow } from "./world";

export interface ActionDef {
  causeIndex: number;
  title: string;
  description: string;
  status: (typeof s.correctiveActionStatuses)[number];
  /** Months before the anchor the fix was done (done/verified). */
  doneMonthsAgo?: number;
  /** Share of the cause's complaints the fix removes. */
  drop?: number;
  owner: string;
}

export const ACTIONS: ActionDef[] = [
  {
    causeIndex: 0,
    title: "Duplicate-charge check in the billing run",
    description:
      "Block a second charge for the same invoice within 72 hours; alert billing on every block.",
    status: "verified",
    doneMonthsAgo: 8.5,
    drop: 0.55,
    owner: "Quinn Patel",
  },
  {
    causeIndex: 1,
    title: "Two-day courier for equipment orders",
    description:
      "Move equipment shipping to a two-day courier and show the real dispatch date at checkout.",
    status: "in_progress",
    owner: "Morgan Lee",
  },
  {
    causeIndex: 2,
    title: "Arrival windows and reminders for technician visits",
    description:
      "Two-hour arrival windows, an SMS the day before, and an automatic message when a visit moves.",
    status: "verified",
    doneMonthsAgo: 7,
    drop: 0.45,
    owner: "Marcus Webb",
  },
  {
    causeIndex: 3,
    title: "Callback queue with owner and due time",
    description:
      "Every promised callback becomes a task with an owner and a due time; overdue ones escalate.",
    status: "done",
    doneMonthsAgo: 5,
    drop: 0.42,
    owner: "Morgan Lee",
  },
  {
    causeIndex: 4,
    title: "Apply promotions automatically at order time",
    description: "Promotion codes captured in the order form instead of a second system.",
    status: "done",
    doneMonthsAgo: 6,
    drop: 0,
    owner: "Priya Raman",
  },
  {
    causeIndex: 5,
    title: "Cabinet temperature monitoring",
    description: "Monitor street-cabinet temperature and fan health; dispatch before failure.",
    status: "proposed",
    owner: "Quinn Patel",
  },
  {
    causeIndex: 6,
    title: "Same-day refund approval under $100",
    description: "Agents approve refunds under $100 themselves; larger ones approved daily.",
    status: "verified",
    doneMonthsAgo: 9.5,
    drop: 0.6,
    owner: "Priya Raman",
  },
  {
    causeIndex: 7,
    title: "Bench-test devices before dispatch",
    description:
      "Power-on test and firmware check for every router, hub and camera before it ships.",
    status: "in_progress",
    owner: "Quinn Patel",
  },
  {
    causeIndex: 8,
    title: "Warm hand-off checklist between teams",
    description:
      "A transfer names the receiving owner and is accepted before the customer is told.",
    status: "done",
    doneMonthsAgo: 4.5,
    drop: 0.55,
    owner: "Marcus Webb",
  },
  {
    causeIndex: 9,
    title: "Barcode scan at packing",
    description: "Repair the packing scanners and make the scan mandatory before a box is sealed.",
    status: "proposed",
    owner: "Quinn Patel",
  },
];

/** The day (from the start of the data) a cause's fix takes effect, and the share it removes. */
export function causeFix(causeIndex: number, days: number): { fixDay: number; drop: number } {
  const action = ACTIONS.find((x) => x.causeIndex === causeIndex && x.doneMonthsAgo !== undefined);
  const fixDay =
    action?.doneMonthsAgo !== undefined
      ? Math.round(days - action.doneMonthsAgo * 30.44)
      : Infinity;
  return { fixDay, drop: action?.drop ?? 0 };
}

/** Writes the corrective actions; returns how many. */
export async function insertCorrectiveActions(
  db: Db,
  rng: Random,
  span: { start: number; anchor: number },
  causes: CauseRow[],
  staffByName: Map<string, StaffRow>,
  calendar: BusinessCalendar,
): Promise<number> {
  const { start, anchor } = span;
  const actionRows: Insert<typeof s.correctiveActions>[] = ACTIONS.map((act) => {
    const cause = causes[act.causeIndex]!;
    const owner = staffByName.get(act.owner);
    const doneAt =
      act.doneMonthsAgo !== undefined
        ? calendar.nextOpen(start + cause.fixDay * DAY - DAY + 14 * HOUR)
        : null;
    const createdAt = new Date(
      (doneAt ?? anchor - rng.range(10, 40) * DAY) - rng.range(45, 90) * DAY,
    );
    const verified = act.status === "verified" && doneAt !== null;
    const verifiedAt = verified
      ? Math.min(anchor - DAY, doneAt + rng.range(9, 12) * 7 * DAY)
      : null;
    return {
      orgId: DEMO_ORG_ID,
      id: rng.uuid(),
      rootCauseId: cause.id,
      title: act.title,
      description: act.description,
      ownerId: owner?.id ?? null,
      status: act.status,
      dueAt: new Date(
        doneAt !== null ? doneAt + rng.range(-10, 3) * DAY : anchor + rng.range(20, 60) * DAY,
      ),
      doneAt: doneAt !== null ? new Date(doneAt) : null,
      verifiedAt: verifiedAt !== null ? new Date(verifiedAt) : null,
      verificationNote: verified
        ? `Weekly complaints for "${cause.name}" fell by about ${Math.round((act.drop ?? 0) * 100)}% in the 8 weeks after the change compared with the 8 weeks before; verified effective.`
        : null,
      version: 1,
      createdAt,
    };
  });
  await db.insert(s.correctiveActions).values(actionRows);
  return actionRows.length;
}
