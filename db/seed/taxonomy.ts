/**
 * What the demo organisation sells and how its root causes are grouped. The causes themselves,
 * with their text templates, are in cause-texts.ts.
 */
import type * as s from "../schema";

export interface ProductDef {
  key: string;
  name: string;
  subs: string[];
  weight: number;
}

export const PRODUCTS: ProductDef[] = [
  { key: "fiber", name: "Fiber Internet", subs: ["Fiber 300", "Fiber Gig"], weight: 5 },
  { key: "mobile", name: "Mobile", subs: ["Unlimited plan", "Prepaid plan"], weight: 4 },
  { key: "tv", name: "Streaming TV", subs: [], weight: 2.5 },
  { key: "phone", name: "Home Phone", subs: [], weight: 1 },
  { key: "router", name: "Mesh Wi-Fi Router", subs: [], weight: 2 },
  { key: "hub", name: "Smart Home Hub", subs: [], weight: 1.5 },
  {
    key: "cameras",
    name: "Security Cameras",
    subs: ["Indoor camera", "Doorbell camera"],
    weight: 1.5,
  },
  { key: "install", name: "Installation & repair", subs: [], weight: 2 },
];

export const CATEGORIES: { key: (typeof s.rootCauseCategoryKeys)[number]; name: string }[] = [
  { key: "product", name: "Product" },
  { key: "process", name: "Process" },
  { key: "people", name: "People" },
  { key: "policy", name: "Policy" },
  { key: "delivery", name: "Delivery" },
  { key: "billing", name: "Billing" },
  { key: "communication", name: "Communication / expectations" },
  { key: "third_party", name: "Third party" },
];

export type CategoryKey = (typeof CATEGORIES)[number]["key"];

export interface CauseDef {
  category: CategoryKey;
  name: string;
  weight: number;
  products: string[];
  /** > 0: more major/critical complaints than the overall mix. */
  tilt?: number;
  summaries: string[];
  stories: string[];
  paraphrase: string;
  whys: string;
}

export const SERVICES = ["fiber", "mobile", "tv", "phone"];
export const DEVICES = ["router", "hub", "cameras"];
export const ANY = PRODUCTS.map((p) => p.key);

/** Causes with a long recurrence window (few complaints a week). */
export const LONG_WINDOW_WEIGHT = 1;
