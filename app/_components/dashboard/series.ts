/**
 * Series sent compactly (safe on server and client): dates as runs of a first date and a step in
 * days, and link parts as a template the browser fills in, with the exceptions sent whole. The
 * server checks every rebuilt value against the one it built, so the browser shows the same.
 */

const DAY = 86_400_000;

/** The ISO day `days` after `iso`. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Runs of dates: [first date, step in days, count]. */
export type DayRuns = [start: string, step: number, count: number][];

/** ISO days as runs of equal steps (a weekly series is one run). */
export function packDays(days: readonly string[]): DayRuns {
  const runs: DayRuns = [];
  for (const day of days) {
    const run = runs.at(-1);
    const step = run ? Math.round((Date.parse(day) - Date.parse(run[0])) / DAY) : 0;
    if (run && addDays(run[0], run[1] * run[2]) === day) run[2] += 1;
    else if (run && run[2] === 1 && step > 0 && addDays(run[0], step) === day) {
      run[1] = step;
      run[2] = 2;
    } else runs.push([day, 1, 1]);
  }
  return runs;
}

export function unpackDays(runs: DayRuns): string[] {
  return runs.flatMap(([start, step, count]) =>
    Array.from({ length: count }, (_, i) => addDays(start, step * i)),
  );
}

/**
 * Values the browser can derive (`derive(i)`), sent only where they differ: index → value.
 * The server passes what it built; the browser gets it back with `fillIn`.
 */
export function exceptions<T>(
  values: readonly T[],
  derive: (i: number) => T,
): Record<number, T> | undefined {
  const out: Record<number, T> = {};
  let any = false;
  values.forEach((v, i) => {
    if (v !== derive(i)) {
      out[i] = v;
      any = true;
    }
  });
  return any ? out : undefined;
}

export function fillIn<T>(
  count: number,
  derive: (i: number) => T,
  except: Record<number, T> | undefined,
): T[] {
  return Array.from({ length: count }, (_, i) => (except && i in except ? except[i]! : derive(i)));
}

/** A day-range link part: the week (or any span) from `start`, clipped to the period. */
export function spanPart(start: string, days: number, period: [from: string, to: string]): string {
  const from = start < period[0] ? period[0] : start;
  const end = addDays(start, days - 1);
  const to = end > period[1] ? period[1] : end;
  return `from=${from}&to=${to}`;
}

/** A link-part template filled with a row's key: "%s" never occurs in an encoded query. */
export function fillTemplate(template: string | undefined, key: string): string | undefined {
  return template == null ? undefined : template.split("%s").join(key);
}

/** Rows sent as one list of keys and a tuple per row: the keys cross the wire once. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- T: what the rows unpack to
export interface PackedRows<T = Record<string, unknown>> {
  keys: string[];
  rows: unknown[][];
}

export function packRows<T extends object>(rows: readonly T[]): PackedRows<T> {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { keys, rows: rows.map((r) => keys.map((k) => (r as Record<string, unknown>)[k])) };
}

export function unpackRows<T>(packed: T[] | PackedRows<T>): T[] {
  if (Array.isArray(packed)) return packed;
  return packed.rows.map((r) => {
    const out: Record<string, unknown> = {};
    packed.keys.forEach((k, i) => {
      if (r[i] !== undefined) out[k] = r[i];
    });
    return out as T;
  });
}
