/** Repeated timed requests for one case, bounded by a run count and a time budget. */
import { timedRequest, type Timing } from "./http";
import { median, p95 } from "./stats";

export interface CaseOptions {
  runs: number;
  warmup: number;
  /** Fewest measured runs before the budget may stop a case early. */
  minRuns: number;
  /** Stop measuring a case once this much time has passed (after minRuns). */
  budgetMs: number;
  timeoutMs: number;
}

export interface CaseResult {
  name: string;
  url: string;
  runs: number;
  ttfbMedian: number;
  ttfbP95: number;
  totalMedian: number;
  totalP95: number;
  bytes: number;
  errors: number;
  /** The first few errors, for the log. */
  errorSamples: string[];
  /** True when the budget stopped the case before `runs`. */
  cut: boolean;
}

/** What a response must look like to count: anything else is an error. */
export type Check = (t: Timing) => string | null;

/** A page: 200, its test id present, no error page and no panel that failed while streaming. */
export function pageCheck(testId: string): Check {
  return (t) => {
    if (t.error) return t.error;
    if (t.status !== 200)
      return `status ${t.status}${t.location ? ` → ${t.location.split("?")[0]}` : ""}`;
    if (t.body.includes("Something went wrong")) return "error page (Something went wrong)";
    // React's streamed-boundary failure: the server sends the digest and the client renders the
    // nearest error boundary.
    if (t.body.includes("$RX(") || t.body.includes("data-dgst=") || t.body.includes("data-rxi="))
      return "a panel failed while streaming";
    if (!t.body.includes(`data-testid="${testId}`)) return `no data-testid="${testId}…"`;
    return null;
  };
}

/** A JSON API reply: the expected status and a JSON body. */
export function apiCheck(status = 200): Check {
  return (t) => {
    if (t.error) return t.error;
    if (t.status !== status) return `status ${t.status}: ${t.body.slice(0, 200)}`;
    try {
      JSON.parse(t.body);
    } catch {
      return "body is not JSON";
    }
    return null;
  };
}

export async function measureCase(
  name: string,
  url: string,
  headers: Record<string, string>,
  check: Check,
  o: CaseOptions,
  log: (line: string) => void = console.log,
): Promise<CaseResult> {
  const started = Date.now();
  const ttfb: number[] = [];
  const total: number[] = [];
  const sizes: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const once = async () => {
    const t = await timedRequest(url, { headers, timeoutMs: o.timeoutMs });
    return { t, problem: check(t) };
  };
  for (let i = 0; i < o.warmup; i++) {
    const { problem } = await once();
    if (problem && errorSamples.length < 3) errorSamples.push(`warm-up: ${problem}`);
    if (Date.now() - started > o.budgetMs / 2) break;
  }
  let cut = false;
  for (let i = 0; i < o.runs; i++) {
    if (i >= o.minRuns && Date.now() - started > o.budgetMs) {
      cut = true;
      break;
    }
    const { t, problem } = await once();
    if (problem) {
      errors++;
      if (errorSamples.length < 3) errorSamples.push(problem);
      continue;
    }
    ttfb.push(t.ttfbMs);
    total.push(t.totalMs);
    sizes.push(t.bytes);
  }
  const result: CaseResult = {
    name,
    url,
    runs: ttfb.length,
    ttfbMedian: median(ttfb),
    ttfbP95: p95(ttfb),
    totalMedian: median(total),
    totalP95: p95(total),
    bytes: median(sizes),
    errors,
    errorSamples,
    cut,
  };
  const f = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : "—");
  log(
    `  ${name}: n=${result.runs}${cut ? " (budget)" : ""} ttfb ${f(result.ttfbMedian)}/${f(result.ttfbP95)} total ${f(result.totalMedian)}/${f(result.totalP95)}${errors ? ` errors ${errors}: ${errorSamples.join("; ")}` : ""}`,
  );
  return result;
}
