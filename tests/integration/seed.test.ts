/**
 * The demo data generator, on in-memory PGlite: the right size, the same rows for the same seed,
 * and the findings the dashboards are meant to show (Pareto, recovery keeps customers, fixes cut
 * recurrence), all computed with plain SQL.
 */
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type DatabaseHandle } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { DEMO_ORG_ID, DEMO_USERS, isDemoSeeded, seedDemo } from "../../db/seed/demo";
import { addBusinessHours } from "../../lib/business-hours";

const SIZE = 2_000;
const ANCHOR = new Date("2025-06-01T00:00:00Z");

async function seededDatabase() {
  const handle = await openDatabase({ dataDir: "memory://" });
  await migrateDatabase(handle);
  const result = await seedDemo(handle, { complaints: SIZE, anchor: ANCHOR });
  return { handle, result };
}

async function one<T extends Record<string, unknown>>(
  handle: DatabaseHandle,
  query: SQL,
): Promise<T> {
  const rows = await queryRows<T>(handle.db, query);
  if (!rows[0]) throw new Error("query returned no row");
  return rows[0];
}

/** Figures a dashboard would show; identical seeds must give identical figures. */
async function fingerprint(handle: DatabaseHandle) {
  return one(
    handle,
    sql`select
      (select md5(string_agg(id::text, ',' order by id)) from complaints) as complaint_ids,
      (select md5(string_agg(concat_ws('|', id, customer_id, received_at, status, severity, owner_id,
        first_response_at, resolved_at, closed_at, root_cause_id, summary, story), ',' order by id))
        from complaints) as complaint_rows,
      (select md5(string_agg(concat_ws('|', customer_id, kind, occurred_at, amount_minor, score), ','
        order by customer_id, occurred_at, kind)) from customer_activities) as activity_rows,
      (select count(*)::int from customers) as customers,
      (select count(*)::int from complaint_steps) as steps,
      (select coalesce(sum(cost_minor), 0)::bigint::text from remedies where delivered_at is not null) as recovery_cost,
      (select count(*)::int from follow_ups) as follow_ups,
      (select round(avg(final_nps), 4)::text from outcomes) as mean_final_nps,
      (select count(*)::int from advocacy_signals) as advocacy_signals`,
  );
}

describe("demo data generator", () => {
  let handle: DatabaseHandle;
  let counts: Record<string, number>;

  beforeAll(async () => {
    const first = await seededDatabase();
    handle = first.handle;
    expect(first.result.seeded).toBe(true);
    counts = first.result.counts;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("writes the requested number of complaints, with customers, steps and the demo sign-ins", async () => {
    const row = await one<{
      complaints: number;
      orgs: number;
      customers: number;
      complainants: number;
      steps: number;
      open: number;
      latest: string;
    }>(
      handle,
      sql`select (select count(*)::int from complaints) as complaints,
        (select count(*)::int from organisations where id = ${DEMO_ORG_ID}) as orgs,
        (select count(*)::int from customers) as customers,
        (select count(distinct customer_id)::int from complaints) as complainants,
        (select count(*)::int from complaint_steps) as steps,
        (select count(*)::int from complaints where status in ('new', 'in_progress')) as open,
        (select max(received_at)::text from complaints) as latest`,
    );
    expect(row.complaints).toBe(SIZE);
    expect(counts.complaints).toBe(SIZE);
    expect(row.orgs).toBe(1);
    expect(row.complainants).toBeGreaterThan(SIZE * 0.45);
    expect(row.complainants).toBeLessThan(SIZE); // some customers complain more than once
    expect(row.customers).toBeGreaterThan(row.complainants * 1.5); // and many never complain
    expect(row.steps).toBeGreaterThan(SIZE * 5);
    expect(row.open).toBeGreaterThan(0);
    expect(new Date(row.latest).getTime()).toBeLessThan(ANCHOR.getTime());

    const logins = await queryRows<{ email: string; role: string }>(
      handle.db,
      sql`select l.email, u.role from user_logins l join users u on u.org_id = l.org_id and u.id = l.user_id`,
    );
    for (const user of DEMO_USERS)
      expect(logins).toContainEqual({ email: user.email, role: user.role });
    const users = await one<{ n: number }>(handle, sql`select count(*)::int as n from users`);
    expect(logins).toHaveLength(users.n);

    const manager = await one<{ team: string }>(
      handle,
      sql`select t.name as team from team_memberships m join teams t on t.org_id = m.org_id and t.id = m.team_id
        join users u on u.org_id = m.org_id and u.id = m.user_id where u.email = ${DEMO_USERS[1].email}`,
    );
    expect(manager.team).toBe("Front line East");
  });

  it("leaves no dangling references and no event after the anchor", async () => {
    const row = await one<Record<string, number>>(
      handle,
      sql`select
        (select count(*)::int from complaints c where not exists (select 1 from customers x where x.org_id = c.org_id and x.id = c.customer_id)) as complaint_customer,
        (select count(*)::int from complaint_steps s where not exists (select 1 from complaints x where x.org_id = s.org_id and x.id = s.complaint_id)) as step_complaint,
        (select count(*)::int from remedies r where not exists (select 1 from complaints x where x.org_id = r.org_id and x.id = r.complaint_id)) as remedy_complaint,
        (select count(*)::int from follow_ups f where not exists (select 1 from complaints x where x.org_id = f.org_id and x.id = f.complaint_id)) as follow_up_complaint,
        (select count(*)::int from outcomes o where not exists (select 1 from complaints x where x.org_id = o.org_id and x.id = o.complaint_id and x.status = 'closed')) as outcome_closed,
        (select count(*)::int from customer_activities a where not exists (select 1 from customers x where x.org_id = a.org_id and x.id = a.customer_id)) as activity_customer,
        (select count(*)::int from complaints c where c.root_cause_id is not null and not exists (select 1 from root_causes x where x.org_id = c.org_id and x.id = c.root_cause_id)) as complaint_cause,
        (select count(*)::int from complaint_steps s where s.done_at > ${ANCHOR} or s.done_at < (select received_at from complaints x where x.org_id = s.org_id and x.id = s.complaint_id)) as step_time,
        (select count(*)::int from complaints where resolved_at > ${ANCHOR} or closed_at > ${ANCHOR} or closed_at < resolved_at or first_response_at < received_at) as complaint_time,
        (select count(*)::int from customer_activities where occurred_at > ${ANCHOR}) as activity_time`,
    );
    expect(row).toEqual({
      complaint_customer: 0,
      step_complaint: 0,
      remedy_complaint: 0,
      follow_up_complaint: 0,
      outcome_closed: 0,
      activity_customer: 0,
      complaint_cause: 0,
      step_time: 0,
      complaint_time: 0,
      activity_time: 0,
    });
  });

  it("gives the same complaints and figures for the same seed", async () => {
    const second = await seededDatabase();
    try {
      expect(second.result.counts).toEqual(counts);
      expect(await fingerprint(second.handle)).toEqual(await fingerprint(handle));
    } finally {
      await second.handle.close();
    }
  });

  it("shows a Pareto: the top fifth of root causes account for at least 60 % of complaints", async () => {
    const rows = await queryRows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from complaints where root_cause_id is not null group by root_cause_id order by 1 desc`,
    );
    const total = rows.reduce((sum, r) => sum + r.n, 0);
    const vital = rows.slice(0, Math.ceil(rows.length * 0.2)).reduce((sum, r) => sum + r.n, 0);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(vital / total).toBeGreaterThanOrEqual(0.6);
  });

  it("keeps angry customers resolved fast better than angry customers never resolved", async () => {
    const rows = await queryRows<{ handling: string; n: number; retained: number }>(
      handle.db,
      sql`with c as (
          select c.*, case when resolved_at is null then 'none'
            when resolved_at - received_at <= interval '48 hours' then 'fast' else 'slow' end as handling
          from complaints c
          where (intake_sentiment <= 2 or intake_nps <= 6) and received_at <= ${ANCHOR}::timestamptz - interval '90 days')
        select handling, count(*)::int as n, avg((exists (
            select 1 from customer_activities a
            where a.org_id = c.org_id and a.customer_id = c.customer_id and a.kind in ('purchase', 'renewal')
              and a.occurred_at > c.received_at and a.occurred_at <= c.received_at + interval '90 days'
              and not exists (select 1 from customer_activities x where x.org_id = c.org_id and x.customer_id = c.customer_id
                and x.kind = 'cancellation' and x.occurred_at > c.received_at and x.occurred_at < a.occurred_at)))::int)::float as retained
        from c group by handling`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.handling, r]));
    expect(by.fast?.n).toBeGreaterThan(50);
    expect(by.none?.n).toBeGreaterThan(15);
    expect(by.fast!.retained).toBeGreaterThan(by.slow!.retained);
    expect(by.slow!.retained).toBeGreaterThan(by.none!.retained);
    expect(by.fast!.retained - by.none!.retained).toBeGreaterThan(0.3);
  });

  it("lowers the weekly rate of a root cause after its corrective action is done", async () => {
    const rows = await queryRows<{ status: string; before: number; after: number }>(
      handle.db,
      sql`select a.status,
          (select count(*)::int from complaints c where c.org_id = a.org_id and c.root_cause_id = a.root_cause_id
            and c.received_at >= a.done_at - make_interval(weeks => r.recurrence_window_weeks) and c.received_at < a.done_at) as before,
          (select count(*)::int from complaints c where c.org_id = a.org_id and c.root_cause_id = a.root_cause_id
            and c.received_at >= a.done_at and c.received_at < a.done_at + make_interval(weeks => r.recurrence_window_weeks)) as after
        from corrective_actions a join root_causes r on r.org_id = a.org_id and r.id = a.root_cause_id
        where a.done_at is not null`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const verified = rows.filter((r) => r.status === "verified");
    expect(verified.length).toBeGreaterThan(0);
    // Causes frequent enough to measure at this size drop one by one; all of them drop together.
    const measurable = verified.filter((r) => r.before >= 20);
    expect(measurable.length).toBeGreaterThan(0);
    for (const r of measurable) expect(r.after).toBeLessThan(r.before);
    const before = rows.reduce((sum, r) => sum + r.before, 0);
    const after = rows.reduce((sum, r) => sum + r.after, 0);
    expect(after).toBeLessThan(before * 0.8);
  });

  it("sets SLA due dates in the policy's business hours", async () => {
    const policy = await one<{
      timezone: string;
      working_days: number[] | string;
      start: number;
      end: number;
    }>(
      handle,
      sql`select timezone, working_days, workday_start_minute as start, workday_end_minute as end from sla_policies`,
    );
    const holidays = await queryRows<{ day: string }>(
      handle.db,
      sql`select day::text as day from holidays`,
    );
    const targets = await queryRows<{ severity: string; hours: number }>(
      handle.db,
      sql`select severity, resolution_hours as hours from sla_targets`,
    );
    const hours = Object.fromEntries(targets.map((t) => [t.severity, t.hours]));
    const workingDays = Array.isArray(policy.working_days)
      ? policy.working_days.map(Number)
      : policy.working_days.replace(/[{}]/g, "").split(",").map(Number);
    const time = {
      timezone: policy.timezone,
      workingDays,
      workdayStartMinute: policy.start,
      workdayEndMinute: policy.end,
      holidays: new Set(holidays.map((h) => h.day)),
    };
    const sample = await queryRows<{ received_at: string; severity: string; sla_due_at: string }>(
      handle.db,
      sql`select received_at::text, severity, sla_due_at::text from complaints order by id limit 200`,
    );
    for (const c of sample) {
      const expected = addBusinessHours(new Date(c.received_at), hours[c.severity]!, time);
      expect(new Date(c.sla_due_at).toISOString()).toBe(expected.toISOString());
    }
  });

  it("does nothing when the demo organisation already exists", async () => {
    expect(await isDemoSeeded(handle.db)).toBe(true);
    const again = await seedDemo(handle, { complaints: SIZE, anchor: ANCHOR });
    expect(again.seeded).toBe(false);
    const row = await one<{ n: number }>(handle, sql`select count(*)::int as n from complaints`);
    expect(row.n).toBe(SIZE);
  });
});
