import "server-only";
import { and, eq, gt, isNull, lte, ne, or, isNotNull, sql } from "drizzle-orm";
import { getDatabase, type Db } from "@/db";
import { createOrganisationDefaults } from "@/db/defaults";
import { organisations, setupCodes, userLogins, users } from "@/db/schema";
import { fieldError, invalid, refused, type ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/guard";
import { hashPassword } from "@/lib/auth/password";
import { isThrottled, recordFailure } from "@/lib/auth/throttle";
import { SETUP_CODE_HOURS, generateSetupCode, hashSetupCode } from "./code";
import { isSetupNeeded } from "./queries";
import { SETUP_CODE_REFUSED, firstOrganisationSchema } from "./validation";

export const ALREADY_SET_UP = "This installation is already set up. Sign in instead.";
export const SETUP_THROTTLED =
  "Too many wrong codes from your address. Wait 15 minutes and try again.";

/**
 * A fresh one-time setup code, stored only as its SHA-256 and good for SETUP_CODE_HOURS. Codes
 * printed by other instances (or earlier starts) stay good until they expire or one is used, so
 * servers starting side by side do not cancel each other's codes; spent ones are cleared here.
 */
export async function issueSetupCode(db: Db): Promise<{ code: string; expiresAt: Date }> {
  const code = generateSetupCode();
  const expiresAt = new Date(Date.now() + SETUP_CODE_HOURS * 3600_000);
  await db
    .delete(setupCodes)
    .where(or(isNotNull(setupCodes.usedAt), lte(setupCodes.expiresAt, sql`now()`)));
  await db.insert(setupCodes).values({ codeHash: hashSetupCode(code), expiresAt });
  return { code, expiresAt };
}

/** Unused and unexpired, by the database's clock. */
function usable(codeHash: string) {
  return and(
    eq(setupCodes.codeHash, codeHash),
    isNull(setupCodes.usedAt),
    gt(setupCodes.expiresAt, sql`now()`),
  );
}

/** The throttle key wrong setup codes count against, per client address. */
export function setupThrottleKey(clientAddress: string): string {
  return `setup:${clientAddress.toLowerCase().slice(0, 280)}`;
}

/**
 * The first run on a server database: with the one-time code from the server log, creates the
 * organisation (with the defaults every organisation starts with) and its first admin, who can
 * then sign in. Refused once any organisation exists; the check, the code and every write share
 * one transaction that holds the organisations table, so two setups racing make one organisation.
 * `clientAddress` is who asked (lib/auth's client address), for throttling wrong codes.
 */
export async function createFirstOrganisation(
  raw: unknown,
  clientAddress: string,
): Promise<ActionResult<{ orgId: string; userId: string }>> {
  type Result = ActionResult<{ orgId: string; userId: string }>;
  const parsed = firstOrganisationSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const input = parsed.data;
  const { db } = await getDatabase();
  const throttleKey = setupThrottleKey(clientAddress);

  if (!(await isSetupNeeded(db))) return refused("conflict", ALREADY_SET_UP);
  if (await isThrottled([throttleKey])) return fieldError("code", SETUP_THROTTLED);
  const codeHash = hashSetupCode(input.code);
  const [known] = await db
    .select({ codeHash: setupCodes.codeHash })
    .from(setupCodes)
    .where(usable(codeHash));
  if (!known) {
    await recordFailure("ip", throttleKey);
    return fieldError("code", SETUP_CODE_REFUSED);
  }
  // Hashed before the transaction: argon2 takes a while and the transaction holds a lock.
  const passwordHash = await hashPassword(input.password);

  return db.transaction(async (tx): Promise<Result> => {
    // Blocks another setup (or a demo seed) inserting an organisation until this one commits.
    await tx.execute(sql`lock table organisations in exclusive mode`);
    if (!(await isSetupNeeded(tx as unknown as Db))) return refused("conflict", ALREADY_SET_UP);
    const [code] = await tx
      .select({ codeHash: setupCodes.codeHash })
      .from(setupCodes)
      .where(usable(codeHash))
      .for("update");
    // Spent by a setup that committed between the check above and the lock.
    if (!code) return fieldError("code", SETUP_CODE_REFUSED);
    const [taken] = await tx
      .select({ email: userLogins.email })
      .from(userLogins)
      .where(eq(userLogins.email, input.email));
    if (taken) return fieldError("email", "Someone already signs in with this email.");

    const [org] = await tx
      .insert(organisations)
      .values({ name: input.organisationName })
      .returning({ id: organisations.id });
    if (!org) throw new Error("insert returned no organisation");
    await createOrganisationDefaults(tx, org.id);
    const [user] = await tx
      .insert(users)
      .values({
        orgId: org.id,
        name: input.name,
        email: input.email,
        role: "admin",
        passwordHash,
      })
      .returning({ id: users.id });
    if (!user) throw new Error("insert returned no user");
    await tx.insert(userLogins).values({ email: input.email, orgId: org.id, userId: user.id });
    await tx
      .update(setupCodes)
      .set({ usedAt: sql`now()` })
      .where(eq(setupCodes.codeHash, codeHash));
    // Other codes printed by earlier starts are worthless now: nothing left to set up.
    await tx.delete(setupCodes).where(ne(setupCodes.codeHash, codeHash));

    const actor: Actor = {
      userId: user.id,
      orgId: org.id,
      role: "admin",
      name: input.name,
      email: input.email,
      teamIds: [],
    };
    await recordAudit(tx, actor, {
      entity: "organisation",
      entityId: org.id,
      action: "organisation.created",
      after: { name: input.organisationName, via: "setup" },
    });
    await recordAudit(tx, actor, {
      entity: "user",
      entityId: user.id,
      action: "user.created",
      after: { name: input.name, email: input.email, role: "admin", teamId: null },
    });
    return {
      ok: true as const,
      data: { orgId: org.id, userId: user.id },
      message: `${input.organisationName} is set up. Sign in as ${input.email}.`,
    };
  });
}
