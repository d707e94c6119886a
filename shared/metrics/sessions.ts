import { rejectUnknownFields, optionalEnum, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type PeriodRangeFields, type QueryRange } from '../query/range.ts';
import { Suppressor, ratio } from '../privacy/suppress.ts';
import { sortedPercentile } from '../stats.ts';
import { incompleteMark, INTERVALS, periodIndexOf, type Calendar, type Interval } from '../time/periods.ts';
import { querySessions } from '../sessions/query-sessions.ts';
import { readSessionOptions, SESSION_FIELDS, type SessionOptions } from '../sessions/session-options.ts';

/** `{ kind: 'sessions' }`: session counts and durations (METRICS.md section 3). */
export interface SessionsQuery extends SessionOptions, PeriodRangeFields {
  kind: 'sessions';
  /**
   * Period of the `series`; default `day`. Totals and series count the
   * query's sessions, those whose first event lies in `[from, to]`, each
   * whole, in the period of its first event: a first period that begins
   * before `from` does not count the sessions begun before `from` (they are
   * none of the query's, METRICS.md section 3), so the series adds up to
   * the totals.
   */
  interval?: Interval;
}

/** Duration statistics in seconds; bounces (0 s) are included. Null when there are no sessions. */
export interface DurationStats {
  mean: number | null;
  median: number | null;
  p90: number | null;
  p95: number | null;
  max: number | null;
}

export interface SessionsResult {
  count: number;
  users: number | null;
  perUser: number | null;
  bounceRate: number | null;
  duration: DurationStats;
  /** Sessions by duration: `[from, to)` seconds, `to` null for the last, open bucket. */
  histogram: { from: number; to: number | null; count: number }[];
  /** Per period, by the period of each session's first event; `incomplete` on a period not ended at the store's clock. */
  series: { period: string; incomplete?: true; sessions: number; users: number | null; medianDuration: number | null }[];
  suppressed?: true;
}

/** Histogram edges in seconds: under 10 s, 10-30 s, 30-60 s, 1-3 min, 3-10 min, 10-30 min, 30-60 min, 1 h and more. */
export const DURATION_EDGES = [0, 10, 30, 60, 180, 600, 1800, 3600] as const;

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, ...SESSION_FIELDS, 'interval'];

/** Seconds rounded to the millisecond, the precision of event timestamps (and no floating-point tails). */
export function toMillisecond(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 1000) / 1000;
}

/** Statistics of durations in seconds, sorted ascending. */
function durationStats(sorted: Float64Array): DurationStats {
  if (sorted.length === 0) return { mean: null, median: null, p90: null, p95: null, max: null };
  let total = 0;
  for (const seconds of sorted) total += seconds;
  return {
    mean: toMillisecond(total / sorted.length),
    median: toMillisecond(sortedPercentile(sorted, 0.5)),
    p90: toMillisecond(sortedPercentile(sorted, 0.9)),
    p95: toMillisecond(sortedPercentile(sorted, 0.95)),
    max: sorted[sorted.length - 1]!,
  };
}

/** Sessions per bucket of DURATION_EDGES, from durations in seconds sorted ascending. */
function histogram(sorted: Float64Array): SessionsResult['histogram'] {
  const counts = DURATION_EDGES.map(() => 0);
  let bucket = 0;
  for (const seconds of sorted) {
    while (bucket + 1 < DURATION_EDGES.length && seconds >= DURATION_EDGES[bucket + 1]!) bucket++;
    counts[bucket]!++;
  }
  return DURATION_EDGES.map((from, i) => ({ from, to: DURATION_EDGES[i + 1] ?? null, count: counts[i]! }));
}

/** A sessions spec, checked, with its periods resolved: what every engine's sessions query runs. */
export interface SessionsPlan {
  interval: Interval;
  options: Required<SessionOptions>;
  range: QueryRange;
}

/** Checks a sessions spec and resolves its periods in `calendar` at `now`; throws a SpecError naming the field. */
export function readSessionsSpec(spec: SpecObject, calendar: Calendar, now: number): SessionsPlan {
  rejectUnknownFields(spec, FIELDS);
  const interval = optionalEnum(spec, 'interval', INTERVALS) ?? 'day';
  const options = readSessionOptions(spec);
  return { interval, options, range: resolveRange(spec, calendar, now, interval) };
}

export function sessionsQuery(spec: SpecObject, ctx: QueryContext): SessionsResult {
  const { options, range } = readSessionsSpec(spec, ctx.calendar, ctx.now);
  // Each session counts whole in the period of its first event (METRICS.md section 3).
  const sessions = querySessions(ctx, options, range.from, range.to);
  const byPeriod = range.periods.map(() => ({ durations: [] as number[], users: new Set<number>() }));
  const durations = new Float64Array(sessions.length);
  const users = new Set<number>();
  let bounces = 0;
  sessions.forEach((session, i) => {
    const seconds = (session.end - session.start) / 1000;
    const period = byPeriod[periodIndexOf(range.periods, session.start)]!;
    period.durations.push(seconds);
    period.users.add(session.user);
    durations[i] = seconds;
    users.add(session.user);
    if (session.events === 1) bounces++;
  });
  const count = sessions.length;
  const sorted = durations.sort();
  const suppressor = new Suppressor(ctx.minGroupSize);
  const reportedUsers = suppressor.users(users.size);
  return suppressor.finish({
    count,
    users: reportedUsers,
    perUser: ratio(count, reportedUsers),
    bounceRate: count === 0 ? null : bounces / count,
    duration: durationStats(sorted),
    histogram: histogram(sorted),
    series: range.periods.map((period, i) => ({
      period: period.name,
      ...incompleteMark(period, ctx.now),
      sessions: byPeriod[i]!.durations.length,
      users: suppressor.users(byPeriod[i]!.users.size),
      medianDuration: toMillisecond(sortedPercentile(byPeriod[i]!.durations.sort((a, b) => a - b), 0.5)),
    })),
  });
}
