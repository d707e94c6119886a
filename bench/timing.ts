/** Timing helpers: one cold run, then the median of the warm ones. */

export interface Timing {
  /** The first, untimed-for-the-median run, in ms. */
  cold: number;
  /** Median of the warm runs, in ms. */
  median: number;
  /** Every warm run, in ms. */
  runs: number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs `task` once cold, then `warm` times, and reports the median of the
 * warm runs. `setup` runs before each run, untimed (e.g. a fresh store to
 * ingest into); `task` gets what it returned.
 */
export async function measure<S>(warm: number, task: (state: S) => unknown, setup?: () => S | Promise<S>, teardown?: (state: S) => unknown): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i <= warm; i++) {
    const state = (setup ? await setup() : undefined) as S;
    const start = performance.now();
    await task(state);
    times.push(performance.now() - start);
    notePeak();
    if (teardown) await teardown(state);
  }
  const [cold, ...runs] = times as [number, ...number[]];
  return { cold, median: runs.length ? median(runs) : cold, runs };
}

/** The largest resident memory seen at the end of a timed run since the last `startPeak`. */
let peak = 0;

function notePeak(): void {
  peak = Math.max(peak, process.memoryUsage().rss);
}

/** Starts watching the peak; returns the resident memory now, the baseline of `rssGrowthMb`. */
export function startPeak(): number {
  peak = process.memoryUsage().rss;
  return peak;
}

/**
 * Growth of the process's resident memory from `baseline` to the peak seen
 * after any timed run since, in MB (wasm memory never shrinks, so it also
 * holds sql.js's peak; the collector may free JavaScript memory, hence 0 at least).
 */
export function rssGrowthMb(baseline: number): number {
  notePeak();
  return Math.max(0, Math.round((peak - baseline) / 1e6));
}
