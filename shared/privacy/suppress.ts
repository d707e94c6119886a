/**
 * Small-group suppression (METRICS.md section 15): with `minGroupSize` k > 1,
 * a count of distinct users above 0 and below k is reported as null, and so
 * is everything derived from it; the result then says `suppressed: true`.
 */
export class Suppressor {
  /** True once any count was suppressed. */
  suppressed = false;
  /** How many counts were suppressed so far: a caller compares it before and after one value. */
  hidden = 0;

  constructor(private readonly minGroupSize: number) {}

  /** A distinct-user count as it may be reported. */
  users(count: number): number | null {
    if (this.minGroupSize > 1 && count > 0 && count < this.minGroupSize) {
      this.suppressed = true;
      this.hidden++;
      return null;
    }
    return count;
  }

  /** `result` plus `suppressed: true` when anything in it was suppressed. */
  finish<R extends object>(result: R): R & { suppressed?: true } {
    return this.suppressed ? { ...result, suppressed: true } : result;
  }
}

/** numerator / denominator, null when either is null (suppressed) or the denominator is 0. */
export function ratio(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  return numerator / denominator;
}
