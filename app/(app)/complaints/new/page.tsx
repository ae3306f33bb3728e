import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { getIntakeOptions } from "@/lib/complaints/queries";
import { IntakeForm } from "./intake-form";

export const metadata: Metadata = { title: "Record a complaint" };

export default async function NewComplaintPage() {
  const options = await getIntakeOptions();
  return (
    <section className="mx-auto max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Record a complaint</h1>
        <p className="mt-1 text-slate-600">
          Let the customer tell the whole story, write it in their words, then read it back to them.
        </p>
      </div>
      {/* The key is made here so the server and the browser render the same one. */}
      <IntakeForm options={options} idempotencyKey={randomUUID()} />
    </section>
  );
}
