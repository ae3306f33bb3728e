"use client";

import { useActionState, useRef, useState } from "react";
import { Field, inputClass } from "@/app/_components/field";
import { channels, severities } from "@/db/schema";
import type { RecordedComplaint } from "@/lib/complaints/intake";
import type { IntakeOptions } from "@/lib/complaints/queries";
import type { CustomerMatch } from "@/lib/customers/queries";
import { recordComplaintAction, searchCustomersAction, type FormState } from "../actions";
import {
  convertLocalTimes,
  FormMessage,
  isoToLocal,
  resultKey,
  useFocusFirstInvalid,
  zoneName,
} from "../[id]/form-kit";
import {
  card,
  channelLabel,
  formatSpan,
  primaryButton,
  secondaryButton,
  sentimentLabel,
  severityLabel,
} from "../[id]/ui";

const sectionHeading = "text-base font-semibold text-slate-900";
const labelClass = "block text-sm font-medium text-slate-700";

/** How long typing must pause before the customer search runs. */
const SEARCH_DELAY_MS = 250;

function describeMatch(c: CustomerMatch): string {
  return [c.email, c.phone, c.externalRef].filter(Boolean).join(" · ");
}

function earlier(c: CustomerMatch): string {
  if (c.complaintCount === 0) return "no earlier complaints";
  const last = c.lastComplaintAt
    ? `, last ${formatSpan(Date.now() - new Date(c.lastComplaintAt).getTime())} ago`
    : "";
  return `${c.complaintCount} earlier complaint${c.complaintCount === 1 ? "" : "s"}${last}`;
}

/**
 * The intake form: find or add the customer, then what happened in their words, how they feel,
 * who owns it. Built to be done from the keyboard in under a minute.
 */
export function IntakeForm({
  options,
  idempotencyKey: initialKey,
}: {
  options: IntakeOptions;
  idempotencyKey: string;
}) {
  const [state, formAction, pending] = useActionState<FormState<RecordedComplaint>, FormData>(
    recordComplaintAction,
    null,
  );
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  // One key per form render: a double click or a retry records one complaint.
  const [idempotencyKey] = useState(() => initialKey || crypto.randomUUID());

  const [picked, setPicked] = useState<CustomerMatch | null>(null);
  const [newCustomer, setNewCustomer] = useState(false);
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<CustomerMatch[]>([]);
  const [searched, setSearched] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [searching, setSearching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(0);
  const searchInput = useRef<HTMLInputElement>(null);
  const channelSelect = useRef<HTMLSelectElement>(null);
  const newNameInput = useRef<HTMLInputElement>(null);

  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  const value = (field: string) => {
    const v = values[field];
    return typeof v === "string" ? v : undefined;
  };
  const aria = (field: string) => ({
    "aria-invalid": Boolean(errors[field]),
    "aria-describedby": errors[field] ? `${field}-error` : undefined,
  });

  /** The options in the list: matches, then "new customer". */
  const optionCount = results.length + 1;

  function search(text: string) {
    setQuery(text);
    setActive(-1);
    if (timer.current) clearTimeout(timer.current);
    if (text.trim().length < 2) {
      setResults([]);
      setSearched("");
      setOpen(text.trim().length > 0);
      return;
    }
    timer.current = setTimeout(async () => {
      const ticket = ++latest.current;
      setSearching(true);
      try {
        const found = await searchCustomersAction(text);
        if (ticket !== latest.current) return;
        setResults(found);
        setSearched(text);
        setOpen(true);
      } finally {
        if (ticket === latest.current) setSearching(false);
      }
    }, SEARCH_DELAY_MS);
  }

  function pick(customer: CustomerMatch) {
    setPicked(customer);
    setNewCustomer(false);
    setOpen(false);
    setActive(-1);
    requestAnimationFrame(() => channelSelect.current?.focus());
  }

  function startNewCustomer() {
    setPicked(null);
    setNewCustomer(true);
    setOpen(false);
    setActive(-1);
    requestAnimationFrame(() => newNameInput.current?.focus());
  }

  function choose(index: number) {
    if (index >= 0 && index < results.length) pick(results[index]!);
    else if (index === results.length) startNewCustomer();
  }

  function onSearchKey(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % optionCount);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (i <= 0 ? optionCount - 1 : i - 1));
    } else if (event.key === "Enter") {
      // Enter in the search box picks; it never submits the form half-filled.
      event.preventDefault();
      if (!open) return;
      if (active >= 0) choose(active);
      else if (results.length === 1) choose(0);
    } else if (event.key === "Escape") {
      setOpen(false);
      setActive(-1);
    }
  }

  const customerError = errors.customerName ?? errors.customerId;
  const newNameDefault = value("customerName") ?? (newCustomer ? query : undefined);

  return (
    <form
      ref={formRef}
      key={resultKey(state)}
      noValidate
      className="space-y-6"
      action={(formData) => {
        convertLocalTimes(formData, ["promisedBy", "receivedAt"], options.timezone);
        formAction(formData);
      }}
    >
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />

      {/* ---------------------------------------------------------------- customer */}
      <section className={card} aria-labelledby="intake-customer">
        <h2 id="intake-customer" className={sectionHeading}>
          Customer
        </h2>
        {picked ? (
          <div
            data-testid="picked-customer"
            className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-md border border-brand-100 bg-brand-50 px-4 py-3"
          >
            <input type="hidden" name="customerId" value={picked.id} />
            <div className="min-w-0">
              <p className="font-medium text-slate-900">{picked.name}</p>
              <p className="text-sm text-slate-600">
                {[describeMatch(picked), earlier(picked)].filter(Boolean).join(" · ")}
              </p>
            </div>
            <button
              type="button"
              className={secondaryButton}
              onClick={() => {
                setPicked(null);
                requestAnimationFrame(() => searchInput.current?.focus());
              }}
            >
              Change customer
            </button>
            {errors.customerId && (
              <p
                id="customerId-error"
                data-testid="customerId-error"
                className="basis-full text-sm text-red-700"
              >
                {errors.customerId[0]}
              </p>
            )}
          </div>
        ) : newCustomer ? (
          <fieldset className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2">
            <legend className="sr-only">New customer</legend>
            <Field id="customerName" label="Customer name" errors={errors.customerName}>
              <input
                ref={newNameInput}
                id="customerName"
                name="customerName"
                autoComplete="off"
                defaultValue={newNameDefault}
                className={inputClass}
                {...aria("customerName")}
              />
            </Field>
            <Field id="customerEmail" label="Email" errors={errors.customerEmail}>
              <input
                id="customerEmail"
                name="customerEmail"
                type="email"
                autoComplete="off"
                defaultValue={value("customerEmail")}
                className={inputClass}
                {...aria("customerEmail")}
              />
            </Field>
            <Field id="customerPhone" label="Phone" errors={errors.customerPhone}>
              <input
                id="customerPhone"
                name="customerPhone"
                type="tel"
                autoComplete="off"
                defaultValue={value("customerPhone")}
                className={inputClass}
                {...aria("customerPhone")}
              />
            </Field>
            <Field
              id="customerExternalRef"
              label="Customer reference"
              errors={errors.customerExternalRef}
              hint="Account or order number; an existing reference reuses that customer."
            >
              <input
                id="customerExternalRef"
                name="customerExternalRef"
                autoComplete="off"
                defaultValue={value("customerExternalRef")}
                className={inputClass}
                {...aria("customerExternalRef")}
              />
            </Field>
            <div className="sm:col-span-2">
              <button
                type="button"
                className="text-sm text-brand-700 hover:underline"
                onClick={() => {
                  setNewCustomer(false);
                  requestAnimationFrame(() => searchInput.current?.focus());
                }}
              >
                Search existing customers instead
              </button>
            </div>
          </fieldset>
        ) : (
          <div className="mt-3">
            <label htmlFor="customer-search" className={labelClass}>
              Find the customer
            </label>
            <div className="mt-1 flex gap-2">
              <div className="relative flex-1">
                <input
                  ref={searchInput}
                  id="customer-search"
                  type="search"
                  role="combobox"
                  aria-autocomplete="list"
                  aria-expanded={open}
                  aria-controls="customer-options"
                  aria-activedescendant={
                    open && active >= 0 ? `customer-option-${active}` : undefined
                  }
                  aria-invalid={Boolean(customerError)}
                  aria-describedby={customerError ? "customerName-error" : "customer-search-hint"}
                  // The first thing an agent does is find who is calling.
                  autoFocus
                  autoComplete="off"
                  placeholder="Name, email or customer reference"
                  value={query}
                  onChange={(event) => search(event.target.value)}
                  onKeyDown={onSearchKey}
                  onFocus={() => query.trim() && setOpen(true)}
                  onBlur={() => setOpen(false)}
                  className={inputClass}
                />
                {open && (
                  <ul
                    id="customer-options"
                    role="listbox"
                    aria-label="Matching customers"
                    className="absolute z-10 mt-1 max-h-80 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
                  >
                    {results.map((c, i) => (
                      <li
                        key={c.id}
                        id={`customer-option-${i}`}
                        role="option"
                        aria-selected={i === active}
                        onMouseDown={(event) => {
                          event.preventDefault();
                          pick(c);
                        }}
                        onMouseEnter={() => setActive(i)}
                        className={`cursor-pointer px-3 py-2 ${i === active ? "bg-brand-50" : ""}`}
                      >
                        <span className="font-medium text-slate-900">{c.name}</span>
                        <span className="block text-xs text-slate-500">
                          {[describeMatch(c), earlier(c)].filter(Boolean).join(" · ")}
                        </span>
                      </li>
                    ))}
                    {searched && results.length === 0 && !searching && (
                      <li role="presentation" className="px-3 py-2 text-slate-500">
                        No customer matches “{searched}”.
                      </li>
                    )}
                    <li
                      id={`customer-option-${results.length}`}
                      role="option"
                      aria-selected={active === results.length}
                      onMouseDown={(event) => {
                        event.preventDefault();
                        startNewCustomer();
                      }}
                      onMouseEnter={() => setActive(results.length)}
                      className={`cursor-pointer border-t border-slate-100 px-3 py-2 text-brand-700 ${
                        active === results.length ? "bg-brand-50" : ""
                      }`}
                    >
                      + New customer{query.trim() ? ` “${query.trim()}”` : ""}
                    </li>
                  </ul>
                )}
              </div>
              <button type="button" className={secondaryButton} onClick={startNewCustomer}>
                New customer
              </button>
            </div>
            {customerError ? (
              <p
                id="customerName-error"
                data-testid="customerName-error"
                className="mt-1 text-sm text-red-700"
              >
                {customerError[0]}
              </p>
            ) : (
              <p id="customer-search-hint" className="mt-1 text-xs text-slate-500">
                {searching
                  ? "Searching…"
                  : "Type two letters or more; ↑ ↓ to choose, Enter to pick."}
              </p>
            )}
          </div>
        )}
      </section>

      {/* ---------------------------------------------------------------- complaint */}
      <section className={card} aria-labelledby="intake-complaint">
        <h2 id="intake-complaint" className={sectionHeading}>
          What happened
        </h2>
        <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-3">
          <Field id="channel" label="Channel" errors={errors.channel}>
            <select
              ref={channelSelect}
              id="channel"
              name="channel"
              defaultValue={value("channel") ?? "phone"}
              className={inputClass}
              {...aria("channel")}
            >
              {channels.map((c) => (
                <option key={c} value={c}>
                  {channelLabel[c]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="productId" label="Product" errors={errors.productId}>
            <select
              id="productId"
              name="productId"
              defaultValue={value("productId") ?? ""}
              className={inputClass}
              {...aria("productId")}
            >
              <option value="">Not product-specific</option>
              {options.products.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="severity" label="Severity" errors={errors.severity}>
            <select
              id="severity"
              name="severity"
              defaultValue={value("severity") ?? "moderate"}
              className={inputClass}
              {...aria("severity")}
            >
              {severities.map((s) => (
                <option key={s} value={s}>
                  {severityLabel[s]}
                </option>
              ))}
            </select>
          </Field>
          <div className="sm:col-span-3">
            <Field id="summary" label="Summary" errors={errors.summary}>
              <input
                id="summary"
                name="summary"
                maxLength={300}
                placeholder="One line, e.g. Technician arrived 90 minutes late"
                defaultValue={value("summary")}
                className={inputClass}
                {...aria("summary")}
              />
            </Field>
          </div>
          <div className="sm:col-span-3">
            <Field
              id="story"
              label="The customer's story"
              errors={errors.story}
              hint="In their own words: let them tell the whole story."
            >
              <textarea
                id="story"
                name="story"
                rows={5}
                placeholder="In their own words…"
                defaultValue={value("story")}
                className={inputClass}
                {...aria("story")}
              />
            </Field>
          </div>
          <div className="sm:col-span-3">
            <Field
              id="paraphrase"
              label="Validated paraphrase"
              errors={errors.paraphrase}
              hint="Read it back and check they agree."
            >
              <textarea
                id="paraphrase"
                name="paraphrase"
                rows={2}
                placeholder="What bothered you is … is that correct?"
                defaultValue={value("paraphrase")}
                className={inputClass}
                {...aria("paraphrase")}
              />
            </Field>
          </div>
        </div>
      </section>

      {/* ---------------------------------------------------------------- feeling */}
      <section className={card} aria-labelledby="intake-feeling">
        <h2 id="intake-feeling" className={sectionHeading}>
          How they feel
        </h2>
        <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-[1fr_10rem]">
          <fieldset
            aria-invalid={Boolean(errors.intakeSentiment)}
            aria-describedby={errors.intakeSentiment ? "intakeSentiment-error" : undefined}
          >
            <legend className={labelClass}>Sentiment at intake</legend>
            <div className="mt-2 flex flex-wrap gap-2">
              {[1, 2, 3, 4, 5].map((n) => (
                <label
                  key={n}
                  className="flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 bg-white px-2.5 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
                >
                  <input
                    type="radio"
                    name="intakeSentiment"
                    value={n}
                    defaultChecked={value("intakeSentiment") === String(n)}
                    className="h-4 w-4"
                  />
                  {n} {sentimentLabel[n]}
                </label>
              ))}
            </div>
            {errors.intakeSentiment && (
              <p
                id="intakeSentiment-error"
                data-testid="intakeSentiment-error"
                className="mt-1 text-sm text-red-700"
              >
                {errors.intakeSentiment[0]}
              </p>
            )}
          </fieldset>
          <Field
            id="intakeNps"
            label="NPS at intake (0–10)"
            errors={errors.intakeNps}
            hint="How likely to recommend us, if asked."
          >
            <select
              id="intakeNps"
              name="intakeNps"
              defaultValue={value("intakeNps") ?? ""}
              className={inputClass}
              {...aria("intakeNps")}
            >
              <option value="">Not asked</option>
              {Array.from({ length: 11 }, (_, n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </section>

      {/* ---------------------------------------------------------------- ownership */}
      <section className={card} aria-labelledby="intake-ownership">
        <h2 id="intake-ownership" className={sectionHeading}>
          Ownership and promise
        </h2>
        <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field id="ownerId" label="Owner" errors={errors.ownerId}>
            <select
              id="ownerId"
              name="ownerId"
              defaultValue={value("ownerId") ?? options.defaultOwnerId}
              className={inputClass}
              {...aria("ownerId")}
            >
              {options.owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                  {o.id === options.defaultOwnerId ? " (me)" : ""}
                </option>
              ))}
            </select>
          </Field>
          <Field id="teamId" label="Team" errors={errors.teamId}>
            <select
              id="teamId"
              name="teamId"
              defaultValue={value("teamId") ?? options.defaultTeamId ?? ""}
              className={inputClass}
              {...aria("teamId")}
            >
              {options.teams.length === 0 && <option value="">No team</option>}
              {options.teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </Field>
          <Field
            id="promisedBy"
            label="Promised by (optional)"
            errors={errors.promisedBy}
            hint={`Only if you gave a date; in ${zoneName(options.timezone)}. Under-promise, over-deliver.`}
          >
            <input
              id="promisedBy"
              name="promisedBy"
              type="datetime-local"
              defaultValue={isoToLocal(value("promisedBy"), options.timezone)}
              className={inputClass}
              {...aria("promisedBy")}
            />
          </Field>
          <Field
            id="receivedAt"
            label="Received at"
            errors={errors.receivedAt}
            hint={`Leave empty for now; set it (in ${zoneName(options.timezone)}) for a letter or a late entry.`}
          >
            <input
              id="receivedAt"
              name="receivedAt"
              type="datetime-local"
              defaultValue={isoToLocal(value("receivedAt"), options.timezone)}
              className={inputClass}
              {...aria("receivedAt")}
            />
          </Field>
        </div>
      </section>

      <div className="flex flex-wrap items-center gap-4">
        <button type="submit" disabled={pending} className={primaryButton}>
          {pending ? "Recording…" : "Record complaint"}
        </button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
