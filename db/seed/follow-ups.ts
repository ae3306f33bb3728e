/**
 * Contact after and during a demo complaint: follow-ups once it is resolved (scored later from
 * the customer's recovery), and updates that keep the customer informed while it drags on.
 */
import type * as s from "../schema";
import type { Channel } from "../schema";
import { DAY, HOUR, toLocal } from "./calendar";
import { FOLLOW_UP_NOTES, UPDATE_MESSAGES, WEEKDAYS } from "./complaint-texts";
import { DEMO_ORG_ID } from "./constants";
import { clamp, fill } from "./helpers";
import type { Intake } from "./intake";
import type { Random } from "./random";
import { working } from "./recovery";
import { sentimentFromNps } from "./scores";
import type { Insert, World } from "./world";

/** Follow-ups after resolution (some agents skip them); `firstDoneAt` is the first one done. */
export function followUps(
  w: World,
  rng: Random,
  c: Intake,
  resolved: number | null,
): { rows: Insert<typeof s.followUps>[]; firstDoneAt: number | null } {
  const anchor = w.anchor;
  const { id, owner, profile } = c;
  const followRows: Insert<typeof s.followUps>[] = [];
  let followDoneAt: number | null = null;
  if (resolved !== null && rng.bernoulli(profile.followUp)) {
    const gaps = [1, 7, 30];
    let due = working(w, rng, resolved + rng.weighted(gaps, [45, 35, 20]) * DAY);
    for (let n = 0; n < 2; n++) {
      let doneAt: number | null = null;
      if (due <= anchor) {
        const p = due < anchor - 21 * DAY ? 1 : 0.6;
        if (rng.bernoulli(p)) {
          const t = working(w, rng, due + rng.lognormal(3 * HOUR, 1));
          if (t <= anchor) doneAt = t;
        }
      }
      followRows.push({
        orgId: DEMO_ORG_ID,
        id: rng.uuid(),
        complaintId: id,
        dueAt: new Date(due),
        doneAt: doneAt !== null ? new Date(doneAt) : null,
        doneBy: doneAt !== null ? owner.id : null,
        channel: rng.weighted<Channel>(["phone", "email", "chat"], [6, 3, 1]),
        sentiment: null,
        nps: null,
        note: null,
        createdAt: new Date(Math.min(resolved, anchor)),
      });
      if (doneAt !== null && followDoneAt === null) followDoneAt = doneAt;
      if (doneAt === null || !rng.bernoulli(0.12)) break;
      due = working(w, rng, due + 30 * DAY);
    }
  }
  return { rows: followRows, firstDoneAt: followDoneAt };
}

/** Updates sent while the complaint is open more than two days. */
export function progressUpdates(
  w: World,
  rng: Random,
  c: Intake,
  firstResponse: number,
  resolved: number | null,
  closed: number | null,
): Insert<typeof s.customerUpdates>[] {
  const anchor = w.anchor;
  const { id, owner } = c;
  const updateRows: Insert<typeof s.customerUpdates>[] = [];
  const openUntil = Math.min(resolved ?? closed ?? anchor, anchor);
  if (openUntil - firstResponse > 2 * DAY && rng.bernoulli(0.55)) {
    const n = rng.int(1, 3);
    for (let i = 1; i <= n; i++) {
      const t = working(w, rng, firstResponse + ((openUntil - firstResponse) * i) / (n + 1));
      if (t >= openUntil) break;
      const nextDay = WEEKDAYS[new Date(toLocal(t + rng.int(1, 3) * DAY)).getUTCDay()]!;
      updateRows.push({
        orgId: DEMO_ORG_ID,
        id: rng.uuid(),
        complaintId: id,
        sentAt: new Date(t),
        sentBy: owner.id,
        channel: rng.bernoulli(0.7) ? "email" : "phone",
        message: fill(rng.pick(UPDATE_MESSAGES), { day: nextDay }),
      });
    }
  }
  return updateRows;
}

/** Scores and notes on the follow-ups that were done, around the customer's latent NPS. */
export function scoreFollowUps(
  rng: Random,
  followRows: Insert<typeof s.followUps>[],
  latentNps: number,
): void {
  for (const f of followRows) {
    if (f.doneAt === null) continue;
    const nps = clamp(latentNps + rng.int(-1, 1), 0, 10);
    if (rng.bernoulli(0.8)) f.nps = nps;
    if (rng.bernoulli(0.9)) f.sentiment = sentimentFromNps(rng, nps);
    if (rng.bernoulli(0.4))
      f.note = rng.pick(
        nps >= 9 ? FOLLOW_UP_NOTES.good : nps >= 7 ? FOLLOW_UP_NOTES.mid : FOLLOW_UP_NOTES.bad,
      );
  }
}
