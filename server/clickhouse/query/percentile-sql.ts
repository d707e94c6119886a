/**
 * The p-th percentile of the sorted array `d`, interpolated between the
 * closest ranks with the very arithmetic of the core's sortedPercentile and
 * weightedPercentile (shared/stats.ts; a weighted list is its values each
 * repeated `count` times), so both engines give the same Float64; NULL for
 * an empty array.
 */
export function percentileSql(d: string, p: number): string {
  const position = `(${p} * (length(${d}) - 1))`;
  const low = `${d}[toUInt64(floor(${position})) + 1]`;
  const high = `${d}[toUInt64(ceil(${position})) + 1]`;
  return `if(length(${d}) = 0, NULL, ${low} + (${high} - ${low}) * (${position} - floor(${position})))`;
}
