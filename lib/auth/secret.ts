import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDirectory } from "@/db/client";

let cached: string | undefined;

/**
 * AUTH_SECRET when set; otherwise one generated on first start and kept in the data folder, so
 * the demo needs no configuration and sessions survive restarts.
 */
export function getAuthSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
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
