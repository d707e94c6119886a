/**
 * Retention by hand (METRICS.md section 6), with the readings documented in
 * shared/metrics/retention.ts where the section leaves room:
 * - the default interval is `day`;
 * - nothing after `to` counts, so `to` cuts the last period, and a rolling
 *   window that ends after the query's last period or after `to` is not
 *   counted;
 * - with `minimumOccurrences` and rolling windows, the return events are
 *   counted per window;
 * - average: cohort i's period k has ended when the whole calendar period
 *   i + k has ended by `now`; rolling, when the window k of the cohort's
 *   latest member has;
 * - incompleteFrom: the first k for which that has not happened.
 * Plain loops over the events: slow, but easy to check against the text.
 */
import type { RetentionResult } from '../../../shared/index.ts';
import { referenceRange, type RefInterval } from './calendar.ts';
import { calendarOf, inEventOrder, type RefEvent, type RefOptions, type RefSpec } from './common.ts';

const HOUR = 3_600_000;
/** A rolling period: an hour, 24 hours, 7 days, or 30 days for a month. */
const ROLLING: Record<RefInterval, number> = { hour: HOUR, day: 24 * HOUR, week: 7 * 24 * HOUR, month: 30 * 24 * HOUR };

export function referenceRetention(allEvents: readonly RefEvent[], spec: RefSpec, options: RefOptions): RetentionResult {
  const interval = (spec.interval as RefInterval | undefined) ?? 'day';
  const cohortKind = spec.cohort ?? 'recurring';
  const criterion = spec.criterion ?? 'on';
  const basis = spec.basis ?? 'calendar';
  const minimum = (spec.minimumOccurrences as number | undefined) ?? 1;
  const startEvent = spec.startEvent as string | undefined;
  const returnEvent = spec.returnEvent as string | undefined;

  const range = referenceRange(spec, calendarOf(spec, options), options.now, interval);
  const periods = range.periods;
  const count = periods.length;
  // Nothing after `to` counts: it cuts the last period.
  const startOf = (i: number): number => periods[i]!.start;
  const endOf = (i: number): number => Math.min(periods[i]!.end, range.to + 1);
  const queryEnd = endOf(count - 1);
  const periodOf = (ts: number): number => {
    for (let i = 0; i < count; i++) if (ts >= startOf(i) && ts < endOf(i)) return i;
    return -1;
  };

  const events = inEventOrder(allEvents);
  const isStart = (e: RefEvent): boolean => startEvent === undefined || e.event === startEvent;
  const isReturn = (e: RefEvent): boolean => returnEvent === undefined || e.event === returnEvent;

  // members[i]: user -> t0, their first start event in cohort i's period.
  const members: Map<string, number>[] = periods.map(() => new Map());
  if (cohortKind === 'recurring') {
    // A user is in the cohort of every period holding a start event of theirs.
    for (const e of events) {
      if (!isStart(e)) continue;
      const i = periodOf(e.ts);
      if (i >= 0 && !members[i]!.has(e.user)) members[i]!.set(e.user, e.ts);
    }
  } else {
    // Only the cohort of the period holding the first start event ever (the whole store).
    const first = new Map<string, number>();
    for (const e of events) if (isStart(e) && !first.has(e.user)) first.set(e.user, e.ts);
    for (const [user, t0] of first) {
      const i = periodOf(t0);
      if (i >= 0) members[i]!.set(user, t0);
    }
  }

  /** How many return events `user` did in [from, to). */
  const returnsBetween = (user: string, from: number, to: number): number =>
    events.filter((e) => e.user === user && isReturn(e) && e.ts >= from && e.ts < to).length;

  /** Calendar: the user came back in query period j (at least `minimum` times). */
  const backInPeriod = (user: string, j: number): boolean => returnsBetween(user, startOf(j), endOf(j)) >= minimum;

  /** Rolling: the user came back in their window k after t0, a window that ends within the query. */
  const backInWindow = (user: string, t0: number, k: number): boolean => {
    const from = t0 + k * ROLLING[interval];
    const to = from + ROLLING[interval];
    return to <= queryEnd && returnsBetween(user, from, to) >= minimum;
  };

  /** Whether member `user` (t0) of cohort i counts in cell k >= 1. */
  const counted = (user: string, t0: number, i: number, k: number): boolean => {
    if (basis === 'calendar') {
      if (criterion === 'on') return backInPeriod(user, i + k);
      for (let j = i + k; j < count; j++) if (backInPeriod(user, j)) return true;
      return false;
    }
    if (criterion === 'on') return backInWindow(user, t0, k);
    // Any window from k on that still ends within the query.
    for (let j = k; t0 + (j + 1) * ROLLING[interval] <= queryEnd; j++) if (backInWindow(user, t0, j)) return true;
    return false;
  };

  /** Whether cohort i's period k is over at `now`. */
  const ended = (i: number, k: number): boolean => {
    if (basis === 'rolling' && members[i]!.size > 0) {
      const latest = Math.max(...members[i]!.values());
      return latest + (k + 1) * ROLLING[interval] <= options.now;
    }
    return periods[i + k]!.end <= options.now;
  };

  const cohorts = periods.map((period, i) => {
    const size = members[i]!.size;
    const values = [size];
    for (let k = 1; k < count - i; k++) {
      let back = 0;
      for (const [user, t0] of members[i]!) if (counted(user, t0, i, k)) back++;
      values.push(back);
    }
    let incompleteFrom = 0;
    while (incompleteFrom < values.length && ended(i, incompleteFrom)) incompleteFrom++;
    return incompleteFrom === values.length ? { start: period.name, size, values } : { start: period.name, size, values, incompleteFrom };
  });
  const average = periods.map((_, k) => {
    let back = 0;
    let size = 0;
    for (let i = 0; i + k < count; i++) {
      if (!ended(i, k)) continue;
      back += cohorts[i]!.values[k]!;
      size += cohorts[i]!.size;
    }
    return size === 0 ? null : back / size;
  });
  return { cohorts, average };
}
