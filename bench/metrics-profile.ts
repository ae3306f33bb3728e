/**
 * `npx tsx bench/metrics-profile.ts [--database NAME] [--range 90d|2y] [--filters team,channel]`:
 * times every dashboard metric function in-process (no HTTP) on a benchmark database, as its
 * dashboard's role, to find the slow figures. Median of 3 after one warm-up.
 */
import "../scripts/server-only-shim";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1]! : fallback;
  };
  const database = arg("database", "turnaround_bench_1m");
  process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${database}`;
  const { sql } = await import("drizzle-orm");
  const { getDatabase, queryRows } = await import("@/db");
  const { runAsActor } = await import("@/lib/auth/actor-context");
  const { metrics } = await import("@/lib/api/metrics");
  const { parseDashboardFilters } = await import("@/lib/metrics/filters");
  const { db } = await getDatabase();
  const [span] = await queryRows<{ last: string }>(
    db,
    sql`select to_char(max(received_at) at time zone 'UTC', 'YYYY-MM-DD') as last from complaints`,
  );
  const last = span!.last;
  const from2y = new Date(Date.parse(`${last}T00:00:00Z`) - 729 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const params: Record<string, string> =
    arg("range", "90d") === "2y" ? { range: "custom", from: from2y, to: last } : { range: "90d" };
  const filters = arg("filters", "");
  if (filters.includes("team")) {
    const [t] = await queryRows<{ id: string }>(
      db,
      sql`select team_id::text as id from complaints where team_id is not null group by 1 order by count(*) desc limit 1`,
    );
    params.team = t!.id;
  }
  if (filters.includes("channel")) params.channel = "email";
  const users = await queryRows<{ id: string; org_id: string; role: string }>(
    db,
    sql`select id, org_id, role from users where role in ('manager', 'quality', 'executive') and active`,
  );
  const f = parseDashboardFilters(params);
  console.log(`${database}, ${JSON.stringify(params)}`);
  const rows: [string, number][] = [];
  for (const [name, def] of Object.entries(metrics)) {
    const u = users.find((x) => x.role === def.dashboard)!;
    const actor = {
      userId: u.id,
      orgId: u.org_id,
      role: u.role,
      name: "bench",
      email: "",
      teamIds: [],
    } as never;
    const times: number[] = [];
    // One warm-up, then up to three runs (one when a run takes over 2 s).
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      await runAsActor(actor, () => def.run(f, {}));
      const ms = performance.now() - t;
      if (i > 0) times.push(ms);
      if (ms > 2000 && i > 0) break;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(`${median.toFixed(1).padStart(9)} ms  ${name}`);
    rows.push([name, median]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  console.log("slowest first:");
  for (const [name, ms] of rows) console.log(`${ms.toFixed(1).padStart(9)} ms  ${name}`);
  process.exit(0);
}

void main();
