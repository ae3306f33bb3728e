/**
 * The import's write pipeline. While the file is parsed, earlier batches are prepared (what they
 * refer to, found or created: one batch at a time, in file order) and written (up to `lanes`
 * batches at once, each on its own connection). On a 2-core machine this keeps both cores busy:
 * one pipeline stage alternating with the next left each half idle (BENCHMARKS.md).
 *
 * Order still holds where it matters: a batch that shares a reference with one in flight waits
 * for it, so a row repeating an earlier one always finds it and updates it.
 */

export interface PipelineBatch {
  /** The external references of the batch's rows. */
  refs: Set<string>;
}

export interface PipelineStages<B extends PipelineBatch> {
  /** Batches written at the same time (1: one after another, in file order). */
  lanes: number;
  /** Finds or creates what the batch refers to; null when there is nothing to prepare. */
  prepare(batch: B): Promise<unknown> | null;
  /** Writes the prepared batch; holds one of the lanes. */
  write(batch: B, prepared: unknown): Promise<void>;
  /** After a batch is written, outside its lane (statistics, progress). */
  afterWrite(): Promise<void>;
}

export class BatchPipeline<B extends PipelineBatch> {
  private readonly inFlight = new Map<Promise<void>, Set<string>>();
  private preparing: Promise<unknown> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  private readonly lanes: Slots;

  constructor(private readonly stages: PipelineStages<B>) {
    this.lanes = new Slots(stages.lanes);
  }

  /**
   * Queues a batch: waits while `lanes` batches are being written and one prepared, so at most
   * that many are held in memory. Throws the error of an earlier batch that failed.
   */
  async submit(batch: B): Promise<void> {
    this.rethrowFailure();
    while (this.inFlight.size > this.stages.lanes) {
      await Promise.race(this.inFlight.keys()).catch(() => {});
      this.rethrowFailure();
    }
    const earlier = [...this.inFlight]
      .filter(([, refs]) => overlaps(refs, batch.refs))
      .map(([job]) => job);
    const prepared = this.preparing.then(() => this.stages.prepare(batch));
    this.preparing = prepared.catch(() => {});
    const job = (async () => {
      const ids = await prepared;
      await Promise.all(earlier);
      await this.lanes.run(() => this.stages.write(batch, ids));
      await this.stages.afterWrite();
    })();
    this.inFlight.set(job, batch.refs);
    job.then(
      () => this.inFlight.delete(job),
      (error: unknown) => {
        this.inFlight.delete(job);
        this.failure ??= { error };
      },
    );
  }

  /** Waits for every batch in flight, whatever becomes of them. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight.keys()]);
  }

  /** Waits for every batch in flight; throws if any failed. */
  async settle(): Promise<void> {
    await this.drain();
    this.rethrowFailure();
  }

  /** Whether a batch has failed (the run then ends as failed). */
  get failed(): boolean {
    return this.failure !== null;
  }

  private rethrowFailure(): void {
    if (this.failure) throw this.failure.error;
  }
}

function overlaps(a: Set<string>, b: Set<string>): boolean {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) return true;
  return false;
}

/** At most `size` tasks at once; the rest wait in arrival order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
