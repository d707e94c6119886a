import { rejectUnknownFields, optionalEnum, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, periodsParam, placedInPeriods, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type PeriodRangeFields } from '../query/range.ts';
import { Suppressor, ratio } from '../privacy/suppress.ts';
import type { SqlParams } from '../sql/executor.ts';
import { weightedPercentile, type WeightedValue } from '../stats.ts';
import { INTERVALS, type Interval } from '../time/periods.ts';
import { readSessionOptions, sessionEventsSql, SESSION_FIELDS, type SessionOptions } from './session-events.ts';

/** `{ kind: 'sessions' }`: session counts and durations (METRICS.md section 3). */
export interface SessionsQuery extends SessionOptions, PeriodRangeFields {
  kind: 'sessions';
  /** Period of the `series`; default `day`. Totals count the sessions of `[from, to]` exactly. */
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
  /** Per period, by the period of each session's first event. */
  series: { period: string; sessions: number; users: number | null; medianDuration: number | null }[];
  suppressed?: true;
}

/** Histogram edges in seconds: under 10 s, 10-30 s, 30-60 s, 1-3 min, 3-10 min, 10-30 min, 30-60 min, 1 h and more. */
export const DURATION_EDGES = [0, 10, 30, 60, 180, 600, 1800, 3600] as const;

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, ...SESSION_FIELDS, 'interval'];

/** Seconds rounded to the millisecond, the precision of event timestamps (and no floating-point tails). */
function toMillisecond(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 1000) / 1000;
}

function durationStats(sorted: WeightedValue[], count: number): DurationStats {
  if (count === 0) return { mean: null, median: null, p90: null, p95: null, max: null };
  const total = sorted.reduce((sum, d) => sum + d.value * d.count, 0);
  return {
    mean: toMillisecond(total / count),
    median: toMillisecond(weightedPercentile(sorted, 0.5)),
    p90: toMillisecond(weightedPercentile(sorted, 0.9)),
    p95: toMillisecond(weightedPercentile(sorted, 0.95)),
    max: sorted[sorted.length - 1]!.value,
  };
}

function histogram(sorted: WeightedValue[]): SessionsResult['histogram'] {
  return DURATION_EDGES.map((from, i) => {
    const to = DURATION_EDGES[i + 1] ?? null;
    const count = sorted.filter((d) => d.value >= from && (to === null || d.value < to)).reduce((sum, d) => sum + d.count, 0);
    return { from, to, count };
  });
}

export function sessionsQuery(spec: SpecObject, ctx: QueryContext): SessionsResult {
  rejectUnknownFields(spec, FIELDS);
  const interval = optionalEnum(spec, 'interval', INTERVALS) ?? 'day';
  const options = readSessionOptions(spec);
  const range = resolveRange(spec, ctx.calendar, ctx.now, interval);
  const params: SqlParams = { $periods: periodsParam(range.periods, range.to) };
  const rows = ctx.sql.rows(
    `WITH ${sessionEventsSql(ctx, options, range.from, range.to, params)},
sessions AS MATERIALIZED (
  SELECT u, MIN(ts) AS started, MAX(ts) - MIN(ts) AS duration_ms, COUNT(*) AS events
  FROM session_events GROUP BY u, sk
),
placed AS MATERIALIZED (
  ${placedInPeriods(ctx.dialect, '$periods', 'sessions', 'started', ['u', 'duration_ms', 'events'])}
)
SELECT 'durations', idx, duration_ms, COUNT(*), SUM(events = 1) FROM placed GROUP BY idx, duration_ms
UNION ALL SELECT 'users', idx, NULL, COUNT(DISTINCT u), NULL FROM placed GROUP BY idx
UNION ALL SELECT 'total', NULL, NULL, COUNT(DISTINCT u), NULL FROM placed
ORDER BY 1, 2, 3`,
    params,
  );

  const byPeriod = range.periods.map(() => ({ durations: [] as WeightedValue[], sessions: 0, users: 0 }));
  const overall = new Map<number, number>();
  let count = 0;
  let bounces = 0;
  let users = 0;
  for (const [type, idx, durationMs, n, oneEvent] of rows as [string, number, number, number, number][]) {
    if (type === 'total') users = n;
    else if (type === 'users') byPeriod[idx]!.users = n;
    else {
      const seconds = durationMs / 1000;
      byPeriod[idx]!.durations.push({ value: seconds, count: n });
      byPeriod[idx]!.sessions += n;
      overall.set(seconds, (overall.get(seconds) ?? 0) + n);
      count += n;
      bounces += oneEvent;
    }
  }
  const sorted = [...overall].map(([value, n]) => ({ value, count: n })).sort((a, b) => a.value - b.value);
  const suppressor = new Suppressor(ctx.minGroupSize);
  const reportedUsers = suppressor.users(users);
  return suppressor.finish({
    count,
    users: reportedUsers,
    perUser: ratio(count, reportedUsers),
    bounceRate: count === 0 ? null : bounces / count,
    duration: durationStats(sorted, count),
    histogram: histogram(sorted),
    series: range.periods.map((period, i) => ({
      period: period.name,
      sessions: byPeriod[i]!.sessions,
      users: suppressor.users(byPeriod[i]!.users),
      medianDuration: toMillisecond(weightedPercentile(byPeriod[i]!.durations, 0.5)),
    })),
  });
}
