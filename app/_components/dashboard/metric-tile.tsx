"use client";

import Link from "next/link";
import { colors } from "./palette";
import { formatDelta, formatValue, type ValueFormat } from "./format";

export interface MetricTileProps {
  label: string;
  value: number | null;
  format?: ValueFormat;
  /** For `money`: the ISO currency of `value` (minor units). */
  currency?: string;
  /** The same figure over the previous period of equal length. */
  previous?: number | null;
  /** Which direction is an improvement: colours the change green (better) or vermillion (worse). */
  better?: "up" | "down";
  /** The complaints list behind the figure. */
  href?: string;
  testId?: string;
  /** A short line under the value: the definition or the denominator. */
  hint?: string;
  /** Emphasised tiles are larger: the answer to the dashboard's first question. */
  emphasis?: boolean;
  /** Marks the value as needing attention (e.g. overdue > 0): a vermillion edge. */
  alert?: boolean;
  /**
   * What the figure leaves out and why (e.g. imported complaints whose resolution time was
   * completed by rule: app/_components/dashboard/left-out.ts); shown when given.
   */
  leftOut?: string | null;
  /** Extra content under the value (e.g. other currencies). */
  children?: React.ReactNode;
}

const arrows = { up: "▲", down: "▼", flat: "■" } as const;

/**
 * A headline figure with its change vs the previous period, linking to the complaints behind it.
 * A client component for its size on the wire: the page's payload carries its few props, not
 * its markup a second time.
 */
export function MetricTile({
  label,
  value,
  format = "number",
  currency,
  previous,
  better = "up",
  href,
  testId,
  hint,
  emphasis,
  alert,
  leftOut,
  children,
}: MetricTileProps) {
  const delta = formatDelta(value, previous, format, currency);
  const tone =
    delta.direction === "flat" || delta.text == null
      ? colors.neutral
      : delta.direction === better
        ? colors.good
        : colors.bad;
  const verdict =
    delta.text == null
      ? "no previous value"
      : delta.direction === "flat"
        ? "unchanged"
        : delta.direction === better
          ? "better"
          : "worse";
  const body = (
    <>
      <div className="text-xs font-medium tracking-wide text-slate-600 uppercase">{label}</div>
      <div
        className={`mt-1 font-semibold text-slate-900 tabular-nums ${emphasis ? "text-3xl" : "text-2xl"}`}
        data-testid={testId ? `${testId}-value` : undefined}
        data-value={value ?? ""}
      >
        {formatValue(value, format, currency)}
      </div>
      <div
        className="mt-1 text-xs"
        style={{ color: tone }}
        data-testid={testId ? `${testId}-delta` : undefined}
      >
        {delta.text == null ? (
          <span className="text-slate-500">no previous data</span>
        ) : (
          <>
            <span aria-hidden>{arrows[delta.direction]}</span>
            {` ${delta.text} `}
            <span className="sr-only">{`(${verdict})`}</span>
            <span className="text-slate-500">
              {`vs ${formatValue(previous ?? null, format, currency)} before`}
            </span>
          </>
        )}
      </div>
      {hint && <div className="mt-1 text-xs text-slate-500">{hint}</div>}
      {leftOut && (
        <div
          className="mt-1 text-xs text-amber-800"
          data-testid={testId ? `${testId}-left-out` : undefined}
        >
          {leftOut}
        </div>
      )}
      {children}
    </>
  );
  const className = `block rounded-lg border bg-white p-3 shadow-sm ${
    alert ? "border-l-4" : "border-slate-200"
  } ${emphasis ? "p-4" : ""} ${href ? "hover:border-slate-400 focus-visible:outline-2" : ""}`;
  const style = alert ? { borderLeftColor: colors.bad } : undefined;
  return href ? (
    <Link
      href={href}
      className={className}
      style={style}
      data-testid={testId}
      title={`${label}: open the complaints behind this figure`}
    >
      {body}
    </Link>
  ) : (
    <div className={className} style={style} data-testid={testId}>
      {body}
    </div>
  );
}
