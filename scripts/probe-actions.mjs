// Calls every server action of a running build with junk, as an attacker would (issue #12):
// anonymously, with a forged session cookie and signed in as each demo role. Every answer must
// be below 500. Usage:
//   node scripts/probe-actions.mjs http://localhost:3190 [distDir=.next]
// The action ids come from the build's server-reference manifest; the demo users share the
// password turnaround-demo (db/seed/constants.ts).
import fs from "node:fs";
import path from "node:path";

const [base = "http://localhost:3100", distDir = process.env.NEXT_DIST_DIR ?? ".next"] =
  process.argv.slice(2);
const manifest = JSON.parse(
  fs.readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8"),
);
const actions = Object.entries(manifest.node).map(([id, entry]) => ({
  id,
  name: `${entry.filename} ${entry.exportedName}`,
}));

const roles = ["agent", "manager", "quality", "executive", "admin"];
const huge = JSON.stringify(["x".repeat(1_100_000)]);

/** Junk bodies: argument lists React would encode, and bodies it never would. */
const bodies = [
  ["no arguments", "text/plain;charset=UTF-8", "[]"],
  ["a string", "text/plain;charset=UTF-8", '["junk"]'],
  ["null and a number", "text/plain;charset=UTF-8", "[null,42]"],
  ["objects", "text/plain;charset=UTF-8", '[{},{"__proto__":{"x":1},"constructor":1}]'],
  ["an array of junk", "text/plain;charset=UTF-8", '[[1,"two",null],"$undefined","$NaN"]'],
  [
    "a far date and a bigint",
    "text/plain;charset=UTF-8",
    '["$D+275760-09-13T00:00:00.000Z","$n99"]',
  ],
  ["not JSON", "text/plain;charset=UTF-8", "this is {not json"],
  ["a JSON string", "text/plain;charset=UTF-8", '"junk"'],
  ["an empty body", "text/plain;charset=UTF-8", ""],
  ["references to nothing", "text/plain;charset=UTF-8", '["$K1","$Q2","$@3","$h4"]'],
  ["a huge body", "text/plain;charset=UTF-8", huge],
  ["bytes", "application/octet-stream", Buffer.from([0xff, 0xfe, 0x00])],
  ["a broken multipart body", "multipart/form-data; boundary=xyz", "garbage"],
];
/** FormData bodies, as a form submits them (prefix 1_ is the FormData argument). */
function forms() {
  const list = [];
  const junk = new FormData();
  junk.append("0", '[null,"$K1"]');
  for (const f of [
    "complaintId",
    "id",
    "version",
    "email",
    "password",
    "userId",
    "tokenId",
    "approvalLimit",
    "name",
    "role",
  ]) {
    junk.append(`1_${f}`, `'; drop table complaints; -- <script>${f}</script>\u0000`);
  }
  list.push(["FormData with junk fields", junk]);
  const empty = new FormData();
  empty.append("0", '[null,"$K1"]');
  list.push(["empty FormData", empty]);
  const missing = new FormData();
  missing.append("0", '[null,"$K1","$Q9"]');
  list.push(["FormData naming a missing part", missing]);
  return list;
}

async function post(action, cookie, [label, type, body]) {
  const headers = { "next-action": action.id, accept: "text/x-component" };
  if (type) headers["content-type"] = type;
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${base}/sign-in`, {
    method: "POST",
    headers,
    body,
    redirect: "manual",
  });
  await response.arrayBuffer();
  return { label, status: response.status };
}

/** Signs in through Auth.js's credentials endpoint (CSRF token first); returns the session cookie. */
async function sessionOf(role) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = await csrf.json();
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({
      email: `${role}@demo.turnaround.test`,
      password: "turnaround-demo",
      csrfToken,
    }),
    redirect: "manual",
  });
  await response.arrayBuffer();
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("authjs.session-token="));
  if (!cookie) throw new Error(`could not sign in as ${role} (${response.status})`);
  return cookie;
}

const who = [
  ["anonymous", null],
  [
    "forged cookie",
    "authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.forged.forged.forged.forged",
  ],
];
for (const role of roles) who.push([role, await sessionOf(role)]);

let calls = 0;
const failures = [];
const statuses = {};
for (const [label, cookie] of who) {
  for (const action of actions) {
    // Signing in again as the user (or out) would end the probe's own sessions: junk only.
    for (const body of [...bodies, ...forms().map(([l, f]) => [l, null, f])]) {
      const { status } = await post(action, cookie, body);
      calls++;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 500) failures.push(`${label}: ${action.name} with ${body[0]} → ${status}`);
    }
  }
}
console.log(
  `${actions.length} actions × ${who.length} callers: ${calls} junk calls, answers ${JSON.stringify(statuses)}`,
);
if (failures.length) {
  console.log(failures.join("\n"));
  process.exit(1);
}
console.log("no 5xx");
