/**
 * The demo organisation's reference data, written before any complaint: the organisation, teams,
 * staff and sign-ins, products, the root-cause taxonomy, the playbook, the SLA policy with its
 * holidays, and the corrective actions. Returns the World the complaint generator draws from.
 */
import { DEFAULT_PLAYBOOK, DEFAULT_SLA_TARGETS, type PlaybookStepKey } from "../defaults";
import type { Db } from "../client";
import * as s from "../schema";
import { BusinessCalendar, CLOSE_MIN, DAY, OPEN_MIN, isoDate, usFederalHolidays } from "./calendar";
import { CAUSES } from "./cause-texts";
import { DEMO_ORG_ID, DEMO_ORG_NAME } from "./constants";
import { causeFix, insertCorrectiveActions } from "./corrective-actions";
import {
  CHANNEL_KEYS,
  CHANNEL_WEIGHTS,
  REMEDY_KINDS,
  SEVERITY_KEYS,
  SEVERITY_WEIGHTS,
} from "./distributions";
import { Random, weightedTable, type WeightedTable } from "./random";
import { STAFF, TEAMS, type TeamKey } from "./staff";
import { CATEGORIES, LONG_WINDOW_WEIGHT, PRODUCTS, type CategoryKey } from "./taxonomy";
import { complaintIntensity, type CauseRow, type Insert, type StaffRow, type World } from "./world";

export async function insertReferenceData(
  db: Db,
  seed: string,
  anchor: number,
  passwordHash: string,
  counts: Record<string, number>,
): Promise<World> {
  const rng = Random.derive(seed, "reference");
  const a = new Date(anchor);
  const start = Date.UTC(a.getUTCFullYear(), a.getUTCMonth() - 18, a.getUTCDate());
  const days = Math.round((anchor - start) / DAY);
  const orgCreated = new Date(start - 120 * DAY);
  const count = (name: string, n: number) => (counts[name] = (counts[name] ?? 0) + n);

  await db
    .insert(s.organisations)
    .values({ id: DEMO_ORG_ID, name: DEMO_ORG_NAME, currency: "USD", createdAt: orgCreated });
  count("organisations", 1);

  const teamIds = {} as Record<TeamKey, string>;
  for (const team of TEAMS) teamIds[team.key] = rng.uuid();
  await db.insert(s.teams).values(
    TEAMS.map((t) => ({
      orgId: DEMO_ORG_ID,
      id: teamIds[t.key],
      name: t.name,
      createdAt: orgCreated,
    })),
  );
  count("teams", TEAMS.length);

  const staff: StaffRow[] = STAFF.map((def) => ({ ...def, id: rng.uuid() }));
  await db.insert(s.users).values(
    staff.map((u) => ({
      orgId: DEMO_ORG_ID,
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      passwordHash,
      createdAt: orgCreated,
    })),
  );
  await db
    .insert(s.userLogins)
    .values(staff.map((u) => ({ email: u.email.toLowerCase(), orgId: DEMO_ORG_ID, userId: u.id })));
  const memberships = staff.flatMap((u) =>
    u.teams.map((t) => ({ orgId: DEMO_ORG_ID, teamId: teamIds[t], userId: u.id })),
  );
  await db.insert(s.teamMemberships).values(memberships);
  count("users", staff.length);
  count("user_logins", staff.length);
  count("team_memberships", memberships.length);

  const agentTables = {} as Record<TeamKey, WeightedTable<StaffRow>>;
  for (const team of TEAMS) {
    const agents = staff.filter((u) => u.role === "agent" && u.teams.includes(team.key));
    agentTables[team.key] = weightedTable(
      agents,
      agents.map((u) => u.load ?? 1),
    );
  }
  const staffByName = new Map(staff.map((u) => [u.name, u]));

  // Products, with sub-products under their parent.
  const productIds = new Map<string, string>();
  const productRows: Insert<typeof s.products>[] = [];
  for (const p of PRODUCTS) {
    const id = rng.uuid();
    productIds.set(p.key, id);
    productRows.push({
      orgId: DEMO_ORG_ID,
      id,
      name: p.name,
      parentId: null,
      createdAt: orgCreated,
    });
    for (const sub of p.subs) {
      const subId = rng.uuid();
      productIds.set(`${p.key}/${sub}`, subId);
      productRows.push({
        orgId: DEMO_ORG_ID,
        id: subId,
        name: sub,
        parentId: id,
        createdAt: orgCreated,
      });
    }
  }
  await db.insert(s.products).values(productRows.filter((p) => p.parentId === null));
  await db.insert(s.products).values(productRows.filter((p) => p.parentId !== null));
  count("products", productRows.length);

  // Root-cause taxonomy.
  const categoryIds = new Map<CategoryKey, string>();
  for (const c of CATEGORIES) categoryIds.set(c.key, rng.uuid());
  await db.insert(s.rootCauseCategories).values(
    CATEGORIES.map((c, i) => ({
      orgId: DEMO_ORG_ID,
      id: categoryIds.get(c.key)!,
      key: c.key,
      name: c.name,
      position: i,
    })),
  );
  count("root_cause_categories", CATEGORIES.length);

  const causes: CauseRow[] = CAUSES.map((def, index) => {
    const { fixDay, drop } = causeFix(index, days);
    const kinds = REMEDY_KINDS[def.category];
    const products = PRODUCTS.filter((p) => def.products.includes(p.key));
    return {
      ...def,
      id: rng.uuid(),
      index,
      fixDay,
      drop,
      remedyTable: weightedTable(
        kinds.map((k) => k[0]),
        kinds.map((k) => k[1]),
      ),
      productTable: weightedTable(
        products,
        products.map((p) => p.weight),
      ),
    };
  });
  await db.insert(s.rootCauses).values(
    causes.map((c) => ({
      orgId: DEMO_ORG_ID,
      id: c.id,
      categoryId: categoryIds.get(c.category)!,
      name: c.name,
      description: c.paraphrase.replace(/\{\w+\}/g, "…").replace(/^you /, "Customer "),
      recurrenceWindowWeeks: c.weight <= LONG_WINDOW_WEIGHT ? 12 : 8,
      createdAt: orgCreated,
    })),
  );
  count("root_causes", causes.length);

  // Playbook.
  const stepIds = {} as Record<PlaybookStepKey, string>;
  for (const step of DEFAULT_PLAYBOOK) stepIds[step.key] = rng.uuid();
  await db.insert(s.playbookSteps).values(
    DEFAULT_PLAYBOOK.map((p, i) => ({
      orgId: DEMO_ORG_ID,
      id: stepIds[p.key],
      key: p.key,
      name: p.name,
      guidance: p.guidance,
      position: i + 1,
      required: p.required,
      customerFacing: true,
    })),
  );
  count("playbook_steps", DEFAULT_PLAYBOOK.length);

  // SLA policy, targets and holidays.
  const policyId = rng.uuid();
  await db.insert(s.slaPolicies).values({
    orgId: DEMO_ORG_ID,
    id: policyId,
    name: "Standard support hours",
    timezone: "America/New_York",
    workingDays: [1, 2, 3, 4, 5],
    workdayStartMinute: OPEN_MIN,
    workdayEndMinute: CLOSE_MIN,
    closedLoopHours: 48,
    isDefault: true,
    createdAt: orgCreated,
  });
  await db.insert(s.slaTargets).values(
    SEVERITY_KEYS.map((severity) => ({
      orgId: DEMO_ORG_ID,
      policyId,
      severity,
      firstResponseHours: DEFAULT_SLA_TARGETS[severity].firstResponse,
      resolutionHours: DEFAULT_SLA_TARGETS[severity].resolution,
      businessHours: true,
    })),
  );
  const firstDay = Math.floor(start / DAY) - 7;
  const lastDay = Math.floor(anchor / DAY) + 366;
  const holidays: { day: number; name: string }[] = [];
  for (let y = new Date(start).getUTCFullYear() - 1; y <= a.getUTCFullYear() + 1; y++) {
    for (const h of usFederalHolidays(y))
      if (h.day >= firstDay && h.day <= lastDay) holidays.push(h);
  }
  await db
    .insert(s.holidays)
    .values(
      holidays.map((h) => ({ orgId: DEMO_ORG_ID, policyId, day: isoDate(h.day), name: h.name })),
    );
  count("sla_policies", 1);
  count("sla_targets", SEVERITY_KEYS.length);
  count("holidays", holidays.length);
  const calendar = new BusinessCalendar(new Set(holidays.map((h) => h.day)));

  // Corrective actions on the top causes.
  count(
    "corrective_actions",
    await insertCorrectiveActions(db, rng, { start, anchor }, causes, staffByName, calendar),
  );

  return {
    seed,
    anchor,
    start,
    days,
    calendar,
    teamIds,
    agentTables,
    stepIds,
    causes,
    productIds,
    ...complaintIntensity(causes, start, days),
    severityTable: weightedTable(SEVERITY_KEYS, SEVERITY_WEIGHTS),
    channelTable: weightedTable(CHANNEL_KEYS, CHANNEL_WEIGHTS),
    slaDueHours: {
      minor: DEFAULT_SLA_TARGETS.minor.resolution,
      moderate: DEFAULT_SLA_TARGETS.moderate.resolution,
      major: DEFAULT_SLA_TARGETS.major.resolution,
      critical: DEFAULT_SLA_TARGETS.critical.resolution,
    },
  };
}
