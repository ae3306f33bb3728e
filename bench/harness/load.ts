/**
 * A mixed workload (issue #12): 80 % reads — the three dashboards, the complaint list, the
 * agent's queue, complaint pages, API reads — and 20 % writes — complaints through the API, then
 * remedies and follow-ups on them — arriving at a fixed rate (open loop: a request is timed from
 * when it was due, so a slow server cannot hide its backlog by sending fewer requests).
 */
import crypto from "node:crypto";
import { timedRequest, type Timing } from "./http";
import { INTAKE_KEY_PREFIX, INTAKE_MARKER, type Fixtures } from "./data";
import { quantile } from "./stats";

export interface LoadKindResult {
  kind: string;
  share: number;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  seconds: number;
  ratePerSecond: number;
  requests: number;
  writes: number;
  errors: number;
  /** The first few errors, as "kind: status message". */
  errorSamples: string[];
  p50: number;
  p95: number;
  p99: number;
  max: number;
  kinds: LoadKindResult[];
}

interface Kind {
  name: string;
  weight: number;
  write: boolean;
  run: () => Promise<{ timing: Timing; expected: number[] }>;
}

const channels = ["email", "phone", "chat", "web"];
const severities = ["minor", "moderate", "major", "critical"];

export async function runLoad(options: {
  baseUrl: string;
  fixtures: Fixtures;
  /** Session cookies per role. */
  cookies: Record<"agent" | "manager" | "quality" | "executive", string>;
  readToken: string;
  writeToken: string;
  /** The dashboards' range query (e.g. the 90-day preset). */
  range: string;
  seconds: number;
  ratePerSecond: number;
  timeoutMs: number;
  log: (line: string) => void;
}): Promise<LoadResult> {
  const { baseUrl: base, fixtures: f, cookies, range } = options;
  /** The load's own complaints and the version each was last seen at (a step names it: If-Match). */
  const created: string[] = [];
  const versions = new Map<string, number>();
  /** Complaints with a step in flight: a second step would name a stale version, as no client would. */
  const busy = new Set<string>();
  // Recent complaints to open (the agent's team's newest: what agents open most).
  const recent: string[] = [];
  let n = 0;
  const get = (path: string, headers: Record<string, string>) =>
    timedRequest(`${base}${path}`, { headers, timeoutMs: options.timeoutMs, keepBody: false });
  const api = (token: string) => ({ authorization: `Bearer ${token}` });
  const post = (path: string, body: unknown, version?: number) =>
    timedRequest(`${base}${path}`, {
      method: "POST",
      headers: {
        ...api(options.writeToken),
        "content-type": "application/json",
        "idempotency-key": `${INTAKE_KEY_PREFIX}${crypto.randomUUID()}`,
        ...(version === undefined ? {} : { "if-match": `"${version}"` }),
      },
      body: JSON.stringify(body),
      timeoutMs: options.timeoutMs,
    });
  const some = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  const dataOf = (t: Timing) => {
    try {
      return (JSON.parse(t.body) as { data?: { id?: string; version?: number } }).data;
    } catch {
      return undefined;
    }
  };

  const recordComplaint = async () => {
    const i = ++n;
    const timing = await post("/api/v1/complaints", {
      customerId: f.customerIds[i % f.customerIds.length],
      channel: channels[i % channels.length],
      severity: severities[i % severities.length],
      teamId: f.teamId,
      summary: `${INTAKE_MARKER} Billed twice for the same month (load #${i})`,
      story: "Two charges for November on my card; the chat agent could not see the second one.",
      intakeSentiment: 2,
      intakeNps: 4,
    });
    const data = dataOf(timing);
    if (timing.status === 201 && data?.id) {
      created.push(data.id);
      versions.set(data.id, data.version ?? 1);
    }
    return { timing, expected: [201] };
  };

  /** A step on one of the load's complaints no other step is changing, naming its version. */
  const step = async (path: (id: string) => string, body: unknown) => {
    const free = created.filter((id) => !busy.has(id));
    if (free.length === 0) return recordComplaint();
    const id = some(free);
    busy.add(id);
    try {
      const timing = await post(path(id), body, versions.get(id));
      const version = dataOf(timing)?.version;
      if (typeof version === "number") versions.set(id, version);
      return { timing, expected: [201] };
    } finally {
      busy.delete(id);
    }
  };

  const kinds: Kind[] = [
    ...(["manager", "quality", "executive"] as const).map((role) => ({
      name: `${role} dashboard`,
      weight: 8,
      write: false,
      run: async () => ({
        timing: await get(`/dashboards/${role}?${range}`, { cookie: cookies[role] }),
        expected: [200],
      }),
    })),
    {
      name: "complaint list",
      weight: 16,
      write: false,
      run: async () => ({
        timing: await get("/complaints", { cookie: cookies.manager }),
        expected: [200],
      }),
    },
    {
      name: "complaint list, team + status",
      weight: 8,
      write: false,
      run: async () => ({
        timing: await get(`/complaints?team=${f.teamId}&status=new&status=in_progress`, {
          cookie: cookies.agent,
        }),
        expected: [200],
      }),
    },
    {
      name: "agent queue",
      weight: 16,
      write: false,
      run: async () => ({
        timing: await get("/queue", { cookie: cookies.agent }),
        expected: [200],
      }),
    },
    {
      name: "complaint page",
      weight: 8,
      write: false,
      run: async () => ({
        timing: await get(`/complaints/${some(created.length ? created : recent)}`, {
          cookie: cookies.manager,
        }),
        expected: [200],
      }),
    },
    {
      name: "API complaints + metric",
      weight: 8,
      write: false,
      run: async () =>
        Math.random() < 0.5
          ? {
              timing: await get("/api/v1/complaints?limit=50", api(options.readToken)),
              expected: [200],
            }
          : {
              timing: await get(
                `/api/v1/metrics/first-response-time?${range}`,
                api(options.readToken),
              ),
              expected: [200],
            },
    },
    { name: "API record complaint", weight: 12, write: true, run: recordComplaint },
    {
      name: "API offer remedy",
      weight: 4,
      write: true,
      run: () =>
        step((id) => `/api/v1/complaints/${id}/remedies`, {
          kind: "refund",
          cost: "12.50",
          currency: "USD",
          description: "Second charge refunded",
        }),
    },
    {
      name: "API schedule follow-up",
      weight: 4,
      write: true,
      run: () => step((id) => `/api/v1/complaints/${id}/follow-ups`, { preset: "week" }),
    },
  ];

  // Complaints to open before the load has made any: the newest of the API's first page.
  const first = await timedRequest(`${base}/api/v1/complaints?limit=50`, {
    headers: api(options.readToken),
    timeoutMs: options.timeoutMs,
  });
  for (const c of (JSON.parse(first.body) as { data: { id: string }[] }).data) recent.push(c.id);
  if (recent.length === 0) throw new Error("the API listed no complaints to open");

  const totalWeight = kinds.reduce((s, k) => s + k.weight, 0);
  const pick = () => {
    let r = Math.random() * totalWeight;
    for (const k of kinds) if ((r -= k.weight) < 0) return k;
    return kinds[kinds.length - 1]!;
  };
  const samples = new Map<string, { ms: number[]; errors: number }>(
    kinds.map((k) => [k.name, { ms: [], errors: 0 }]),
  );
  const errorSamples: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const interval = 1000 / options.ratePerSecond;
  let sent = 0;
  let lastLog = started;
  while (performance.now() - started < options.seconds * 1000) {
    const due = started + sent * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sent++;
    const kind = pick();
    const p = kind.run().then(({ timing, expected }) => {
      // From when it was due, not when it was sent: a backlog counts against the server.
      const ms = performance.now() - due;
      const s = samples.get(kind.name)!;
      s.ms.push(ms);
      if (!expected.includes(timing.status) || timing.error) {
        s.errors++;
        if (errorSamples.length < 10)
          errorSamples.push(
            `${kind.name}: ${timing.status} ${timing.error ?? timing.body.slice(0, 200)}`,
          );
      }
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      const done = [...samples.values()].reduce((a, s) => a + s.ms.length, 0);
      options.log(
        `  ${Math.round((lastLog - started) / 1000)} s: ${done} answered, ${inFlight.size} in flight`,
      );
    }
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  const all = [...samples.values()].flatMap((s) => s.ms);
  const q = (values: number[], p: number) => (values.length ? quantile(values, p) : 0);
  const byKind = kinds.map((k) => {
    const s = samples.get(k.name)!;
    return {
      kind: k.name,
      share: k.weight / totalWeight,
      requests: s.ms.length,
      errors: s.errors,
      p50: q(s.ms, 0.5),
      p95: q(s.ms, 0.95),
      p99: q(s.ms, 0.99),
      max: s.ms.length ? Math.max(...s.ms) : 0,
    };
  });
  return {
    seconds,
    ratePerSecond: options.ratePerSecond,
    requests: all.length,
    writes: kinds.filter((k) => k.write).reduce((a, k) => a + samples.get(k.name)!.ms.length, 0),
    errors: byKind.reduce((a, k) => a + k.errors, 0),
    errorSamples,
    p50: q(all, 0.5),
    p95: q(all, 0.95),
    p99: q(all, 0.99),
    max: all.length ? Math.max(...all) : 0,
    kinds: byKind,
  };
}
