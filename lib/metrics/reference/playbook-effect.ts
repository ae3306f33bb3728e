import "server-only";
/**
 * "Does the playbook work?": for each playbook step, remedy kind, first-response bucket and
 * "promise kept", the angry → advocate conversion and the 90-day retention WITH and WITHOUT it,
 * each with its 95 % Wilson interval and the number of complaints behind it.
 *
 * Choices: conversion is over angry complaints CLOSED in the range (as the headline conversion);
 * retention is over complaints RECEIVED in the range whose 90 days have passed. "Without" is the
 * complement within the same scope (e.g. for "promise kept": no promise, or a broken one). Remedy
 * kinds count only DELIVERED remedies. Response buckets are calendar hours to first response.
 * Correlation, not causation: the table shows the intervals so a gap inside them is not read as
 * a finding.
 */
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db";
import { complaints, playbookSteps, remedyKinds } from "@/db/schema";
import type { Actor } from "@/lib/auth/guard";
import type { Operation } from "@/lib/permissions";
import { scopeFor, type DashboardFilters } from "../filters";
import { remedyKindLabel } from "@/lib/labels";
import { executive, hrefOf, type SetRef } from "./retention";
import type { DrillSet } from "../sets";
import {
  measure,
  promiseKept,
  remedyKind,
  responseBucket,
  responseBuckets,
  setArg,
  stepDone,
} from "../sets-retention";
import { wilson, type WilsonInterval } from "../wilson";

export interface EffectCell extends WilsonInterval {
  /** Successes (advocates / retained). */
  k: number;
  /** The complaints behind the rate (n) and the successes (k). */
  href: string;
  kHref: string;
}

export interface EffectRow {
  group: "Playbook step" | "Remedy kind" | "First response" | "Promise";
  key: string;
  label: string;
  conversion: { with: EffectCell; without: EffectCell };
  retention90: { with: EffectCell; without: EffectCell };
}

interface Factor {
  group: EffectRow["group"];
  key: string;
  label: string;
  set: DrillSet;
  value: string;
  /** The factor's predicate: the same building block its drill-down set uses. */
  predicate: SQL;
}

/**
 * Counts, for each factor, WITH and WITHOUT × the two measures, in one scan: each row's factor
 * flags and measures are computed once in a fenced subquery (`offset 0` keeps the planner from
 * inlining — and re-running — them per count). The drill-down sets apply `factor and measure` /
 * `not factor and measure` with the same building blocks, so the counts equal the lists'.
 */
async function countFactors(
  db: Db,
  actor: Actor,
  f: DashboardFilters,
  basis: "closed" | "received",
  factors: Factor[],
  measures: [string, string],
): Promise<number[]> {
  const flags = sql.join(
    factors.map((x, i) => sql`(${x.predicate}) as ${sql.raw(`f${i}`)}`),
    sql`, `,
  );
  const [m0, m1] = measures.map((m) => measure(m)!) as [SQL, SQL];
  const counts = sql.join(
    factors.flatMap((_, i) => {
      const flag = sql.raw(`t.f${i}`);
      return [
        sql`count(*) filter (where ${flag} and t.m0)`,
        sql`count(*) filter (where ${flag} and t.m1)`,
        sql`count(*) filter (where not ${flag} and t.m0)`,
        sql`count(*) filter (where not ${flag} and t.m1)`,
      ].map((c, j) => sql`${c} as ${sql.raw(`c${4 * i + j}`)}`);
    }),
    sql`, `,
  );
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${counts} from (select ${flags}, (${m0}) as m0, (${m1}) as m1 from ${complaints}
      where ${scopeFor(actor, f, { basis })} offset 0) t`,
  );
  return factors.flatMap((_, i) => [0, 1, 2, 3].map((j) => Number(row?.[`c${4 * i + j}`] ?? 0)));
}

export async function getPlaybookEffect(
  f: DashboardFilters,
  { permission = "dashboard:executive" as Operation } = {},
): Promise<EffectRow[]> {
  const { actor, db } = await executive(permission);
  const steps = await db
    .select({ id: playbookSteps.id, name: playbookSteps.name })
    .from(playbookSteps)
    .where(and(eq(playbookSteps.orgId, actor.orgId), eq(playbookSteps.active, true)))
    .orderBy(asc(playbookSteps.position));
  const factors: Factor[] = [
    ...steps.map((s) => ({
      group: "Playbook step" as const,
      key: `step-${s.id}`,
      label: s.name,
      set: "step-done" as const,
      value: s.id,
      predicate: stepDone(s.id),
    })),
    ...remedyKinds.map((k) => ({
      group: "Remedy kind" as const,
      key: `remedy-${k}`,
      label: remedyKindLabel[k],
      set: "remedy-kind" as const,
      value: k,
      predicate: remedyKind(k),
    })),
    ...responseBuckets.map((b) => ({
      group: "First response" as const,
      key: `response-${b.key}`,
      label: b.label,
      set: "response-bucket" as const,
      value: b.key,
      predicate: responseBucket(b.key),
    })),
    {
      group: "Promise",
      key: "promise-kept",
      label: "Promise kept",
      set: "promise-kept-factor",
      value: "yes",
      predicate: promiseKept,
    },
  ];
  const ref = (x: Factor, without: boolean, measure: string): SetRef => ({
    set: x.set,
    arg: setArg(x.value, { without, measure }),
  });
  const conversionRefs = factors.flatMap((x) =>
    [false, true].flatMap((w) => [ref(x, w, "angry"), ref(x, w, "advocate")]),
  );
  const retentionRefs = factors.flatMap((x) =>
    [false, true].flatMap((w) => [ref(x, w, "e90"), ref(x, w, "r90")]),
  );
  const [conv, ret] = await Promise.all([
    countFactors(db, actor, f, "closed", factors, ["angry", "advocate"]),
    countFactors(db, actor, f, "received", factors, ["e90", "r90"]),
  ]);
  const cell = (
    counts: number[],
    refs: SetRef[],
    i: number,
    basis: "closed" | "received",
  ): EffectCell => {
    const n = counts[i]!;
    const k = counts[i + 1]!;
    return {
      ...wilson(k, n),
      k,
      href: hrefOf(f, basis, refs[i]!),
      kHref: hrefOf(f, basis, refs[i + 1]!),
    };
  };
  return factors.map((x, j) => ({
    group: x.group,
    key: x.key,
    label: x.label,
    conversion: {
      with: cell(conv, conversionRefs, 4 * j, "closed"),
      without: cell(conv, conversionRefs, 4 * j + 2, "closed"),
    },
    retention90: {
      with: cell(ret, retentionRefs, 4 * j, "received"),
      without: cell(ret, retentionRefs, 4 * j + 2, "received"),
    },
  }));
}
