/**
 * How a demo complaint arrives: when and through which channel, how severe, how angry the
 * customer is, which team and agent get it, and which product it is about.
 */
import type { Channel, Severity } from "../schema";
import { DAY, MIN, toUtc } from "./calendar";
import { ANGRY_P, SEVERITY_KEYS, SYNC_CHANNELS } from "./distributions";
import { clamp } from "./helpers";
import type { Random } from "./random";
import { PROFILES, type ProfileDef, type TeamKey } from "./staff";
import type { CauseRow, StaffRow, World } from "./world";

export interface Intake {
  id: string;
  channel: Channel;
  /** Phone, chat or in person: the customer is there while we respond. */
  sync: boolean;
  received: number;
  severity: Severity;
  major: boolean;
  /** Sentiment ≤ 2 or NPS 0–6 at intake. */
  angry: boolean;
  intakeSentiment: number | null;
  intakeNps: number | null;
  teamKey: TeamKey;
  owner: StaffRow;
  profile: ProfileDef;
  /** "fiber", or "fiber/Fiber Gig" for a sub-product. */
  productKey: string;
  productName: string;
}

function receivedTime(w: World, rng: Random, day: number, channel: Channel): number {
  const dayStart = w.start + day * DAY;
  let minute: number;
  if (SYNC_CHANNELS.has(channel)) minute = clamp(rng.normal(13 * 60, 150), 8 * 60, 19 * 60);
  else if (channel === "letter") minute = rng.range(9.5 * 60, 16 * 60);
  else minute = ((rng.normal(13 * 60, 270) % 1440) + 1440) % 1440;
  let t = toUtc(dayStart + minute * MIN);
  if (t > w.anchor - 10 * MIN) t = w.anchor - rng.range(10, 360) * MIN;
  return Math.round(t / 1000) * 1000;
}

/** A new complaint about `cause` received on `day` (days since the start of the data). */
export function intake(w: World, rng: Random, day: number, cause: CauseRow): Intake {
  const id = rng.uuid();
  const channel = rng.fromTable(w.channelTable);
  const sync = SYNC_CHANNELS.has(channel);
  const received = receivedTime(w, rng, day, channel);

  let severity = rng.fromTable(w.severityTable);
  if (cause.tilt && rng.bernoulli(cause.tilt * 0.35))
    severity = rng.weighted(SEVERITY_KEYS, [0, 1, 3, 1.2]);
  const major = severity === "major" || severity === "critical";

  // Intake: angry means sentiment ≤ 2 or NPS 0–6.
  const angry = rng.bernoulli(ANGRY_P[severity]);
  let hasSentiment = rng.bernoulli(0.85);
  const hasNps = rng.bernoulli(0.35);
  if (angry && !hasSentiment && !hasNps) hasSentiment = true;
  const intakeSentiment = hasSentiment
    ? angry
      ? rng.bernoulli(0.55)
        ? 1
        : 2
      : rng.weighted([3, 4, 5], [68, 27, 5])
    : null;
  const intakeNps = hasNps
    ? angry
      ? rng.weighted([0, 1, 2, 3, 4, 5, 6], [20, 10, 12, 14, 14, 15, 15])
      : rng.weighted([7, 8, 9, 10], [40, 35, 15, 10])
    : null;

  // Routing.
  let teamKey: TeamKey;
  if (cause.category === "billing" && rng.bernoulli(0.75)) teamKey = "billing";
  else if (
    (severity === "critical" && rng.bernoulli(0.6)) ||
    (severity === "major" && rng.bernoulli(0.15))
  )
    teamKey = "esc";
  else teamKey = rng.bernoulli(0.5) ? "east" : "west";
  const owner = rng.fromTable(w.agentTables[teamKey]);
  const profile = PROFILES[owner.profile ?? "average"];

  const product = rng.fromTable(cause.productTable);
  const productKey =
    product.subs.length > 0 && rng.bernoulli(0.75)
      ? `${product.key}/${rng.pick(product.subs)}`
      : product.key;
  const productName = productKey.includes("/") ? productKey.split("/")[1]! : product.name;

  return {
    id,
    channel,
    sync,
    received,
    severity,
    major,
    angry,
    intakeSentiment,
    intakeNps,
    teamKey,
    owner,
    profile,
    productKey,
    productName,
  };
}
