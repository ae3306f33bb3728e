/**
 * "Does the playbook work?": for each playbook step, remedy kind, first-response bucket and
 * "promise kept", the angry → advocate conversion and the 90-day retention WITH and WITHOUT it,
 * each with its 95 % Wilson interval and the number of complaints behind it. Same figures and
 * drill-downs as the raw-row reference (lib/metrics/reference/playbook-effect.ts, which states the
 * choices); read from:
 * - no filter or one dimension: the factor rollups (WITH) and the scope's totals from the
 *   complaint rollups (WITHOUT = total − WITH); conversion on the closed basis, retention on the
 *   received basis counted only where 90 days have passed (lib/rollups/read-eligible.ts);
 * - two or more filters: one scan of the facts per basis, `count(*) filter (where <factor> and
 *   <measure>)` per factor, the totals in the same scan.
 */
import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { playbookSteps, remedyKinds } from "@/db/schema";
import { remedyKindLabel } from "@/lib/labels";
import type { Operation } from "@/lib/permissions";
import { factsWhere, figureScope, sums } from "@/lib/rollups/read";
import { eligibleSums, eligibleWhere } from "@/lib/rollups/read-eligible";
import {
  eligibleFactorSums,
  ALL_FACTS,
  factFactorCounts,
  factFactors,
  factorSums,
  hasFactorSlice,
  type FactFactor,
  type FactorSums,
} from "@/lib/rollups/read-factors";
import type { DashboardFilters } from "./filters";
import type { EffectCell, EffectRow } from "./reference/playbook-effect";
import { executive, hrefOf, type SetRef } from "./reference/retention";
import type { DrillSet } from "./sets";
import { responseBuckets, setArg } from "./sets-retention";
import { wilson } from "./wilson";

export type { EffectCell, EffectRow } from "./reference/playbook-effect";

interface Factor {
  group: EffectRow["group"];
  key: string;
  label: string;
  set: DrillSet;
  value: string;
  /** The factor over a fact row, and its factor-rollup name. */
  fact: FactFactor;
}

/** WITH and the scope's TOTAL, each as factor-rollup measures. */
interface Counts {
  with: FactorSums[];
  total: { complaints: number; angry: number; angry_advocate: number; retained90: number };
}

export async function getPlaybookEffect(
  f: DashboardFilters,
  { permission = "dashboard:executive" as Operation } = {},
): Promise<EffectRow[]> {
  const { actor, db } = await executive(permission);
  const [scope, steps] = await Promise.all([
    figureScope(actor, f),
    db
      .select({ id: playbookSteps.id, name: playbookSteps.name })
      .from(playbookSteps)
      .where(and(eq(playbookSteps.orgId, actor.orgId), eq(playbookSteps.active, true)))
      .orderBy(asc(playbookSteps.position)),
  ]);
  const factors: Factor[] = [
    ...steps.map((s) => ({
      group: "Playbook step" as const,
      key: `step-${s.id}`,
      label: s.name,
      set: "step-done" as const,
      value: s.id,
      fact: factFactors.step(s.id),
    })),
    ...remedyKinds.map((k) => ({
      group: "Remedy kind" as const,
      key: `remedy-${k}`,
      label: remedyKindLabel[k],
      set: "remedy-kind" as const,
      value: k,
      fact: factFactors.remedy(k),
    })),
    ...responseBuckets.map((b) => ({
      group: "First response" as const,
      key: `response-${b.key}`,
      label: b.label,
      set: "response-bucket" as const,
      value: b.key,
      fact: factFactors.response(b.key),
    })),
    {
      group: "Promise",
      key: "promise-kept",
      label: "Promise kept",
      set: "promise-kept-factor",
      value: "yes",
      fact: factFactors.promiseKept(),
    },
  ];
  const facts = factors.map((x) => x.fact);

  let conv: Counts;
  let ret: Counts;
  if (hasFactorSlice(scope)) {
    const [cWith, cTotal, rWith, rTotal] = await Promise.all([
      factorSums(scope, "closed", f.current, facts),
      sums(scope, "closed", f.current, ["angry", "angry_advocate"]),
      eligibleFactorSums(scope, f.current, 90, facts),
      eligibleSums(scope, f.current, 90, ["complaints", "retained90"]),
    ]);
    conv = {
      with: cWith,
      total: {
        complaints: 0,
        angry: cTotal.angry!,
        angry_advocate: cTotal.angry_advocate!,
        retained90: 0,
      },
    };
    ret = {
      with: rWith,
      total: {
        complaints: rTotal.complaints!,
        angry: 0,
        angry_advocate: 0,
        retained90: rTotal.retained90!,
      },
    };
  } else {
    const [c, r] = await Promise.all([
      factFactorCounts(factsWhere(scope, "closed", f.current), [...facts, ALL_FACTS]),
      factFactorCounts(eligibleWhere(scope, f.current, 90), [...facts, ALL_FACTS]),
    ]);
    conv = { with: c.slice(0, -1), total: c.at(-1)! };
    ret = { with: r.slice(0, -1), total: r.at(-1)! };
  }

  const ref = (x: Factor, without: boolean, measure: string): SetRef => ({
    set: x.set,
    arg: setArg(x.value, { without, measure }),
  });
  const cell = (
    x: Factor,
    without: boolean,
    basis: "closed" | "received",
    n: number,
    k: number,
  ): EffectCell => {
    const [nMeasure, kMeasure] = basis === "closed" ? ["angry", "advocate"] : ["e90", "r90"];
    return {
      ...wilson(k, n),
      k,
      href: hrefOf(f, basis, ref(x, without, nMeasure!)),
      kHref: hrefOf(f, basis, ref(x, without, kMeasure!)),
    };
  };
  return factors.map((x, i) => {
    const cw = conv.with[i]!;
    const rw = ret.with[i]!;
    return {
      group: x.group,
      key: x.key,
      label: x.label,
      conversion: {
        with: cell(x, false, "closed", cw.angry, cw.angry_advocate),
        without: cell(
          x,
          true,
          "closed",
          conv.total.angry - cw.angry,
          conv.total.angry_advocate - cw.angry_advocate,
        ),
      },
      retention90: {
        with: cell(x, false, "received", rw.complaints, rw.retained90),
        without: cell(
          x,
          true,
          "received",
          ret.total.complaints - rw.complaints,
          ret.total.retained90 - rw.retained90,
        ),
      },
    };
  });
}
