/**
 * What one POST /api/v1/complaints costs the database: at most 14 statements once warm (token,
 * rate limit, and one transaction: begin, claim with the checks, complaint, audit, stored reply,
 * six for the rollups, commit). It was 41 (36 without an Idempotency-Key) before the reply was
 * built from what intake wrote and intake's key claim stood in for the handler's. PostgreSQL only:
 * counted by postgres.js on one connection, so every statement (begin and commit too) is seen.
 */
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as listRoute from "@/app/api/v1/complaints/route";
import { useDatabase, type DatabaseHandle, type Db } from "@/db";
import { migrateDatabase } from "@/db/migrate";
import * as schema from "@/db/schema";
import { call, issueToken } from "../helpers/api-client";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const url = process.env.TEST_DATABASE_URL;
const MOST_PER_REQUEST = 14;

describe.runIf(url)("statements per intake request on postgres", () => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let token: string;
  let customerId: string;
  const sent: string[] = [];

  beforeAll(async () => {
    // One connection: statements prepared per session (the rollups') are prepared once, in the warm-up.
    const client = postgres(url!, {
      max: 1,
      onnotice: () => {},
      debug: (_connection, query) => sent.push(query),
    });
    const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
    handle = { db, engine: "postgres", url, close: () => client.end({ timeout: 5 }) };
    await migrateDatabase(handle);
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Statements");
    token = await issueToken(handle.db, org, "write");
    const [customer] = await handle.db
      .insert(schema.customers)
      .values({ orgId: org.orgId, name: "Known Customer" })
      .returning({ id: schema.customers.id });
    customerId = customer!.id;
  });
  afterAll(async () => {
    await handle.close();
  });

  const intake = (n: number) => ({
    customerId,
    teamId: org.teamId,
    channel: "email",
    severity: "major",
    summary: `Technician missed the window (#${n})`,
    story: "Nobody came or called.",
    intakeSentiment: 2,
    intakeNps: 3,
  });

  it(`records a complaint in at most ${MOST_PER_REQUEST} statements, with or without a key`, async () => {
    const send = async (n: number, key: boolean) => {
      const reply = await call(listRoute.POST, "POST", "/complaints", {
        token,
        body: intake(n),
        headers: key ? { "idempotency-key": crypto.randomUUID() } : {},
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    };
    for (let n = 0; n < 3; n++) await send(n, true);
    sent.length = 0;
    const requests = 6;
    for (let n = 0; n < requests; n++) await send(100 + n, n % 2 === 0);
    // A new rate-limit minute may start meanwhile: its window row is tidied with one more statement.
    expect(sent.length, sent.map((q) => q.slice(0, 80)).join("\n")).toBeLessThanOrEqual(
      requests * MOST_PER_REQUEST + 1,
    );
  });
});
