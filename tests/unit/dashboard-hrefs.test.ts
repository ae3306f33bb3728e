/**
 * Compact drill-down links (app/_components/dashboard/hrefs.ts): a panel sends the shared query
 * once and a part per figure; joined back, every link is the very URL the server built.
 */
import { describe, expect, it, vi } from "vitest";
import {
  commonBase,
  joinHref,
  packGrid,
  packHrefs,
  splitHref,
} from "@/app/_components/dashboard/hrefs";
import { drillHref, parseDashboardFilters } from "@/lib/metrics/filters";

// filters.ts reaches the auth module through the complaints list; keep next-auth out of unit tests.
vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const TODAY = new Date("2026-11-23T15:30:00Z");
const team = "b1c4edb3-9a07-4ea0-ae04-f3096c256044";
const owner = "db35b5e4-845a-41b1-bd64-06d2524952a4";

describe("compact drill-down links", () => {
  const f = parseDashboardFilters({ team, channel: "email", severity: "critical" }, TODAY);
  const hrefs = [
    drillHref(f),
    drillHref(f, { basis: "resolved", set: "sla-met" }),
    drillHref(f, { basis: "closed", set: "step-done", extra: { arg: `${owner}:without:angry` } }),
    drillHref(f, { extra: { owner }, basis: "resolved", set: "resolved" }),
    drillHref(f, { extra: { status: ["new", "in_progress"] } }),
    drillHref(f, { range: f.previous }),
  ];

  it("every list link the metrics build comes back identical from the base and its part", () => {
    const base = commonBase(hrefs);
    expect(base).toBe(`/complaints?team=${team}&channel=email&severity=critical`);
    for (const href of hrefs) {
      const part = splitHref(href, base);
      expect(part.length).toBeLessThan(href.length);
      expect(joinHref(base, part)).toBe(href);
    }
  });

  it("a part leaves out what the receiver already knows (a row's owner)", () => {
    const base = drillHref(f);
    const href = drillHref(f, { extra: { owner }, basis: "resolved", set: "sla-met" });
    const part = splitHref(href, base, `owner=${owner}`);
    expect(part).toBe("basis=resolved&set=sla-met");
    expect(joinHref(base, `owner=${owner}`, part)).toBe(href);
  });

  it("a link the base cannot rebuild is sent whole, and a whole part wins when joined", () => {
    const base = drillHref(f);
    const other = "/complaints/123e4567-e89b-12d3-a456-426614174000";
    expect(splitHref(other, base)).toBe(other);
    expect(joinHref(base, splitHref(other, base))).toBe(other);
    // The base's period is not this link's: nothing to share, the whole href goes.
    const previous = drillHref(f, { range: f.previous });
    expect(splitHref(previous, base)).toBe(previous);
    // The base itself: a non-empty part, so charts still see a link.
    expect(splitHref(base, base)).toBe("&");
    expect(joinHref(base, "&")).toBe(base);
  });

  it("packs rows: shared base once, missing links stay missing", () => {
    const rows = [
      { label: "a", href: hrefs[1], other: hrefs[2] },
      { label: "b", href: hrefs[3], other: undefined },
      { label: "c", href: "", other: hrefs[0] },
    ];
    const packed = packHrefs(rows, ["href", "other"]);
    expect(packed.rows.map((r) => [r.href, r.other])).toEqual([
      ["basis=resolved&set=sla-met", splitHref(hrefs[2]!, packed.base)],
      [splitHref(hrefs[3]!, packed.base), undefined],
      ["", splitHref(hrefs[0]!, packed.base)],
    ]);
    packed.rows.forEach((r, i) => {
      if (rows[i]!.href) expect(joinHref(packed.base, r.href)).toBe(rows[i]!.href);
      if (rows[i]!.other) expect(joinHref(packed.base, r.other)).toBe(rows[i]!.other);
    });
  });
});

describe("compact grid links", () => {
  const f = parseDashboardFilters({ channel: "email" }, TODAY);
  const causes = ["c1", "c2"];
  const products = ["p1", "p2", "p3"];
  const cells = causes.flatMap((rootCause) =>
    products.map((product) => ({
      row: rootCause,
      column: product,
      href: drillHref(f, { extra: { rootCause, product } }),
    })),
  );

  it("a cell's link is the base, its row's part and its column's part", () => {
    const grid = packGrid(cells);
    expect(grid.rowParts).toEqual({ c1: "rootCause=c1", c2: "rootCause=c2" });
    expect(grid.columnParts).toEqual({ p1: "product=p1", p2: "product=p2", p3: "product=p3" });
    expect(grid.cellParts.every((p) => p === "&")).toBe(true);
    cells.forEach((c, i) =>
      expect(
        joinHref(grid.base, grid.rowParts[c.row], grid.columnParts[c.column], grid.cellParts[i]),
      ).toBe(c.href),
    );
  });

  it("a single cell still rebuilds exactly", () => {
    const one = cells.slice(0, 1);
    const grid = packGrid(one);
    expect(joinHref(grid.base, grid.rowParts.c1, grid.columnParts.p1, grid.cellParts[0])).toBe(
      one[0]!.href,
    );
  });
});
