/** `npm run bench -- [flags]`: every flag, its default, and the usage text. */
export interface Options {
  sizes: string[];
  data: "auto" | "reuse" | "regenerate";
  /** An existing database to measure instead of the generated ones (e.g. bench_dev). */
  database?: string;
  rollups: boolean;
  demo: boolean;
  demoDir: string;
  pgUrl: string;
  port: number;
  build: boolean;
  appDir: string;
  distDir: string;
  runs: number;
  warmup: number;
  minRuns: number;
  caseBudget: number;
  startTimeout: number;
  timeout: number;
  baselineRuns: number;
  intakeSeconds: number;
  intakeConnections: number;
  /** The mixed workload (section "load"): how long and at what arrival rate. */
  loadSeconds: number;
  loadRate: number;
  only: Set<Section>;
  out: string;
}

export const sections = [
  "dashboards",
  "metrics",
  "list",
  "baseline",
  "intake",
  "queue",
  "load",
] as const;
export type Section = (typeof sections)[number];

export const USAGE = `usage: npm run bench -- [flags]

data (PostgreSQL at --pg-url):
  --sizes 100k,1m        sizes to measure, each in database turnaround_bench_<size> (default 1m;
                         10m only on request: generated lean)
  --reuse                use turnaround_bench_<size> as it is (never generate)
  --regenerate           drop and generate it even when it holds that many complaints
  --database NAME        measure an existing database instead (e.g. bench_dev); no generation
  --rollups              run scripts/rollups.ts --rebuild on a reused database too
  --pg-url URL           server to use (default postgres://postgres@127.0.0.1:5432/postgres)
  --demo                 the 20k PGlite demo instead: dashboards, then the agent's queue while
                         the dashboards load (folder --demo-dir, seeded once if missing)
  --demo-dir DIR         default bench/.data/demo

server:
  --port N               next start port (default 3210)
  --dist-dir DIR         the production build to start (default $NEXT_DIST_DIR or .next)
  --build                run next build first
  --start-timeout S      for the server to answer (default 1800: it may build the rollups)
  --app-dir DIR          start the app in another checkout (e.g. a clean copy of a commit)

how much:
  --runs N               measured runs per case (default 20), after --warmup N (default 2)
  --min-runs N           fewest runs before --case-budget may cut a case short (default 3)
  --case-budget S        seconds per case before it is cut short (default 300)
  --timeout S            per request (default 300)
  --baseline-runs N      runs of the raw-row baseline (default 5)
  --intake-seconds S     autocannon duration (default 60), --intake-connections N (default 32)
  --load-seconds S       mixed workload duration (default 300), --load-rate N requests/s (default 10)
  --only a,b             sections: ${sections.join(", ")} (default all but load)
  --out DIR              results folder (default bench/results)
`;

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    sizes: ["1m"],
    data: "auto",
    rollups: false,
    demo: false,
    demoDir: "bench/.data/demo",
    pgUrl: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    port: 3210,
    build: false,
    appDir: ".",
    distDir: process.env.NEXT_DIST_DIR ?? ".next",
    runs: 20,
    warmup: 2,
    minRuns: 3,
    caseBudget: 300,
    startTimeout: 1800,
    timeout: 300,
    baselineRuns: 5,
    intakeSeconds: 60,
    intakeConnections: 32,
    loadSeconds: 300,
    loadRate: 10,
    // The five-minute mixed workload runs only when asked for (--only load).
    only: new Set(sections.filter((s) => s !== "load")),
    out: "bench/results",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n\n${USAGE}`);
      return v;
    };
    const int = (min = 0) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min)
        throw new Error(`${name} must be a whole number ≥ ${min}`);
      return n;
    };
    switch (name) {
      case "--sizes":
        o.sizes = value()
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case "--reuse":
        o.data = "reuse";
        break;
      case "--regenerate":
        o.data = "regenerate";
        break;
      case "--database":
        o.database = value();
        break;
      case "--rollups":
        o.rollups = true;
        break;
      case "--pg-url":
        o.pgUrl = value();
        break;
      case "--demo":
        o.demo = true;
        break;
      case "--demo-dir":
        o.demoDir = value();
        break;
      case "--port":
        o.port = int(1);
        break;
      case "--dist-dir":
        o.distDir = value();
        break;
      case "--app-dir":
        o.appDir = value();
        break;
      case "--build":
        o.build = true;
        break;
      case "--runs":
        o.runs = int(1);
        break;
      case "--warmup":
        o.warmup = int(0);
        break;
      case "--min-runs":
        o.minRuns = int(1);
        break;
      case "--case-budget":
        o.caseBudget = int(1);
        break;
      case "--start-timeout":
        o.startTimeout = int(1);
        break;
      case "--timeout":
        o.timeout = int(1);
        break;
      case "--baseline-runs":
        o.baselineRuns = int(1);
        break;
      case "--intake-seconds":
        o.intakeSeconds = int(1);
        break;
      case "--intake-connections":
        o.intakeConnections = int(1);
        break;
      case "--load-seconds":
        o.loadSeconds = int(1);
        break;
      case "--load-rate":
        o.loadRate = int(1);
        break;
      case "--only": {
        const picked = value().split(",");
        for (const s of picked)
          if (!(sections as readonly string[]).includes(s))
            throw new Error(`--only: unknown section "${s}" (${sections.join(", ")})`);
        o.only = new Set(picked as Section[]);
        break;
      }
      case "--out":
        o.out = value();
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${arg}\n\n${USAGE}`);
    }
  }
  if (o.minRuns > o.runs) o.minRuns = o.runs;
  return o;
}
