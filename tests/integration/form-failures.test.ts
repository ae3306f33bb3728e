/**
 * A form whose action fails unexpectedly shows a message, never nothing (issue #11): the server
 * actions (app/_server/attempt.ts) turn an unexpected error into a refusal with a message the
 * form shows, and hand back what was typed. The commands are made to throw here; every other
 * test runs them.
 */
import { describe, expect, it, vi } from "vitest";
import { FAILED_MESSAGE } from "@/lib/action-result";

vi.mock("@/lib/complaints/commands", async (original) => ({
  ...(await original<typeof import("@/lib/complaints/commands")>()),
  setPromise: vi.fn(async () => {
    throw new Error("the database went away");
  }),
}));
vi.mock("@/lib/complaints/intake", async (original) => ({
  ...(await original<typeof import("@/lib/complaints/intake")>()),
  recordComplaint: vi.fn(async () => {
    throw new Error("the database went away");
  }),
}));
vi.mock("@/lib/users/commands", async (original) => ({
  ...(await original<typeof import("@/lib/users/commands")>()),
  createUser: vi.fn(async () => {
    throw new Error("the database went away");
  }),
}));
vi.mock("@/lib/taxonomy/commands", async (original) => ({
  ...(await original<typeof import("@/lib/taxonomy/commands")>()),
  createRootCause: vi.fn(async () => {
    throw new Error("the database went away");
  }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("@/lib/auth/session", () => import("../helpers/session"));

const { recordComplaintAction, setPromiseAction } = await import("@/app/(app)/complaints/actions");
const { createUserAction } = await import("@/app/(app)/settings/users/actions");
const { saveRootCauseAction } = await import("@/app/(app)/dashboards/quality/actions");

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
};

describe("a form whose action fails unexpectedly", () => {
  it("on a complaint gets a message to show and keeps what was typed", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const promise = await setPromiseAction(
      null,
      form({ complaintId: crypto.randomUUID(), version: "3", promisedBy: "2027-01-10T09:00" }),
    );
    expect(promise).toMatchObject({
      ok: false,
      reason: "failed",
      formError: FAILED_MESSAGE,
      values: { promisedBy: "2027-01-10T09:00" },
    });
    const intake = await recordComplaintAction(
      null,
      form({ customerName: "Ines Duarte", summary: "Refund never arrived" }),
    );
    expect(intake).toMatchObject({
      ok: false,
      formError: FAILED_MESSAGE,
      values: { summary: "Refund never arrived" },
    });
    // The error itself goes to the server's log, not to the person at the form.
    expect(errors).toHaveBeenCalledTimes(2);
    errors.mockRestore();
  });

  it("in settings and the taxonomy gets the same message, keeping what was typed", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const person = await createUserAction(
      null,
      form({ name: "Ada Obi", email: "ada@example.test", role: "agent", password: "s3cret-pass" }),
    );
    expect(person).toMatchObject({
      ok: false,
      formError: FAILED_MESSAGE,
      values: { name: "Ada Obi", password: "" },
    });
    const cause = await saveRootCauseAction(null, form({ name: "Courier misses rural addresses" }));
    expect(cause).toMatchObject({
      ok: false,
      formError: FAILED_MESSAGE,
      values: { name: "Courier misses rural addresses" },
    });
    expect(errors).toHaveBeenCalledTimes(2);
    errors.mockRestore();
  });
});
