import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { complaints, customers, products, teams, users } from "@/db/schema";
import { fieldError, invalid, refused, type ActionResult } from "@/lib/action-result";
import { refreshComplaintFacts } from "@/lib/rollups/maintain";
import { recordAudit, type Tx } from "@/lib/audit";
import { authorise, type Actor } from "@/lib/auth/guard";
import { claimKeyReading, requestHash, storeResult } from "@/lib/idempotency";
import { actorCan } from "@/lib/permissions";
import { slaDueAt, slaPolicyFrom, slaPolicyJson } from "@/lib/sla";
import { Refusal, refuse } from "./edit";
import { complaintFields, type ComplaintDetail } from "./queries";
import { intakeSchema, type IntakeInput } from "./validation";

/** The idempotency-key operation intake claims its keys under. */
export const INTAKE_OPERATION = "complaint.create";

type CustomerRef = Pick<ComplaintDetail["customer"], "id" | "name" | "email" | "externalRef">;

/**
 * A complaint just recorded, as the complaint page would read it (lib/complaints/queries.ts) as
 * far as the API shows it: built from the stored row and the names intake checked, so a caller
 * (the API's reply) needs no second read. Times are ISO strings, so a stored copy replays the same.
 */
export type RecordedComplaintDetail = Pick<
  ComplaintDetail,
  | "id"
  | "version"
  | "externalRef"
  | "status"
  | "severity"
  | "channel"
  | "summary"
  | "story"
  | "paraphrase"
  | "intakeSentiment"
  | "intakeNps"
  | "receivedAt"
  | "slaDueAt"
  | "promisedBy"
  | "firstResponseAt"
  | "resolvedAt"
  | "closedAt"
  | "reopenCount"
  | "noRemedyReason"
  | "customerUnreachable"
  | "product"
  | "team"
  | "owner"
  | "rootCause"
  | "remedies"
  | "followUps"
  | "outcome"
> & { customer: CustomerRef };

export interface RecordedComplaint {
  id: string;
  customerId: string;
  complaint: RecordedComplaintDetail;
}

/**
 * What happened to the key: "recorded" (this call did the work, or was refused), "replayed"
 * (the key's first result, handed back) or "mismatch" (the key was used with other content).
 */
export interface IntakeOutcome {
  key: "recorded" | "replayed" | "mismatch";
  result: ActionResult<RecordedComplaint>;
}

/** What intake checks and names before writing, read in one statement. */
type IntakeLookup = {
  /** Names, null when unknown (or not asked: no team, no product). */
  team: string | null;
  owner: string | null;
  product: string | null;
  /** The customer picked (by id) or matched (by reference), if any. */
  customer: CustomerRef | null;
  /** The default SLA policy, as `slaPolicyJson` selects it. */
  policy: unknown;
  /** The id of a complaint that already has the external reference given, if any. */
  existing: string | null;
  /** The products a productName names (null: none asked, or none found). */
  productMatches: { id: string; name: string }[] | null;
  /** The product a productRef (its external reference) names (null: none asked, or none found). */
  productByRef: { id: string; name: string } | null;
};

const none = sql`null`;

/**
 * Team, owner (active), product, customer and the SLA policy as the select list of one statement
 * of scalar subqueries (read with the key's claim): each is null when not found, so every field
 * keeps its own refusal.
 */
function lookUp(orgId: string, input: IntakeInput, teamId: string | null, ownerId: string) {
  const team = teamId
    ? sql`(select ${teams.name} from ${teams}
        where ${and(eq(teams.orgId, orgId), eq(teams.id, teamId))})`
    : none;
  const owner = sql`(select ${users.name} from ${users}
    where ${and(eq(users.orgId, orgId), eq(users.id, ownerId), eq(users.active, true))})`;
  const product = input.productId
    ? sql`(select ${products.name} from ${products}
        where ${and(eq(products.orgId, orgId), eq(products.id, input.productId))})`
    : none;
  // A product named instead (the API): every product whose name, or "Parent › Child" path,
  // is the one given, in any case.
  const productMatches = input.productName
    ? sql`(select json_agg(json_build_object('id', p.id, 'name', p.name)) from products p
        left join products parent on parent.org_id = p.org_id and parent.id = p.parent_id
        where p.org_id = ${orgId} and (lower(p.name) = lower(${input.productName})
          or lower(parent.name || ' › ' || p.name) = lower(${input.productName})))`
    : none;
  // A product given by its external reference (the API): unique per organisation.
  const productByRef = input.productRef
    ? sql`(select json_build_object('id', ${products.id}, 'name', ${products.name})
        from ${products}
        where ${and(eq(products.orgId, orgId), eq(products.externalRef, input.productRef))})`
    : none;
  // The customer picked by id, else the one a reference matches.
  const customerBy = input.customerId
    ? eq(customers.id, input.customerId)
    : input.customerExternalRef
      ? eq(customers.externalRef, input.customerExternalRef)
      : null;
  const customer = customerBy
    ? sql`(select json_build_object('id', ${customers.id}, 'name', ${customers.name},
          'email', ${customers.email}, 'externalRef', ${customers.externalRef})
        from ${customers} where ${and(eq(customers.orgId, orgId), customerBy)})`
    : none;
  const existing = input.externalRef
    ? sql`(select ${complaints.id} from ${complaints}
        where ${and(eq(complaints.orgId, orgId), eq(complaints.externalRef, input.externalRef))})`
    : none;
  return sql`${team} as team, ${owner} as owner, ${product} as product,
    ${customer} as customer, ${slaPolicyJson(orgId)} as policy, ${existing} as existing,
    ${productMatches} as "productMatches", ${productByRef} as "productByRef"`;
}

/** The customer named by the form: the one picked, one matched by reference, or a new one. */
async function resolveCustomer(
  tx: Tx,
  actor: Actor,
  input: IntakeInput,
  found: CustomerRef | null,
): Promise<CustomerRef> {
  if (input.customerId) {
    if (!found) refuse("customerId", "Choose a customer from the list.");
    return found;
  }
  if (found) return found;
  const [created] = await tx
    .insert(customers)
    .values({
      orgId: actor.orgId,
      name: input.customerName!,
      email: input.customerEmail?.toLowerCase(),
      phone: input.customerPhone,
      externalRef: input.customerExternalRef,
    })
    .returning({
      id: customers.id,
      name: customers.name,
      email: customers.email,
      externalRef: customers.externalRef,
    });
  await recordAudit(tx, actor, {
    entity: "customer",
    entityId: created!.id,
    action: "customer.created",
    after: { name: input.customerName, email: input.customerEmail ?? null },
  });
  return created!;
}

/**
 * Records a new complaint (intake). Idempotent: the form carries a key, and every retry or double
 * click with that key gets the first result back without creating anything.
 */
export async function recordComplaint(raw: unknown): Promise<ActionResult<RecordedComplaint>> {
  return (await recordComplaintOnce(raw)).result;
}

/**
 * `recordComplaint`, saying what became of the key. `fingerprint` replaces the parsed input's as
 * what tells a retry from other content under the same key (the API: the request as sent).
 */
export async function recordComplaintOnce(
  raw: unknown,
  fingerprint?: string,
): Promise<IntakeOutcome> {
  const recorded = (result: ActionResult<RecordedComplaint>): IntakeOutcome => ({
    key: "recorded",
    result,
  });
  const auth = await authorise("complaint:create");
  if (!auth.ok) return recorded(refused(auth.reason, auth.message));
  const parsed = intakeSchema.safeParse(raw);
  if (!parsed.success) return recorded(invalid(parsed.error));
  const { actor } = auth;
  const input = parsed.data;
  const hash = fingerprint ?? requestHash({ ...input, idempotencyKey: undefined });
  const { db } = await getDatabase();

  try {
    return await db.transaction(async (tx): Promise<IntakeOutcome> => {
      const teamId = input.teamId ?? actor.teamIds[0] ?? null;
      const ownerId = input.ownerId ?? actor.userId;
      const { claim, row: found } = await claimKeyReading<IntakeLookup>(
        tx,
        actor.orgId,
        input.idempotencyKey,
        INTAKE_OPERATION,
        hash,
        lookUp(actor.orgId, input, teamId, ownerId),
      );
      if (claim.kind === "replay") {
        return { key: "replayed", result: claim.body as ActionResult<RecordedComplaint> };
      }
      if (claim.kind === "mismatch") {
        return {
          key: "mismatch",
          result: refused(
            "conflict",
            "This form was already submitted with other content. Reload it to record a new complaint.",
          ),
        };
      }

      if (teamId) {
        if (found.team === null) refuse("teamId", "Choose a team from the list.");
        if (!actorCan(actor, "complaint:edit-any") && !actor.teamIds.includes(teamId)) {
          refuse("teamId", "You can record complaints for your own teams only.");
        }
      }
      if (found.owner === null) refuse("ownerId", "Choose an owner from the list.");
      if (input.productId && found.product === null) {
        refuse("productId", "Choose a product from the list.");
      }
      let productId = input.productId ?? null;
      let productName = found.product;
      if (input.productName) {
        const matches = found.productMatches ?? [];
        if (matches.length === 0)
          refuse(
            "productName",
            `No product is called "${input.productName}" (GET /api/v1/products lists them).`,
          );
        if (matches.length > 1)
          refuse(
            "productName",
            `Several products are called "${input.productName}": give the path "Parent › Child" or productId.`,
          );
        productId = matches[0]!.id;
        productName = matches[0]!.name;
      }
      if (input.productRef) {
        if (!found.productByRef)
          refuse(
            "productRef",
            `No product has the reference "${input.productRef}" (GET /api/v1/products lists them).`,
          );
        productId = found.productByRef.id;
        productName = found.productByRef.name;
      }
      if (found.existing !== null) {
        refuse(
          "externalRef",
          `A complaint with this reference exists already (${found.existing}).`,
        );
      }

      const customer = await resolveCustomer(tx, actor, input, found.customer);
      const receivedAt = input.receivedAt ?? new Date();
      const values = {
        orgId: actor.orgId,
        customerId: customer.id,
        receivedAt,
        channel: input.channel,
        productId,
        teamId,
        ownerId,
        severity: input.severity,
        summary: input.summary,
        story: input.story,
        paraphrase: input.paraphrase ?? null,
        intakeSentiment: input.intakeSentiment ?? null,
        intakeNps: input.intakeNps ?? null,
        slaDueAt: slaDueAt(slaPolicyFrom(found.policy), input.severity, receivedAt),
        promisedBy: input.promisedBy ?? null,
        externalRef: input.externalRef ?? null,
        firstResponseAt: input.firstResponseAt ?? null,
        // A complaint the customer has heard back on is in progress (as the first contact makes it).
        status: input.firstResponseAt ? ("in_progress" as const) : ("new" as const),
      };
      // The whole row back: with the names checked above it is the reply, no read after commit.
      const [row] = await tx.insert(complaints).values(values).returning();
      const complaint = row!;
      await recordAudit(tx, actor, {
        entity: "complaint",
        entityId: complaint.id,
        complaintId: complaint.id,
        action: "complaint.created",
        after: { ...values, orgId: undefined },
      });
      const named = (id: string | null, name: string | null) =>
        id ? { id, name: name ?? "" } : null;
      const result: ActionResult<RecordedComplaint> = {
        ok: true,
        data: {
          id: complaint.id,
          customerId: customer.id,
          complaint: {
            ...complaintFields(complaint),
            customer,
            product: named(complaint.productId, productName),
            team: named(complaint.teamId, found.team),
            owner: named(complaint.ownerId, found.owner),
            // Nothing has happened to a new complaint yet.
            rootCause: null,
            remedies: [],
            followUps: [],
            outcome: null,
          },
        },
        message: "Complaint recorded.",
      };
      await storeResult(tx, actor.orgId, input.idempotencyKey, INTAKE_OPERATION, 201, result);
      // Last before commit: the rollup rows it updates stay locked for the shortest time.
      await refreshComplaintFacts(tx, actor.orgId, [complaint.id]);
      return recorded(result);
    });
  } catch (error) {
    if (error instanceof Refusal) return recorded(error.result as ActionResult<RecordedComplaint>);
    // Two requests with one new reference at once: the second meets the unique key.
    if (input.externalRef && violates(error, "complaints_org_external_ref_key")) {
      return recorded(fieldError("externalRef", "A complaint with this reference exists already."));
    }
    throw error;
  }
}

/** Whether a database error (drizzle wraps the driver's as its cause) breaks this constraint. */
function violates(error: unknown, constraint: string): boolean {
  for (let e = error as { cause?: unknown } | null; e; e = e.cause as typeof e) {
    const c = e as { code?: string; constraint_name?: string; constraint?: string };
    if (c.code === "23505" && (c.constraint_name ?? c.constraint) === constraint) return true;
  }
  return false;
}
