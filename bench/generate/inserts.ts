/**
 * The inserts of one chunk, all read from the temp table `f` (facts.ts) and the customers'
 * temp table `cf`: complaints, their steps, remedies, follow-ups, updates, outcomes, advocacy
 * signals and creation events; then customers and their activity (db/seed/activity.ts's shape:
 * a purchase/renewal rhythm, a purchase within 90 days of every complaint the customer stayed
 * through, a cancellation after the one they left over, surveys, referrals and reviews).
 */
import { DEMO_ORG_ID } from "../../db/seed/constants";
import { CHANNEL_KEYS, SEVERITY_KEYS } from "../../db/seed/distributions";
import { advocacyKinds, remedyKinds } from "../../db/schema";
import { STEP_KEYS, type Params } from "./params";
import { ints, Pipeline, quote, salt, texts, uKey, uuids } from "./sql-kit";

const D = 86400;
const ORG = `'${DEMO_ORG_ID}'::uuid`;
const ts = (x: string) => `to_timestamp(round(${x}))`;

export interface Shape {
  /** Days of activity before the first and after the last complaint (the demo: 365). */
  windowDays: number;
  /** Customers who never complained, per complaint (the demo: 0.5). */
  quietPerComplaint: number;
  /** Only complaints received this many days before the anchor get their creation event (null: all). */
  auditDays: number | null;
  /** Progress updates to the customer while a complaint drags on. */
  updates: boolean;
}

export const NORMAL: Shape = {
  windowDays: 365,
  quietPerComplaint: 0.5,
  auditDays: null,
  updates: true,
};
export const LEAN: Shape = {
  windowDays: 180,
  quietPerComplaint: 0.2,
  auditDays: 90,
  updates: false,
};

/** `{slot}` replacement for the demo's text templates; slot values are columns of `x`. */
const fill = (template: string, slots: Record<string, string>) =>
  Object.entries(slots).reduce((t, [k, v]) => `replace(${t}, '{${k}}', ${v})`, template);

const money = (cents: string, currency: string) =>
  `(case ${currency} when 'EUR' then '€' when 'GBP' then '£' else '$' end) || to_char(${cents} / 100.0, 'FM999999999990.00')`;

function clampedNps(q: Pipeline, latent: string) {
  return `least(10, greatest(0, ${latent} + floor(${q.u()} * 3)::int - 1))`;
}
function sentimentFromNps(q: Pipeline, nps: string) {
  return `case when ${nps} >= 9 then case when ${q.B(0.7)} then 5 else 4 end
    when ${nps} >= 7 then case when ${q.B(0.6)} then 4 else 3 end
    when ${nps} >= 5 then case when ${q.B(0.6)} then 3 else 2 end
    else case when ${q.B(0.6)} then 1 else 2 end end`;
}

/** Statements for the complaint-side tables, in order. */
export function complaintInserts(p: Params, shape: Shape): { table: string; sql: string }[] {
  const A = p.anchor;
  const q = new Pipeline("", "ck");
  const out: { table: string; sql: string }[] = [];
  const productName = `(${texts(p.productNames)})[product]`;

  // Complaints, with the demo's words.
  const slots = {
    product: "pn",
    amount: "amt",
    days: "dys",
    weekday: "wd",
    order: "ord",
  };
  const words = `select f.*, ${productName} as pn,
      '$' || to_char(round(4200 * exp(0.6 * ${q.N()}) / 100), 'FM999999990') || '.00' as amt,
      (3 + floor(${q.u()} * 19))::int::text as dys,
      (${texts(p.texts.weekdays!)})[((pg_temp.dow(received)
        + 7 - (1 + floor(${q.u()} * 6))::int) % 7) + 1] as wd,
      '#HL-' || (100000 + floor(${q.u()} * 900000))::int as ord,
      res_now is not null and ${q.B(0.85)} as assign
    from f offset 0`;
  const closers = `case when angry then ${q.pick(p.texts.angryClosers!)} else ${q.pick(p.texts.calmClosers!)} end`;
  out.push({
    table: "complaints",
    sql: `insert into complaints (org_id, id, customer_id, received_at, channel, product_id, team_id,
        owner_id, severity, summary, story, paraphrase, intake_sentiment, intake_nps, status, sla_due_at,
        promised_by, first_response_at, resolved_at, closed_at, reopen_count, no_remedy_reason,
        customer_unreachable, root_cause_id, five_whys, version, created_at, updated_at)
      select ${ORG}, cid, cust_id, ${ts("received")}, (${texts(CHANNEL_KEYS)})[ch]::channel,
        (${uuids(p.productIds)})[product], (${uuids(p.teamIds)})[team], (${uuids(p.agentIds)})[owner],
        (${texts(SEVERITY_KEYS)})[sev]::severity,
        left(${fill(`(${texts(p.causeSummaries)})[(cause - 1) * 3 + 1 + floor(${q.u()} * 3)::int]`, slots)}, 300),
        trim(${fill(`(${texts(p.causeStories)})[(cause - 1) * 3 + 1 + floor(${q.u()} * 3)::int]`, slots)} || ' ' || ${closers}),
        case when s2 is not null then 'What bothered you is that ' || ${fill(`(${texts(p.causeParaphrase)})[cause]`, slots)} || '. Is that correct?' end,
        sentiment, nps, status::complaint_status, ${ts("sla")},
        case when responded then ${ts("promised")} end, case when responded then ${ts("fr")} end,
        ${ts("res_now")}, ${ts("closed_now")}, case when res_now is not null then rc else 0 end,
        case when off1 is null and closed_now is not null and res_now is not null and ${q.B(0.6)}
          then ${q.pick(p.texts.noRemedy!)} end,
        closed_now is not null and res_now is null and unreach,
        case when assign then (${uuids(p.causeIds)})[cause] end,
        case when assign and ${q.B(0.3)} then (${texts(p.causeWhys)})[cause] end,
        1, ${ts("created")},
        ${ts(`least(${A}, greatest(created, coalesce(closed_now, res_now, case when responded then cursor_end else created end)))`)}
      from (${words}) x`,
  });

  // Playbook steps done, each once (the unique (org, complaint, step) key).
  const notes = p.stepNotes.flat();
  const noteOff: number[] = [];
  let off = 0;
  for (const n of p.stepNotes) {
    noteOff.push(off);
    off += n.length;
  }
  const noteLen = p.stepNotes.map((n) => n.length);
  const stepKey = "ck * 16 + v.i";
  out.push({
    table: "complaint_steps",
    sql: `insert into complaint_steps (org_id, id, complaint_id, step_id, done_by, done_at, note)
      select ${ORG}, pg_temp.uid(${stepKey}, ${salt()}), cid, (${uuids(p.stepIds)})[v.i],
        (${uuids(p.agentIds)})[owner], ${ts("v.t")},
        case when (${ints(noteLen)})[v.i] > 0 and ${uKey(stepKey)} < 0.06 then
          (${texts(notes)})[(${ints(noteOff)})[v.i] + 1 + floor(${uKey(stepKey)} * (${ints(noteLen)})[v.i])::int] end
      from f cross join lateral (values ${STEP_KEYS.map((_, i) => `(${i + 1}, s${i + 1})`).join(", ")}) v(i, t)
      where v.t is not null`,
  });

  // Remedies: the first offer and, after a decline, the second.
  const remKey = "ck * 4 + v.n";
  out.push({
    table: "remedies",
    sql: `insert into remedies (org_id, id, complaint_id, kind, description, cost_minor, currency,
        suggested_by_customer, offered_at, offered_by, decision, decided_at, delivered_at)
      select ${ORG}, pg_temp.uid(${remKey}, ${salt()}), cid, (${texts([...remedyKinds])})[v.kind]::remedy_kind,
        ${fill(`(${texts(p.remedyText)})[v.kind]`, {
          cost: money("v.cost", "v.cur"),
          product: productName,
          pct: `((2 + floor(${uKey(remKey)} * 4)::int) * 5)::text`,
        })},
        v.cost, v.cur, ${uKey(remKey)} < 0.2, ${ts("v.off")}, (${uuids(p.agentIds)})[owner],
        v.decision::remedy_decision, ${ts("v.dec")}, ${ts("v.del")}
      from f cross join lateral (values
        (1, off1, kind1, cost1, case when kind1 = 10 then 'USD' else cur end, decision1, dec1, del1),
        (2, off2, kind2, cost2, case when kind2 = 10 then 'USD' else cur end, decision2, dec2, del2))
        v(n, off, kind, cost, cur, decision, dec, del)
      where v.off is not null`,
  });

  // Follow-ups, scored around the customer's latent NPS when done.
  const fu = new Pipeline(
    `select f.ck * 4 + v.n as fk, f.cid, f.owner, f.latent, f.resolved, v.n, v.due, v.done
      from f cross join lateral (values (1, fdue1, fdone1), (2, fdue2, fdone2)) v(n, due, done)
      where v.due is not null`,
    "fk",
  );
  fu.add(`${clampedNps(fu, "latent")} as score`);
  fu.add(`${sentimentFromNps(fu, "score")} as sent`);
  out.push({
    table: "follow_ups",
    sql: `insert into follow_ups (org_id, id, complaint_id, due_at, done_at, done_by, channel, sentiment, nps, note, created_at)
      select ${ORG}, pg_temp.uid(fk, ${salt()}), cid, ${ts("due")}, ${ts("done")},
        case when done is not null then (${uuids(p.agentIds)})[owner] end,
        (array['phone', 'email', 'chat']::channel[])[${fu.W([6, 3, 1])}],
        case when done is not null and ${fu.B(0.9)} then sent end,
        case when done is not null and ${fu.B(0.8)} then score end,
        case when done is not null and ${fu.B(0.4)} then
          case when score >= 9 then ${fu.pick(p.texts.fuGood!)} when score >= 7 then ${fu.pick(p.texts.fuMid!)}
            else ${fu.pick(p.texts.fuBad!)} end end,
        ${ts(`least(resolved, ${A})`)}
      from (${fu}) x`,
  });

  // Updates while a complaint drags on (more than two days open).
  if (shape.updates) {
    const up = new Pipeline(
      `select *, least(coalesce(resolved, closed, ${A}), ${A}) as open_until from f where responded offset 0`,
      "ck",
    );
    up.add(`1 + floor(${up.u()} * 3)::int as n_up`, `${up.B(0.55)} as updating`);
    const rows = new Pipeline(
      `select f2.ck * 4 + i as uk, f2.cid, f2.owner, f2.open_until, fr + (open_until - fr) * i / (n_up + 1) as t_pre
        from (${up}) f2 cross join generate_series(1, f2.n_up) i
        where updating and open_until - fr > ${2 * D}`,
      "uk",
    );
    rows.working([["t", "t_pre"]]);
    rows.add(`t + (1 + floor(${rows.u()} * 3)) * ${D} as t_next`);
    const dayName = `(${texts(p.texts.weekdays!)})[pg_temp.dow(t_next) + 1]`;
    out.push({
      table: "customer_updates",
      sql: `insert into customer_updates (org_id, id, complaint_id, sent_at, sent_by, channel, message)
        select ${ORG}, pg_temp.uid(uk, ${salt()}), cid, ${ts("t")}, (${uuids(p.agentIds)})[owner],
          case when ${rows.B(0.7)} then 'email' else 'phone' end::channel,
          replace(${rows.pick(p.texts.updates!)}, '{day}', ${dayName})
        from (${rows}) x where t < open_until`,
    });
  }

  // Outcomes of closed complaints.
  const oc = new Pipeline(`select * from f where closed_now is not null`, "ck");
  oc.add(
    `case when ${oc.B(0.85)} then latent end as nps0`,
    `case when ${oc.B(0.9)} then ${sentimentFromNps(oc, "latent")} end as sent0`,
  );
  out.push({
    table: "outcomes",
    sql: `insert into outcomes (org_id, complaint_id, final_sentiment, final_nps, churned_at, recorded_at, recorded_by)
      select ${ORG}, cid, sent0, case when nps0 is null and sent0 is null then latent else nps0 end,
        case when not retained and cancel_at <= ${A} then ${ts("cancel_at")} end, ${ts("closed_now")},
        (${uuids(p.agentIds)})[owner]
      from (${oc}) x`,
  });

  out.push({
    table: "advocacy_signals",
    sql: `insert into advocacy_signals (org_id, id, complaint_id, kind, occurred_at)
      select ${ORG}, pg_temp.uid(ck, ${salt()}), cid, (${texts([...advocacyKinds])})[adv_kind]::advocacy_kind, ${ts("adv_at")}
      from f where adv_at is not null`,
  });

  // One creation event per complaint, as the demo's (and intake's action name).
  out.push({
    table: "audit_events",
    sql: `insert into audit_events (org_id, id, occurred_at, actor_kind, actor_id, entity, entity_id, complaint_id, action, after)
      select ${ORG}, pg_temp.uid(ck, ${salt()}), ${ts("created")},
        case when ch = 4 then 'system' else 'user' end::actor_kind,
        case when ch = 4 then null else (${uuids(p.agentIds)})[owner] end,
        'complaint', cid::text, cid, 'complaint.created',
        jsonb_build_object('status', 'new', 'severity', (${texts(SEVERITY_KEYS)})[sev], 'channel', (${texts(CHANNEL_KEYS)})[ch])
      from f${shape.auditDays === null ? "" : ` where received >= ${A - shape.auditDays * D}`}`,
  });
  return out;
}

/**
 * The customers of the chunk (complainants from `f`, then `$QUIET` who never complained, numbered
 * from `$GMAX`) as the temp table `cf`, and the statements that write customers and activities.
 */
export function customerSql(
  p: Params,
  shape: Shape,
): { cf: string; inserts: { table: string; sql: string }[] } {
  const A = p.anchor;
  const S = p.start;
  const W = shape.windowDays * D;
  const g = new Pipeline(
    `select g, min(seg) as seg, false as quiet, min(received) as first_recv, max(received) as last_recv,
        max(case when not retained then received end) as churn_recv, max(cancel_at) as churn_cancel
      from f group by g
      union all
      select g, 0, true, null, null, null, null from generate_series($GMAX::bigint + 1, $GMAX::bigint + $QUIET) g`,
    "g",
  );
  g.add(
    `case when seg = 0 then ${g.W([72, 21, 7])} else seg end as segment`,
    `case when quiet and ${g.B(0.1)} then ${g.U(S, A)} end as quiet_cancel`,
    `${g.u()} as phase`,
    `${g.N()} as n_amt`,
  );
  g.add(
    `case when quiet then ${S - 30 * D} else first_recv - ${W} end as a_from`,
    `case when quiet then coalesce(quiet_cancel, ${A}) when churn_recv is not null then churn_recv
       else least(${A}, last_recv + ${W}) end as a_until`,
    `segment > 1 as biz`,
    `case when segment > 1 then ${91 * D} else ${150 * D} end as gap`,
    `(array[8000, 48000, 600000])[segment] as median`,
  );
  g.add(
    `greatest(100, round(median * exp(0.5 * n_amt) / 100) * 100) as amount`,
    `ceil((least(a_until, ${A}) - a_from) / gap)::int + 2 as slots`,
    `${g.pick(p.texts.first!)} as first_name`,
    `${g.pick(p.texts.last!)} as last_name`,
    `${g.pick(p.texts.bizA!)} || ' ' || ${g.pick(p.texts.bizB!)} || ${g.pick(p.texts.bizC!)} as biz_name`,
  );
  const cf = `create temp table cf as ${g}`;

  const c = new Pipeline("select * from cf", "g");
  const ref = `'CUST-' || repeat('0', greatest(0, 6 - length(g::text))) || g::text`;
  const inserts: { table: string; sql: string }[] = [];
  inserts.push({
    table: "customers",
    sql: `insert into customers (org_id, id, name, email, phone, segment, lifetime_value_minor, currency, external_ref, created_at)
      select ${ORG}, pg_temp.uid(g, 12), case when biz then biz_name else first_name || ' ' || last_name end,
        case when biz then lower(first_name || '.' || last_name || '@' || left(regexp_replace(lower(biz_name), '[^a-z]', '', 'g'), 24) || '.example.com')
          else lower(first_name || '.' || last_name || (1 + floor(${c.u()} * 99))::int || '@' || ${c.pick(["example.com", "example.net", "example.org"])}) end,
        '(' || (201 + floor(${c.u()} * 789))::int || ') 555-01' || lpad(floor(${c.u()} * 100)::int::text, 2, '0'),
        (array['consumer', 'small business', 'enterprise'])[segment],
        round(greatest(0, least(a_until, ${A}) - a_from) / gap * case when biz then amount else median * 1.2 end * ${c.U(1, 2.2)}),
        'USD', ${ref}, ${ts(`a_from - ${c.U(D, 400 * D)}`)}
      from cf`,
  });

  const act = (
    kind: string,
    id: string,
    at: string,
    amount: string,
    score = "null",
    note = "null",
  ) =>
    `select ${id} as id, cust_id, ${kind}::text as kind, ${at} as at, ${amount}::bigint as amount, ${score}::smallint as score, ${note}::text as note`;
  const price = (q: Pipeline) =>
    `case when biz then amount else greatest(100, round(median * exp(0.6 * ${q.N()}) / 100) * 100) end`;
  const saleKind = (q: Pipeline) =>
    `case when biz and ${q.B(0.85)} then 'renewal' else 'purchase' end`;

  // The regular rhythm: slot i of a customer's activity window.
  const rhythm = new Pipeline(
    `select cf.*, g * 64 + i as rk, i, pg_temp.uid(g, 12) as cust_id, pg_temp.ev(g, i, a_from, gap, phase, biz) as at
      from cf cross join generate_series(1, cf.slots) i offset 0`,
    "rk",
  );
  const rhythmRows = `${act(saleKind(rhythm), `pg_temp.uid(rk, ${salt()})`, "at", price(rhythm))}
    from (${rhythm}) r where at <= a_until and at <= ${A}`;

  // Stayed through a complaint: a purchase within 90 days unless the rhythm has one already.
  const cover = new Pipeline(
    `select f.ck, f.received, cf.*, f.cust_id, least(f.received + ${90 * D}, ${A}, cf.a_until) as b,
        floor((f.received - cf.a_from) / cf.gap - case when cf.biz then cf.phase else 0 end)::int + 1 as s
      from f join cf using (g) where f.retained offset 0`,
    "ck",
  );
  cover.add(
    ...[0, 1, 2].map(
      (d) =>
        `case when s + ${d} >= 1 then pg_temp.ev(g, s + ${d}, a_from, gap, phase, biz) end as e${d}`,
    ),
  );
  const hit = (d: number) => `(e${d} > received and e${d} <= b and e${d} <= a_until)`;
  const coverRows = `${act(saleKind(cover), `pg_temp.uid(ck, ${salt()})`, `received + ${cover.U(0.15, 1)} * (b - received)`, price(cover))}
    from (${cover}) x where b > received and not coalesce(${[0, 1, 2].map(hit).join(" or ")}, false)`;

  // Cancellations: after the complaint the customer left over, or for a reason of their own.
  const cancelRows = `${act("'cancellation'", `pg_temp.uid(g, ${salt()})`, "churn_cancel", "0", "null", quote("Cancelled after complaint"))}
      from (select *, pg_temp.uid(g, 12) as cust_id from cf where churn_recv is not null and churn_cancel <= ${A} offset 0) x
    union all
    ${act("'cancellation'", `pg_temp.uid(g, ${salt()})`, "quiet_cancel", "0", "null", c.pick(["Moved out of area", "Switched provider", "No longer needed"]))}
      from (select *, pg_temp.uid(g, 12) as cust_id from cf where quiet_cancel is not null offset 0) x`;

  // Surveys: a baseline score from customers without complaints, a recovery-shaped one after.
  const baseline = (q: Pipeline) => {
    const band = q.W([42, 36, 22]);
    return `case ${band} when 1 then case when ${q.B(0.55)} then 9 else 10 end
      when 2 then case when ${q.B(0.5)} then 7 else 8 end
      else ${q.W([0.5, 0.5, 1, 1.5, 2, 3, 3.5])} - 1 end`;
  };
  const qs = new Pipeline(
    `select cf.*, g * 4 + i as sk, pg_temp.uid(g, 12) as cust_id from cf
      cross join generate_series(1, ${new Pipeline("", "g").W([55, 35, 10])} - 1) i where quiet offset 0`,
    "sk",
  );
  const pre = new Pipeline(
    `select cf.*, pg_temp.uid(g, 12) as cust_id from cf where not quiet offset 0`,
    "g",
  );
  pre.add(`first_recv - ${pre.U(30 * D, 300 * D)} as at`, `${pre.B(0.2)} as surveyed`);
  const post = new Pipeline(`select * from f where closed_now is not null offset 0`, "ck");
  post.add(`closed_now + ${post.U(7 * D, 45 * D)} as at`, `${post.B(0.4)} as surveyed`);
  const surveyRows = `${act("'survey'", `pg_temp.uid(sk, ${salt()})`, `${qs.U(S, "coalesce(quiet_cancel, " + A + ")")}`, "0", baseline(qs))}
      from (${qs}) x
    union all
    ${act("'survey'", `pg_temp.uid(g, ${salt()})`, "at", "0", baseline(pre))}
      from (${pre}) x where surveyed and at > ${S - 180 * D}
    union all
    ${act("'survey'", `pg_temp.uid(ck, ${salt()})`, "at", "0", clampedNps(post, "latent"))}
      from (${post}) x where surveyed and at <= ${A} and (cancel_at is null or at < cancel_at)`;

  // Advocacy: a referral, a positive review, or a repeat purchase (not after the customer left).
  const adv = new Pipeline(
    `select f.ck, f.adv_kind, f.adv_at, f.cust_id, cf.biz, cf.amount, cf.median, cf.churn_recv
      from f join cf using (g) where f.adv_at is not null and f.adv_kind <> 3 offset 0`,
    "ck",
  );
  const advRows = `${act(
    "case adv_kind when 1 then 'referral' when 2 then 'review' else 'purchase' end",
    `pg_temp.uid(ck, ${salt()})`,
    "adv_at",
    `case when adv_kind = 4 then ${price(adv)} else 0 end`,
    `case when adv_kind = 2 then case when ${adv.B(0.6)} then 10 else 9 end end`,
    `case adv_kind when 1 then 'Referred a friend' when 2 then 'Positive review after recovery' end`,
  )} from (${adv}) x where adv_kind <> 4 or churn_recv is null or adv_at <= churn_recv`;

  inserts.push({
    table: "customer_activities",
    sql: `insert into customer_activities (org_id, id, customer_id, kind, occurred_at, amount_minor, currency, score, note, created_at)
      select ${ORG}, id, cust_id, kind::activity_kind, ${ts("at")}, amount, 'USD', score, note, ${ts("at")}
      from (${rhythmRows} union all ${coverRows} union all ${cancelRows} union all ${surveyRows} union all ${advRows}) a`,
  });
  return { cf, inserts };
}
