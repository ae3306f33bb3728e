/**
 * The organisations the matrix acts in: ours (one user per role) and another one, each able to
 * make fresh records on demand — a complaint, customer, remedy, follow-up, root cause, corrective
 * action, import run, API token, user — so every call acts on records nothing else touched.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  apiTokens,
  customers,
  followUps,
  remedies,
  rootCauseCategories,
  rootCauses,
  correctiveActions,
  userLogins,
  users,
  type Complaint,
  type Role,
  type TokenScope,
} from "@/db/schema";
import { generateSecret, hashSecret } from "@/lib/api-tokens/secret";
import { createArchiveRun } from "@/lib/archive/import";
import { createImportRun } from "@/lib/import";
import type { ImportMapping } from "@/lib/import/types";
import { createComplaint, playbookStepIds } from "../helpers/complaint-fixtures";
import { createTestOrg, FIXTURE_PASSWORD_HASH, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

/** The generic complaint CSV's columns (as in tests/integration/import-actions.test.ts). */
export const importMapping = (): ImportMapping => ({
  preset: "generic",
  columns: {
    externalRef: "Ticket ID",
    receivedAt: "Created",
    summary: "Subject",
    story: "Description",
    channel: "Channel",
    severity: "Priority",
    customerEmail: "Customer email",
  },
  options: { defaultSeverity: "moderate" },
});

export const importCsv = () =>
  [
    "Ticket ID,Created,Subject,Description,Channel,Priority,Customer email",
    `T-${crypto.randomUUID().slice(0, 8)},2026-10-05,Boiler service missed,Nobody came.,phone,major,a@example.test`,
    "",
  ].join("\n");

export interface OrgWorld {
  org: TestOrg;
  db: Db;
  steps: Record<string, string>;
  categoryId: string;
  complaint(): Promise<Complaint>;
  customer(): Promise<{ id: string; name: string }>;
  remedy(complaint: Complaint, patch?: Partial<typeof remedies.$inferInsert>): Promise<string>;
  followUp(complaint: Complaint): Promise<string>;
  rootCause(): Promise<string>;
  correctiveAction(): Promise<{ id: string; version: number; rootCauseId: string }>;
  /** An import run waiting for its file, started by the org's admin. */
  importRun(kind?: "complaints" | "archive"): Promise<string>;
  token(scope: TokenScope, createdBy?: Role): Promise<{ id: string; secret: string }>;
  /** A fresh agent (a user whose role can be changed without touching the fixtures). */
  user(): Promise<string>;
}

const tag = () => crypto.randomUUID().slice(0, 8);

export async function makeWorld(db: Db, label: string): Promise<OrgWorld> {
  const org = await createTestOrg(db, label);
  const steps = await playbookStepIds(db, org.orgId);
  const [category] = await db
    .insert(rootCauseCategories)
    .values({ orgId: org.orgId, key: `matrix-${tag()}`, name: "Process" })
    .returning({ id: rootCauseCategories.id });
  const categoryId = category!.id;
  const orgId = org.orgId;

  const rootCause = async () =>
    (
      await db
        .insert(rootCauses)
        .values({ orgId, categoryId, name: `Cause ${tag()}` })
        .returning({ id: rootCauses.id })
    )[0]!.id;

  return {
    org,
    db,
    steps,
    categoryId,
    complaint: () => createComplaint(db, org),
    async customer() {
      const name = `Quinn Matrix-${tag()}`;
      const [row] = await db
        .insert(customers)
        .values({ orgId, name, email: `${name.toLowerCase().replace(/\W/g, "")}@example.test` })
        .returning({ id: customers.id });
      return { id: row!.id, name };
    },
    async remedy(complaint, patch = {}) {
      const [row] = await db
        .insert(remedies)
        .values({
          orgId,
          complaintId: complaint.id,
          kind: "credit",
          costMinor: 500,
          offeredAt: new Date(),
          ...patch,
        })
        .returning({ id: remedies.id });
      return row!.id;
    },
    async followUp(complaint) {
      const [row] = await db
        .insert(followUps)
        .values({ orgId, complaintId: complaint.id, dueAt: new Date(Date.now() + 86_400_000) })
        .returning({ id: followUps.id });
      return row!.id;
    },
    rootCause,
    async correctiveAction() {
      const rootCauseId = await rootCause();
      const [row] = await db
        .insert(correctiveActions)
        .values({
          orgId,
          rootCauseId,
          title: `Fix ${tag()}`,
          ownerId: org.users.quality.userId,
          status: "in_progress",
        })
        .returning({ id: correctiveActions.id, version: correctiveActions.version });
      return { id: row!.id, version: row!.version, rootCauseId };
    },
    async importRun(kind = "complaints") {
      // Through lib, as the page opens one: the run is what the upload route expects.
      actAs(org.users.admin);
      const started =
        kind === "archive"
          ? await createArchiveRun({ mode: "skip", fileName: "org.jsonl", totalBytes: 10 })
          : await createImportRun({
              kind: "complaints",
              mapping: importMapping(),
              mode: "skip",
              fileName: "tickets.csv",
            });
      actAs(null);
      if (!started.ok) throw new Error(`import run: ${JSON.stringify(started)}`);
      return started.data.runId;
    },
    async token(scope, createdBy = "admin") {
      const secret = generateSecret();
      const [row] = await db
        .insert(apiTokens)
        .values({
          orgId,
          name: `${scope} ${tag()}`,
          scope,
          tokenHash: hashSecret(secret),
          createdBy: org.users[createdBy].userId,
        })
        .returning({ id: apiTokens.id });
      return { id: row!.id, secret };
    },
    async user() {
      const email = `matrix-${tag()}@example.test`;
      const [row] = await db
        .insert(users)
        .values({
          orgId,
          email,
          name: "Matrix Person",
          role: "agent",
          passwordHash: FIXTURE_PASSWORD_HASH,
        })
        .returning({ id: users.id });
      await db.insert(userLogins).values({ email, orgId, userId: row!.id });
      return row!.id;
    },
  };
}

/** The complaint's version now (a call may have moved it on). */
export async function versionOf(db: Db, complaint: Complaint): Promise<number> {
  const { complaints } = await import("@/db/schema");
  const [row] = await db
    .select({ version: complaints.version })
    .from(complaints)
    .where(and(eq(complaints.orgId, complaint.orgId), eq(complaints.id, complaint.id)));
  return row!.version;
}
