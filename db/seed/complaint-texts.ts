/** Words around a complaint: closers, step notes, updates, follow-ups, remedies. Data only. */
import type { PlaybookStepKey } from "../defaults";
import type { RemedyKind } from "../schema";

export const WEEKDAYS = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];

export const ANGRY_CLOSERS = [
  "This is unacceptable.",
  "Sort it out today or I'm cancelling.",
  "I've been with you for years and I'm ready to leave.",
  "Honestly, I'm furious.",
  "Nobody seems to care.",
  "I want a manager to call me.",
  "",
];
export const CALM_CLOSERS = [
  "Could you look into it, please?",
  "I'd just like it fixed.",
  "Thanks in advance.",
  "Not the end of the world, but annoying.",
  "",
];

export const STEP_NOTES: Partial<Record<PlaybookStepKey, string[]>> = {
  listen: [
    "Customer very upset; let them finish before asking anything.",
    "Long story, recorded as told.",
  ],
  validate: [
    "Confirmed the real worry is the money, not the delay.",
    "Admitted we don't know the cause yet.",
  ],
  apologize: [
    "Apologised specifically for the missed call-back.",
    "Apologised even though the customer entered the wrong details.",
  ],
  involve: [
    "Customer suggested a credit instead of a refund.",
    "Asked what a fair fix looks like; customer wants it working by Friday.",
  ],
  remedy: [
    "Offered refund or credit; customer chose credit.",
    "Asked 'what else can I do?' - customer asked for a written confirmation.",
  ],
  commit: [
    "Promised an update by end of tomorrow.",
    "Gave a date two days later than our estimate.",
  ],
  thank: ["Thanked them for taking the time to tell us."],
  follow_up: ["Called back: all working.", "Checked in; customer happy with the outcome."],
  wow: [
    "Sent a handwritten card and a month of premium channels.",
    "Upgraded the router at no charge.",
  ],
};
export const NO_REMEDY_REASONS = [
  "Customer only wanted it on record.",
  "Resolved at first contact; no loss to the customer.",
  "Customer declined anything beyond the fix.",
  "Error on the customer's side; explained and apologised.",
];
export const UPDATE_MESSAGES = [
  "We've escalated your case and expect an answer by {day}.",
  "Quick update: the fix is scheduled; we'll confirm once it's done.",
  "Still working on it - the team has confirmed the error and the correction is booked for {day}.",
  "No news yet, but you're not forgotten: next update on {day}.",
  "Your technician visit is booked for {day}, 8-12.",
];
export const FOLLOW_UP_NOTES = {
  good: [
    "Customer happy; everything working since the fix.",
    "Thanked us for checking in.",
    "Says they've recommended us to a neighbour.",
  ],
  mid: ["Satisfied with the fix, still a bit wary.", "Fine now; asked us to keep an eye on it."],
  bad: [
    "Still unhappy; problem came back.",
    "Customer says they're looking at other providers.",
    "No improvement; re-escalated to the team lead.",
  ],
};

export const REMEDY_TEXT: Record<RemedyKind, string> = {
  refund: "Refund of {cost} to the original payment method",
  replacement: "Replacement {product} sent by express courier",
  repair: "Technician repair visit at no charge",
  credit: "Account credit of {cost}",
  discount: "{pct}% off the next three bills",
  coupon: "Voucher worth {cost}",
  free_service: "One month of {product} free",
  upgrade: "Free upgrade to the next plan tier for six months",
  gift: "Gift basket with a handwritten note",
  apology_only: "Personal apology from the team lead",
  other: "Waived the reconnection and late fees",
};
