// `npm start`: build, then serve the production server (`next start`; arguments pass through,
// e.g. `npm start -- -p 4000`; `--no-build` serves the last build).
//
// A production server signs sessions with AUTH_SECRET and refuses to start without it
// (lib/auth/secret.ts). So that `npm install && npm start` on the embedded demo database still
// needs no configuration, this script — and only on the embedded database (no DATABASE_URL) —
// keeps a secret in the data folder (made on first start, the same file `next dev` uses) and
// hands it to the server. With DATABASE_URL it stops before building when AUTH_SECRET is unset.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
const args = process.argv.slice(2);
const build = !args.includes("--no-build");
const serveArgs = args.filter((a) => a !== "--no-build");
const env = { ...process.env };

/** The embedded database's own secret: read, or made once (never overwritten). */
function dataFolderSecret() {
  const dir = path.resolve(env.TURNAROUND_DATA_DIR ?? ".data");
  const file = path.join(dir, "auth-secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing) return { secret: existing, file };
  } catch {
    // not made yet
  }
  fs.mkdirSync(dir, { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(file, secret, { flag: "w", mode: 0o600 });
  return { secret, file };
}

if (!env.AUTH_SECRET?.trim()) {
  if (env.DATABASE_URL) {
    console.error(
      [
        "[turnaround] AUTH_SECRET is not set, and a production server needs it to sign sessions.",
        "[turnaround] Set it to a long random value kept in your secret store, the same on every instance, e.g.",
        "[turnaround]   AUTH_SECRET=$(openssl rand -base64 32)",
        "[turnaround] See docs/first-run.md. Not starting.",
      ].join("\n"),
    );
    process.exit(1);
  }
  const { secret, file } = dataFolderSecret();
  env.AUTH_SECRET = secret;
  console.log(`[turnaround] embedded database: sessions are signed with the secret in ${file}`);
}

if (build) {
  const built = spawnSync(process.execPath, [next, "build"], { stdio: "inherit", env });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const server = spawn(process.execPath, [next, "start", ...serveArgs], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
