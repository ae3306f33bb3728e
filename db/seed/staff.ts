/**
 * The demo staff: teams, the people in them (the five demo sign-ins among them), and how each
 * agent works (diligent, average or rushed), which shapes their complaints' handling.
 */
import type { PlaybookStepKey } from "../defaults";
import type { Role } from "../schema";
import { DEMO_EMAIL_DOMAIN, DEMO_USERS } from "./constants";

export const TEAMS = [
  { key: "east", name: "Front line East" },
  { key: "west", name: "Front line West" },
  { key: "esc", name: "Escalations" },
  { key: "billing", name: "Billing desk" },
] as const;
export type TeamKey = (typeof TEAMS)[number]["key"];

export type Profile = "diligent" | "average" | "rushed";

export interface StaffDef {
  name: string;
  email: string;
  role: Role;
  teams: TeamKey[];
  profile?: Profile;
  /** Share of the team's complaints relative to colleagues. */
  load?: number;
}

const staffEmail = (name: string) =>
  `${name
    .toLowerCase()
    .replace(/[^a-z ]/g, "")
    .trim()
    .replace(/ +/g, ".")}@${DEMO_EMAIL_DOMAIN}`;
const agent = (name: string, team: TeamKey, profile: Profile, load = 1): StaffDef => ({
  name,
  email: staffEmail(name),
  role: "agent",
  teams: [team],
  profile,
  load,
});

const demoUser = (i: number) => {
  const { role, email, name } = DEMO_USERS[i]!;
  return { role, email, name };
};

export const STAFF: StaffDef[] = [
  { ...demoUser(0), teams: ["east"], profile: "average", load: 1.2 },
  { ...demoUser(1), teams: ["east"] },
  { ...demoUser(2), teams: [] },
  { ...demoUser(3), teams: [] },
  { ...demoUser(4), teams: [] },
  {
    name: "Priya Raman",
    email: staffEmail("Priya Raman"),
    role: "manager",
    teams: ["west", "billing"],
  },
  { name: "Marcus Webb", email: staffEmail("Marcus Webb"), role: "manager", teams: ["esc"] },
  agent("Jamie Chen", "east", "diligent"),
  agent("Sofia Martinez", "east", "average"),
  agent("Daniel Okafor", "east", "rushed", 1.3),
  agent("Hannah Schmidt", "east", "average", 0.8),
  agent("Liam O'Brien", "west", "average"),
  agent("Aisha Khan", "west", "diligent"),
  agent("Noah Williams", "west", "rushed", 1.2),
  agent("Mei Tanaka", "west", "average"),
  agent("Carlos Mendes", "west", "rushed", 0.9),
  agent("Grace Kim", "esc", "diligent"),
  agent("Omar Haddad", "esc", "diligent"),
  agent("Chloe Dubois", "esc", "average"),
  agent("Ethan Novak", "billing", "average"),
  agent("Fatima Rahman", "billing", "diligent"),
  agent("Lucas Silva", "billing", "rushed"),
];

export interface ProfileDef {
  skip: Partial<Record<PlaybookStepKey, number>>;
  wow: number;
  followUp: number;
  /** Added to the chance of resolving within two days. */
  speed: number;
  responseFactor: number;
  promiseKept: number;
}

export const PROFILES: Record<Profile, ProfileDef> = {
  diligent: {
    skip: {
      listen: 0.01,
      validate: 0.04,
      empathize: 0.03,
      apologize: 0.04,
      involve: 0.06,
      commit: 0.05,
      thank: 0.03,
    },
    wow: 0.3,
    followUp: 0.8,
    speed: 0.1,
    responseFactor: 0.7,
    promiseKept: 0.9,
  },
  average: {
    skip: {
      listen: 0.03,
      validate: 0.12,
      empathize: 0.1,
      apologize: 0.15,
      involve: 0.2,
      commit: 0.12,
      thank: 0.08,
    },
    wow: 0.12,
    followUp: 0.62,
    speed: 0,
    responseFactor: 1,
    promiseKept: 0.8,
  },
  rushed: {
    skip: {
      listen: 0.06,
      validate: 0.3,
      empathize: 0.25,
      apologize: 0.48,
      involve: 0.55,
      commit: 0.2,
      thank: 0.15,
    },
    wow: 0.04,
    followUp: 0.38,
    speed: -0.12,
    responseFactor: 1.6,
    promiseKept: 0.66,
  },
};
