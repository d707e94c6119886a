import { nextPeriodStart, periodStart, type Calendar } from './periods.ts';

/**
 * The local day of many instants in one time zone. Asking the zone (Intl)
 * costs microseconds per instant; here each day's bounds are asked once and
 * kept, sorted, so the day of a million events is a lookup each. Days of
 * 23 or 25 hours and days whose midnight does not exist come out as
 * `periodStart` gives them.
 */
export class DayIndex {
  /** Start and end (exclusive) of each day met so far, sorted by start; the days never overlap. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** The position of the last day found: instants in time order hit it again and again. */
  private last = -1;
  private readonly calendar: Calendar;

  constructor(timezone: string) {
    this.calendar = { timezone, weekStart: 'monday' };
  }

  /** The instant (epoch ms) the local day containing `ms` starts. */
  startOf(ms: number): number {
    const { starts, ends } = this;
    const last = this.last;
    if (last >= 0 && starts[last]! <= ms && ms < ends[last]!) return starts[last]!;
    // The first day starting after ms.
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (starts[middle]! <= ms) low = middle + 1;
      else high = middle;
    }
    if (low > 0 && ms < ends[low - 1]!) {
      this.last = low - 1;
      return starts[low - 1]!;
    }
    const start = periodStart(ms, 'day', this.calendar);
    starts.splice(low, 0, start);
    ends.splice(low, 0, nextPeriodStart(start, 'day', this.calendar));
    this.last = low;
    return start;
  }
}
