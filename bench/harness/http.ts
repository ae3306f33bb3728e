/** Timed HTTP requests on loopback: first byte and last byte of a streamed response. */
import http from "node:http";

export interface Timing {
  status: number;
  /** Until the response's status line and headers arrived (the first byte of the response). */
  ttfbMs: number;
  /** Until the last byte of the body (streamed Suspense panels included). */
  totalMs: number;
  bytes: number;
  body: string;
  location?: string;
  error?: string;
}

// A new connection per request: reusing one the server is closing (its keep-alive timeout)
// fails as ECONNRESET, which would count as an error; a loopback connect costs ~0.1 ms.
const agent = new http.Agent({ keepAlive: false, maxSockets: 64 });

export function timedRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs: number;
    keepBody?: boolean;
  },
): Promise<Timing> {
  return new Promise((resolve) => {
    const started = performance.now();
    let ttfbMs = Number.NaN;
    let bytes = 0;
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (t: Omit<Timing, "totalMs"> & { totalMs?: number }) => {
      if (settled) return;
      settled = true;
      resolve({ totalMs: performance.now() - started, ...t });
    };
    const req = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers, agent },
      (res) => {
        ttfbMs = performance.now() - started;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (options.keepBody !== false) chunks.push(chunk);
        });
        res.on("end", () =>
          finish({
            status: res.statusCode ?? 0,
            ttfbMs,
            bytes,
            body: Buffer.concat(chunks).toString("utf8"),
            location: res.headers.location,
          }),
        );
        res.on("error", (e) =>
          finish({ status: res.statusCode ?? 0, ttfbMs, bytes, body: "", error: e.message }),
        );
      },
    );
    req.setTimeout(options.timeoutMs, () => {
      req.destroy(new Error(`timed out after ${options.timeoutMs / 1000} s`));
    });
    req.on("error", (e) => finish({ status: 0, ttfbMs, bytes, body: "", error: e.message }));
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** Polls until the URL answers (any status below 500) or the deadline passes. */
export async function waitForUrl(url: string, deadlineMs: number, alive: () => boolean) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (!alive()) throw new Error("the server exited before it answered");
    const t = await timedRequest(url, { timeoutMs: 5000, keepBody: false });
    if (t.status > 0 && t.status < 500) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${deadlineMs / 1000} s`);
}

export function closeConnections(): void {
  agent.destroy();
}
