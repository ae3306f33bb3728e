import crypto from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { createOrganisationDefaults } from "@/db/defaults";
import {
  auditEvents,
  organisations,
  roles,
  teamMemberships,
  teams,
  userLogins,
  users,
  type Role,
} from "@/db/schema";

// A real argon2id hash of FIXTURE_PASSWORD, made once so fixtures cost nothing to create.
export const FIXTURE_PASSWORD = "correct horse battery";
export const FIXTURE_PASSWORD_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$Zml4dHVyZXNhbHRmaXh0dXJl$zRanPMbxkNzm3N5UNfqgbgCG7Iz297KUF22SEoavIto";

export interface TestOrg {
  orgId: string;
  teamId: string;
  /** One user per role; emails are unique per test run so orgs never collide on a shared server. */
  users: Record<Role, { userId: string; orgId: string; email: string }>;
}

/** A fresh organisation with one team and one user per role. */
export async function createTestOrg(db: Db, label = "Test org"): Promise<TestOrg> {
  const tag = crypto.randomUUID().slice(0, 8);
  const [org] = await db
    .insert(organisations)
    .values({ name: `${label} ${tag}` })
    .returning();
  const orgId = org!.id;
  await createOrganisationDefaults(db, orgId, "America/New_York");
  const [team] = await db.insert(teams).values({ orgId, name: "Front line" }).returning();
  const entries = await Promise.all(
    roles.map(async (role) => {
      const email = `${role}-${tag}@example.test`;
      const [user] = await db
        .insert(users)
        .values({ orgId, email, name: `${role} ${tag}`, role, passwordHash: FIXTURE_PASSWORD_HASH })
        .returning({ id: users.id });
      await db.insert(userLogins).values({ email, orgId, userId: user!.id });
      await db.insert(teamMemberships).values({ orgId, teamId: team!.id, userId: user!.id });
      return [role, { userId: user!.id, orgId, email }] as const;
    }),
  );
  return { orgId, teamId: team!.id, users: Object.fromEntries(entries) as TestOrg["users"] };
}

/** A snapshot of what a mutation could change in an organisation, to prove nothing did. */
export async function orgSnapshot(db: Db, orgId: string) {
  const [u] = await db.select({ n: count() }).from(users).where(eq(users.orgId, orgId));
  const [a] = await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.orgId, orgId));
  const roleRows = await db
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(and(eq(users.orgId, orgId)))
    .orderBy(users.id);
  const [m] = await db
    .select({ n: count() })
    .from(teamMemberships)
    .where(eq(teamMemberships.orgId, orgId));
  return { users: u!.n, auditEvents: a!.n, memberships: m!.n, roles: roleRows };
}
