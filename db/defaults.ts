/**
 * What every new organisation starts with: the default recovery playbook (PRODUCT.md, from the
 * seeds) and a default SLA policy. Admins may edit both afterwards.
 */
import type { Db } from "./client";
import { playbookSteps, slaPolicies, slaTargets, type Severity } from "./schema";

export const DEFAULT_PLAYBOOK = [
  {
    key: "listen",
    name: "Listen",
    guidance: "Let the customer tell the whole story; record it in their words.",
    required: true,
  },
  {
    key: "validate",
    name: "Validate",
    guidance:
      'Paraphrase it back and confirm ("what bothered you is … is that correct?"); admit what you don\'t know yet.',
    required: true,
  },
  {
    key: "empathize",
    name: "Empathize",
    guidance: '"I feel bad with you", not "for you".',
    required: true,
  },
  {
    key: "apologize",
    name: "Apologize",
    guidance: "A sincere apology that asks for forgiveness, even when the customer erred.",
    required: true,
  },
  {
    key: "involve",
    name: "Involve",
    guidance:
      "Ask how the customer sees it resolved; explain obstacles, ask for their suggestions.",
    required: true,
  },
  {
    key: "remedy",
    name: "Remedy",
    guidance: 'Act; offer options; then ask "what else can I do?"',
    required: true,
  },
  {
    key: "commit",
    name: "Commit",
    guidance: "Give a timeline, under-promise and over-deliver, keep them apprised.",
    required: true,
  },
  { key: "thank", name: "Thank", guidance: "Thank them for the feedback.", required: true },
  {
    key: "follow_up",
    name: "Follow up",
    guidance: "A day, a week, a month later, as fits.",
    required: true,
  },
  {
    key: "wow",
    name: "Wow",
    guidance: "A surprise beyond the fix (token, upgrade, gesture).",
    required: false,
  },
] as const;
export type PlaybookStepKey = (typeof DEFAULT_PLAYBOOK)[number]["key"];

/** Hours to first response and to resolution, in business hours, by severity. */
export const DEFAULT_SLA_TARGETS: Record<Severity, { firstResponse: number; resolution: number }> =
  {
    critical: { firstResponse: 2, resolution: 24 },
    major: { firstResponse: 4, resolution: 48 },
    moderate: { firstResponse: 8, resolution: 72 },
    minor: { firstResponse: 24, resolution: 120 },
  };

type Writer = Pick<Db, "insert">;

/** Gives a new organisation the default playbook and SLA policy. */
export async function createOrganisationDefaults(
  db: Writer,
  orgId: string,
  timezone = "UTC",
): Promise<void> {
  await db.insert(playbookSteps).values(
    DEFAULT_PLAYBOOK.map((step, position) => ({
      orgId,
      ...step,
      position,
      customerFacing: true,
    })),
  );
  const [policy] = await db
    .insert(slaPolicies)
    .values({ orgId, name: "Default", timezone })
    .returning({ id: slaPolicies.id });
  await db.insert(slaTargets).values(
    Object.entries(DEFAULT_SLA_TARGETS).map(([severity, t]) => ({
      orgId,
      policyId: policy!.id,
      severity: severity as Severity,
      firstResponseHours: t.firstResponse,
      resolutionHours: t.resolution,
    })),
  );
}
