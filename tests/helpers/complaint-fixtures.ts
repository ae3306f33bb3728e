import { and, asc, count, eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import {
  auditEvents,
  complaints,
  customers,
  playbookSteps,
  rootCauseCategories,
  rootCauses,
  teamMemberships,
  teams,
  userLogins,
  users,
  type Complaint,
} from "@/db/schema";
import { refreshComplaintFacts } from "@/lib/rollups/maintain";
import { FIXTURE_PASSWORD_HASH, type TestOrg } from "./fixtures";

/** A complaint in the org's team, owned by its agent, received an hour ago. */
export async function createComplaint(
  db: Db,
  org: TestOrg,
  overrides: Partial<Complaint> = {},
): Promise<Complaint> {
  const [customer] = await db
    .insert(customers)
    .values({ orgId: org.orgId, name: "Dana Whitfield", email: "dana@example.test" })
    .returning({ id: customers.id });
  const [complaint] = await db
    .insert(complaints)
    .values({
      orgId: org.orgId,
      customerId: customer!.id,
      receivedAt: new Date(Date.now() - 3600_000),
      channel: "phone",
      severity: "major",
      summary: "Technician arrived 90 minutes late",
      story: "I waited all morning and nobody called.",
      intakeSentiment: 1,
      teamId: org.teamId,
      ownerId: org.users.agent.userId,
      ...overrides,
    })
    .returning();
  // As an import would: the complaint's facts and rollups follow the raw row.
  await refreshComplaintFacts(db, org.orgId, [complaint!.id]);
  return complaint!;
}

/** A second team with its own agent, to prove team scoping. */
export async function createOutsider(
  db: Db,
  org: TestOrg,
): Promise<{ userId: string; orgId: string; teamId: string }> {
  const [team] = await db
    .insert(teams)
    .values({ orgId: org.orgId, name: `Other team ${crypto.randomUUID().slice(0, 6)}` })
    .returning();
  const email = `outsider-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const [user] = await db
    .insert(users)
    .values({
      orgId: org.orgId,
      email,
      name: "Outside Agent",
      role: "agent",
      passwordHash: FIXTURE_PASSWORD_HASH,
    })
    .returning();
  await db.insert(userLogins).values({ email, orgId: org.orgId, userId: user!.id });
  await db.insert(teamMemberships).values({ orgId: org.orgId, teamId: team!.id, userId: user!.id });
  return { userId: user!.id, orgId: org.orgId, teamId: team!.id };
}

export async function playbookStepIds(db: Db, orgId: string): Promise<Record<string, string>> {
  const rows = await db
    .select({ id: playbookSteps.id, key: playbookSteps.key })
    .from(playbookSteps)
    .where(eq(playbookSteps.orgId, orgId))
    .orderBy(asc(playbookSteps.position));
  return Object.fromEntries(rows.map((r) => [r.key, r.id]));
}

export async function createRootCause(
  db: Db,
  orgId: string,
  name = "Late dispatch",
): Promise<string> {
  const [category] = await db
    .insert(rootCauseCategories)
    .values({ orgId, key: `process-${crypto.randomUUID().slice(0, 6)}`, name: "Process" })
    .returning();
  const [cause] = await db
    .insert(rootCauses)
    .values({ orgId, categoryId: category!.id, name })
    .returning();
  return cause!.id;
}

/** Everything a complaint command could change, to prove a refused one changed nothing. */
export async function complaintSnapshot(db: Db, orgId: string, complaintId: string) {
  const [complaint] = await db
    .select()
    .from(complaints)
    .where(and(eq(complaints.orgId, orgId), eq(complaints.id, complaintId)));
  const rows = (table: string) =>
    queryRows(
      db,
      sql`select * from ${sql.identifier(table)} where org_id = ${orgId} and complaint_id = ${complaintId} order by 1, 2`,
    );
  return {
    complaint,
    steps: await rows("complaint_steps"),
    remedies: await rows("remedies"),
    followUps: await rows("follow_ups"),
    updates: await rows("customer_updates"),
    outcome: await rows("outcomes"),
    signals: await rows("advocacy_signals"),
    audit: (
      await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.orgId, orgId))
    )[0]!.n,
  };
}
