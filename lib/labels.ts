/** Words for stored values, shared by pages and by metrics that return labelled rows. */
import type { RemedyKind } from "@/db/schema";

export const remedyKindLabel: Record<RemedyKind, string> = {
  refund: "Refund",
  replacement: "Replacement",
  repair: "Repair",
  credit: "Credit",
  discount: "Discount",
  coupon: "Coupon / token",
  free_service: "Free service",
  upgrade: "Upgrade",
  gift: "Gift",
  apology_only: "Apology only",
  other: "Other",
};
