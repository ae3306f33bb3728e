/**
 * The SQL building blocks of the set-based generator: literals, the session's pg_temp functions
 * (hash-based random numbers, v4-shaped uuids, New York business-hours arithmetic), and a
 * pipeline builder that stacks `select *, <new columns> from (<previous>) offset 0` levels.
 *
 * Why levels: PostgreSQL inlines a SQL function only when an argument used more than once is
 * cheap, and flattens plain subqueries (copying, and so re-evaluating, their expressions). With
 * `offset 0` every level's columns are computed once and read as plain columns by the next one,
 * so each random draw is one value and every business-hours call is inlined.
 */
import type { Params } from "./params";

/** Every random draw site gets its own salt: a draw is a pure function of (row key, salt). */
let nextSalt = 100;
export const salt = () => nextSalt++;

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(12));
export const ints = (xs: number[]) => `'{${xs.join(",")}}'::int[]`;
export const floats = (xs: number[]) => `'{${xs.map(num).join(",")}}'::float8[]`;
export const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
export const texts = (xs: string[]) => `array[${xs.map(quote).join(",")}]::text[]`;
export const uuids = (xs: string[]) => `'{${xs.join(",")}}'::uuid[]`;

/** Uniform in [0, 1) from (key, salt). */
export const uKey = (key: string, s = salt()) => `pg_temp.u(${key}, ${s})`;

/** UTC instants of the US daylight-time switches, per year from `year0` (calendar.ts's rule). */
function dstBounds(year0: number, years: number): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let y = year0; y < year0 + years; y++) {
    const march = new Date(Date.UTC(y, 2, 1)).getUTCDay();
    const nov = new Date(Date.UTC(y, 10, 1)).getUTCDay();
    starts.push(Date.UTC(y, 2, 1 + ((7 - march) % 7) + 7, 7) / 1000);
    ends.push(Date.UTC(y, 10, 1 + ((7 - nov) % 7), 6) / 1000);
  }
  return { starts, ends };
}

/**
 * The session functions: created in pg_temp, so they vanish with the connection. Each body is
 * one expression whose arguments are columns, so PostgreSQL inlines every call.
 */
export function functionsSql(p: Params): string[] {
  const year0 = new Date(p.start * 1000).getUTCFullYear() - 2;
  const y0 = Date.UTC(year0, 0, 1) / 1000;
  const { starts, ends } = dstBounds(year0, 8);
  // New York's offset from UTC at UTC instant x (DST switches are in March and November, far
  // from New Year, so an average year length finds the right year).
  const offset = (x: string) =>
    `case when ${x} >= (${floats(starts)})[floor((${x} - ${y0}) / 31556952)::int + 1]
      and ${x} < (${floats(ends)})[floor((${x} - ${y0}) / 31556952)::int + 1] then -14400 else -18000 end`;
  const local = (t: string) => `(${t} + ${offset(t)})`;
  const wdk = ints(p.calWdk);
  const isWorking = ints(p.calWdk.map((k, i) => (p.calWday[k - 1] === i + 1 ? 1 : 0)));
  const wopen = floats(p.calWopen);
  const fn = (sig: string, body: string) =>
    `create function pg_temp.${sig} language sql immutable parallel safe as $$ select ${body} $$`;
  const L = local("t");
  const day = `(floor(${L} / 86400)::int - ${p.calDay0} + 1)`;
  const minute = `(${L} / 60 - floor(${L} / 86400) * 1440)`;
  return [
    fn(
      "u(k bigint, s int) returns float8",
      "((hashint8extended(k, s) >> 11) & 9007199254740991)::float8 / 9007199254740992.0",
    ),
    fn(
      "nrm(k bigint, s int) returns float8",
      "sqrt(-2 * ln(1 - pg_temp.u(k, s))) * cos(2 * pi() * pg_temp.u(k, s + 1000000))",
    ),
    // A uuid with version 4 and variant bits set (zod's z.uuid() checks both).
    fn(
      "uid(k bigint, s int) returns uuid",
      `encode(int8send((hashint8extended(k, s) & -61441) | 16384)
        || int8send((hashint8extended(k, s + 7777777) & 4611686018427387903) | '-9223372036854775808'::bigint), 'hex')::uuid`,
    ),
    // Local (New York) wall-clock seconds → UTC epoch seconds (calendar.ts's toUtc).
    fn("utc(l float8) returns float8", `l - (${offset("(l + 18000)")})`),
    // Business-minute coordinate of an instant: 480 minutes per working day, working day k
    // starting at k·480. Outside working hours: the next opening.
    fn(
      "bmin(t float8) returns float8",
      `case when ${minute} >= 1020 then (${wdk})[${day} + 1] * 480.0::float8
        when (${isWorking})[${day}] = 1 then (${wdk})[${day}] * 480.0::float8 + greatest(0, ${minute} - 540)
        else (${wdk})[${day}] * 480.0::float8 end`,
    ),
    // Coordinate → UTC instant; at a day boundary, the next opening (nextOpen).
    fn(
      "btsf(b float8) returns float8",
      `(${wopen})[floor(b / 480)::int] + (b - 480 * floor(b / 480)) * 60`,
    ),
    // Coordinate → UTC instant; at a day boundary, the previous closing (addHours).
    fn(
      "btsc(b float8) returns float8",
      `(${wopen})[ceil(b / 480)::int - 1] + (b - 480 * (ceil(b / 480) - 1)) * 60`,
    ),
    // Activity rhythm: the i-th regular purchase/renewal of a customer (see inserts.ts).
    fn(
      "ev(g bigint, i int, f float8, gap float8, off float8, biz boolean) returns float8",
      `case when biz then f + (off + i - 1) * gap + (pg_temp.u(g * 64 + i, 91) * 10 - 5) * 86400
        else f + (i - 1 + pg_temp.u(g * 64 + i, 92)) * gap end`,
    ),
    // Day of the week (0 = Sunday) in New York of a UTC instant.
    fn("dow(t float8) returns int", `((floor(${L} / 86400)::int + 4) % 7)`),
  ];
}

interface Level {
  columns: [name: string, expr: string][];
  where?: string;
}

const words = (sql: string) => new Set(sql.match(/[a-z_][a-z0-9_]*/g) ?? []);

/**
 * A chain of levels over one row key (`key`): `add` puts new columns on top of everything so far.
 * Draw helpers use fresh salts, so the same expression written twice is two independent draws:
 * a draw used twice must be made a column first.
 *
 * `build(needed, baseColumns)` carries only the columns some later level (or the reader of the
 * result, `needed`) mentions: every level copies the columns it passes on, so dropping the dead
 * ones keeps a long chain cheap. `toString()` passes everything on (`select *`).
 */
export class Pipeline {
  private readonly levels: Level[] = [];

  constructor(
    private readonly base: string,
    private readonly key: string,
  ) {}

  add(...columns: string[]): this {
    return this.addWhere(undefined, ...columns);
  }

  /** New columns (window functions allowed) over the rows of the previous level that pass `where`. */
  addWhere(where: string | undefined, ...columns: string[]): this {
    this.levels.push({
      where,
      columns: columns.map((c) => {
        const m = /^([\s\S]*)\sas\s+([a-z_][a-z0-9_]*)$/.exec(c.trim());
        if (!m) throw new Error(`a pipeline column needs "as name": ${c.slice(0, 80)}`);
        return [m[2]!, m[1]!];
      }),
    });
    return this;
  }

  build(needed?: Set<string>, baseColumns?: string[]): string {
    const n = this.levels.length;
    // Backward pass: which names each level must output.
    const outputs: (string[] | null)[] = new Array(n).fill(null);
    let live = needed ? new Set(needed) : null;
    for (let i = n - 1; i >= 0 && live; i--) {
      const level = this.levels[i]!;
      const defined = new Set(level.columns.map(([name]) => name));
      const out: string[] = [];
      for (const name of live) out.push(name);
      outputs[i] = out;
      const next = new Set<string>();
      for (const name of live) if (!defined.has(name)) next.add(name);
      for (const [name, expr] of level.columns)
        if (live.has(name)) for (const w of words(expr)) next.add(w);
      if (level.where) for (const w of words(level.where)) next.add(w);
      live = next;
    }
    let sql = this.base;
    let available = new Set(baseColumns ?? []);
    this.levels.forEach((level, i) => {
      const defined = new Set(level.columns.map(([name]) => name));
      const keep = outputs[i];
      const passed = keep
        ? [...available].filter((c) => keep.includes(c) && !defined.has(c))
        : null;
      const made = level.columns.filter(([name]) => !keep || keep.includes(name));
      const list = [
        ...(passed ? passed : ["*"]),
        ...made.map(([name, expr]) => `${expr} as ${name}`),
      ];
      sql = `select ${list.length ? list.join(",\n  ") : "1 as one"} from (${sql}) l${i}${level.where ? ` where ${level.where}` : ""} offset 0`;
      available = new Set([...(passed ?? available), ...made.map(([name]) => name)]);
    });
    return sql;
  }

  u(): string {
    return uKey(this.key);
  }
  U(lo: number | string, hi: number | string): string {
    return `(${lo} + (${hi} - (${lo})) * ${this.u()})`;
  }
  N(): string {
    return `pg_temp.nrm(${this.key}, ${salt()})`;
  }
  B(p: number | string): string {
    return `(${this.u()} < ${p})`;
  }
  /** A 1-based index drawn from weights (one draw, looked up in a quantile array). */
  W(weights: number[]): string {
    const size = 4096;
    const total = weights.reduce((a, b) => a + b, 0);
    const table: number[] = [];
    let i = 0;
    let cum = weights[0]!;
    for (let j = 0; j < size; j++) {
      const x = ((j + 0.5) / size) * total;
      while (x >= cum && i < weights.length - 1) cum += weights[++i]!;
      table.push(i + 1);
    }
    return `(${ints(table)})[1 + floor(${this.u()} * ${size})::int]`;
  }
  /** One of the values, uniformly (a 1-based pick from a text array literal). */
  pick(values: string[]): string {
    return `(${texts(values)})[1 + floor(${this.u()} * ${values.length})::int]`;
  }

  /**
   * The demo's `working(t)`: t itself inside working hours, else the next opening plus a human
   * delay of 2–75 minutes. `pre` columns (null stays null) → `name` columns; two levels.
   */
  working(items: [name: string, pre: string][]): this {
    this.add(...items.map(([n, pre]) => `pg_temp.bmin(${pre}) as ${n}_b`));
    this.add(
      ...items.map(
        ([n, pre]) =>
          `case when pg_temp.btsf(${n}_b) - ${pre} < 1 then ${pre} else pg_temp.btsf(${n}_b) + ${this.U(120, 4500)} end as ${n}`,
      ),
    );
    return this;
  }

  toString(): string {
    return this.build();
  }
}
