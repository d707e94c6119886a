/**
 * Lifecycle by hand (METRICS.md section 7). "Active" in a period = did a
 * matching event in it; the first period's previous period is the one before
 * the range, read from the events like any other; "first event ever" is of
 * any name, over all events. Nothing after `to` counts, so `to` cuts the last
 * period (the reading of shared/query/range.ts). A point whose whole period
 * has not ended at the clock carries `incomplete: true` (METRICS.md section 2).
 */
import type { LifecycleResult } from '../../../shared/index.ts';
import { referencePeriodAt, referenceRange, type RefInterval } from './calendar.ts';
import { calendarOf, type RefEvent, type RefOptions, type RefSpec } from './common.ts';

export function referenceLifecycle(events: readonly RefEvent[], spec: RefSpec, options: RefOptions): LifecycleResult {
  const interval = (spec.interval as RefInterval | undefined) ?? 'day';
  const event = spec.event as string | undefined;
  const calendar = calendarOf(spec, options);
  const range = referenceRange(spec, calendar, options.now, interval);

  // [start, end) of the period before the range, then of each query period, the last one cut at `to`.
  const first = range.periods[0]!.start;
  const spans = [{ start: referencePeriodAt(first - 1, interval, calendar).start, end: first }];
  for (const period of range.periods) spans.push({ start: period.start, end: Math.min(period.end, range.to + 1) });

  const activeIn = spans.map(({ start, end }) => {
    const users = new Set<string>();
    for (const e of events) if ((event === undefined || e.event === event) && e.ts >= start && e.ts < end) users.add(e.user);
    return users;
  });
  const firstEver = new Map<string, number>();
  for (const e of events) if (!firstEver.has(e.user) || e.ts < firstEver.get(e.user)!) firstEver.set(e.user, e.ts);

  const points = range.periods.map((period, i) => {
    const { start, end } = spans[i + 1]!;
    const now = activeIn[i + 1]!;
    const before = activeIn[i]!;
    const point = { period: period.name, new: 0, returning: 0, resurrecting: 0, dormant: 0, ...(period.end > options.now ? { incomplete: true as const } : {}) };
    for (const user of now) {
      const firstTs = firstEver.get(user)!;
      if (firstTs >= start && firstTs < end) point.new++;
      else if (before.has(user)) point.returning++;
      else point.resurrecting++;
    }
    for (const user of before) if (!now.has(user)) point.dormant++;
    return point;
  });
  return { points };
}
