/**
 * The whole Turnaround schema. Every organisation-owned table leads its primary key, unique
 * constraints and foreign keys with `org_id`, so one organisation can never reach another's rows
 * and the tables can later be distributed by `org_id` (Citus) without a rewrite.
 * Money is integer minor units plus an ISO 4217 code; every time is timestamptz.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

const tz = { withTimezone: true } as const;
const createdAt = () => timestamp(tz).notNull().defaultNow();

// ---------------------------------------------------------------- enums
export const roles = ["agent", "manager", "quality", "executive", "admin"] as const;
export const roleEnum = pgEnum("role", roles);

export const channels = ["phone", "email", "chat", "web", "social", "in_person", "letter"] as const;
export const channelEnum = pgEnum("channel", channels);

/** minor and moderate count as "minor", major and critical as "major" in the retention split. */
export const severities = ["minor", "moderate", "major", "critical"] as const;
export const severityEnum = pgEnum("severity", severities);

export const complaintStatuses = ["new", "in_progress", "resolved", "closed"] as const;
export const complaintStatusEnum = pgEnum("complaint_status", complaintStatuses);

export const remedyKinds = [
  "refund",
  "replacement",
  "repair",
  "credit",
  "discount",
  "coupon",
  "free_service",
  "upgrade",
  "gift",
  "apology_only",
  "other",
] as const;
export const remedyKindEnum = pgEnum("remedy_kind", remedyKinds);

export const remedyDecisions = ["pending", "accepted", "declined"] as const;
export const remedyDecisionEnum = pgEnum("remedy_decision", remedyDecisions);

export const advocacyKinds = [
  "referral",
  "positive_review",
  "testimonial",
  "repeat_purchase",
] as const;
export const advocacyKindEnum = pgEnum("advocacy_kind", advocacyKinds);

/** "survey" and "review" may carry a 0–10 score: the NPS of customers with or without complaints. */
export const activityKinds = [
  "purchase",
  "renewal",
  "cancellation",
  "referral",
  "review",
  "survey",
] as const;
export const activityKindEnum = pgEnum("activity_kind", activityKinds);

export const rootCauseCategoryKeys = [
  "product",
  "process",
  "people",
  "policy",
  "delivery",
  "billing",
  "communication",
  "third_party",
] as const;

export const correctiveActionStatuses = ["proposed", "in_progress", "done", "verified"] as const;
export const correctiveActionStatusEnum = pgEnum(
  "corrective_action_status",
  correctiveActionStatuses,
);

export const tokenScopes = ["read", "write"] as const;
export const tokenScopeEnum = pgEnum("token_scope", tokenScopes);

export const actorKinds = ["user", "api_token", "import", "system"] as const;
export const actorKindEnum = pgEnum("actor_kind", actorKinds);

/** What an import brings in: complaints (generic or CFPB) or customer activity. */
export const importKinds = ["complaints", "activities", "archive"] as const;
export const importKindEnum = pgEnum("import_kind", importKinds);
export const importStatuses = ["running", "completed", "failed", "stopped"] as const;
export const importStatusEnum = pgEnum("import_status", importStatuses);
/** "stop" ends at the first rejected row (nothing of the failing batch lands); "skip" reports and goes on. */
export const importModes = ["stop", "skip"] as const;
export const importModeEnum = pgEnum("import_mode", importModes);

// ---------------------------------------------------------------- organisations and people
export const organisations = pgTable("organisations", {
  id: uuid().primaryKey().defaultRandom(),
  name: varchar({ length: 200 }).notNull(),
  /** Reporting currency for totals across remedies (each remedy keeps its own currency). */
  currency: varchar({ length: 3 }).notNull().default("USD"),
  /**
   * A remedy costing more than this (minor units, in the remedy's own currency) waits for a
   * manager's approval before it can be delivered. Null: no approval needed.
   */
  remedyApprovalLimitMinor: bigint({ mode: "number" }).default(100_000),
  createdAt: createdAt(),
});

export const teams = pgTable(
  "teams",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    name: varchar({ length: 120 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("teams_org_name_key").on(t.orgId, t.name),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

export const users = pgTable(
  "users",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    email: varchar({ length: 254 }).notNull(),
    name: varchar({ length: 120 }).notNull(),
    role: roleEnum().notNull(),
    passwordHash: text().notNull(),
    active: boolean().notNull().default(true),
    /**
     * Bumped by "sign out everywhere", a password change or reset, and deactivation: a session
     * carries the version it was issued with and stops working once it is behind.
     */
    sessionVersion: integer().notNull().default(0),
    /** SHA-256 of a one-time password-reset code an admin issued; cleared when used. */
    passwordResetHash: varchar({ length: 64 }),
    passwordResetExpiresAt: timestamp(tz),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("users_org_email_key").on(t.orgId, t.email),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

/**
 * The one global directory: which organisation an email signs in to. Sign-in happens before we
 * know the organisation, so this small table is keyed by email alone (a Citus reference table).
 */
export const userLogins = pgTable(
  "user_logins",
  {
    email: varchar({ length: 254 }).primaryKey(),
    orgId: uuid().notNull(),
    userId: uuid().notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }),
    check("user_logins_email_lower", sql`${t.email} = lower(${t.email})`),
  ],
);

/** A user may work in, or manage, several teams. */
export const teamMemberships = pgTable(
  "team_memberships",
  {
    orgId: uuid().notNull(),
    teamId: uuid().notNull(),
    userId: uuid().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.teamId, t.userId] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }),
    index("team_memberships_user_idx").on(t.orgId, t.userId),
  ],
);

/** Failed sign-ins per account and per IP, for throttling. Pre-authentication, so no org. */
export const signInThrottles = pgTable(
  "sign_in_throttles",
  {
    key: varchar({ length: 300 }).primaryKey(),
    failures: integer().notNull().default(0),
    windowStartedAt: timestamp(tz).notNull().defaultNow(),
    lockedUntil: timestamp(tz),
    /** How many times the key has been locked in a row: each lock lasts longer than the last. */
    lockouts: integer().notNull().default(0),
  },
  // Purging expired rows finds them by age.
  (t) => [index("sign_in_throttles_window_idx").on(t.windowStartedAt)],
);

/**
 * First run on a server database: a one-time code (its SHA-256 here; the code itself only in the
 * server log) guards the setup page that creates the first organisation and its admin.
 */
export const setupCodes = pgTable("setup_codes", {
  codeHash: varchar({ length: 64 }).primaryKey(),
  createdAt: createdAt(),
  expiresAt: timestamp(tz).notNull(),
  usedAt: timestamp(tz),
});

// ---------------------------------------------------------------- customers and their activity
export const customers = pgTable(
  "customers",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    name: varchar({ length: 200 }).notNull(),
    email: varchar({ length: 254 }),
    phone: varchar({ length: 50 }),
    segment: varchar({ length: 60 }),
    lifetimeValueMinor: bigint({ mode: "number" }).notNull().default(0),
    currency: varchar({ length: 3 }).notNull().default("USD"),
    externalRef: varchar({ length: 120 }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("customers_org_external_ref_key").on(t.orgId, t.externalRef),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
    index("customers_org_email_idx").on(t.orgId, t.email),
    index("customers_org_name_idx").on(t.orgId, t.name),
    check("customers_ltv_nonneg", sql`${t.lifetimeValueMinor} >= 0`),
  ],
);

export const customerActivities = pgTable(
  "customer_activities",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    customerId: uuid().notNull(),
    kind: activityKindEnum().notNull(),
    occurredAt: timestamp(tz).notNull(),
    amountMinor: bigint({ mode: "number" }).notNull().default(0),
    currency: varchar({ length: 3 }).notNull().default("USD"),
    score: smallint(),
    externalRef: varchar({ length: 120 }),
    note: text(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    check("customer_activities_score_range", sql`${t.score} between 0 and 10`),
    unique("customer_activities_org_external_ref_key").on(t.orgId, t.externalRef),
    foreignKey({
      columns: [t.orgId, t.customerId],
      foreignColumns: [customers.orgId, customers.id],
    }),
    index("customer_activities_customer_idx").on(t.orgId, t.customerId, t.occurredAt),
    // Exports and retention read activity by time across customers.
    index("customer_activities_time_idx").on(t.orgId, t.occurredAt, t.id),
    check("customer_activities_amount_nonneg", sql`${t.amountMinor} >= 0`),
  ],
);

// ---------------------------------------------------------------- taxonomy
export const products = pgTable(
  "products",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    name: varchar({ length: 200 }).notNull(),
    /** Sub-products point at their product (the CFPB product → sub-product level). */
    parentId: uuid(),
    /** The product's id in another system (API and imports may name a product by it). */
    externalRef: varchar({ length: 120 }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("products_org_external_ref_key").on(t.orgId, t.externalRef),
    unique("products_org_name_key").on(t.orgId, t.parentId, t.name).nullsNotDistinct(),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
    foreignKey({ columns: [t.orgId, t.parentId], foreignColumns: [t.orgId, t.id] }),
  ],
);

export const rootCauseCategories = pgTable(
  "root_cause_categories",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    key: varchar({ length: 40 }).notNull(),
    name: varchar({ length: 120 }).notNull(),
    position: smallint().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("root_cause_categories_org_key_key").on(t.orgId, t.key),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

export const rootCauses = pgTable(
  "root_causes",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    categoryId: uuid().notNull(),
    name: varchar({ length: 200 }).notNull(),
    description: text(),
    /** Weeks before/after a corrective action used to measure recurrence (minor causes: longer). */
    recurrenceWindowWeeks: smallint().notNull().default(8),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("root_causes_org_category_name_key").on(t.orgId, t.categoryId, t.name),
    foreignKey({
      columns: [t.orgId, t.categoryId],
      foreignColumns: [rootCauseCategories.orgId, rootCauseCategories.id],
    }),
    check("root_causes_window_range", sql`${t.recurrenceWindowWeeks} between 1 and 104`),
  ],
);

/** The regulated hierarchy (CFPB: product → sub-product → issue → sub-issue) mapped to a cause. */
export const regulatedIssues = pgTable(
  "regulated_issues",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    product: varchar({ length: 200 }).notNull(),
    subProduct: varchar({ length: 200 }).notNull().default(""),
    issue: varchar({ length: 300 }).notNull(),
    subIssue: varchar({ length: 300 }).notNull().default(""),
    rootCauseId: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("regulated_issues_org_path_key").on(
      t.orgId,
      t.product,
      t.subProduct,
      t.issue,
      t.subIssue,
    ),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
    foreignKey({
      columns: [t.orgId, t.rootCauseId],
      foreignColumns: [rootCauses.orgId, rootCauses.id],
    }),
  ],
);

// ---------------------------------------------------------------- policy and playbook
export const slaPolicies = pgTable(
  "sla_policies",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    name: varchar({ length: 120 }).notNull(),
    /** IANA zone in which working hours and holidays are read. */
    timezone: varchar({ length: 64 }).notNull().default("UTC"),
    /** ISO weekdays (1 = Monday … 7 = Sunday) that are working days. */
    workingDays: smallint()
      .array()
      .notNull()
      .default(sql`'{1,2,3,4,5}'::smallint[]`),
    workdayStartMinute: smallint().notNull().default(540),
    workdayEndMinute: smallint().notNull().default(1020),
    /** Closed-loop window: an angry complaint should be contacted within this many hours. */
    closedLoopHours: smallint().notNull().default(48),
    isDefault: boolean().notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
    check(
      "sla_policies_workday_range",
      sql`${t.workdayStartMinute} >= 0 and ${t.workdayEndMinute} <= 1440 and ${t.workdayStartMinute} < ${t.workdayEndMinute}`,
    ),
    check("sla_policies_closed_loop_positive", sql`${t.closedLoopHours} > 0`),
  ],
);

export const slaTargets = pgTable(
  "sla_targets",
  {
    orgId: uuid().notNull(),
    policyId: uuid().notNull(),
    severity: severityEnum().notNull(),
    firstResponseHours: integer().notNull(),
    resolutionHours: integer().notNull(),
    /** Whether the hours above count business hours (true) or calendar hours. */
    businessHours: boolean().notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.policyId, t.severity] }),
    foreignKey({
      columns: [t.orgId, t.policyId],
      foreignColumns: [slaPolicies.orgId, slaPolicies.id],
    }),
    check("sla_targets_positive", sql`${t.firstResponseHours} > 0 and ${t.resolutionHours} > 0`),
  ],
);

export const holidays = pgTable(
  "holidays",
  {
    orgId: uuid().notNull(),
    policyId: uuid().notNull(),
    day: date().notNull(),
    name: varchar({ length: 120 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.policyId, t.day] }),
    foreignKey({
      columns: [t.orgId, t.policyId],
      foreignColumns: [slaPolicies.orgId, slaPolicies.id],
    }),
  ],
);

/** The playbook is data: admins may edit it. Seeded with the ten default steps. */
export const playbookSteps = pgTable(
  "playbook_steps",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    key: varchar({ length: 40 }).notNull(),
    name: varchar({ length: 80 }).notNull(),
    guidance: text().notNull(),
    position: smallint().notNull(),
    required: boolean().notNull().default(true),
    /** Doing this step is a contact with the customer: the first one sets first response. */
    customerFacing: boolean().notNull().default(true),
    active: boolean().notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("playbook_steps_org_key_key").on(t.orgId, t.key),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

// ---------------------------------------------------------------- complaints and the recovery loop
export const complaints = pgTable(
  "complaints",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    customerId: uuid().notNull(),
    receivedAt: timestamp(tz).notNull(),
    channel: channelEnum().notNull(),
    productId: uuid(),
    teamId: uuid(),
    ownerId: uuid(),
    severity: severityEnum().notNull(),
    summary: varchar({ length: 300 }).notNull(),
    story: text().notNull().default(""),
    paraphrase: text(),
    intakeSentiment: smallint(),
    intakeNps: smallint(),
    status: complaintStatusEnum().notNull().default("new"),
    slaDueAt: timestamp(tz),
    promisedBy: timestamp(tz),
    firstResponseAt: timestamp(tz),
    resolvedAt: timestamp(tz),
    closedAt: timestamp(tz),
    /** Times the complaint was reopened after being resolved (reopen rate). */
    reopenCount: smallint().notNull().default(0),
    noRemedyReason: text(),
    customerUnreachable: boolean().notNull().default(false),
    rootCauseId: uuid(),
    fiveWhys: text(),
    regulatedIssueId: uuid(),
    /** From imports (e.g. CFPB "Timely response?"); null when not reported. */
    timelyResponse: boolean(),
    /**
     * The resolved/closed times were completed by a documented rule because the source omitted
     * them (CFPB "Closed …" rows): time-based figures leave such complaints out and say how many.
     */
    timesInferred: boolean().notNull().default(false),
    /**
     * Came in through an import (history from another system), not recorded live here: such a
     * complaint counts as overdue or queued only while it is open and has an owner.
     */
    imported: boolean().notNull().default(false),
    externalRef: varchar({ length: 120 }),
    /** Optimistic concurrency: an edit names the version it was based on. */
    version: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp(tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("complaints_org_external_ref_key").on(t.orgId, t.externalRef),
    foreignKey({
      columns: [t.orgId, t.customerId],
      foreignColumns: [customers.orgId, customers.id],
    }),
    foreignKey({ columns: [t.orgId, t.productId], foreignColumns: [products.orgId, products.id] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }),
    foreignKey({ columns: [t.orgId, t.ownerId], foreignColumns: [users.orgId, users.id] }),
    foreignKey({
      columns: [t.orgId, t.rootCauseId],
      foreignColumns: [rootCauses.orgId, rootCauses.id],
    }),
    foreignKey({
      columns: [t.orgId, t.regulatedIssueId],
      foreignColumns: [regulatedIssues.orgId, regulatedIssues.id],
    }),
    index("complaints_received_idx").on(t.orgId, t.receivedAt, t.id),
    index("complaints_status_idx").on(t.orgId, t.status, t.receivedAt),
    // Also complaints_open_idx (migration 0017): the open ones only, covering what "open now" reads.
    index("complaints_team_idx").on(t.orgId, t.teamId, t.receivedAt),
    // INCLUDE (id, sla_due_at, promised_by) added by migration 0025: the queue reads it alone.
    index("complaints_owner_idx").on(t.orgId, t.ownerId, t.status),
    index("complaints_root_cause_idx").on(t.orgId, t.rootCauseId, t.receivedAt),
    index("complaints_customer_idx").on(t.orgId, t.customerId, t.receivedAt),
    index("complaints_resolved_idx").on(t.orgId, t.resolvedAt),
    check("complaints_sentiment_range", sql`${t.intakeSentiment} between 1 and 5`),
    check("complaints_nps_range", sql`${t.intakeNps} between 0 and 10`),
    check("complaints_version_positive", sql`${t.version} > 0`),
    check(
      "complaints_resolved_after_received",
      sql`${t.resolvedAt} is null or ${t.resolvedAt} >= ${t.receivedAt}`,
    ),
  ],
);

export const complaintSteps = pgTable(
  "complaint_steps",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    complaintId: uuid().notNull(),
    stepId: uuid().notNull(),
    doneBy: uuid(),
    doneAt: timestamp(tz).notNull(),
    note: text(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("complaint_steps_once_key").on(t.orgId, t.complaintId, t.stepId),
    foreignKey({
      columns: [t.orgId, t.complaintId],
      foreignColumns: [complaints.orgId, complaints.id],
    }),
    foreignKey({
      columns: [t.orgId, t.stepId],
      foreignColumns: [playbookSteps.orgId, playbookSteps.id],
    }),
    foreignKey({ columns: [t.orgId, t.doneBy], foreignColumns: [users.orgId, users.id] }),
    index("complaint_steps_step_idx").on(t.orgId, t.stepId),
  ],
);

export const remedies = pgTable(
  "remedies",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    complaintId: uuid().notNull(),
    kind: remedyKindEnum().notNull(),
    description: text().notNull().default(""),
    /** Null when the cost is unknown (e.g. CFPB "Closed with monetary relief"). */
    costMinor: bigint({ mode: "number" }),
    currency: varchar({ length: 3 }).notNull().default("USD"),
    suggestedByCustomer: boolean().notNull().default(false),
    offeredAt: timestamp(tz).notNull(),
    offeredBy: uuid(),
    decision: remedyDecisionEnum().notNull().default("pending"),
    decidedAt: timestamp(tz),
    deliveredAt: timestamp(tz),
    /** Cost was above the organisation's approval limit when offered: a manager must approve. */
    approvalNeeded: boolean().notNull().default(false),
    approvedBy: uuid(),
    approvedAt: timestamp(tz),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.complaintId],
      foreignColumns: [complaints.orgId, complaints.id],
    }),
    foreignKey({ columns: [t.orgId, t.offeredBy], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ columns: [t.orgId, t.approvedBy], foreignColumns: [users.orgId, users.id] }),
    index("remedies_complaint_idx").on(t.orgId, t.complaintId),
    index("remedies_delivered_idx").on(t.orgId, t.deliveredAt),
    check("remedies_cost_nonneg", sql`${t.costMinor} >= 0`),
    check("remedies_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const followUps = pgTable(
  "follow_ups",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    complaintId: uuid().notNull(),
    dueAt: timestamp(tz).notNull(),
    doneAt: timestamp(tz),
    doneBy: uuid(),
    channel: channelEnum(),
    sentiment: smallint(),
    nps: smallint(),
    note: text(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.complaintId],
      foreignColumns: [complaints.orgId, complaints.id],
    }),
    foreignKey({ columns: [t.orgId, t.doneBy], foreignColumns: [users.orgId, users.id] }),
    index("follow_ups_complaint_idx").on(t.orgId, t.complaintId),
    // INCLUDE (complaint_id, id) added by migration 0025: the queue reads it alone.
    index("follow_ups_due_idx")
      .on(t.orgId, t.dueAt)
      .where(sql`${t.doneAt} is null`),
    check("follow_ups_sentiment_range", sql`${t.sentiment} between 1 and 5`),
    check("follow_ups_nps_range", sql`${t.nps} between 0 and 10`),
  ],
);

/** "Keep them apprised": what the customer was told, and when. */
export const customerUpdates = pgTable(
  "customer_updates",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    complaintId: uuid().notNull(),
    sentAt: timestamp(tz).notNull(),
    sentBy: uuid(),
    channel: channelEnum().notNull(),
    message: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.complaintId],
      foreignColumns: [complaints.orgId, complaints.id],
    }),
    foreignKey({ columns: [t.orgId, t.sentBy], foreignColumns: [users.orgId, users.id] }),
    index("customer_updates_complaint_idx").on(t.orgId, t.complaintId),
  ],
);

/** One outcome per complaint: how the customer ended up feeling. */
export const outcomes = pgTable(
  "outcomes",
  {
    orgId: uuid().notNull(),
    complaintId: uuid().notNull(),
    finalSentiment: smallint(),
    finalNps: smallint(),
    churnedAt: timestamp(tz),
    recordedAt: timestamp(tz).notNull(),
    recordedBy: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.complaintId] }),
    foreignKey({
      columns: [t.orgId, t.complaintId],
      foreignColumns: [complaints.orgId, complaints.id],
    }),
    foreignKey({ columns: [t.orgId, t.recordedBy], foreignColumns: [users.orgId, users.id] }),
    check("outcomes_sentiment_range", sql`${t.finalSentiment} between 1 and 5`),
    check("outcomes_nps_range", sql`${t.finalNps} between 0 and 10`),
  ],
);

export const advocacySignals = pgTable(
  "advocacy_signals",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    complaintId: uuid().notNull(),
    kind: advocacyKindEnum().notNull(),
    occurredAt: timestamp(tz).notNull(),
    note: text(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("advocacy_signals_once_key").on(t.orgId, t.complaintId, t.kind),
    foreignKey({
      columns: [t.orgId, t.complaintId],
      foreignColumns: [complaints.orgId, complaints.id],
    }),
  ],
);

// ---------------------------------------------------------------- quality loop
export const correctiveActions = pgTable(
  "corrective_actions",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    rootCauseId: uuid().notNull(),
    title: varchar({ length: 200 }).notNull(),
    description: text(),
    ownerId: uuid(),
    status: correctiveActionStatusEnum().notNull().default("proposed"),
    dueAt: timestamp(tz),
    doneAt: timestamp(tz),
    verifiedAt: timestamp(tz),
    verificationNote: text(),
    version: integer().notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.rootCauseId],
      foreignColumns: [rootCauses.orgId, rootCauses.id],
    }),
    foreignKey({ columns: [t.orgId, t.ownerId], foreignColumns: [users.orgId, users.id] }),
    index("corrective_actions_root_cause_idx").on(t.orgId, t.rootCauseId),
  ],
);

// ---------------------------------------------------------------- API, idempotency, audit
export const apiTokens = pgTable(
  "api_tokens",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    name: varchar({ length: 120 }).notNull(),
    /** SHA-256 of the secret; the secret itself is shown once and never stored. */
    tokenHash: varchar({ length: 64 }).notNull(),
    scope: tokenScopeEnum().notNull(),
    createdBy: uuid(),
    createdAt: createdAt(),
    lastUsedAt: timestamp(tz),
    revokedAt: timestamp(tz),
    /** After this the token no longer authenticates; null only on tokens made before expiry existed. */
    expiresAt: timestamp(tz),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("api_tokens_org_hash_key").on(t.orgId, t.tokenHash),
    // A bearer token names no organisation: it is found by its hash alone.
    index("api_tokens_hash_idx").on(t.tokenHash),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
    foreignKey({ columns: [t.orgId, t.createdBy], foreignColumns: [users.orgId, users.id] }),
  ],
);

/** A retried form post or API call with the same key gets the first result back. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    orgId: uuid().notNull(),
    key: varchar({ length: 200 }).notNull(),
    operation: varchar({ length: 80 }).notNull(),
    requestHash: varchar({ length: 64 }).notNull(),
    responseStatus: smallint(),
    responseBody: jsonb(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.key, t.operation] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    occurredAt: timestamp(tz).notNull().defaultNow(),
    actorKind: actorKindEnum().notNull(),
    actorId: uuid(),
    /** What changed: "complaint", "remedy", "user", … and its id. */
    entity: varchar({ length: 40 }).notNull(),
    entityId: varchar({ length: 120 }).notNull(),
    /** Set when the event belongs on a complaint's timeline. */
    complaintId: uuid(),
    action: varchar({ length: 60 }).notNull(),
    before: jsonb(),
    after: jsonb(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
    index("audit_events_complaint_idx").on(t.orgId, t.complaintId, t.occurredAt),
    index("audit_events_entity_idx").on(t.orgId, t.entity, t.entityId),
    index("audit_events_time_idx").on(t.orgId, t.occurredAt),
  ],
);

// ---------------------------------------------------------------- imports
/** The column mapping last used, remembered per organisation and kind of import. */
export const importMappings = pgTable(
  "import_mappings",
  {
    orgId: uuid().notNull(),
    kind: importKindEnum().notNull(),
    /** "generic" or a built-in preset such as "cfpb". */
    preset: varchar({ length: 40 }).notNull().default("generic"),
    /** Field → source column header, plus preset options (e.g. CFPB company → team). */
    mapping: jsonb().notNull(),
    updatedBy: uuid(),
    updatedAt: timestamp(tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.kind] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
    foreignKey({ columns: [t.orgId, t.updatedBy], foreignColumns: [users.orgId, users.id] }),
  ],
);

/** One import of one file: its progress is written after every batch so the UI can poll it. */
export const importRuns = pgTable(
  "import_runs",
  {
    orgId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    kind: importKindEnum().notNull(),
    preset: varchar({ length: 40 }).notNull().default("generic"),
    fileName: varchar({ length: 260 }).notNull(),
    /** The file's size when the browser or CLI knows it, for the progress bar. */
    totalBytes: bigint({ mode: "number" }),
    /** The mapping this run reads its file with (two runs started together never mix theirs). */
    mapping: jsonb(),
    mode: importModeEnum().notNull(),
    status: importStatusEnum().notNull().default("running"),
    startedBy: uuid(),
    startedAt: timestamp(tz).notNull().defaultNow(),
    finishedAt: timestamp(tz),
    /** Last time a batch landed: a "running" run with no progress for long was cut off. */
    progressAt: timestamp(tz),
    bytesRead: bigint({ mode: "number" }).notNull().default(0),
    rowsRead: integer().notNull().default(0),
    rowsCreated: integer().notNull().default(0),
    rowsUpdated: integer().notNull().default(0),
    rowsUnchanged: integer().notNull().default(0),
    rowsRejected: integer().notNull().default(0),
    /** Why a run failed or stopped, in words for the user. */
    message: text(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
    foreignKey({ columns: [t.orgId, t.startedBy], foreignColumns: [users.orgId, users.id] }),
    index("import_runs_org_started_idx").on(t.orgId, t.startedAt),
  ],
);

/** The validation report: every rejected row with its line number, field and reason. */
export const importRejections = pgTable(
  "import_rejections",
  {
    orgId: uuid().notNull(),
    runId: uuid().notNull(),
    /** Order within the run (a line can be rejected for several fields). */
    position: integer().notNull(),
    lineNumber: integer().notNull(),
    field: varchar({ length: 120 }).notNull(),
    reason: text().notNull(),
    /** The offending value, cut short; never the whole row. */
    value: text(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.runId, t.position] }),
    foreignKey({ columns: [t.orgId, t.runId], foreignColumns: [importRuns.orgId, importRuns.id] }),
  ],
);

/** Fixed-window request counts per API token, for 429 responses. */
export const apiRateWindows = pgTable(
  "api_rate_windows",
  {
    orgId: uuid().notNull(),
    tokenId: uuid().notNull(),
    windowStart: timestamp(tz).notNull(),
    requests: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.tokenId, t.windowStart] }),
    foreignKey({ columns: [t.orgId, t.tokenId], foreignColumns: [apiTokens.orgId, apiTokens.id] }),
  ],
);

// ---------------------------------------------------------------- inferred types
export type Role = (typeof roles)[number];
export type Channel = (typeof channels)[number];
export type Severity = (typeof severities)[number];
export type ComplaintStatus = (typeof complaintStatuses)[number];
export type RemedyKind = (typeof remedyKinds)[number];
export type Organisation = typeof organisations.$inferSelect;
export type User = typeof users.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type Complaint = typeof complaints.$inferSelect;
export type NewComplaint = typeof complaints.$inferInsert;
export type PlaybookStep = typeof playbookSteps.$inferSelect;
export type Remedy = typeof remedies.$inferSelect;
export type FollowUp = typeof followUps.$inferSelect;
export type CustomerActivity = typeof customerActivities.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type TokenScope = (typeof tokenScopes)[number];
export type ImportKind = (typeof importKinds)[number];
export type ImportMode = (typeof importModes)[number];
export type ImportRun = typeof importRuns.$inferSelect;

// ---------------------------------------------------------------- analytics: facts and rollups
/**
 * One row per complaint with every figure the dashboards count already decided (angry,
 * advocate, SLA met, hours to first response and resolution in calendar and business hours …),
 * computed from the raw rows by lib/rollups/facts.ts with the same predicates the complaint list
 * applies. Kept in the same transaction as every write that can change a figure.
 */
export const complaintFacts = pgTable(
  "complaint_facts",
  {
    orgId: uuid().notNull(),
    complaintId: uuid().notNull(),
    customerId: uuid().notNull(),
    receivedAt: timestamp(tz).notNull(),
    resolvedAt: timestamp(tz),
    closedAt: timestamp(tz),
    teamId: uuid(),
    ownerId: uuid(),
    productId: uuid(),
    rootCauseId: uuid(),
    channel: channelEnum().notNull(),
    severity: severityEnum().notNull(),
    angry: boolean().notNull(),
    advocate: boolean().notNull(),
    firstResponseHours: doublePrecision(),
    firstResponseBusinessHours: doublePrecision(),
    contactedInLoop: boolean().notNull(),
    resolutionHours: doublePrecision(),
    resolutionBusinessHours: doublePrecision(),
    slaCounted: boolean().notNull(),
    slaMet: boolean().notNull(),
    promiseMade: boolean().notNull(),
    promiseKept: boolean().notNull(),
    reopened: boolean().notNull(),
    everResolved: boolean().notNull(),
    requiredStepsDone: smallint().notNull(),
    allRequiredSteps: boolean().notNull(),
    stepsDone: uuid().array().notNull(),
    remedyDelivered: boolean().notNull(),
    deliveredRemedyKinds: text().array().notNull(),
    followedUp: boolean().notNull(),
    /** A qualifying purchase in (received, received + N days]; counted only once N days have passed. */
    retained30: boolean().notNull(),
    retained90: boolean().notNull(),
    retained180: boolean().notNull(),
    intakeNps: smallint(),
    npsAfter: smallint(),
    /** Same customer, same root cause, within 90 days of an earlier one being resolved. */
    repeat: boolean().notNull().default(false),
    /** Delivered remedies with a known cost, per currency: {"USD": 1250}. */
    deliveredCosts: jsonb().notNull().default({}),
    /** Purchases and renewals in (received, received + 365 days], per currency, to date. */
    revenue365: jsonb().notNull().default({}),
    /** The SLA due time (overdue at the end of a past day, from the rollups' overdue bases). */
    slaDueAt: timestamp(tz),
    /** Delivered remedies of known cost per (UTC day, currency): [["2026-03-01", "USD", 1250], …] in order. */
    deliveries: jsonb().notNull().default([]),
    /**
     * The team × channel × severity cell, "<team>|<channel>|<severity>" (lib/rollups/measures.ts
     * `cellKeyOf`): filters on those dimensions read the facts of their cells through the cell
     * indexes, not every complaint in the range.
     */
    cell: text().notNull().default(""),
    /**
     * "o:<owner>", "p:<product>", "r:<root cause>" ("none" for null; lib/rollups/measures.ts
     * `factKeysOf`): an owner, product or root-cause filter reads the facts it selects through
     * one GIN index, intersected with the basis day's index, not every complaint in the range.
     */
    keys: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.complaintId] }),
    foreignKey({
      columns: [t.orgId, t.complaintId],
      foreignColumns: [complaints.orgId, complaints.id],
    }),
    index("complaint_facts_received_idx").on(t.orgId, t.receivedAt),
    index("complaint_facts_resolved_idx").on(t.orgId, t.resolvedAt),
    index("complaint_facts_closed_idx").on(t.orgId, t.closedAt),
    index("complaint_facts_customer_idx").on(t.orgId, t.customerId),
    // The received and resolved cell indexes cover the percentile columns: migration 0019,
    // hand-written (drizzle's index builder has no INCLUDE).
    index("complaint_facts_cell_closed_idx").on(t.orgId, t.cell, t.closedAt),
    index("complaint_facts_keys_idx").using("gin", t.keys),
  ],
);

/**
 * Daily sums of the facts, per date basis (0 received, 1 resolved, 2 closed: the day a complaint
 * counts on; 3 settled, 4 overdue from, 5 overdue until: lib/rollups/maintain.ts), and on
 * the received basis only, root cause × product (dim 7, key "<cause>|<product>") and root cause ×
 * channel (dim 8) for the heat maps, per dimension (0 none, 1 team, 2 owner, 3 channel, 4 severity, 5 product, 6 root
 * cause; `key` is the value, "none" for null; 9 the team × channel × severity cell, key
 * "<team>|<channel>|<severity>", for two or three of those filters together), spread over four shards so concurrent writes on
 * the same day do not queue on one row. Maintained by delta in the write transaction
 * (lib/rollups/maintain.ts); a dashboard with no or one dimension filter reads these.
 */
export const complaintRollups = pgTable(
  "complaint_rollups",
  {
    orgId: uuid().notNull(),
    basis: smallint().notNull(),
    dim: smallint().notNull(),
    key: varchar({ length: 80 }).notNull(),
    day: date({ mode: "string" }).notNull(),
    shard: smallint().notNull(),
    complaints: integer().notNull().default(0),
    angry: integer().notNull().default(0),
    advocate: integer().notNull().default(0),
    angryAdvocate: integer().notNull().default(0),
    responded: integer().notNull().default(0),
    angryResponded: integer().notNull().default(0),
    angryContactedInLoop: integer().notNull().default(0),
    resolved: integer().notNull().default(0),
    slaCounted: integer().notNull().default(0),
    slaMet: integer().notNull().default(0),
    promiseMade: integer().notNull().default(0),
    promiseKept: integer().notNull().default(0),
    reopened: integer().notNull().default(0),
    everResolved: integer().notNull().default(0),
    requiredStepsDone: integer().notNull().default(0),
    resolvedAllSteps: integer().notNull().default(0),
    /** Resolved complaints per time-to-resolution bucket (lib/metrics/sets-performance.ts ttrBuckets). */
    ttr0: integer().notNull().default(0),
    ttr1: integer().notNull().default(0),
    ttr2: integer().notNull().default(0),
    ttr3: integer().notNull().default(0),
    ttr4: integer().notNull().default(0),
    ttr5: integer().notNull().default(0),
    ttr6: integer().notNull().default(0),
    ttr7: integer().notNull().default(0),
    ttr8: integer().notNull().default(0),
    ttr9: integer().notNull().default(0),
    repeat: integer().notNull().default(0),
    retained30: integer().notNull().default(0),
    retained90: integer().notNull().default(0),
    retained180: integer().notNull().default(0),
    funnelContacted: integer().notNull().default(0),
    funnelRemedied: integer().notNull().default(0),
    funnelFollowedUp: integer().notNull().default(0),
    funnelAdvocate: integer().notNull().default(0),
    angryFast: integer().notNull().default(0),
    angrySlow: integer().notNull().default(0),
    angryUnresolved: integer().notNull().default(0),
    angryAdvocateFast: integer().notNull().default(0),
    angryAdvocateSlow: integer().notNull().default(0),
    angryAdvocateUnresolved: integer().notNull().default(0),
    fastMinor: integer().notNull().default(0),
    slowMinor: integer().notNull().default(0),
    unresolvedMinor: integer().notNull().default(0),
    fastMajor: integer().notNull().default(0),
    slowMajor: integer().notNull().default(0),
    unresolvedMajor: integer().notNull().default(0),
    fastMinorRetained90: integer().notNull().default(0),
    slowMinorRetained90: integer().notNull().default(0),
    unresolvedMinorRetained90: integer().notNull().default(0),
    fastMajorRetained90: integer().notNull().default(0),
    slowMajorRetained90: integer().notNull().default(0),
    unresolvedMajorRetained90: integer().notNull().default(0),
    npsBefore: integer().notNull().default(0),
    npsBeforePromoters: integer().notNull().default(0),
    npsBeforeDetractors: integer().notNull().default(0),
    npsAfter: integer().notNull().default(0),
    npsAfterPromoters: integer().notNull().default(0),
    npsAfterDetractors: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.basis, t.dim, t.key, t.day, t.shard] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

/** Which rollup definition an organisation's facts and rollups were built with (rebuilt when older). */
export const rollupState = pgTable(
  "rollup_state",
  {
    orgId: uuid().notNull().primaryKey(),
    version: integer().notNull(),
    builtAt: timestamp(tz).notNull().defaultNow(),
  },
  (t) => [foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] })],
);

/**
 * Daily sums per "factor" of the playbook-effect table and the per-step adherence, per dimension
 * as complaint_rollups (dim 0 and key '': every complaint; one dimension or a team × channel ×
 * severity cell; two other filters read the facts): `factor` is `step:<step id>`,
 * `remedy:<kind>` (delivered), `response:<bucket>` or `promise:kept`.
 */
export const factorRollups = pgTable(
  "factor_rollups",
  {
    orgId: uuid().notNull(),
    basis: smallint().notNull(),
    dim: smallint().notNull().default(0),
    key: text().notNull().default(""),
    factor: varchar({ length: 60 }).notNull(),
    day: date({ mode: "string" }).notNull(),
    shard: smallint().notNull(),
    complaints: integer().notNull().default(0),
    angry: integer().notNull().default(0),
    angryAdvocate: integer().notNull().default(0),
    retained90: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.basis, t.dim, t.key, t.factor, t.day, t.shard] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

/**
 * Daily money per currency over complaints received that day, per dimension (as
 * complaint_rollups): delivered remedy cost, the complaints with such a cost, and the 365-day
 * revenue of complaints whose customer was retained at 90 days (recovery ROI).
 */
export const moneyRollups = pgTable(
  "money_rollups",
  {
    orgId: uuid().notNull(),
    dim: smallint().notNull(),
    key: varchar({ length: 80 }).notNull(),
    day: date({ mode: "string" }).notNull(),
    currency: varchar({ length: 3 }).notNull(),
    costMinor: bigint({ mode: "number" }).notNull().default(0),
    costedComplaints: integer().notNull().default(0),
    retainedRevenueMinor: bigint({ mode: "number" }).notNull().default(0),
    /** Retained complaints with revenue in the currency (possibly 0: free renewals). */
    revenueComplaints: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.dim, t.key, t.day, t.currency] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

/**
 * Histograms of durations (no dimension filter), for percentiles over long ranges without sorting
 * every complaint. `measure`: 0 first response, 1 its business hours, 2 resolution, 3 its business
 * hours, 4 time to contact an angry customer, 5 its business hours. Each complaint counts in the
 * aligned block of `span` weeks (1, 4, 16, 64) holding its basis day, so any range of whole weeks
 * is a few blocks. `bucket` is a log bucket 1.9 % wide (lib/rollups/histogram.ts): a percentile
 * read from it is within 1 % of the exact one.
 */
export const durationHistograms = pgTable(
  "duration_histograms",
  {
    orgId: uuid().notNull(),
    measure: smallint().notNull(),
    span: smallint().notNull(),
    start: date({ mode: "string" }).notNull(),
    /** '' for every complaint; else the owner's id ("none": unassigned), for the per-agent median. */
    owner: varchar({ length: 40 }).notNull().default(""),
    bucket: smallint().notNull(),
    complaints: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.measure, t.span, t.start, t.owner, t.bucket] }),
    // Everyone's rows ('') apart from the per-owner ones: a weekly trend reads 100 weeks of them.
    index("duration_histograms_everyone_idx")
      .on(t.orgId, t.measure, t.span, t.start, t.bucket)
      .where(sql`${t.owner} = ''`),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

/**
 * Retention of customers WITHOUT complaints, per customer: for each UTC month start `d` at which
 * the customer was active (a purchase or renewal in the 365 days before d), a bit set of the
 * reference rule (lib/metrics/reference/retention.ts `othersRetentionAll`): bit 0/2/4 "no
 * complaint in [d − 365 days, d + 30/90/180 days]" (eligible, apart from "N days have passed",
 * which moves with time and is applied at read), bit 1/3/5 "and retained at 30/90/180 days".
 * Months whose bits are all zero are left out. Also the customer's survey scores, for the NPS of
 * customers without a complaint in a range. Kept by lib/rollups/customer-baseline.ts.
 */
export const customerBaselineFacts = pgTable(
  "customer_baseline_facts",
  {
    orgId: uuid().notNull(),
    customerId: uuid().notNull(),
    months: date({ mode: "string" }).array().notNull(),
    flags: smallint().array().notNull(),
    /**
     * Each survey or review score of the customer (in time order): its UTC day, the day of the
     * customer's last complaint received at or before it ('-infinity' if none), of their first
     * complaint after it ('infinity' if none), and its class (1 promoter, −1 detractor, 0 passive).
     */
    scoreDays: date({ mode: "string" })
      .array()
      .notNull()
      .default(sql`'{}'`),
    scorePrev: date({ mode: "string" })
      .array()
      .notNull()
      .default(sql`'{}'`),
    scoreNext: date({ mode: "string" })
      .array()
      .notNull()
      .default(sql`'{}'`),
    scoreClass: smallint()
      .array()
      .notNull()
      .default(sql`'{}'`),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.customerId] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

/**
 * customer_baseline_facts summed per month start (sharded 4 ways, so concurrent writes for
 * different customers rarely wait on one row): eligible (`e…`) and retained (`k…`) customers.
 */
export const customerBaselineRollups = pgTable(
  "customer_baseline_rollups",
  {
    orgId: uuid().notNull(),
    month: date({ mode: "string" }).notNull(),
    shard: smallint().notNull(),
    e30: integer().notNull().default(0),
    k30: integer().notNull().default(0),
    e90: integer().notNull().default(0),
    k90: integer().notNull().default(0),
    e180: integer().notNull().default(0),
    k180: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.month, t.shard] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

/**
 * Survey and review scores summed by (day, day of the customer's last complaint at or before,
 * day of their first complaint after), sharded 4 ways: a range's "customers without a complaint
 * in the range" NPS is one range read (lib/rollups/customer-baseline.ts `baselineScores`).
 */
export const customerScoreRollups = pgTable(
  "customer_score_rollups",
  {
    orgId: uuid().notNull(),
    day: date({ mode: "string" }).notNull(),
    prevDay: date({ mode: "string" }).notNull(),
    nextDay: date({ mode: "string" }).notNull(),
    shard: smallint().notNull(),
    responses: integer().notNull().default(0),
    promoters: integer().notNull().default(0),
    detractors: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.day, t.prevDay, t.nextDay, t.shard] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);

/**
 * Delivered remedy cost by delivery day (the manager's recovery cost), per dimension as
 * complaint_rollups: for each complaint, day and currency with a costed delivery, its cost, and
 * `prev_day`, the complaint's previous delivery day in that currency ('-infinity' if none);
 * `currency` '' rows carry the previous delivery day in any currency. A complaint counts once in a
 * range [from, to] through its first delivery day in it: Σ complaints where prev_day < from.
 */
export const remedyRollups = pgTable(
  "remedy_rollups",
  {
    orgId: uuid().notNull(),
    dim: smallint().notNull(),
    key: varchar({ length: 80 }).notNull(),
    day: date({ mode: "string" }).notNull(),
    prevDay: date({ mode: "string" }).notNull(),
    currency: varchar({ length: 3 }).notNull(),
    costMinor: bigint({ mode: "number" }).notNull().default(0),
    complaints: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.dim, t.key, t.day, t.prevDay, t.currency] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organisations.id] }),
  ],
);
