/**
 * Freshness (issue #10): a complaint recorded through the intake server action, as the form posts
 * it, is in the dashboards' figures on the very next request — the rollups move inside the
 * intake's own transaction, nothing is refreshed later.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { recordComplaintAction } from "@/app/(app)/complaints/actions";
import { parseDashboardFilters } from "@/lib/metrics/filters";
import { openComplaints, throughput, firstResponseTime } from "@/lib/metrics/performance";
import { getFunnel, getNps } from "@/lib/metrics/retention";
import { rootCausePareto } from "@/lib/metrics/root-causes";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";
import { actAs } from "../helpers/session";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
// redirect() ends a successful action by throwing; the test only needs to know it was reached.
vi.mock("next/navigation", () => ({
  redirect: vi.fn((to: string) => {
    throw Object.assign(new Error("NEXT_REDIRECT"), { to });
  }),
}));

describe.each(engines)(
  "a complaint from the intake form is in the next figures, on $name",
  (engine) => {
    let handle: DatabaseHandle;
    let org: TestOrg;

    beforeAll(async () => {
      handle = await engine.open();
      useDatabase(handle);
      org = await createTestOrg(handle.db, "Fresh");
    });
    afterAll(async () => {
      await handle.close();
    });

    function intakeForm(n: number): FormData {
      const form = new FormData();
      form.set("idempotencyKey", crypto.randomUUID());
      form.set("customerName", `Fresh Customer ${n}`);
      form.set("customerEmail", `fresh${n}@example.test`);
      form.set("channel", "phone");
      form.set("severity", "major");
      form.set("summary", "Order arrived broken");
      form.set("story", "The box was crushed and the lamp inside was in pieces.");
      form.set("intakeSentiment", "1");
      form.set("intakeNps", "2");
      return form;
    }

    async function figures() {
      const f = parseDashboardFilters({});
      actAs(org.users.manager);
      const [received, open, response] = [
        (await throughput(f)).received.current,
        (await openComplaints(f)).current,
        (await firstResponseTime(f)).awaiting.current,
      ];
      actAs(org.users.quality);
      const pareto = await rootCausePareto(f);
      actAs(org.users.executive);
      // The funnel counts angry complaints closed in the range: a new one is not there yet.
      const angryClosed = (await getFunnel(f))[0]!.value;
      const npsBefore = (await getNps(f)).before.n;
      return {
        received,
        open,
        awaitingResponse: response,
        paretoTotal: pareto.total,
        angryClosed,
        npsBefore,
      };
    }

    it("moves every dashboard's counts by one on the next read", async () => {
      const before = await figures();
      actAs(org.users.agent);
      await expect(recordComplaintAction(null, intakeForm(1))).rejects.toThrow("NEXT_REDIRECT");
      const after = await figures();
      expect(after).toEqual({
        received: before.received + 1,
        open: before.open + 1,
        awaitingResponse: before.awaitingResponse + 1,
        paretoTotal: before.paretoTotal,
        angryClosed: before.angryClosed,
        npsBefore: before.npsBefore + 1,
      });
    });
  },
);
