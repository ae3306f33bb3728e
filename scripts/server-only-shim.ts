/**
 * lib/ modules import "server-only", which throws outside React Server Components. Command-line
 * scripts (the importer, the benchmarks) make it a no-op, as the tests do. Import this first and
 * load lib/ with dynamic import() afterwards: static imports are resolved before this runs.
 */
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(
      `export async function resolve(s, c, next) { if (s === "server-only") return { url: "data:text/javascript,", shortCircuit: true }; return next(s, c); }`,
    ),
);
