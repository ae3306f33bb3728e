/**
 * Compact drill-down links. A panel's links share most of their query (the period, the filters),
 * so the page sends that base once and, per figure, only what differs ("a part"); the browser
 * joins them back. Safe on server and client.
 *
 * A part is the query pairs to add to the base ("basis=closed&set=sla-met"; "&" adds nothing), or a whole href
 * ("/complaints?…") when the link cannot be rebuilt exactly from the base: `splitHref` checks
 * that `joinHref` gives back the very same URL, so a click always opens what the server built.
 */

/** The order lib/complaints/list.ts writes list parameters in (filtersToSearchParams). */
const ORDER = [
  "status",
  "team",
  "owner",
  "channel",
  "severity",
  "product",
  "rootCause",
  "from",
  "to",
  "angry",
  "slaBreached",
  "followUpOverdue",
  "timely",
  "importRun",
  "basis",
  "set",
  "arg",
  "q",
  "sort",
  "limit",
  "cursor",
];

const rank = (pair: string) => {
  const i = ORDER.indexOf(pair.slice(0, pair.indexOf("=") >>> 0));
  return i < 0 ? ORDER.length : i;
};

const pairsOf = (query: string) => query.split("&").filter(Boolean);

function splitUrl(href: string): { path: string; pairs: string[] } {
  const q = href.indexOf("?");
  return q < 0
    ? { path: href, pairs: [] }
    : { path: href.slice(0, q), pairs: pairsOf(href.slice(q + 1)) };
}

/** The href of `parts` added to `base` (a path with its shared query); a whole-href part wins. */
export function joinHref(base: string, ...parts: (string | undefined)[]): string {
  const whole = parts.find((p) => p?.startsWith("/"));
  if (whole) return whole;
  const { path, pairs } = splitUrl(base);
  for (const part of parts) if (part) pairs.push(...pairsOf(part));
  // A stable sort: repeated keys (status) keep their order.
  const sorted = pairs
    .map((p, i) => [rank(p), i, p] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const query = sorted.map((s) => s[2]).join("&");
  return query ? `${path}?${query}` : path;
}

/**
 * A datum's link: its part joined to the panel's base, or the href itself without a base. A
 * number is an index into `links`, parts a table and its chart share (one array on the wire).
 */
export function linkOf(
  hrefBase: string | undefined,
  part: unknown,
  links?: readonly string[],
): string | undefined {
  if (typeof part === "number") part = links?.[part];
  if (typeof part !== "string" || !part) return undefined;
  return hrefBase == null ? part : joinHref(hrefBase, part);
}

/**
 * What `href` adds to `base` (and to `context`, parts the receiver already knows, such as a
 * row's owner), or the whole href when joining them back would not give the same URL.
 */
export function splitHref(href: string, base: string, ...context: string[]): string {
  const b = splitUrl(base);
  const h = splitUrl(href);
  if (b.path !== h.path) return href;
  const rest = [...h.pairs];
  for (const pair of [...b.pairs, ...context.flatMap(pairsOf)]) {
    const i = rest.indexOf(pair);
    if (i < 0) return href;
    rest.splice(i, 1);
  }
  const part = rest.join("&");
  // "&" (nothing to add) rather than "": an empty link field means "no link" to the charts.
  return joinHref(base, ...context, part) === href ? part || "&" : href;
}

/** The path and the query pairs every one of `hrefs` has: the base their parts add to. */
export function commonBase(hrefs: readonly (string | null | undefined)[]): string {
  const all = hrefs.filter((h): h is string => !!h).map(splitUrl);
  const first = all[0];
  if (!first) return "";
  const shared = first.pairs.filter((pair) =>
    all.every((h) => h.path === first.path && h.pairs.includes(pair)),
  );
  return shared.length ? `${first.path}?${shared.join("&")}` : first.path;
}

type HrefKeys<T> = { [K in keyof T]: T[K] extends string | null | undefined ? K : never }[keyof T];

/**
 * Rows with their link fields (`keys`) replaced by parts of one shared base: what a server panel
 * hands a client chart, which rebuilds each link with `joinHref(base, part)`.
 */
export function packHrefs<T extends object, K extends HrefKeys<T>>(
  rows: readonly T[],
  keys: readonly K[],
): { base: string; rows: T[] } {
  const base = commonBase(rows.flatMap((r) => keys.map((k) => r[k] as string | null | undefined)));
  return {
    base,
    rows: rows.map((r) => {
      const out = { ...r };
      for (const k of keys) {
        const href = r[k];
        if (typeof href === "string" && href) out[k] = splitHref(href, base) as T[K];
      }
      return out;
    }),
  };
}

const queryOf = (href: string) => splitUrl(href).pairs;

/**
 * A grid's links (root cause × product…) as a base, a part per row and per column, and what each
 * cell adds to those ("&" when nothing; or its whole href when they do not rebuild it exactly).
 */
export function packGrid(cells: readonly { row: string; column: string; href: string }[]): {
  base: string;
  rowParts: Record<string, string>;
  columnParts: Record<string, string>;
  cellParts: string[];
} {
  const base = commonBase(cells.map((c) => c.href));
  const shared = new Set(queryOf(base));
  const partOf = (key: "row" | "column", id: string) =>
    queryOf(commonBase(cells.filter((c) => c[key] === id).map((c) => c.href)))
      .filter((pair) => !shared.has(pair))
      .join("&");
  const rowParts: Record<string, string> = {};
  const columnParts: Record<string, string> = {};
  for (const c of cells) {
    rowParts[c.row] ??= partOf("row", c.row);
    columnParts[c.column] ??= partOf("column", c.column);
  }
  return {
    base,
    rowParts,
    columnParts,
    cellParts: cells.map((c) =>
      splitHref(c.href, base, rowParts[c.row] ?? "", columnParts[c.column] ?? ""),
    ),
  };
}
