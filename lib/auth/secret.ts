import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDirectory } from "@/db/client";

let cached: string | undefined;

type Env = Record<string, string | undefined>;

/**
 * Why this process must not serve, or null. In production (`next start`) sessions are signed with
 * AUTH_SECRET and nothing else: a secret made up per instance would sign out everyone behind a
 * load balancer, and one nobody chose is one nobody rotates. `npm start` on the embedded demo
 * passes the data folder's secret itself (scripts/start.mjs), so the newcomer sets nothing.
 */
export function authSecretProblem(env: Env = process.env): string | null {
  if (env.NODE_ENV !== "production") return null;
  if (env.AUTH_SECRET?.trim()) return null;
  return [
    "AUTH_SECRET is not set, and a production server needs it to sign sessions.",
    "Set it to a long random value kept in your secret store, the same on every instance, e.g.",
    "  AUTH_SECRET=$(openssl rand -base64 32)",
    "(`npm start` on the embedded demo database sets one for you; see docs/first-run.md.)",
  ].join("\n");
}

/**
 * AUTH_SECRET when set. Outside production (next dev, tests) one is generated on first use and
 * kept in the data folder, so development needs no configuration and sessions survive restarts.
 */
export function getAuthSecret(): string {
  if (process.env.AUTH_SECRET?.trim()) return process.env.AUTH_SECRET;
  const problem = authSecretProblem();
  // Start-up refuses first (instrumentation.ts); this keeps a secret from ever being invented.
  if (problem) throw new Error(problem);
  if (cached) return cached;
  const dir = dataDirectory();
  const file = path.join(dir, "auth-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dir, { recursive: true });
    const secret = crypto.randomBytes(32).toString("base64url");
    try {
      // "wx": if another worker wrote it first, read theirs instead of overwriting.
      fs.writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
      cached = secret;
    } catch {
      cached = fs.readFileSync(file, "utf8").trim();
    }
  }
  return cached;
}
