import { describe, expect, it } from "vitest";
import type { Severity } from "@/db/schema";
import { suggestMapping } from "@/lib/import/fields";
import { timeOrderedId } from "@/lib/import/ids";
import { slaCalendar } from "@/lib/import/sla-calendar";
import { blank, looksLikeFormula, readChannel, readDate, readYesNo } from "@/lib/import/values";
import { slaDueAt, type SlaPolicy } from "@/lib/sla";

describe("spreadsheet formulas in imported cells", () => {
  it.each([
    "=cmd|' /C calc'!A0",
    "  =1+1",
    "@SUM(1+1)",
    '+HYPERLINK("http://evil.test","x")',
    "-cmd|' /C notepad'!'A1'",
    "=HYPERLINK(A1)",
  ])("rejects %s", (v) => expect(looksLikeFormula(v)).toBe(true));
  it.each(["-- called twice", "-5 stars", "@john said no", "+1 for the refund", "a=b", ""])(
    "keeps %j",
    (v) => expect(looksLikeFormula(v)).toBe(false),
  );
});

describe("reading dates", () => {
  const ok = (v: string) => {
    const r = readDate(v, "Date");
    if (!r.ok) throw new Error(r.reason);
    return r.value.toISOString();
  };
  it("reads ISO dates, date-times and US dates", () => {
    expect(ok("2024-03-31")).toBe("2024-03-31T00:00:00.000Z");
    expect(ok("03/31/2024")).toBe("2024-03-31T00:00:00.000Z");
    expect(ok("3/1/2024 14:05")).toBe("2024-03-01T14:05:00.000Z");
    expect(ok("2024-03-31T14:05:00+02:00")).toBe("2024-03-31T12:05:00.000Z");
  });
  const notADate = "Date must be a date such as 2024-03-31, 03/31/2024 or 2024-03-31T14:05:00Z.";
  it.each([
    ["2024-02-30", notADate],
    ["31/03/2024", notADate],
    ["yesterday", notADate],
    ["2024-13-01", notADate],
    ["1800-01-01", "Date must be on or after 1970-01-01."],
  ])("refuses %s: %s", (v, reason) => expect(readDate(v, "Date")).toEqual({ ok: false, reason }));
  it("refuses the future", () => {
    const next = new Date(Date.now() + 86_400_000 * 2).toISOString().slice(0, 10);
    expect(readDate(next, "Received at")).toEqual({
      ok: false,
      reason: "Received at cannot be in the future.",
    });
  });
});

describe("lenient values", () => {
  it("maps the channels exports use", () => {
    expect(
      ["Web", "Phone", "Email", "Referral", "Postal mail", "Fax", "In person"].map((v) => {
        const r = readChannel(v);
        return r.ok ? r.value : r.reason;
      }),
    ).toEqual(["web", "phone", "email", "web", "letter", "letter", "in_person"]);
    expect(readChannel("pigeon")).toEqual({
      ok: false,
      reason: "Channel is phone, email, chat, web, social, in person or letter.",
    });
  });
  it("reads Yes/No and treats N/A as not given", () => {
    expect([readYesNo("Yes", "T"), readYesNo("no", "T"), readYesNo("N/A", "T")]).toEqual([
      { ok: true, value: true },
      { ok: true, value: false },
      { ok: true, value: null },
    ]);
    expect(blank(" n/a ")).toBe(true);
    expect(blank("XXXX")).toBe(false);
  });
});

describe("suggested mappings", () => {
  it("recognises the CFPB export", () => {
    const headers =
      "Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID".split(
        ",",
      );
    const m = suggestMapping("complaints", headers);
    expect(m.preset).toBe("cfpb");
    expect(m.columns).toMatchObject({
      externalRef: "Complaint ID",
      receivedAt: "Date received",
      channel: "Submitted via",
      product: "Product",
      subProduct: "Sub-product",
      issue: "Issue",
      subIssue: "Sub-issue",
      story: "Consumer complaint narrative",
      companyResponse: "Company response to consumer",
      timelyResponse: "Timely response?",
      company: "Company",
    });
  });
  it("matches helpdesk headers whatever their case and punctuation", () => {
    const m = suggestMapping("complaints", [
      "TICKET_ID",
      "created at",
      "Requester Email",
      "Subject",
      "Body",
    ]);
    expect(m.preset).toBe("generic");
    expect(m.columns).toMatchObject({
      externalRef: "TICKET_ID",
      receivedAt: "created at",
      customerEmail: "Requester Email",
      summary: "Subject",
      story: "Body",
      severity: null,
    });
  });
});

describe("SLA due dates for imports", () => {
  const policy: SlaPolicy = {
    timezone: "America/New_York",
    workingDays: [1, 2, 3, 4, 5],
    workdayStartMinute: 540,
    workdayEndMinute: 1020,
    holidays: new Set(["2024-07-04", "2024-11-28", "2024-12-25"]),
    closedLoopHours: 48,
    targets: new Map([
      ["minor", { firstResponseHours: 24, resolutionHours: 120, businessHours: true }],
      ["moderate", { firstResponseHours: 8, resolutionHours: 40, businessHours: true }],
      ["major", { firstResponseHours: 4, resolutionHours: 16, businessHours: true }],
      ["critical", { firstResponseHours: 1, resolutionHours: 24, businessHours: false }],
    ]),
  };
  it("gives the same instants as lib/sla.ts, across summer time and holidays", () => {
    const due = slaCalendar(policy);
    const severities: Severity[] = ["minor", "moderate", "major", "critical"];
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const at = new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 366 * 86_400_000));
      const severity = severities[i % 4]!;
      expect(due(severity, at)?.toISOString()).toBe(slaDueAt(policy, severity, at)?.toISOString());
    }
    expect(slaCalendar(null)("minor", new Date())).toBeNull();
  });
  it("gives the same instants in zones with half-hour offsets and half-hour summer time", () => {
    // Lord Howe Island moves its clocks by 30 minutes; Kolkata is UTC+5:30 all year.
    for (const timezone of ["Australia/Lord_Howe", "Asia/Kolkata"]) {
      const zoned = { ...policy, timezone };
      const due = slaCalendar(zoned);
      // Every 10 minutes around the 2024 changes on Lord Howe (7 April and 6 October).
      for (const start of [Date.UTC(2024, 3, 6, 12), Date.UTC(2024, 9, 5, 12)]) {
        for (let m = 0; m < 24 * 60; m += 10) {
          const at = new Date(start + m * 60_000);
          expect(due("moderate", at)?.toISOString()).toBe(
            slaDueAt(zoned, "moderate", at)?.toISOString(),
          );
        }
      }
    }
  });
});

describe("time-ordered ids", () => {
  it("are UUID version 7 and sort in creation order", () => {
    const ids = Array.from({ length: 10_000 }, timeOrderedId);
    expect(
      ids.every((id) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id),
      ),
    ).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
