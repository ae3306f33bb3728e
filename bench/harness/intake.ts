/**
 * Intake throughput: POST /api/v1/complaints with a write token under autocannon, every
 * request with its own Idempotency-Key (a repeated key would be answered from the stored reply)
 * and summary, naming existing customers so intake creates complaints only.
 */
import crypto from "node:crypto";
import autocannon from "autocannon";
import { timedRequest } from "./http";
import { INTAKE_KEY_PREFIX, INTAKE_MARKER, type Fixtures } from "./data";

export interface IntakeResult {
  connections: number;
  seconds: number;
  requests: number;
  /** Responses per second, all statuses. */
  requestsPerSecond: number;
  /** 201 responses per second: complaints recorded. */
  createdPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
}

const channels = ["email", "phone", "chat", "web"];
const severities = ["minor", "moderate", "major", "critical"];

export async function runIntake(
  baseUrl: string,
  token: string,
  f: Fixtures,
  connections: number,
  seconds: number,
): Promise<IntakeResult> {
  let n = 0;
  const body = () => {
    n++;
    return JSON.stringify({
      customerId: f.customerIds[n % f.customerIds.length],
      channel: channels[n % channels.length],
      severity: severities[n % severities.length],
      teamId: f.teamId,
      summary: `${INTAKE_MARKER} Technician missed the appointment window (#${n})`,
      story:
        "I took the afternoon off for the 1-4 pm window and nobody came or called. " +
        "When I rang the line I was told the slot had been moved without telling me.",
      intakeSentiment: 2,
      intakeNps: 3,
    });
  };
  const headers = (key: string) => ({
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
    "idempotency-key": `${INTAKE_KEY_PREFIX}${key}`,
  });
  // One request first, so a refused body is reported with its reason instead of as a count.
  const probe = await timedRequest(`${baseUrl}/api/v1/complaints`, {
    method: "POST",
    headers: headers(crypto.randomUUID()),
    body: body(),
    timeoutMs: 60_000,
  });
  if (probe.status !== 201)
    throw new Error(`intake probe answered ${probe.status}: ${probe.body.slice(0, 500)}`);
  const result = await autocannon({
    url: `${baseUrl}/api/v1/complaints`,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, ...headers(crypto.randomUUID()) },
          body: body(),
        }),
      },
    ],
  });
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]),
  );
  const responses = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    connections,
    seconds: result.duration,
    requests: responses,
    requestsPerSecond: responses / result.duration,
    createdPerSecond: (statuses["201"] ?? 0) / result.duration,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
  };
}
