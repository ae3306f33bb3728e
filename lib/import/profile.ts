/** IMPORT_PROFILE=1: time spent per import stage, printed at the end of a run (benchmarking aid). */
const totals = new Map<string, number>();
const on = process.env.IMPORT_PROFILE === "1";

export async function timed<T>(stage: string, work: () => Promise<T>): Promise<T> {
  if (!on) return work();
  const t = performance.now();
  try {
    return await work();
  } finally {
    totals.set(stage, (totals.get(stage) ?? 0) + performance.now() - t);
  }
}

export function printProfile(): void {
  if (!on) return;
  for (const [stage, ms] of totals) console.error(`  ${stage}: ${(ms / 1000).toFixed(2)} s`);
  totals.clear();
}
