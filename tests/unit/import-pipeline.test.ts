import { describe, expect, it } from "vitest";
import { BatchPipeline, type PipelineStages } from "@/lib/import/pipeline";

interface TestBatch {
  name: string;
  refs: Set<string>;
}

const batch = (name: string, ...refs: string[]): TestBatch => ({ name, refs: new Set(refs) });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Stages whose writes finish only when the test says so, recording what happened in order. */
function controlled(lanes: number, prepare?: (b: TestBatch) => Promise<unknown> | null) {
  const log: string[] = [];
  const finishers = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const stages: PipelineStages<TestBatch> = {
    lanes,
    prepare: prepare ?? ((b) => (log.push(`prepare ${b.name}`), Promise.resolve(b.name))),
    write: (b) =>
      new Promise<void>((resolve, reject) => {
        log.push(`write ${b.name}`);
        finishers.set(b.name, { resolve, reject });
      }).then(() => void log.push(`written ${b.name}`)),
    afterWrite: async () => {},
  };
  const finish = async (name: string, error?: Error) => {
    const f = finishers.get(name)!;
    if (error) f.reject(error);
    else f.resolve();
    await tick();
  };
  return { log, stages, finish };
}

describe("the import's write pipeline", () => {
  it("writes two batches at once and holds no more than one more in memory", async () => {
    const { log, stages, finish } = controlled(2);
    const pipeline = new BatchPipeline(stages);
    await pipeline.submit(batch("a", "1"));
    await pipeline.submit(batch("b", "2"));
    await pipeline.submit(batch("c", "3"));
    await tick();
    expect(log.filter((l) => l.startsWith("write"))).toEqual(["write a", "write b"]);
    // A fourth batch waits until one of the three in flight is done.
    let fourthQueued = false;
    const fourth = pipeline.submit(batch("d", "4")).then(() => (fourthQueued = true));
    await tick();
    expect(fourthQueued).toBe(false);
    await finish("a");
    await fourth;
    expect(log).toContain("write c");
    for (const name of ["b", "c", "d"]) await finish(name);
    await pipeline.settle();
    expect(log.filter((l) => l.startsWith("prepare"))).toEqual([
      "prepare a",
      "prepare b",
      "prepare c",
      "prepare d",
    ]);
  });

  it("makes a batch that repeats a reference wait for the batch being written with it", async () => {
    const { log, stages, finish } = controlled(2);
    const pipeline = new BatchPipeline(stages);
    await pipeline.submit(batch("a", "T-1", "T-2"));
    await pipeline.submit(batch("b", "T-2", "T-3"));
    await tick();
    // A lane is free, but b names T-2, which a is still writing.
    expect(log).toEqual(["prepare a", "prepare b", "write a"]);
    await finish("a");
    expect(log.slice(3)).toEqual(["written a", "write b"]);
    await finish("b");
    await pipeline.settle();
  });

  it("prepares one batch at a time, in file order", async () => {
    let open = 0;
    let most = 0;
    const order: string[] = [];
    const { stages, finish } = controlled(2, async (b) => {
      open++;
      most = Math.max(most, open);
      await tick();
      order.push(b.name);
      open--;
      return null;
    });
    const pipeline = new BatchPipeline(stages);
    for (const name of ["a", "b", "c"]) await pipeline.submit(batch(name, name));
    await tick();
    await tick();
    await tick();
    for (const name of ["a", "b", "c"]) await finish(name);
    await pipeline.settle();
    expect(order).toEqual(["a", "b", "c"]);
    expect(most).toBe(1);
  });

  it("ends the run at the next batch when a write fails, and settles with that error", async () => {
    const { stages, finish } = controlled(2);
    const pipeline = new BatchPipeline(stages);
    await pipeline.submit(batch("a", "1"));
    await pipeline.submit(batch("b", "2"));
    await tick();
    await finish("a", new Error("unique violation"));
    expect(pipeline.failed).toBe(true);
    await expect(pipeline.submit(batch("c", "3"))).rejects.toThrow("unique violation");
    await finish("b");
    await expect(pipeline.settle()).rejects.toThrow("unique violation");
  });

  it("skips preparing a batch without rows and still writes it (its rejections)", async () => {
    const { log, stages, finish } = controlled(1, (b) =>
      b.refs.size ? (log.push(`prepare ${b.name}`), Promise.resolve(null)) : null,
    );
    const pipeline = new BatchPipeline(stages);
    await pipeline.submit(batch("rejected-only"));
    await tick();
    expect(log).toEqual(["write rejected-only"]);
    await finish("rejected-only");
    await pipeline.settle();
  });
});
