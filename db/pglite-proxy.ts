/**
 * The server thread's side of the embedded database: a stand-in for a PGlite instance whose
 * queries run in a worker thread (db/pglite-worker.mjs), so a long query never blocks Node's
 * event loop. It has exactly what drizzle-orm's PGlite driver and migrator call —
 * `query(sql, params, { rowMode, parsers })` and `transaction(fn)` with `tx.query` — plus `exec`
 * and `close`.
 *
 * Type parsers are functions, which cannot cross threads: the worker leaves the types a caller
 * has parsers for as text, and they are applied here. Everything else (numbers, bigint, JSON,
 * Uint8Array, booleans, arrays) is parsed by PGlite in the worker and arrives by structured
 * clone unchanged.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { QueryOptions, Results, Transaction } from "@electric-sql/pglite";

type Parser = (value: string, typeId: number) => unknown;

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: ErrorData;
}

interface ErrorData {
  message: string;
  name?: string;
  stack?: string;
  [field: string]: unknown;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** The worker's file, found at run time (like db/migrations) so no bundler rewrites it. */
export function workerFile(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), "db/pglite-worker.mjs");
}

/** A database error from the worker, with PostgreSQL's fields (code, detail, constraint, …). */
export class PGliteWorkerError extends Error {
  [field: string]: unknown;
  constructor(data: ErrorData) {
    super(data.message);
    for (const [key, value] of Object.entries(data)) {
      if (key !== "message" && key !== "stack" && key !== "name") this[key] = value;
    }
    this.name = data.name && data.name !== "Error" ? data.name : "PGliteWorkerError";
    if (data.stack) this.workerStack = data.stack;
  }
}

/** Who a request belongs to (one HTTP request's render, say): its queries form one lane. */
export type LaneOf = () => object;

interface Queued {
  id: number;
  message: Record<string, unknown>;
}

const defaultLane = {};

export class PGliteProxy {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: Error | undefined;
  #closed = false;
  readonly #laneOf: LaneOf;
  /**
   * Fair queueing: requests outside a transaction wait here in per-lane queues and go to the worker
   * one at a time, taking the lanes in turn — so a page with three queries is not queued behind a
   * dashboard's fifty. A transaction holds the worker from "begin" until its commit or rollback
   * is answered (its own queries go straight through).
   */
  readonly #lanes = new Map<object, Queued[]>();
  /** The id of the request holding the worker (a query, or a transaction's "begin"). */
  #holder: number | undefined;
  #holderIsTransaction = false;

  private constructor(worker: Worker, laneOf: LaneOf) {
    this.#worker = worker;
    this.#laneOf = laneOf;
    worker.on("message", (message: Reply) => this.#settle(message));
    worker.on("error", (error) => this.#fail(error));
    worker.on("exit", (code) => {
      if (!this.#closed) this.#fail(new Error(`The database worker stopped (exit code ${code}).`));
    });
    worker.unref();
  }

  /** Starts the worker and opens PGlite on `dataDir` there ("memory://" for in-memory). */
  static async create(dataDir: string, laneOf: LaneOf = () => defaultLane): Promise<PGliteProxy> {
    const worker = new Worker(/*turbopackIgnore: true*/ workerFile(), { workerData: { dataDir } });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; error?: ErrorData }) => {
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (message.ready) resolve();
        else reject(new PGliteWorkerError(message.error ?? { message: "PGlite did not open." }));
      };
      const onError = (error: Error) => {
        worker.off("message", onMessage);
        reject(error);
      };
      const onExit = (code: number) =>
        reject(new Error(`The database worker stopped while opening (exit code ${code}).`));
      worker.once("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
    });
    return new PGliteProxy(worker, laneOf);
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#query<T>(undefined, sql, params, options);
  }

  exec(sql: string, options?: QueryOptions): Promise<Results[]> {
    return this.#exec(undefined, sql, options);
  }

  /**
   * Runs `fn` in a transaction that holds the worker: other requests queue behind it (FIFO)
   * and nothing is interleaved with it. Commits when `fn` resolves, rolls back when it throws.
   */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const txId = (await this.#request({ op: "begin" })) as number;
    let closed = false;
    const open = () => {
      if (closed) throw new Error("Transaction is closed");
    };
    const tx = {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
        open();
        return this.#query<R>(txId, sql, params, options);
      },
      exec: (sql: string, options?: QueryOptions) => {
        open();
        return this.#exec(txId, sql, options);
      },
      sql: () => Promise.reject(new Error("tx.sql is not available through the database worker")),
      listen: () =>
        Promise.reject(new Error("LISTEN is not available through the database worker")),
      rollback: async () => {
        open();
        closed = true;
        await this.#request({ op: "rollback", txId });
      },
      get closed() {
        return closed;
      },
    } as unknown as Transaction;
    try {
      const result = await fn(tx);
      if (!closed) {
        closed = true;
        await this.#request({ op: "commit", txId });
      }
      return result;
    } catch (error) {
      if (!closed) {
        closed = true;
        await this.#request({ op: "rollback", txId });
      }
      throw error;
    }
  }

  /** Closes PGlite (flushing the data folder) and ends the worker. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (!this.#failure) await this.#request({ op: "close" });
    this.#closed = true;
    await this.#worker.terminate();
  }

  async #query<T>(
    txId: number | undefined,
    sql: string,
    params: unknown[] | undefined,
    options: QueryOptions | undefined,
  ): Promise<Results<T>> {
    const { parsers, forward } = splitOptions(options);
    const result = (await this.#request({
      op: "query",
      txId,
      sql,
      params,
      options: forward,
    })) as Results<T>;
    if (parsers) applyParsers(result, parsers, options?.rowMode);
    return result;
  }

  async #exec(txId: number | undefined, sql: string, options?: QueryOptions): Promise<Results[]> {
    const { parsers, forward } = splitOptions(options);
    const results = (await this.#request({ op: "exec", txId, sql, options: forward })) as Results[];
    if (parsers) for (const result of results) applyParsers(result, parsers, options?.rowMode);
    return results;
  }

  #request(message: Record<string, unknown>): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new Error("The database is closed."));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // A request in flight keeps the process alive; an idle worker does not.
      if (this.#pending.size === 1) this.#worker.ref();
      if (message.txId !== undefined) {
        if (message.op === "commit" || message.op === "rollback") this.#endsTransaction.add(id);
        this.#post(id, message);
        return;
      }
      let lane: object;
      try {
        lane = this.#laneOf();
      } catch {
        lane = defaultLane;
      }
      const queue = this.#lanes.get(lane);
      if (queue) queue.push({ id, message });
      else this.#lanes.set(lane, [{ id, message }]);
      this.#pump();
    });
  }

  /** Sends the next lane's next request when the worker is free. */
  #pump() {
    while (this.#holder === undefined && this.#lanes.size > 0) {
      const [lane, queue] = this.#lanes.entries().next().value as [object, Queued[]];
      const next = queue.shift()!;
      // The lane goes to the back of the round (or leaves it when empty).
      this.#lanes.delete(lane);
      if (queue.length > 0) this.#lanes.set(lane, queue);
      if (!this.#pending.has(next.id)) continue;
      this.#holder = next.id;
      this.#holderIsTransaction = next.message.op === "begin";
      this.#post(next.id, next.message);
    }
  }

  #post(id: number, message: Record<string, unknown>) {
    try {
      this.#worker.postMessage({ ...message, id });
    } catch (error) {
      const data =
        error instanceof Error
          ? { message: error.message, name: error.name }
          : { message: String(error) };
      this.#settle({ id, ok: false, error: data });
    }
  }

  #settle(message: Reply) {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (message.id === this.#holder) {
      // A query frees the worker; a transaction's "begin" holds it until the transaction ends
      // (or frees it when it failed to begin).
      if (!this.#holderIsTransaction || !message.ok) this.#release();
    } else if (this.#holderIsTransaction && this.#endsTransaction.delete(message.id)) {
      this.#release();
    }
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new PGliteWorkerError(message.error ?? { message: "Database error" }));
  }

  /** Ids of commit / rollback requests in flight: their answer frees the worker. */
  readonly #endsTransaction = new Set<number>();

  #release() {
    this.#holder = undefined;
    this.#holderIsTransaction = false;
    queueMicrotask(() => this.#pump());
  }

  #fail(error: Error) {
    this.#failure ??= error;
    this.#lanes.clear();
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#worker.unref();
  }
}

/** The caller's parsers stay here; the worker is told which types to leave as text. */
function splitOptions(options: QueryOptions | undefined): {
  parsers: Record<number, Parser> | undefined;
  forward: Record<string, unknown> | undefined;
} {
  if (!options) return { parsers: undefined, forward: undefined };
  const { parsers, serializers, onNotice, ...forward } = options;
  if (serializers && Object.keys(serializers).length > 0) {
    throw new Error("Custom serializers are not available through the database worker.");
  }
  void onNotice; // notices are not forwarded from the worker
  const types = parsers ? Object.keys(parsers).map(Number) : [];
  if (types.length === 0) return { parsers: undefined, forward };
  return {
    parsers: parsers as Record<number, Parser>,
    forward: { ...forward, rawTypes: types },
  };
}

/** Applies the caller's parsers to the columns the worker left as text (never to NULL). */
function applyParsers(result: Results<unknown>, parsers: Record<number, Parser>, rowMode?: string) {
  const fields = result.fields ?? [];
  if (rowMode === "array") {
    const columns = fields.flatMap((field, index) => {
      const parse = parsers[field.dataTypeID];
      return parse ? [{ index, type: field.dataTypeID, parse }] : [];
    });
    if (columns.length === 0) return;
    for (const row of result.rows as unknown[][]) {
      for (const { index, type, parse } of columns) {
        const value = row[index];
        if (value !== null && value !== undefined) row[index] = parse(value as string, type);
      }
    }
    return;
  }
  // Object rows: with a repeated column name the last column wins, as in PGlite.
  const typeOf = new Map(fields.map((field) => [field.name, field.dataTypeID]));
  const columns = [...typeOf].flatMap(([name, type]) => {
    const parse = parsers[type];
    return parse ? [{ name, type, parse }] : [];
  });
  if (columns.length === 0) return;
  for (const row of result.rows as Record<string, unknown>[]) {
    for (const { name, type, parse } of columns) {
      const value = row[name];
      if (value !== null && value !== undefined) row[name] = parse(value as string, type);
    }
  }
}
