/**
 * A complaint's facts: every per-complaint figure the dashboards count, decided once from the raw
 * rows with the very predicates the complaint list applies for drill-downs (lib/metrics/
 * predicates.ts, sets*.ts), so a fact equals what the list would say about that complaint.
 */
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { complaints } from "@/db/schema";
import { businessHoursSql, type PolicyTime } from "@/lib/metrics/business-hours-sql";
import {
  advocate,
  angry,
  contactedInLoop,
  followedUp,
  remedyDelivered,
  requiredStepsDone,
  timesInferred,
  timesKnown,
  unownedHistory,
} from "@/lib/metrics/predicates";
import { setPredicate } from "@/lib/metrics/sets";
import { allRequiredSteps } from "@/lib/metrics/sets-performance";
import { repeatComplaint } from "@/lib/metrics/sets-root-causes";
import { boughtWithin, npsAfter } from "@/lib/metrics/sets-retention";
import { cellKeyOf, factKeysOf, INFERRED_TAG, UNOWNED_HISTORY_TAG } from "./measures";

const hours = (end: SQL) =>
  sql`(extract(epoch from (${end} - ${complaints.receivedAt})) / 3600.0)::float8`;
const flag = (predicate: SQL) => sql`coalesce(${predicate}, false)`;
/** A duration only when the complaint's times are known (not inferred by rule). */
const known = (duration: SQL) => sql`(case when ${timesKnown} then ${duration} end)`;
/** The dimension keys and the tags of measures.ts (`INFERRED_TAG`, `UNOWNED_HISTORY_TAG`). */
const keysWithTags = sql`(${sql.raw(factKeysOf(`"complaints"`))} || array_remove(array[case when ${timesInferred} then ${sql.raw(`'${INFERRED_TAG}'`)} end, case when ${unownedHistory} then ${sql.raw(`'${UNOWNED_HISTORY_TAG}'`)} end]::text[], null))`;

/** complaint_facts column → its SQL over one `complaints` row, in table order. */
export function factColumns(orgId: string, policy: PolicyTime | null): [string, SQL][] {
  const received = sql`${complaints.receivedAt}`;
  return [
    ["org_id", sql`${complaints.orgId}`],
    ["complaint_id", sql`${complaints.id}`],
    ["customer_id", sql`${complaints.customerId}`],
    ["received_at", received],
    ["resolved_at", sql`${complaints.resolvedAt}`],
    ["closed_at", sql`${complaints.closedAt}`],
    ["team_id", sql`${complaints.teamId}`],
    ["owner_id", sql`${complaints.ownerId}`],
    ["product_id", sql`${complaints.productId}`],
    ["root_cause_id", sql`${complaints.rootCauseId}`],
    ["channel", sql`${complaints.channel}`],
    ["severity", sql`${complaints.severity}`],
    ["angry", flag(angry)],
    ["advocate", flag(advocate)],
    ["first_response_hours", known(hours(sql`${complaints.firstResponseAt}`))],
    [
      "first_response_business_hours",
      known(businessHoursSql(orgId, policy, received, sql`${complaints.firstResponseAt}`)),
    ],
    ["contacted_in_loop", flag(contactedInLoop)],
    ["resolution_hours", known(hours(sql`${complaints.resolvedAt}`))],
    [
      "resolution_business_hours",
      known(businessHoursSql(orgId, policy, received, sql`${complaints.resolvedAt}`)),
    ],
    ["sla_counted", flag(setPredicate("sla-counted", undefined))],
    ["sla_met", flag(setPredicate("sla-met", undefined))],
    ["promise_made", flag(setPredicate("promise-made", undefined))],
    ["promise_kept", flag(setPredicate("promise-kept", undefined))],
    ["reopened", flag(setPredicate("reopened", undefined))],
    ["ever_resolved", flag(setPredicate("perf-ever-resolved", undefined))],
    ["required_steps_done", sql`${requiredStepsDone}::smallint`],
    ["all_required_steps", flag(allRequiredSteps)],
    [
      "steps_done",
      sql`array(select cs.step_id from complaint_steps cs where cs.org_id = ${complaints.orgId} and cs.complaint_id = ${complaints.id} order by cs.step_id)`,
    ],
    ["remedy_delivered", flag(remedyDelivered)],
    [
      "delivered_remedy_kinds",
      sql`array(select distinct r.kind::text from remedies r where r.org_id = ${complaints.orgId} and r.complaint_id = ${complaints.id} and r.delivered_at is not null order by 1)`,
    ],
    ["followed_up", flag(followedUp)],
    ["retained30", flag(boughtWithin(30))],
    ["retained90", flag(boughtWithin(90))],
    ["retained180", flag(boughtWithin(180))],
    ["intake_nps", sql`${complaints.intakeNps}`],
    ["nps_after", sql`${npsAfter}::smallint`],
    ["repeat", flag(repeatComplaint)],
    [
      "delivered_costs",
      sql`coalesce((select jsonb_object_agg(x.currency, x.cost) from (select r.currency, sum(r.cost_minor) as cost from remedies r where r.org_id = ${complaints.orgId} and r.complaint_id = ${complaints.id} and r.delivered_at is not null and r.cost_minor is not null group by 1) x), '{}'::jsonb)`,
    ],
    [
      "revenue365",
      sql`coalesce((select jsonb_object_agg(x.currency, x.amount) from (select a.currency, sum(a.amount_minor) as amount from customer_activities a where a.org_id = ${complaints.orgId} and a.customer_id = ${complaints.customerId} and a.kind in ('purchase', 'renewal') and a.occurred_at > ${complaints.receivedAt} and a.occurred_at <= ${complaints.receivedAt} + interval '365 days' group by 1) x), '{}'::jsonb)`,
    ],
    ["sla_due_at", sql`${complaints.slaDueAt}`],
    [
      "deliveries",
      sql`coalesce((select jsonb_agg(jsonb_build_array(x.day, x.currency, x.cost) order by x.day, x.currency) from (select to_char(r.delivered_at at time zone 'UTC', 'YYYY-MM-DD') as day, r.currency, sum(r.cost_minor) as cost from remedies r where r.org_id = ${complaints.orgId} and r.complaint_id = ${complaints.id} and r.delivered_at is not null and r.cost_minor is not null group by 1, 2) x), '[]'::jsonb)`,
    ],
    ["cell", sql.raw(cellKeyOf(`"complaints"`))],
    ["keys", keysWithTags],
  ];
}

/** The fact column names, in table order. */
export const factColumnNames = factColumns("00000000-0000-0000-0000-000000000000", null).map(
  ([name]) => name,
);
