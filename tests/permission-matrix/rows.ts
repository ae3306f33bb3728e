/**
 * The permission matrix: one row per server action ("file#export") and per route handler
 * ("METHOD /path"), as found by enumerate.ts. A row says how to call it with valid arguments,
 * who may (from the product: the roles in lib/permissions.ts that the feature is for, written out
 * here so a change to the table shows up as a failing row, not a silent grant), what another
 * organisation's user gets with our ids, and what our user gets with another organisation's ids.
 * tests/integration/permission-matrix.test.ts runs every row for every principal.
 */
import * as complaintActions from "@/app/(app)/complaints/actions";
import * as qualityActions from "@/app/(app)/dashboards/quality/actions";
import * as importActions from "@/app/(app)/import/actions";
import * as tokenActions from "@/app/(app)/settings/api-tokens/actions";
import * as organisationActions from "@/app/(app)/settings/organisation/actions";
import * as userActions from "@/app/(app)/settings/users/actions";
import * as lifecycleActions from "@/app/(app)/settings/users/lifecycle-actions";
import * as accountActions from "@/app/(app)/account/actions";
import * as complaintExport from "@/app/(app)/complaints/export/route";
import * as exportKind from "@/app/(app)/exports/[kind]/route";
import * as exportArchive from "@/app/(app)/exports/archive/route";
import * as importProgress from "@/app/(app)/import/runs/[runId]/progress/route";
import * as importReport from "@/app/(app)/import/runs/[runId]/report/route";
import * as importUpload from "@/app/(app)/import/upload/[runId]/route";
import * as archiveSchema from "@/app/api/v1/archive-schema/route";
import * as completion from "@/app/api/v1/complaints/[id]/follow-ups/[followUpId]/completion/route";
import * as followUpsRoute from "@/app/api/v1/complaints/[id]/follow-ups/route";
import * as outcomeRoute from "@/app/api/v1/complaints/[id]/outcome/route";
import * as decisionRoute from "@/app/api/v1/complaints/[id]/remedies/[remedyId]/decision/route";
import * as deliveryRoute from "@/app/api/v1/complaints/[id]/remedies/[remedyId]/delivery/route";
import * as remediesRoute from "@/app/api/v1/complaints/[id]/remedies/route";
import * as complaintRoute from "@/app/api/v1/complaints/[id]/route";
import * as statusRoute from "@/app/api/v1/complaints/[id]/status/route";
import * as complaintsRoute from "@/app/api/v1/complaints/route";
import * as activitiesRoute from "@/app/api/v1/customer-activities/route";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import * as metricsRoute from "@/app/api/v1/metrics/route";
import * as openApiRoute from "@/app/api/v1/openapi.json/route";
import * as productsRoute from "@/app/api/v1/products/route";
import type { Complaint, Role, TokenScope } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { FIXTURE_PASSWORD, FIXTURE_PASSWORD_HASH } from "../helpers/fixtures";
import { importCsv, importMapping, versionOf, type OrgWorld } from "./world";

export type Refusal = "unauthenticated" | "forbidden" | "not-found" | "invalid";
export type Verdict = { ok: true } | { ok: false; kind: string; detail?: string };

/** Who acts and whose ids they use. */
export interface SessionCall {
  /** The organisation the acting user belongs to. */
  actor: OrgWorld;
  /** The organisation whose records the call names. */
  ids: OrgWorld;
}

interface CaseBase {
  label?: string;
  /**
   * Another organisation's admin, naming our records: the refusal's kind — or "own-org" when the
   * call names no record of ours (it then acts in its own organisation; ours must not change).
   */
  otherOrg: Refusal | "own-org";
  /** One of our allowed users naming another organisation's records (which), or null: names none. */
  tampered: { ids: string; refused: Refusal } | null;
}

/** A server action or a page-side route handler: the session decides. */
export interface SessionCase extends CaseBase {
  /** Roles whose call succeeds; every other role is refused with "forbidden". */
  allowed: readonly Role[];
  prepare(c: SessionCall): Promise<() => Promise<Verdict | unknown>>;
}

/** A /api/v1 route: the bearer token decides. */
export interface TokenCase extends CaseBase {
  /** Scopes whose call succeeds (an admin's token); the others are refused "forbidden" (403). */
  scopes: readonly TokenScope[];
  /**
   * A write token acts for its creator too: the creators' roles whose write token succeeds; the
   * others' are refused "forbidden" (403).
   */
  creators: readonly Role[];
  /** The call, given the bearer token's secret (null: none), so one preparation serves many tokens. */
  prepare(c: SessionCall): Promise<(token: string | null) => Promise<Verdict | unknown>>;
}

/** Open to everyone on purpose, and why; exercised by the e2e spec rather than here. */
export interface PublicRow {
  public: string;
  /** When it can be called here: it must succeed for anyone and change nothing. */
  prepare?: () => Promise<() => Promise<Verdict | unknown>>;
}

export type Row =
  | { kind: "session"; cases: SessionCase[] }
  | { kind: "token"; cases: TokenCase[] }
  | ({ kind: "public" } & PublicRow);

// ------------------------------------------------------------------------------- helpers

type Fields = Record<string, string | string[]>;

export function form(fields: Fields): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  return data;
}

/** A verdict from a Response: 2xx ok, else the refusal its status means. */
export async function fromResponse(response: Response): Promise<Verdict> {
  const text = await response.text();
  if (response.status >= 200 && response.status < 300) return { ok: true };
  const kind =
    { 400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not-found" }[
      response.status
    ] ?? `HTTP ${response.status}`;
  return { ok: false, kind, detail: text.slice(0, 300) };
}

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

/** Calls a route handler as Next does: a Request in, a Response out. */
export async function request(
  handler: unknown,
  method: "GET" | "POST",
  path: string,
  options: {
    params?: Record<string, string>;
    token?: string | null;
    body?: unknown;
    raw?: string;
    contentType?: string;
  } = {},
): Promise<Verdict> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (method === "POST") {
    headers["content-type"] = options.contentType ?? "application/json";
    body = options.raw ?? JSON.stringify(options.body ?? {});
  }
  const response = await (handler as Handler)(
    new Request(`http://localhost${path}`, { method, headers, body }),
    { params: Promise.resolve(options.params) as Promise<never> },
  );
  return fromResponse(response);
}

const complaintFields = async (w: OrgWorld, c: Complaint): Promise<Fields> => ({
  complaintId: c.id,
  version: String(await versionOf(w.db, c)),
});

/** A recovery-loop command on a fresh complaint of the ids' organisation. */
function complaintCommand(
  action: (prev: null, data: FormData) => Promise<unknown>,
  allowed: readonly Role[],
  fields: (w: OrgWorld, c: Complaint) => Promise<Fields>,
  tampered = "complaint",
): SessionCase {
  return {
    allowed,
    otherOrg: "not-found",
    tampered: { ids: tampered, refused: "not-found" },
    async prepare({ ids }) {
      const c = await ids.complaint();
      const data = form({ ...(await complaintFields(ids, c)), ...(await fields(ids, c)) });
      return () => action(null, data);
    },
  };
}

const editors: readonly Role[] = ["admin", "manager", "agent"];
const approvers: readonly Role[] = ["admin", "manager"];
const qualityLeads: readonly Role[] = ["admin", "quality"];
const importers: readonly Role[] = ["admin", "manager"];
const admins: readonly Role[] = ["admin"];
const everyone: readonly Role[] = ["admin", "manager", "quality", "executive", "agent"];

/** Whether a customer search found this customer: ok; found nothing of it: not-found. */
function foundCustomer(list: unknown, id: string): Verdict {
  if (!Array.isArray(list)) return { ok: false, kind: "invalid", detail: JSON.stringify(list) };
  return list.some((m: { id: string }) => m.id === id)
    ? { ok: true }
    : { ok: false, kind: "not-found", detail: `${list.length} other customers` };
}

const a = (fn: unknown) => fn as (prev: null, data: FormData) => Promise<unknown>;

// ------------------------------------------------------------------------------- the rows

const C = "app/(app)/complaints/actions.ts";
const Q = "app/(app)/dashboards/quality/actions.ts";
const I = "app/(app)/import/actions.ts";

export const rows: Record<string, Row> = {
  "app/(app)/actions.ts#signOutAction": {
    kind: "public",
    public:
      "Signs the caller's own session out (Auth.js); it names no record and changes no table. Exercised for real by tests/e2e.",
  },
  "app/(auth)/sign-in/actions.ts#signInAction": {
    kind: "public",
    public:
      "Sign-in is for visitors by nature; what it may change (throttle rows, sign-in audit) is tested by the credentials and throttling tests; the e2e spec signs in with it.",
  },

  // ---- intake
  [`${C}#recordComplaintAction`]: {
    kind: "session",
    cases: [
      {
        allowed: editors,
        // Naming another organisation's customer: the customer field is refused.
        otherOrg: "invalid",
        tampered: { ids: "customer", refused: "invalid" },
        async prepare({ ids }) {
          const customer = await ids.customer();
          const data = form({
            idempotencyKey: crypto.randomUUID(),
            customerId: customer.id,
            channel: "web",
            severity: "minor",
            summary: "Invoice shows the wrong address",
            story: "My invoice went to my old flat.",
            intakeSentiment: "2",
          });
          return () => complaintActions.recordComplaintAction(null, data);
        },
      },
    ],
  },
  [`${C}#searchCustomersAction`]: {
    kind: "session",
    cases: [
      {
        // Customers' emails and phones: for those who record complaints only.
        allowed: editors,
        otherOrg: "not-found",
        tampered: { ids: "customer (by name)", refused: "not-found" },
        async prepare({ ids }) {
          const customer = await ids.customer();
          return async () =>
            foundCustomer(await complaintActions.searchCustomersAction(customer.name), customer.id);
        },
      },
    ],
  },

  // ---- the recovery loop
  [`${C}#recordStepAction`]: {
    kind: "session",
    cases: [
      complaintCommand(a(complaintActions.recordStepAction), editors, async (w) => ({
        stepId: w.steps.listen!,
        note: "",
      })),
    ],
  },
  [`${C}#offerRemedyAction`]: {
    kind: "session",
    cases: [
      complaintCommand(a(complaintActions.offerRemedyAction), editors, async () => ({
        kind: "coupon",
        cost: "5",
        currency: "USD",
        description: "",
      })),
    ],
  },
  [`${C}#decideRemedyAction`]: {
    kind: "session",
    cases: [
      complaintCommand(
        a(complaintActions.decideRemedyAction),
        editors,
        async (w, c) => ({ remedyId: await w.remedy(c), decision: "accepted" }),
        "complaint and remedy",
      ),
    ],
  },
  [`${C}#deliverRemedyAction`]: {
    kind: "session",
    cases: [
      complaintCommand(
        a(complaintActions.deliverRemedyAction),
        editors,
        async (w, c) => ({ remedyId: await w.remedy(c) }),
        "complaint and remedy",
      ),
    ],
  },
  [`${C}#approveRemedyAction`]: {
    kind: "session",
    cases: [
      complaintCommand(
        a(complaintActions.approveRemedyAction),
        approvers,
        async (w, c) => ({
          remedyId: await w.remedy(c, { costMinor: 250_000, approvalNeeded: true }),
        }),
        "complaint and remedy",
      ),
    ],
  },
  [`${C}#setPromiseAction`]: {
    kind: "session",
    cases: [
      complaintCommand(a(complaintActions.setPromiseAction), editors, async () => ({
        promisedBy: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      })),
    ],
  },
  [`${C}#scheduleFollowUpAction`]: {
    kind: "session",
    cases: [
      complaintCommand(a(complaintActions.scheduleFollowUpAction), editors, async () => ({
        preset: "tomorrow",
      })),
    ],
  },
  [`${C}#completeFollowUpAction`]: {
    kind: "session",
    cases: [
      complaintCommand(
        a(complaintActions.completeFollowUpAction),
        editors,
        async (w, c) => ({ followUpId: await w.followUp(c), channel: "email", sentiment: "4" }),
        "complaint and follow-up",
      ),
    ],
  },
  [`${C}#recordOutcomeAction`]: {
    kind: "session",
    cases: [
      complaintCommand(a(complaintActions.recordOutcomeAction), editors, async () => ({
        finalNps: "9",
        signals: ["testimonial"],
      })),
    ],
  },
  [`${C}#changeStatusAction`]: {
    kind: "session",
    cases: [
      complaintCommand(a(complaintActions.changeStatusAction), editors, async () => ({
        to: "in_progress",
      })),
    ],
  },
  [`${C}#assignComplaintAction`]: {
    kind: "session",
    cases: [
      complaintCommand(
        a(complaintActions.assignComplaintAction),
        approvers,
        async (w) => ({ ownerId: w.org.users.manager.userId, teamId: w.org.teamId }),
        "complaint, owner and team",
      ),
    ],
  },
  [`${C}#logCustomerUpdateAction`]: {
    kind: "session",
    cases: [
      complaintCommand(a(complaintActions.logCustomerUpdateAction), editors, async () => ({
        channel: "chat",
        message: "Parts ordered; fitting on Friday.",
      })),
    ],
  },
  [`${C}#setRootCauseAction`]: {
    kind: "session",
    cases: [
      complaintCommand(
        a(complaintActions.setRootCauseAction),
        qualityLeads,
        async (w) => ({ rootCauseId: await w.rootCause(), fiveWhys: "" }),
        "complaint and root cause",
      ),
    ],
  },

  // ---- quality: corrective actions and the taxonomy
  [`${Q}#saveCorrectiveActionAction`]: {
    kind: "session",
    cases: [
      {
        label: "create",
        allowed: qualityLeads,
        otherOrg: "invalid",
        tampered: { ids: "root cause", refused: "invalid" },
        async prepare({ ids }) {
          const data = form({
            rootCauseId: await ids.rootCause(),
            title: "Replace the courier for remote areas",
            description: "",
            ownerId: "",
            status: "in_progress",
            dueAt: "2025-03-31",
            doneAt: "",
            verificationNote: "",
          });
          return () => qualityActions.saveCorrectiveActionAction(null, data);
        },
      },
      {
        label: "update",
        allowed: qualityLeads,
        otherOrg: "not-found",
        tampered: { ids: "corrective action", refused: "not-found" },
        async prepare({ actor, ids }) {
          const ca = await ids.correctiveAction();
          // The root cause is the acting organisation's, so only the action's id is foreign.
          const rootCauseId = actor === ids ? ca.rootCauseId : await actor.rootCause();
          const data = form({
            id: ca.id,
            version: String(ca.version),
            rootCauseId,
            title: "Courier replaced for remote areas",
            description: "",
            ownerId: "",
            status: "in_progress",
            dueAt: "2025-03-31",
            doneAt: "",
            verificationNote: "",
          });
          return () => qualityActions.saveCorrectiveActionAction(null, data);
        },
      },
    ],
  },
  [`${Q}#saveRootCauseAction`]: {
    kind: "session",
    cases: [
      {
        label: "create",
        allowed: qualityLeads,
        otherOrg: "invalid",
        tampered: { ids: "root-cause category", refused: "invalid" },
        async prepare({ ids }) {
          const data = form({
            categoryId: ids.categoryId,
            name: `Courier misses remote addresses ${crypto.randomUUID().slice(0, 6)}`,
            description: "",
            recurrenceWindowWeeks: "12",
          });
          return () => qualityActions.saveRootCauseAction(null, data);
        },
      },
      {
        label: "update",
        allowed: qualityLeads,
        otherOrg: "not-found",
        tampered: { ids: "root cause", refused: "not-found" },
        async prepare({ ids }) {
          const data = form({
            id: await ids.rootCause(),
            name: `Renamed cause ${crypto.randomUUID().slice(0, 6)}`,
            recurrenceWindowWeeks: "16",
            active: "on",
          });
          return () => qualityActions.saveRootCauseAction(null, data);
        },
      },
    ],
  },

  // ---- import
  [`${I}#previewImportAction`]: {
    kind: "session",
    cases: [
      {
        allowed: importers,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          return () =>
            importActions.previewImportAction({
              kind: "complaints",
              mapping: importMapping(),
              sample: importCsv(),
            });
        },
      },
    ],
  },
  [`${I}#startImportAction`]: {
    kind: "session",
    cases: [
      {
        allowed: importers,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          return () =>
            importActions.startImportAction({
              kind: "complaints",
              mapping: importMapping(),
              mode: "skip",
              fileName: "tickets.csv",
            });
        },
      },
      {
        label: "company → another organisation's team",
        allowed: importers,
        otherOrg: "invalid",
        tampered: { ids: "team", refused: "invalid" },
        async prepare({ ids }) {
          const mapping = importMapping();
          mapping.columns.company = "Priority";
          mapping.options = {
            ...mapping.options,
            companyTo: "team",
            companyTeamId: ids.org.teamId,
          };
          return () =>
            importActions.startImportAction({
              kind: "complaints",
              mapping,
              mode: "skip",
              fileName: "tickets.csv",
            });
        },
      },
    ],
  },
  [`${I}#startArchiveImportAction`]: {
    kind: "session",
    cases: [
      {
        allowed: admins,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          return () =>
            importActions.startArchiveImportAction({
              mode: "skip",
              fileName: "org.jsonl",
              totalBytes: 10,
            });
        },
      },
    ],
  },

  // ---- settings
  "app/(app)/settings/api-tokens/actions.ts#createTokenAction": {
    kind: "session",
    cases: [
      {
        allowed: admins,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          const data = form({
            name: "Warehouse sync",
            scope: "read",
            expiresIn: "30",
            expiresOn: "",
          });
          return () => tokenActions.createTokenAction(null, data);
        },
      },
    ],
  },
  "app/(app)/settings/api-tokens/actions.ts#revokeTokenAction": {
    kind: "session",
    cases: [
      {
        allowed: admins,
        otherOrg: "not-found",
        tampered: { ids: "API token", refused: "not-found" },
        async prepare({ ids }) {
          const data = form({ tokenId: (await ids.token("read")).id });
          return () => tokenActions.revokeTokenAction(null, data);
        },
      },
    ],
  },
  "app/(app)/settings/organisation/actions.ts#setApprovalLimitAction": {
    kind: "session",
    cases: [
      {
        allowed: admins,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          const data = form({ approvalLimit: String(500 + Math.floor(Math.random() * 500)) });
          return () => organisationActions.setApprovalLimitAction(null, data);
        },
      },
    ],
  },
  "app/(app)/settings/users/actions.ts#createUserAction": {
    kind: "session",
    cases: [
      {
        allowed: admins,
        otherOrg: "invalid",
        tampered: { ids: "team", refused: "invalid" },
        async prepare({ ids }) {
          const data = form({
            name: "Sam Okafor",
            email: `sam-${crypto.randomUUID().slice(0, 8)}@example.test`,
            role: "agent",
            teamId: ids.org.teamId,
            password: "a long enough password 1",
          });
          return () => userActions.createUserAction(null, data);
        },
      },
    ],
  },
  "app/(app)/settings/users/actions.ts#changeUserRoleAction": {
    kind: "session",
    cases: [
      {
        allowed: admins,
        otherOrg: "not-found",
        tampered: { ids: "user", refused: "not-found" },
        async prepare({ ids }) {
          const data = form({ userId: await ids.user(), role: "manager" });
          return () => userActions.changeUserRoleAction(null, data);
        },
      },
    ],
  },

  // ---- account lifecycle (admins, on another person)
  ...Object.fromEntries(
    (
      [
        ["deactivateUserAction", lifecycleActions.deactivateUserAction, true],
        ["reactivateUserAction", lifecycleActions.reactivateUserAction, false],
        ["issuePasswordResetAction", lifecycleActions.issuePasswordResetAction, true],
        ["signOutUserEverywhereAction", lifecycleActions.signOutUserEverywhereAction, true],
      ] as const
    ).map(([name, action, active]): [string, Row] => [
      `app/(app)/settings/users/lifecycle-actions.ts#${name}`,
      {
        kind: "session",
        cases: [
          {
            allowed: admins,
            otherOrg: "not-found",
            tampered: { ids: "user", refused: "not-found" },
            async prepare({ ids }) {
              const userId = await ids.user();
              if (!active)
                await ids.db
                  .update(users)
                  .set({ active: false })
                  .where(and(eq(users.orgId, ids.org.orgId), eq(users.id, userId)));
              const data = form({ userId });
              return () => a(action)(null, data);
            },
          },
        ],
      },
    ]),
  ),

  // ---- one's own account (everyone signed in; it names no one else)
  "app/(app)/account/actions.ts#changeOwnPasswordAction": {
    kind: "session",
    cases: [
      {
        allowed: everyone,
        otherOrg: "own-org",
        tampered: null,
        async prepare({ actor }) {
          // Every call starts from the fixtures' password, whoever changed theirs before.
          await actor.db
            .update(users)
            .set({ passwordHash: FIXTURE_PASSWORD_HASH })
            .where(eq(users.orgId, actor.org.orgId));
          const newPassword = `a new long password ${crypto.randomUUID().slice(0, 6)}`;
          const data = form({
            currentPassword: FIXTURE_PASSWORD,
            newPassword,
            confirmPassword: newPassword,
          });
          return () => accountActions.changeOwnPasswordAction(null, data);
        },
      },
    ],
  },
  "app/(app)/account/actions.ts#signOutEverywhereAction": {
    kind: "session",
    cases: [
      {
        allowed: everyone,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          return () => accountActions.signOutEverywhereAction(null, form({}));
        },
      },
    ],
  },
  "app/(auth)/reset-password/actions.ts#resetPasswordAction": {
    kind: "public",
    public:
      "For visitors by nature: the one-time code an admin issued is the credential (issuePasswordResetAction above is admins-only); codes, expiry and throttling are tested with the account lifecycle.",
  },
  "app/(setup)/setup/actions.ts#setupAction": {
    kind: "public",
    public:
      "First run only: refused once an organisation exists, and guarded by the one-time code printed in the server log; tested with the setup page.",
  },

  // ---- page-side route handlers (the session decides)
  "GET /complaints/export": {
    kind: "session",
    cases: [
      {
        allowed: everyone,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          return () => request(complaintExport.GET, "GET", "/complaints/export?status=open");
        },
      },
    ],
  },
  "GET /exports/[kind]": {
    kind: "session",
    cases: [
      ["corrective-actions", qualityLeads],
      ["customer-activity", everyone],
      ["audit-trail", ["admin", "manager", "quality"] as const],
    ].map(([kind, allowed]) => ({
      label: kind as string,
      allowed: allowed as readonly Role[],
      otherOrg: "own-org" as const,
      tampered: null,
      async prepare() {
        return () =>
          request(exportKind.GET, "GET", `/exports/${kind as string}`, {
            params: { kind: kind as string },
          });
      },
    })),
  },
  "GET /exports/archive": {
    kind: "session",
    cases: [
      {
        allowed: admins,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          return () => request(exportArchive.GET, "GET", "/exports/archive");
        },
      },
    ],
  },
  "GET /import/runs/[runId]/progress": {
    kind: "session",
    cases: [
      {
        allowed: importers,
        otherOrg: "not-found",
        tampered: { ids: "import run", refused: "not-found" },
        async prepare({ ids }) {
          const runId = await ids.importRun();
          return () =>
            request(importProgress.GET, "GET", `/import/runs/${runId}/progress`, {
              params: { runId },
            });
        },
      },
    ],
  },
  "GET /import/runs/[runId]/report": {
    kind: "session",
    cases: [
      {
        allowed: importers,
        otherOrg: "not-found",
        tampered: { ids: "import run", refused: "not-found" },
        async prepare({ ids }) {
          const runId = await ids.importRun();
          return () =>
            request(importReport.GET, "GET", `/import/runs/${runId}/report`, {
              params: { runId },
            });
        },
      },
    ],
  },
  "POST /import/upload/[runId]": {
    kind: "session",
    cases: [
      {
        allowed: importers,
        otherOrg: "not-found",
        tampered: { ids: "import run", refused: "not-found" },
        async prepare({ ids }) {
          const runId = await ids.importRun();
          return () =>
            request(importUpload.POST, "POST", `/import/upload/${runId}`, {
              params: { runId },
              raw: importCsv(),
              contentType: "text/csv",
            });
        },
      },
    ],
  },

  // ---- Auth.js and the public API documents
  "GET /api/auth/[...nextauth]": {
    kind: "public",
    public:
      "Auth.js: the session, CSRF token and providers, for anyone (signing in needs them); the e2e spec signs in through it.",
  },
  "POST /api/auth/[...nextauth]": {
    kind: "public",
    public:
      "Auth.js: the credentials callback and sign-out, for anyone; credentials and throttling are tested on their own, and the e2e spec signs in through it.",
  },
  "GET /api/v1/archive-schema": {
    kind: "public",
    public: "The archive's JSON Schema: describes the format, holds no data.",
    async prepare() {
      return () => request(archiveSchema.GET, "GET", "/api/v1/archive-schema");
    },
  },
  "GET /api/v1/openapi.json": {
    kind: "public",
    public: "The OpenAPI document: describes the API, holds no data.",
    async prepare() {
      return () => request(openApiRoute.GET, "GET", "/api/v1/openapi.json");
    },
  },

  // ---- /api/v1 (the bearer token decides)
  "GET /api/v1/complaints": {
    kind: "token",
    cases: [
      {
        scopes: ["read", "write"],
        creators: everyone,
        // Another organisation's token lists its own complaints: never ours.
        otherOrg: "not-found",
        tampered: null,
        async prepare({ ids }) {
          const c = await ids.complaint();
          return async (token) => {
            const response = await (complaintsRoute.GET as unknown as Handler)(
              new Request("http://localhost/api/v1/complaints?limit=100", {
                headers: token ? { authorization: `Bearer ${token}` } : {},
              }),
              { params: Promise.resolve(undefined) as Promise<never> },
            );
            if (response.status !== 200) return fromResponse(response);
            const body = (await response.json()) as { data: { id: string }[] };
            return body.data.some((row) => row.id === c.id)
              ? { ok: true }
              : { ok: false, kind: "not-found", detail: `${body.data.length} other complaints` };
          };
        },
      },
    ],
  },
  "POST /api/v1/complaints": {
    kind: "token",
    cases: [
      {
        scopes: ["write"],
        creators: editors,
        otherOrg: "invalid",
        tampered: { ids: "customer", refused: "invalid" },
        async prepare({ ids }) {
          const customer = await ids.customer();
          return (token) =>
            request(complaintsRoute.POST, "POST", "/api/v1/complaints", {
              token,
              body: {
                customerId: customer.id,
                channel: "email",
                severity: "major",
                summary: "Charged twice for one order",
                story: "My card shows two charges of $84.10 for order 5531.",
                intakeSentiment: 2,
              },
            });
        },
      },
    ],
  },
  "GET /api/v1/complaints/[id]": {
    kind: "token",
    cases: [
      {
        scopes: ["read", "write"],
        creators: everyone,
        otherOrg: "not-found",
        tampered: { ids: "complaint", refused: "not-found" },
        async prepare({ ids }) {
          const c = await ids.complaint();
          return (token) =>
            request(complaintRoute.GET, "GET", `/api/v1/complaints/${c.id}`, {
              token,
              params: { id: c.id },
            });
        },
      },
    ],
  },
  ...Object.fromEntries(
    (
      [
        [
          "POST /api/v1/complaints/[id]/remedies",
          remediesRoute.POST,
          async () => ({ kind: "credit", currency: "USD" }),
          "complaint",
        ],
        [
          "POST /api/v1/complaints/[id]/follow-ups",
          followUpsRoute.POST,
          async () => ({ preset: "week" }),
          "complaint",
        ],
        [
          "POST /api/v1/complaints/[id]/outcome",
          outcomeRoute.POST,
          async () => ({ finalNps: 9 }),
          "complaint",
        ],
        [
          "POST /api/v1/complaints/[id]/status",
          statusRoute.POST,
          async () => ({ to: "in_progress" }),
          "complaint",
        ],
        [
          "POST /api/v1/complaints/[id]/remedies/[remedyId]/decision",
          decisionRoute.POST,
          async (w: OrgWorld, c: Complaint) => ({
            params: { remedyId: await w.remedy(c) },
            decision: "accepted",
          }),
          "complaint and remedy",
        ],
        [
          "POST /api/v1/complaints/[id]/remedies/[remedyId]/delivery",
          deliveryRoute.POST,
          async (w: OrgWorld, c: Complaint) => ({ params: { remedyId: await w.remedy(c) } }),
          "complaint and remedy",
        ],
        [
          "POST /api/v1/complaints/[id]/follow-ups/[followUpId]/completion",
          completion.POST,
          async (w: OrgWorld, c: Complaint) => ({
            params: { followUpId: await w.followUp(c) },
            channel: "phone",
            nps: 8,
          }),
          "complaint and follow-up",
        ],
      ] as const
    ).map(([key, handler, body, what]): [string, Row] => [
      key,
      {
        kind: "token",
        cases: [
          {
            scopes: ["write"],
            creators: editors,
            otherOrg: "not-found",
            tampered: { ids: what, refused: "not-found" },
            async prepare({ ids }) {
              const c = await ids.complaint();
              const { params = {}, ...rest } = (await body(ids, c)) as {
                params?: Record<string, string>;
              };
              return (token) =>
                request(handler, "POST", key.replace(/^POST /, "").replace("[id]", c.id), {
                  token,
                  params: { id: c.id, ...params },
                  body: { version: c.version, ...rest },
                });
            },
          },
        ],
      },
    ]),
  ),
  "POST /api/v1/customer-activities": {
    kind: "token",
    cases: [
      {
        scopes: ["write"],
        creators: admins,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          return (token) =>
            request(activitiesRoute.POST, "POST", "/api/v1/customer-activities", {
              token,
              body: {
                customerRef: `CUST-${crypto.randomUUID().slice(0, 8)}`,
                customerName: "Lena Park",
                kind: "renewal",
                occurredAt: "2026-03-01T10:00:00Z",
                amount: "129.00",
                currency: "USD",
                externalRef: `INV-${crypto.randomUUID().slice(0, 8)}`,
              },
            });
        },
      },
    ],
  },
  "GET /api/v1/metrics": {
    kind: "token",
    cases: [
      {
        scopes: ["read", "write"],
        creators: everyone,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          return (token) => request(metricsRoute.GET, "GET", "/api/v1/metrics", { token });
        },
      },
    ],
  },
  "GET /api/v1/metrics/[name]": {
    kind: "token",
    cases: [
      {
        scopes: ["read", "write"],
        creators: approvers,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          return (token) =>
            request(metricRoute.GET, "GET", "/api/v1/metrics/open-complaints", {
              token,
              params: { name: "open-complaints" },
            });
        },
      },
    ],
  },
  "GET /api/v1/products": {
    kind: "token",
    cases: [
      {
        scopes: ["read", "write"],
        creators: everyone,
        otherOrg: "own-org",
        tampered: null,
        async prepare() {
          return (token) => request(productsRoute.GET, "GET", "/api/v1/products", { token });
        },
      },
    ],
  },
};
