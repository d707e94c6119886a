/**
 * Percentiles per METRICS.md section 2: linear interpolation between the
 * closest ranks, so the median of an even count is the mean of the middle two.
 */

/** A value and how many times it occurs; arrays of these are sorted by value. */
export interface WeightedValue {
  value: number;
  count: number;
}

/** The value at 0-based rank `rank` of a sorted weighted list. */
function valueAtRank(sorted: readonly WeightedValue[], rank: number): number {
  let seen = 0;
  for (const entry of sorted) {
    seen += entry.count;
    if (rank < seen) return entry.value;
  }
  return sorted[sorted.length - 1]!.value;
}

/** The p-th percentile (p in [0, 1]) of a sorted weighted list; null when it is empty. */
export function weightedPercentile(sorted: readonly WeightedValue[], p: number): number | null {
  const total = sorted.reduce((sum, entry) => sum + entry.count, 0);
  if (total === 0) return null;
  const position = p * (total - 1);
  const lower = Math.floor(position);
  const low = valueAtRank(sorted, lower);
  const high = valueAtRank(sorted, Math.ceil(position));
  return low + (high - low) * (position - lower);
}

/** The p-th percentile of plain numbers (sorted here); null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  const sorted = [...values].sort((a, b) => a - b).map((value) => ({ value, count: 1 }));
  return weightedPercentile(sorted, p);
}

/** The p-th percentile of numbers sorted ascending (a typed array or a plain one); null when there are none. */
export function sortedPercentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const low = sorted[lower]!;
  const high = sorted[Math.ceil(position)]!;
  return low + (high - low) * (position - lower);
}
