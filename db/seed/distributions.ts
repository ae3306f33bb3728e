/**
 * The shape of the demo data: how severities, channels, moods, speeds, retention and remedies
 * are distributed. Tuned so that the dashboards show the findings described in demo.ts.
 */
import type { Channel, RemedyKind, Severity } from "../schema";
import type { CategoryKey } from "./taxonomy";

export const SEVERITY_KEYS: Severity[] = ["minor", "moderate", "major", "critical"];
export const SEVERITY_WEIGHTS = [45, 30, 18, 7];
export const CHANNEL_KEYS: Channel[] = [
  "phone",
  "email",
  "chat",
  "web",
  "social",
  "in_person",
  "letter",
];
export const CHANNEL_WEIGHTS = [34, 22, 18, 12, 7, 5, 2];
export const SYNC_CHANNELS = new Set<Channel>(["phone", "chat", "in_person"]);
export const ANGRY_P: Record<Severity, number> = {
  minor: 0.45,
  moderate: 0.55,
  major: 0.7,
  critical: 0.8,
};
export const NEVER_RESOLVED_P: Record<Severity, number> = {
  minor: 0.065,
  moderate: 0.065,
  major: 0.08,
  critical: 0.075,
};
export const FAST_P: Record<Severity, number> = {
  minor: 0.58,
  moderate: 0.52,
  major: 0.5,
  critical: 0.62,
};
export const RESPONSE_MEDIAN_MIN: Record<Severity, number> = {
  minor: 300,
  moderate: 200,
  major: 90,
  critical: 40,
};
/** Retention at 90 days by minor/major × fast/slow/not resolved: the classic finding. */
export const RETENTION = {
  minor: { fast: 0.95, slow: 0.7, none: 0.46 },
  major: { fast: 0.82, slow: 0.54, none: 0.19 },
} as const;

export const REMEDY_KINDS: Record<CategoryKey, [RemedyKind, number][]> = {
  billing: [
    ["refund", 5],
    ["credit", 5],
    ["discount", 1],
    ["apology_only", 1.5],
    ["other", 0.5],
  ],
  delivery: [
    ["discount", 2],
    ["coupon", 2],
    ["free_service", 1.5],
    ["replacement", 1],
    ["credit", 2],
    ["apology_only", 1.5],
    ["gift", 0.5],
  ],
  product: [
    ["replacement", 3],
    ["repair", 2.5],
    ["credit", 2.5],
    ["upgrade", 1],
    ["free_service", 1],
    ["apology_only", 1],
  ],
  process: [
    ["credit", 2],
    ["coupon", 2],
    ["apology_only", 3],
    ["free_service", 1],
    ["gift", 0.5],
  ],
  people: [
    ["apology_only", 4],
    ["coupon", 2],
    ["gift", 1],
    ["credit", 1],
  ],
  policy: [
    ["refund", 2],
    ["discount", 2],
    ["credit", 2],
    ["apology_only", 2],
    ["other", 1],
  ],
  communication: [
    ["credit", 3],
    ["coupon", 2],
    ["apology_only", 3],
    ["upgrade", 1],
    ["gift", 0.5],
  ],
  third_party: [
    ["replacement", 3],
    ["refund", 2],
    ["repair", 1.5],
    ["credit", 1],
    ["other", 1],
  ],
};
export const REMEDY_MEDIAN_CENTS: Record<RemedyKind, number> = {
  refund: 4500,
  replacement: 12000,
  repair: 8000,
  credit: 2500,
  discount: 1500,
  coupon: 1000,
  free_service: 5000,
  upgrade: 3000,
  gift: 2500,
  apology_only: 0,
  other: 2000,
};
export const SEVERITY_COST: Record<Severity, number> = {
  minor: 1,
  moderate: 1.5,
  major: 3,
  critical: 6,
};
