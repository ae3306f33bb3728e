/** The run's results as JSON (bench/results/<date>.json) and as Markdown for BENCHMARKS.md. */
import { execFileSync } from "node:child_process";
import os from "node:os";
import type { BaselineResult } from "./baseline";
import type { IntakeResult } from "./intake";
import type { LoadResult } from "./load";
import type { CaseResult } from "./measure";
import { bytes, ms } from "./stats";

export interface DashboardCase extends CaseResult {
  dashboard: string;
  range: string;
  filters: string;
}

export interface SizeResults {
  label: string;
  engine: "PostgreSQL" | "PGlite";
  database: string;
  complaints: number;
  note: string;
  anchor: string;
  ranges: Record<string, string>;
  dashboards: DashboardCase[];
  metrics: CaseResult[];
  list: CaseResult[];
  baseline: BaselineResult[];
  intake?: IntakeResult;
  intakeRemoved?: number;
  load?: LoadResult;
  queue?: { idle: CaseResult; loaded: CaseResult; dashboardLoads: number };
  /** Server start-up (migrations, rollups when missing) until /sign-in answered. */
  serverStartSeconds?: number;
  /** Sections that could not run, with why. */
  failures: string[];
}

export interface Machine {
  nproc: number;
  memoryGiB: number;
  postgres: string;
  node: string;
  loadAverage: string;
}

export interface Results {
  date: string;
  startedAt: string;
  seconds: number;
  command: string;
  machine: Machine;
  options: Record<string, unknown>;
  sizes: SizeResults[];
}

export function machineInfo(postgresVersion: string): Machine {
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync("nproc").toString().trim()) || nproc;
  } catch {
    // os's count will do
  }
  return {
    nproc,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    postgres: postgresVersion,
    node: process.version,
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" "),
  };
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length), 3));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const n = (c: CaseResult) => `${c.runs}${c.cut ? "*" : ""}`;
const errs = (c: CaseResult) => String(c.errors);

export function toMarkdown(r: Results): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`### Dashboards, API and intake (${r.date})`);
  out.push("");
  out.push("```sh");
  out.push(r.command);
  out.push("```");
  out.push("");
  out.push(
    `Machine: ${m.nproc} cores, ${m.memoryGiB} GiB, ${m.postgres}, Node ${m.node.replace(/^v/, "")}; ` +
      `load average at start ${m.loadAverage}; the run took ${Math.round(r.seconds / 60)} min. ` +
      `Times are milliseconds from the request to the first byte (TTFB) and to the last streamed ` +
      `byte (full); medians and p95 of the measured runs after warm-ups (nearest rank). ` +
      `A run count with * was cut short by the time budget.`,
  );
  for (const s of r.sizes) {
    out.push("");
    out.push(
      `#### ${s.label}: ${s.complaints.toLocaleString("en-US")} complaints, ${s.engine} (${s.database}; ${s.note}; data up to ${s.anchor}` +
        (s.serverStartSeconds !== undefined
          ? `; server ready in ${s.serverStartSeconds.toFixed(1)} s)`
          : ")"),
    );
    out.push("");
    out.push(
      Object.entries(s.ranges)
        .map(([k, v]) => `${k} = \`${v}\``)
        .join("; "),
    );
    for (const failure of s.failures) {
      out.push("");
      out.push(`**Not measured:** ${failure}`);
    }
    if (s.dashboards.length) {
      out.push("");
      out.push(
        table(
          [
            "dashboard",
            "range",
            "filters",
            "runs",
            "TTFB median",
            "TTFB p95",
            "full median",
            "full p95",
            "page",
            "errors",
          ],
          s.dashboards.map((c) => [
            c.dashboard,
            c.range,
            c.filters,
            n(c),
            ms(c.ttfbMedian),
            ms(c.ttfbP95),
            ms(c.totalMedian),
            ms(c.totalP95),
            bytes(c.bytes),
            errs(c),
          ]),
        ),
      );
    }
    if (s.baseline.length) {
      out.push("");
      out.push(
        "Raw-row baseline: five classic queries on the complaints rows through postgres.js " +
          "(count by status; count and mean time to resolution by day; median and p90 time to " +
          "resolution; SLA met rate; count by root cause), run one after another, median of " +
          `${s.baseline[0]!.runs} runs after a warm-up, against each dashboard's full p95 (no filters).`,
      );
      out.push("");
      const rows: string[][] = [];
      for (const b of s.baseline) {
        for (const d of s.dashboards.filter((c) => c.range === b.range && c.filters === "none")) {
          const ratio = d.totalP95 / b.median;
          rows.push([
            b.range,
            d.dashboard,
            ms(d.totalP95),
            ms(b.median),
            Number.isFinite(ratio) ? ratio.toPrecision(3) : "—",
            Number.isFinite(ratio) ? `${(1 / ratio).toPrecision(2)}×` : "—",
          ]);
        }
        if (!s.dashboards.length) rows.push([b.range, "—", "—", ms(b.median), "—", "—"]);
      }
      out.push(
        table(
          [
            "range",
            "dashboard",
            "full p95",
            "raw five queries",
            "p95 ÷ raw",
            "times faster than raw",
          ],
          rows,
        ),
      );
    }
    if (s.metrics.length) {
      out.push("");
      out.push(`API metrics (${Object.keys(s.ranges)[0]}, no filters, read token):`);
      out.push("");
      out.push(
        table(
          ["endpoint", "runs", "median", "p95", "bytes", "errors"],
          s.metrics.map((c) => [
            `\`${c.name}\``,
            n(c),
            ms(c.totalMedian),
            ms(c.totalP95),
            bytes(c.bytes),
            errs(c),
          ]),
        ),
      );
    }
    if (s.list.length) {
      out.push("");
      out.push("Complaint list, first page with filters:");
      out.push("");
      out.push(
        table(
          ["request", "runs", "TTFB median", "full median", "full p95", "bytes", "errors"],
          s.list.map((c) => [
            c.name,
            n(c),
            ms(c.ttfbMedian),
            ms(c.totalMedian),
            ms(c.totalP95),
            bytes(c.bytes),
            errs(c),
          ]),
        ),
      );
    }
    if (s.load) {
      const l = s.load;
      out.push("");
      out.push(
        `Mixed workload: ${l.ratePerSecond} requests/s arriving at a fixed rate for ${Math.round(l.seconds)} s ` +
          `(80 % reads, 20 % writes), each timed from when it was due to its last byte: ` +
          `${l.requests.toLocaleString("en-US")} requests (${l.writes.toLocaleString("en-US")} writes), ` +
          `**${l.errors} errors, p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, p99 ${ms(l.p99)}**, max ${ms(l.max)}.`,
      );
      out.push("");
      out.push(
        table(
          ["request", "share", "requests", "errors", "p50", "p95", "p99", "max"],
          l.kinds.map((k) => [
            k.kind,
            `${Math.round(k.share * 100)} %`,
            k.requests.toLocaleString("en-US"),
            String(k.errors),
            ms(k.p50),
            ms(k.p95),
            ms(k.p99),
            ms(k.max),
          ]),
        ),
      );
      for (const e of l.errorSamples) out.push(`- error: ${e}`);
    }
    if (s.intake) {
      const i = s.intake;
      out.push("");
      out.push(
        `Intake: \`POST /api/v1/complaints\` with a write token, autocannon, ${i.connections} connections, ` +
          `${Math.round(i.seconds)} s, a new Idempotency-Key per request` +
          (s.intakeRemoved !== undefined
            ? `; the ${s.intakeRemoved.toLocaleString("en-US")} complaints it recorded were removed afterwards`
            : "") +
          ":",
      );
      out.push("");
      out.push(
        table(
          ["requests", "req/s", "created/s", "p50", "p99", "non-2xx", "errors", "statuses"],
          [
            [
              i.requests.toLocaleString("en-US"),
              i.requestsPerSecond.toFixed(1),
              i.createdPerSecond.toFixed(1),
              ms(i.latencyP50),
              ms(i.latencyP99),
              String(i.non2xx),
              `${i.errors}${i.timeouts ? ` (${i.timeouts} timeouts)` : ""}`,
              Object.entries(i.statuses)
                .map(([k, v]) => `${k}: ${v}`)
                .join(", "),
            ],
          ],
        ),
      );
    }
    if (s.queue) {
      const q = s.queue;
      out.push("");
      out.push(
        "The agent's queue (`/queue`), alone and while the three dashboards load in parallel in a loop " +
          `(${q.dashboardLoads} dashboard loads finished meanwhile):`,
      );
      out.push("");
      out.push(
        table(
          ["queue", "runs", "median", "p95", "errors"],
          [q.idle, q.loaded].map((c) => [c.name, n(c), ms(c.totalMedian), ms(c.totalP95), errs(c)]),
        ),
      );
    }
  }
  return out.join("\n") + "\n";
}
