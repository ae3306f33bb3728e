/** The demo organisation's fixed identity and sign-ins: shared by the seed, startup and tests. */
import type { Role } from "../schema";

export const DEMO_ORG_ID = "0d3e0000-5eed-4000-8000-000000000001";
export const DEMO_ORG_NAME = "Harborline Home Services (demo)";
export const DEMO_EMAIL_DOMAIN = "demo.turnaround.test";
/** The one password every demo account shares. */
export const DEMO_PASSWORD = "turnaround-demo";
export const DEMO_SEED = "turnaround-demo-1";
export const DEMO_DEFAULT_COMPLAINTS = 20_000;
export const DEMO_SEGMENTS = ["consumer", "small business", "enterprise"] as const;

/** One sign-in per role. */
export const DEMO_USERS = [
  {
    role: "agent",
    email: `agent@${DEMO_EMAIL_DOMAIN}`,
    name: "Alex Rivera",
    password: DEMO_PASSWORD,
  },
  {
    role: "manager",
    email: `manager@${DEMO_EMAIL_DOMAIN}`,
    name: "Morgan Lee",
    password: DEMO_PASSWORD,
  },
  {
    role: "quality",
    email: `quality@${DEMO_EMAIL_DOMAIN}`,
    name: "Quinn Patel",
    password: DEMO_PASSWORD,
  },
  {
    role: "executive",
    email: `executive@${DEMO_EMAIL_DOMAIN}`,
    name: "Evelyn Brooks",
    password: DEMO_PASSWORD,
  },
  {
    role: "admin",
    email: `admin@${DEMO_EMAIL_DOMAIN}`,
    name: "Adrian Cole",
    password: DEMO_PASSWORD,
  },
] as const satisfies readonly { role: Role; email: string; name: string; password: string }[];
