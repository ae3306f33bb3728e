import type { Actor } from "@/lib/auth/guard";
import { actorCan } from "@/lib/permissions";

/** What kind of change a command makes; each maps onto the permissions table. */
export type ComplaintChange = "edit" | "reassign" | "root-cause" | "approve-remedy";

interface Scoped {
  teamId: string | null;
  ownerId: string | null;
}

/**
 * Whether an actor may make this kind of change to any complaint at all: checked before one is
 * loaded. Editing is open to whoever edits their teams' complaints or any complaint.
 */
export function mayMakeChange(actor: Actor, change: ComplaintChange): boolean {
  if (change === "root-cause") return actorCan(actor, "root-cause:assign");
  if (change === "reassign") return actorCan(actor, "complaint:reassign");
  if (change === "approve-remedy") return actorCan(actor, "remedy:approve");
  return actorCan(actor, "complaint:edit-team") || actorCan(actor, "complaint:edit-any");
}

/**
 * Whether an actor may make a change to this complaint: agents edit their teams' complaints (or
 * their own), managers everything in their teams and may reassign, quality sets root causes on
 * any complaint, executives only read, admins do everything. A remedy above the organisation's
 * approval limit is approved by a manager of the complaint's team, or an admin.
 */
export function mayChangeComplaint(
  actor: Actor,
  complaint: Scoped,
  change: ComplaintChange,
): boolean {
  if (change === "root-cause") return actorCan(actor, "root-cause:assign");
  if (change === "approve-remedy") {
    if (!actorCan(actor, "remedy:approve")) return false;
    if (actorCan(actor, "complaint:edit-any")) return true;
    return complaint.teamId !== null && actor.teamIds.includes(complaint.teamId);
  }
  if (actorCan(actor, "complaint:edit-any")) return true;
  const operation = change === "reassign" ? "complaint:reassign" : "complaint:edit-team";
  if (!actorCan(actor, operation)) return false;
  const inTeam = complaint.teamId !== null && actor.teamIds.includes(complaint.teamId);
  return inTeam || (change === "edit" && complaint.ownerId === actor.userId);
}
