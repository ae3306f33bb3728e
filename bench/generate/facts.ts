/**
 * The facts of one chunk of complaints, as one `create temp table f as select …` statement: the
 * demo generator's story (db/seed/chunk.ts → complaints.ts → intake, recovery, steps, remedies,
 * follow-ups, scores) rewritten as levels of SQL columns, one row per complaint. Times are epoch
 * seconds (float8) until the inserts. Every child table is then read from `f` (see inserts.ts).
 *
 * Customers `g` of the chunk plan 1–5 complaints each (the demo's weights) on days drawn from the
 * demo's intensity; a customer who was not retained complains no more (the rest are dropped), and
 * the chunk keeps whole customers, in order, until it has its `target` complaints.
 */
import {
  ANGRY_P,
  FAST_P,
  NEVER_RESOLVED_P,
  RESPONSE_MEDIAN_MIN,
  RETENTION,
  SEVERITY_COST,
  SEVERITY_KEYS,
} from "../../db/seed/distributions";
import { Q_CAUSE, Q_DAY, Q_SMALL, profileArrays, type Params } from "./params";
import { floats, ints, Pipeline, uKey } from "./sql-kit";

export interface ChunkArgs {
  /** Customers before this chunk (numbers continue from here). */
  customerBase: number;
  /** Candidate customers to draw (more than needed). */
  candidates: number;
  /** Complaints wanted from this chunk. */
  target: number;
}

const D = 86400;
const H = 3600;

/**
 * The facts SQL with $CUSTOMER_BASE, $CANDIDATES and $TARGET placeholders; `f` has
 * the columns named in `needed` (the words of the statements that read it).
 */
export function factsSql(p: Params, needed: Set<string>): string {
  const A = p.anchor;
  const S = p.start;
  const prof = profileArrays();
  const bySev = (r: Record<string, number>) => floats(SEVERITY_KEYS.map((s) => r[s]!));
  // Draw helpers: `q` for complaint rows (key ck), `cu` for customer rows (key g).
  const q = new Pipeline("", "ck");
  const cu = new Pipeline("", "g");

  // Customers of the chunk: segment (consumer, small business, enterprise) and planned complaints.
  const customers = `select g, ${cu.W([72, 21, 7])} as seg, ${cu.W([52, 23, 12, 8, 5])} as k
    from generate_series($CUSTOMER_BASE::bigint + 1, $CUSTOMER_BASE::bigint + $CANDIDATES) g`;
  const era = p.eraFixDays.length ? p.eraFixDays.map((d) => `(day >= ${d})::int`).join(" + ") : "0";
  const plan = `select *, lag(base) over (partition by g order by seq) as pbase from (
      select *, (${ints(p.causeQ)})[(${era}) * ${Q_CAUSE} + 1 + floor(${uKey("ck")} * ${Q_CAUSE})::int] as base from (
        select *, row_number() over (partition by g order by day, j) as seq,
          lag(day) over (partition by g order by day, j) as pday
        from (select c.g, c.seg, c.k, j, c.g * 8 + j as ck,
            (${ints(p.dayQ)})[1 + floor(${uKey("c.g * 8 + j")} * ${Q_DAY})::int] as day
          from (${customers}) c cross join generate_series(1, c.k) j offset 0) p0 offset 0) p1 offset 0) p2`;

  const pipe = new Pipeline(plan, "ck");
  const fix = floats(p.causeFixDay);
  const drop = floats(p.causeDrop);
  // Intake (db/seed/intake.ts).
  pipe.add(
    `case when pday is not null and day - pday < 120 and ${q.B(0.5)}
       and not (day >= (${fix})[pbase] and ${q.u()} < (${drop})[pbase]) then pbase else base end as cause`,
    `${q.W([34, 22, 18, 12, 7, 5, 2])} as ch`,
    `${q.W([45, 30, 18, 7])} as sev0`,
    `${q.N()} as n_min`,
    `${q.u()} as u_tilt`,
  );
  pipe.add(
    `ch in (1, 3, 6) as sync`,
    `(${ints(p.causeCategory)})[cause] as cat`,
    `case when ch in (1, 3, 6) then least(1140, greatest(480, 780 + 150 * n_min))
       when ch = 7 then ${q.U(570, 960)}
       else (780 + 270 * n_min) - 1440 * floor((780 + 270 * n_min) / 1440) end as minute`,
    `case when u_tilt < (${floats(p.causeTilt)})[cause] * 0.35 then ${q.W([1, 3, 1.2])} + 1 else sev0 end as sev`,
  );
  pipe.add(
    `pg_temp.utc(${S} + day * ${D} + minute * 60) as recv0`,
    `sev >= 3 as major`,
    `${q.u()} < (${bySev(ANGRY_P)})[sev] as angry`,
    `${q.B(0.85)} as has_sent`,
    `${q.B(0.35)} as has_nps`,
    `case when cat = 6 and ${q.B(0.75)} then 4
       when (sev = 4 and ${q.B(0.6)}) or (sev = 3 and ${q.B(0.15)}) then 3
       when ${q.B(0.5)} then 1 else 2 end as team`,
    `(${ints(p.productQ)})[(cause - 1) * ${Q_SMALL} + 1 + floor(${q.u()} * ${Q_SMALL})::int] as product`,
  );
  pipe.add(
    `round(case when recv0 > ${A - 600} then ${A} - ${q.U(600, 21600)} else recv0 end) as received`,
    `case when has_sent or (angry and not has_nps) then
       case when angry then case when ${q.B(0.55)} then 1 else 2 end else ${q.W([68, 27, 5])} + 2 end end as sentiment`,
    `case when has_nps then case when angry then ${q.W([20, 10, 12, 14, 14, 15, 15])} - 1
       else ${q.W([40, 35, 15, 10])} + 6 end end as nps`,
    `(${ints(p.agentQ)})[(team - 1) * ${Q_SMALL} + 1 + floor(${q.u()} * ${Q_SMALL})::int] as owner`,
  );
  // Handling plan (db/seed/recovery.ts).
  pipe.add(`(${ints(p.agentProfile)})[owner] as prof`, `${q.N()} as n_fr`);
  pipe.add(
    `received + (${bySev(RESPONSE_MEDIAN_MIN)})[sev] * (${floats(prof.responseFactor)})[prof] * exp(1.1 * n_fr) * 60 as fr_pre`,
    `received + ${q.U(30, 480)} as fr_sync`,
    `${q.u()} < (${bySev(NEVER_RESOLVED_P)})[sev] * case when (${floats(prof.speed)})[prof] < 0 then 1.4 when (${floats(prof.speed)})[prof] > 0 then 0.7 else 1 end as never`,
    `${q.u()} as u_fast`,
    `${q.u()} as u_oncall`,
  );
  pipe.working([
    ["fr_w", "fr_pre"],
    ["recv_w", "received"],
  ]);
  const slaHours = `(${ints(p.slaHours)})[sev]`;
  pipe.add(
    `case when sync then fr_sync else fr_w end as fr`,
    `pg_temp.btsc(recv_w_b + ${slaHours} * 60) as sla`,
    `not never and u_fast < least(0.95, greatest(0.05, (${bySev(FAST_P)})[sev] + (${floats(prof.speed)})[prof]
       + case when sync then 0.08 else -0.04 end + case when ch = 7 then -0.3 else 0 end)) as fast`,
  );
  // Opening steps: listen, validate, empathize, apologize, involve (db/seed/steps.ts).
  const opening = ["listen", "validate", "empathize", "apologize", "involve"] as const;
  pipe.add(
    `fast and sync and u_oncall < 0.4 as oncall`,
    ...opening.map((k, i) => `${q.u()} >= (${floats(prof.skip[k])})[prof] as do${i + 1}`),
    ...opening.map((_, i) => `${q.U(60, 240)} as dur${i + 1}`),
  );
  // A step is recorded when the agent gets to it by the anchor (the cursor moves 1–4 min a step).
  const cum = (i: number) =>
    i === 0
      ? "0"
      : opening
          .slice(0, i)
          .map((_, j) => `case when do${j + 1} then dur${j + 1} else 0 end`)
          .join(" + ");
  pipe.add(
    ...opening.map(
      (_, i) =>
        `case when do${i + 1} and fr + ${cum(i)} <= ${A} then fr + ${cum(i)} end as s${i + 1}`,
    ),
    `fr + ${cum(5)} as c5`,
  );
  // Resolution, with the odd reopening.
  pipe.add(
    `case when oncall then c5 + ${q.U(480, 1500)}
       when fast then least(received + ${46 * H}, fr + ${5 * H} * exp(${q.N()}))
       else received + ${2 * D} + least(${55 * D}, ${4.5 * D} * exp(0.8 * ${q.N()})) end as r0_pre`,
  );
  pipe.working([["r0_w", "r0_pre"]]);
  pipe.add(
    `greatest(case when oncall then r0_pre else r0_w end, c5 + 600) as r1`,
    `case when ${q.B(0.04)} then case when ${q.B(0.15)} then 2 else 1 end else 0 end as rc`,
    `${q.U(D, 7 * D)} as reopen_gap`,
  );
  pipe.add(`case when rc > 0 then r1 + rc * reopen_gap end as r2_pre`);
  pipe.working([["r2_w", "r2_pre"]]);
  pipe.add(`case when never then null when rc > 0 then r2_w else r1 end as res_p`);
  // Remedies (db/seed/remedies.ts): one offer, a second one after 60 % of declines.
  pipe.add(
    `case when res_p is null then 3 when res_p - received <= ${48 * H} then 1 else 2 end as handling`,
    `${q.u()} < case when major then 0.85 when sev = 2 then 0.76 else 0.7 end as wants`,
    `coalesce(res_p, fr + ${q.U(D, 6 * D)}) as rol`,
    `sync and (oncall or ${q.B(0.5)}) as rem_sync`,
    `${q.U(0.2, 0.7)} as rem_frac`,
    `case when ${q.B(0.05)} then case when ${q.B(0.5)} then 'EUR' else 'GBP' end else 'USD' end as cur`,
    `case seg when 3 then 3 when 2 then 1.6 else 1 end as ent`,
  );
  pipe.add(
    `case when wants and (case when rem_sync then c5 else greatest(c5, fr + rem_frac * (rol - fr)) end) <= ${A}
       then case when rem_sync then c5 else greatest(c5, fr + rem_frac * (rol - fr)) end end as off1`,
    ...[1, 2].flatMap((n) => [
      `(${ints(p.remedyQ)})[(cat - 1) * ${Q_SMALL} + 1 + floor(${q.u()} * ${Q_SMALL})::int] as kind${n}`,
      `${q.N()} as cost_n${n}`,
      `case when sync then ${q.U(60, 600)} else ${6 * H} * exp(${q.N()}) end as dec_gap${n}`,
      `${q.u()} as u_acc${n}`,
      `${q.U(0, 3 * H)} as del_back${n}`,
      `${q.B(0.2)} as never_del${n}`,
      `${q.U(D, 5 * D)} as never_gap${n}`,
    ]),
    `${q.B(0.6)} as retry`,
    `${q.U(H, 30 * H)} as retry_gap`,
    `${q.U(60, 240)} as dur6`,
  );
  const sevCost = floats(SEVERITY_KEYS.map((s) => SEVERITY_COST[s]));
  // Per offer: its cost and decision time, then the decision and the delivery.
  const remedyLevels = (n: 1 | 2, acceptP: number, extra: string[] = []) => {
    pipe.add(
      `case when kind${n} = 10 then 0 else round((${floats(p.remedyMedian)})[kind${n}] * (${sevCost})[sev] * ent * exp(0.5 * cost_n${n}) / 100) * 100 end as cost${n}`,
      `case when off${n} + dec_gap${n} <= ${A} then off${n} + dec_gap${n} end as dec${n}`,
    );
    const accepted = `(dec${n} is not null and u_acc${n} < case when never then 0.55 else ${acceptP} end)`;
    const delivery = `case when ${accepted} then
         case when res_p <= ${A} then greatest(dec${n}, res_p - del_back${n})
           when never and never_del${n} then dec${n} + never_gap${n} end end`;
    pipe.add(
      `case when off${n} is null then null when dec${n} is null then 'pending'
         when ${accepted} then 'accepted' else 'declined' end as decision${n}`,
      `case when ${delivery} <= ${A} then ${delivery} end as del${n}`,
      ...extra,
    );
  };
  remedyLevels(1, 0.86, [
    `case when dec1 is not null and not (u_acc1 < case when never then 0.55 else 0.86 end)
       and retry and dec1 + retry_gap <= ${A} then dec1 + retry_gap end as off2`,
  ]);
  remedyLevels(2, 0.93);
  // The Remedy step, then Commit and the promised date.
  pipe.add(
    `off1 as s6`,
    `case when off1 is not null then off1 + dur6 else c5 end as c6`,
    `greatest(case when del1 is null then 0 when kind1 = 10 then 0.4 else 1 end,
       case when del2 is null then 0 when kind2 = 10 then 0.4 else 1 end) as dscore`,
    `coalesce(decision1 = 'declined' or decision2 = 'declined', false) as declined`,
    `${q.u()} >= (${floats(prof.skip.commit)})[prof] as do7`,
    `${q.B(0.7)} as promising`,
    `${q.U(D, 6 * D)} as p_open`,
    `${q.u()} < (${floats(prof.promiseKept)})[prof] as p_kept`,
    `${q.U(2 * H, 60 * H)} as p_after`,
    `${q.U(0.3, 0.85)} as p_frac`,
    `${q.U(2 * H, 24 * H)} as p_late`,
    `${q.U(60, 240)} as dur7`,
  );
  pipe.add(`case when do7 and c6 <= ${A} then c6 end as s7`);
  pipe.add(
    `case when s7 is not null then s7 + dur7 else c6 end as c7`,
    `case when s7 is not null and promising then
       case when res_p is null then s7 + p_open
         when p_kept then res_p + p_after
         when p_frac * (res_p - s7) > 3600 then s7 + p_frac * (res_p - s7)
         else res_p + p_late end end as promised`,
  );
  pipe.add(
    `case when oncall and res_p is not null then greatest(res_p, c7 + 120) else res_p end as resolved`,
  );
  // Closing, follow-ups (db/seed/follow-ups.ts: only once resolved by the anchor).
  pipe.add(
    `case when resolved is not null then resolved + ${2.5 * D} * exp(0.7 * ${q.N()})
       when ${q.u()} < case when received > ${A - 120 * D} then 0.8 else 0.95 end then received + ${q.U(14 * D, 60 * D)} end as cl_pre`,
    `${q.B(0.45)} as unreach`,
    `case when resolved <= ${A} and ${q.u()} < (${floats(prof.followUp)})[prof]
       then resolved + (case ${q.W([45, 35, 20])} when 1 then 1 when 2 then 7 else 30 end) * ${D} end as fu1_pre`,
  );
  pipe.working([
    ["closed", "cl_pre"],
    ["fdue1", "fu1_pre"],
  ]);
  pipe.add(
    `case when fdue1 <= ${A} and ${q.u()} < case when fdue1 < ${A - 21 * D} then 1 else 0.6 end
       then fdue1 + ${3 * H} * exp(${q.N()}) end as fd1_pre`,
  );
  pipe.working([["fd1_w", "fd1_pre"]]);
  pipe.add(`case when fd1_w <= ${A} then fd1_w end as fdone1`);
  pipe.add(`case when fdone1 is not null and ${q.B(0.12)} then fdue1 + ${30 * D} end as fu2_pre`);
  pipe.working([["fdue2", "fu2_pre"]]);
  pipe.add(
    `case when fdue2 <= ${A} and ${q.u()} < case when fdue2 < ${A - 21 * D} then 1 else 0.6 end
       then fdue2 + ${3 * H} * exp(${q.N()}) end as fd2_pre`,
  );
  pipe.working([["fd2_w", "fd2_pre"]]);
  // Closing steps: Thank, Follow up, Wow.
  pipe.add(
    `case when fd2_w <= ${A} then fd2_w end as fdone2`,
    `resolved <= ${A} and ${q.u()} >= (${floats(prof.skip.thank)})[prof] as do8`,
    `${q.U(60, 240)} as dur8`,
    `${q.U(60, 240)} as dur9`,
    `resolved <= ${A} and ${q.u()} < (${floats(prof.wow)})[prof] * case when dscore > 0 then 1 else 0.5 end as do10`,
    `${q.U(0.5 * H, 3 * H)} as wow_gap`,
  );
  const thank = `(do8 and greatest(resolved, c7) <= ${A})`;
  pipe.add(
    `case when ${thank} then greatest(resolved, c7) end as s8`,
    `case when ${thank} then greatest(resolved, c7) + dur8 else c7 end as c8`,
  );
  const follow = `(fdone1 is not null and greatest(fdone1, c8) <= ${A})`;
  pipe.add(
    `case when ${follow} then greatest(fdone1, c8) end as s9`,
    `case when ${follow} then greatest(fdone1, c8) + dur9 else c8 end as c9`,
  );
  pipe.add(
    `case when do10 and greatest(coalesce(fdone1, resolved) + wow_gap, c9) <= ${A}
       then greatest(coalesce(fdone1, resolved) + wow_gap, c9) end as s10`,
  );
  // Retention (the classic finding) and the customer's score after recovery (db/seed/scores.ts).
  const ret = floats([
    RETENTION.minor.fast,
    RETENTION.minor.slow,
    RETENTION.minor.none,
    RETENTION.major.fast,
    RETENTION.major.slow,
    RETENTION.major.none,
  ]);
  const required = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `(s${i} is not null)::int`).join(" + ");
  pipe.add(
    `${q.u()} < (${ret})[case when major then 3 else 0 end + handling] as retained`,
    `(${required}) / 9.0 as adherence`,
    `case when promised is null then null else coalesce(resolved <= promised, false) end as p_ok`,
    `coalesce(s10, c9) as cursor_end`,
    `${q.N()} as n_z`,
  );
  pipe.add(
    `case handling when 1 then 1.0 when 2 then 0 else -0.5 end + 1.2 * (adherence - 0.75)
       + case when dscore > 0 then 0.5 * dscore when declined then -0.2 else -0.3 end
       + case when p_ok is null then 0 when p_ok then 0.4 else -0.6 end
       + case when s10 is not null then 0.4 else 0 end - case when rc > 0 then 0.5 else 0 end
       - case when angry then 0.3 else 0 end - case when major then 0.2 else 0 end
       + case when retained then 0.3 else -1.0 end + 0.9 * n_z as z`,
  );
  const cuts = [1.6, 1.0, 0.6, 0.2, -0.2, -0.6, -1.0, -1.4, -1.8, -2.3];
  pipe.add(
    `case ${cuts.map((c, i) => `when z >= ${c} then ${10 - i}`).join(" ")} else 0 end as latent`,
    `fr <= ${A} as responded`,
    `case when resolved <= ${A} then resolved end as res_now`,
    `case when not retained then least(greatest(received + ${q.U(5 * D, 70 * D)},
       least(coalesce(resolved, 0), received + ${80 * D}) + ${D}), received + ${85 * D}) end as cancel_at`,
    `received + case when ch = 4 then 0 else ${q.U(60, 240)} end as created`,
  );
  pipe.add(
    `case when fr <= ${A} and closed <= ${A} and (resolved is null or res_now is not null) then closed end as closed_now`,
  );
  // Advocacy after a good recovery (db/seed/activity.ts), and the complaint's status.
  pipe.add(
    `case when closed_now is not null and retained and
       ${q.u()} < case when latent >= 9 then 0.35 when latent >= 7 then 0.06 else 0 end
       then case when latent >= 9 then ${q.W([30, 35, 10, 25])} else 4 end end as adv_kind`,
    `closed_now + ${q.U(3 * D, 60 * D)} as adv_at_raw`,
  );
  // Churners complain no more; the chunk keeps whole customers until it has its target.
  pipe.add(
    `case when not responded then 'new' when closed_now is not null then 'closed'
       when res_now is not null then 'resolved' else 'in_progress' end as status`,
    `case when adv_kind is not null and adv_at_raw <= ${A} then adv_at_raw end as adv_at`,
    `min(case when not retained then seq end) over (partition by g) as churn_seq`,
  );
  pipe.add(`coalesce(churn_seq, k) as actual`);
  pipe.addWhere(
    "seq <= actual",
    `sum(case when seq = 1 then actual else 0 end)
       over (order by g, seq rows between unbounded preceding and current row) - actual as before`,
  );
  pipe.addWhere(
    "before + seq <= $TARGET",
    "pg_temp.uid(ck, 11) as cid",
    "pg_temp.uid(g, 12) as cust_id",
  );
  const baseColumns = ["g", "seg", "k", "j", "ck", "day", "seq", "pday", "base", "pbase"];
  return `create temp table f as ${pipe.build(needed, baseColumns)}`;
}

export function fillChunk(sql: string, c: ChunkArgs): string {
  return sql
    .replaceAll("$CUSTOMER_BASE", String(c.customerBase))
    .replaceAll("$CANDIDATES", String(c.candidates))
    .replaceAll("$TARGET", String(c.target));
}
