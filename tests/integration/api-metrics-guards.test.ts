/**
 * Guards on /api/v1 dates (issue #10): a day outside 1970–2100 or a period over 5 years is a 400
 * with a field error in the one error shape, for every metric in the registry — never a 500 —
 * and random dates and ranges never produce a 5xx. The complaint list refuses such days too.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as complaintsRoute from "@/app/api/v1/complaints/route";
import * as metricRoute from "@/app/api/v1/metrics/[name]/route";
import { useDatabase, type DatabaseHandle } from "@/db";
import { metricNames } from "@/lib/api/metrics";
import { call, issueToken } from "../helpers/api-client";
import { createComplaint } from "../helpers/complaint-fixtures";
import { engines } from "../helpers/db";
import { createTestOrg, type TestOrg } from "../helpers/fixtures";

vi.mock("@/lib/auth/session", () => import("../helpers/session"));

describe.each(engines)("API date guards on $name", (engine) => {
  let handle: DatabaseHandle;
  let org: TestOrg;
  let read: string;
  const rateLimit = process.env.TURNAROUND_API_RATE_LIMIT;

  beforeAll(async () => {
    // Hundreds of calls from one token: the per-minute limit is not what is under test.
    process.env.TURNAROUND_API_RATE_LIMIT = "1000000";
    handle = await engine.open();
    useDatabase(handle);
    org = await createTestOrg(handle.db, "Guards");
    read = await issueToken(handle.db, org, "read");
    await createComplaint(handle.db, org, { receivedAt: new Date("2025-06-01T10:00:00Z") });
    await createComplaint(handle.db, org, { receivedAt: new Date("1971-02-01T10:00:00Z") });
  });
  afterAll(async () => {
    if (rateLimit === undefined) delete process.env.TURNAROUND_API_RATE_LIMIT;
    else process.env.TURNAROUND_API_RATE_LIMIT = rateLimit;
    await handle.close();
  });

  const metric = (name: string, query: Record<string, string>) =>
    call(metricRoute.GET, "GET", `/metrics/${name}`, { token: read, params: { name }, query });

  it.each(metricNames)(
    "%s: from=0001-01-01&to=9999-12-31 is a 400 naming from and to",
    async (name) => {
      for (const query of <Record<string, string>[]>[
        { from: "0001-01-01", to: "9999-12-31" },
        { range: "custom", from: "0001-01-01", to: "9999-12-31" },
      ]) {
        const reply = await metric(name, query);
        expect(reply.status, JSON.stringify(reply.body)).toBe(400);
        expect(reply.body.error.code).toBe("validation_failed");
        expect(reply.body.error.fields.from).toEqual(["Use a date from 1970-01-01 to 2100-12-31."]);
        expect(reply.body.error.fields.to).toEqual(["Use a date from 1970-01-01 to 2100-12-31."]);
      }
    },
  );

  it("each boundary: years and span", async () => {
    const status = async (from: string, to: string) =>
      (await metric("throughput", { from, to })).status;
    expect(await status("1970-01-01", "1974-12-31")).toBe(200);
    expect(await status("1969-12-31", "1974-12-30")).toBe(400);
    expect(await status("2096-01-01", "2100-12-31")).toBe(200);
    expect(await status("2096-01-02", "2101-01-01")).toBe(400);
    expect(await status("2020-01-01", "2024-12-31")).toBe(200);
    const long = await metric("throughput", { from: "2019-12-31", to: "2024-12-31" });
    expect(long.status).toBe(400);
    expect(long.body.error.fields).toEqual({
      from: [
        "A period may span at most 5 years: with to=2024-12-31, from must be on or after 2020-01-01.",
      ],
    });
    const reversed = await metric("throughput", { from: "2024-01-02", to: "2024-01-01" });
    expect(reversed.body.error.fields).toEqual({ to: ["`to` must be on or after `from`."] });
  });

  it("property: random dates and ranges never answer 5xx", async () => {
    const day = fc.oneof(
      fc
        .date({
          min: new Date("0000-01-01T00:00:00Z"),
          max: new Date("9999-12-31T00:00:00Z"),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString().slice(0, 10)),
      // Mostly near and inside the allowed years, so many ranges reach the SQL.
      fc
        .date({
          min: new Date("1968-01-01T00:00:00Z"),
          max: new Date("2102-12-31T00:00:00Z"),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString().slice(0, 10)),
      fc.string({ maxLength: 12 }),
      fc.constantFrom("2024-02-30", "2024-13-01", "+02024-01-01", "-000001-01-01", "2024-1-1"),
    );
    const anyDay = fc.option(day, { nil: undefined });
    // A third of the queries: a real range of up to ~6 years, so many pass and reach the SQL.
    const nearRange = fc
      .tuple(
        fc.date({
          min: new Date("1969-06-01T00:00:00Z"),
          max: new Date("2101-06-01T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: -3, max: 6 * 366 }),
      )
      .map(([start, days]) => ({
        from: start.toISOString().slice(0, 10),
        to: new Date(start.getTime() + days * 86_400_000).toISOString().slice(0, 10),
      }));
    const dates = fc.oneof(
      fc.record({ from: anyDay, to: anyDay }),
      fc.record({ from: anyDay, to: anyDay }),
      nearRange,
    );
    let reachedSql = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...metricNames),
        fc.option(fc.constantFrom("7d", "90d", "year", "custom", "nope"), { nil: undefined }),
        dates,
        async (name, range, { from, to }) => {
          const query: Record<string, string> = {};
          if (range !== undefined) query.range = range;
          if (from !== undefined) query.from = from;
          if (to !== undefined) query.to = to;
          const reply = await metric(name, query);
          expect(reply.status, JSON.stringify({ name, query, body: reply.body })).toBeLessThan(500);
          expect([200, 400]).toContain(reply.status);
          if (reply.status === 400) expect(reply.body.error.fields).toBeTruthy();
          else reachedSql++;
        },
      ),
      { numRuns: engine.name === "pglite" ? 120 : 200 },
    );
    expect(reachedSql).toBeGreaterThan(10);
  });

  it("the complaint list refuses a day outside the years (400 naming it) and takes the bounds", async () => {
    const list = (query: Record<string, string>) =>
      call(complaintsRoute.GET, "GET", "/complaints", { token: read, query });
    const bad = await list({ from: "0001-01-01", to: "9999-12-31" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["from", "to"]);
    expect((await list({ from: "1969-12-31" })).status).toBe(400);
    expect((await list({ to: "2101-01-01" })).status).toBe(400);
    const all = await list({ from: "1970-01-01", to: "2100-12-31" });
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(2);
  });
});
