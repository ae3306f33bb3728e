/**
 * The embedded database's own thread. PGlite runs its queries (WASM) on the thread that calls it,
 * so a 6 s query in the server process would freeze every other request; here a worker thread
 * owns the one PGlite instance of the data folder and the server thread only sends messages
 * (db/pglite-proxy.ts). Plain JavaScript on purpose: a worker thread loads a file by path, and
 * this one must load the same way under Next.js, tsx and vitest.
 *
 * Requests run one at a time in arrival order: PGlite's own transaction mutex is a FIFO queue.
 * A transaction ("begin" … "commit" / "rollback") holds that mutex until it ends, so nothing is
 * interleaved with it; queries arriving meanwhile wait their turn behind it.
 *
 * Messages in: { id, op: "query" | "exec" | "begin" | "commit" | "rollback" | "close", txId?,
 * sql?, params?, options? }. Out: { id, ok: true, result? } or { id, ok: false, error }.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

if (!parentPort) throw new Error("db/pglite-worker.mjs runs only as a worker thread");
const port = parentPort;

/** Thrown into a transaction's callback to roll it back on request. */
const ROLLBACK = Symbol("rollback");

/** @type {Map<number, { tx: import("@electric-sql/pglite").Transaction, finish: (how: "commit" | "rollback", id: number) => void }>} */
const transactions = new Map();

/** Parser sets that leave the listed types as text (the caller parses those on its thread). */
const rawParsers = new Map();
const asText = (value) => value;

function queryOptions(options) {
  if (!options) return undefined;
  const { rawTypes, ...rest } = options;
  if (!rawTypes || rawTypes.length === 0) return rest;
  const key = rawTypes.join(",");
  let parsers = rawParsers.get(key);
  if (!parsers) {
    parsers = Object.fromEntries(rawTypes.map((type) => [type, asText]));
    rawParsers.set(key, parsers);
  }
  return { ...rest, parsers };
}

/** An error as plain data: message, name, stack and PostgreSQL's fields (code, detail, …). */
function errorData(error) {
  if (!(error instanceof Error)) return { message: String(error), name: "Error" };
  const data = { message: error.message, name: error.name, stack: error.stack };
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || key in data) continue;
    if (["string", "number", "boolean"].includes(typeof value)) data[key] = value;
  }
  return data;
}

const reply = (id, result) => port.postMessage({ id, ok: true, result });
const fail = (id, error) => port.postMessage({ id, ok: false, error: errorData(error) });

function target(txId) {
  if (txId === undefined) return pg;
  const entry = transactions.get(txId);
  if (!entry) throw new Error(`No open transaction ${txId} in the database worker.`);
  return entry.tx;
}

function begin(id) {
  let finishId;
  let finished = false;
  pg.transaction(
    (tx) =>
      new Promise((resolve, reject) => {
        transactions.set(id, {
          tx,
          finish(how, requestId) {
            finishId = requestId;
            finished = true;
            if (how === "commit") resolve(undefined);
            else reject(ROLLBACK);
          },
        });
        reply(id, id);
      }),
  ).then(
    () => {
      transactions.delete(id);
      reply(finishId);
    },
    (error) => {
      transactions.delete(id);
      if (!finished) fail(id, error);
      else if (error === ROLLBACK) reply(finishId);
      else fail(finishId, error);
    },
  );
}

async function handle(message) {
  const { id, op, txId } = message;
  try {
    switch (op) {
      case "query":
        reply(
          id,
          await target(txId).query(message.sql, message.params, queryOptions(message.options)),
        );
        return;
      case "exec":
        reply(id, await target(txId).exec(message.sql, queryOptions(message.options)));
        return;
      case "begin":
        begin(id);
        return;
      case "commit":
      case "rollback": {
        const entry = transactions.get(txId);
        if (!entry) throw new Error(`No open transaction ${txId} in the database worker.`);
        entry.finish(op, id);
        return;
      }
      case "close":
        await pg.close();
        reply(id);
        port.close();
        return;
      default:
        throw new Error(`Unknown database worker request: ${op}`);
    }
  } catch (error) {
    fail(id, error);
  }
}

let pg;
try {
  pg = await PGlite.create(workerData.dataDir);
} catch (error) {
  port.postMessage({ ready: false, error: errorData(error) });
  port.close();
}
if (pg) {
  port.on("message", (message) => void handle(message));
  port.postMessage({ ready: true });
}
