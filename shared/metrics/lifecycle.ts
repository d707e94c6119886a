import { optionalEnum, optionalString, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, eventCondition, eventSource, periodsParam, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type PeriodRangeFields } from '../query/range.ts';
import { Suppressor } from '../privacy/suppress.ts';
import type { SqlParams } from '../sql/executor.ts';
import { INTERVALS, periodsEnding, type Interval } from '../time/periods.ts';

/**
 * `{ kind: 'lifecycle' }`: where each period's active users come from, and
 * who stopped (METRICS.md section 7). "Active" in a period = did a matching
 * event in it.
 */
export interface LifecycleQuery extends PeriodRangeFields {
  kind: 'lifecycle';
  /** Only events of this name make a user active; default any event. "First event ever" always means any event name. */
  event?: string;
  /** Default `day`. */
  interval?: Interval;
}

/**
 * One period's users, each a distinct-user count (null when suppressed).
 * `new + returning + resurrecting` = the users active in this period;
 * `returning + dormant` = those active in the previous one (for the first
 * period, the period before the range, read from the store).
 */
export interface LifecyclePoint {
  period: string;
  /** Active, and their first event ever (any event name, whole store) is in this period. */
  new: number | null;
  /** Active, active in the previous period, not new. */
  returning: number | null;
  /** Active, not active in the previous period, not new. */
  resurrecting: number | null;
  /** Active in the previous period, not in this one. Non-negative here; widgets plot it below zero. */
  dormant: number | null;
}

export interface LifecycleResult {
  points: LifecyclePoint[];
  suppressed?: true;
}

type Status = 'new' | 'returning' | 'resurrecting' | 'dormant';

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, 'event', 'interval'];

export function lifecycleQuery(spec: SpecObject, ctx: QueryContext): LifecycleResult {
  rejectUnknownFields(spec, FIELDS);
  const interval = optionalEnum(spec, 'interval', INTERVALS) ?? 'day';
  const event = optionalString(spec, 'event');
  const range = resolveRange(spec, ctx.calendar, ctx.now, interval);
  // Period 0 is the one before the range: who was active there decides the
  // first period's returning, resurrecting and dormant users.
  const before = periodsEnding(range.periods[0]!.start - 1, 1, interval, ctx.calendar);
  const allPeriods = [...before, ...range.periods];
  const params: SqlParams = { $periods: periodsParam(allPeriods, range.to), $last: range.periods.length };
  const source = eventSource(ctx, interval, allPeriods, range.to, event !== undefined);
  // A user active in the previous period has an earlier event, so is never
  // new: the first-event lookup runs only for the others. And a first event
  // ever is never after the event that made the user active in period p, so
  // "first event ever in p" is "first event ever >= p's start".
  const rows = ctx.sql.rows(
    `WITH periods AS MATERIALIZED (SELECT idx, start_ms, end_ms FROM ${ctx.dialect.periodsTable('$periods')}),
active AS MATERIALIZED (
  SELECT DISTINCT p.idx AS idx, e.user_id AS u
  FROM periods AS p CROSS JOIN ${source.table} AS e ON e.${source.time} >= p.start_ms AND e.${source.time} < p.end_ms
  WHERE ${eventCondition(event, params)}
),
statuses AS (
  SELECT a.idx AS idx,
         CASE WHEN b.u IS NOT NULL THEN 'returning'
              WHEN (SELECT MIN(f.ts) FROM events AS f WHERE f.user_id = a.u) >= p.start_ms THEN 'new'
              ELSE 'resurrecting' END AS status
  FROM active AS a JOIN periods AS p ON p.idx = a.idx
  LEFT JOIN active AS b ON b.u = a.u AND b.idx = a.idx - 1
  WHERE a.idx >= 1
  UNION ALL
  SELECT a.idx + 1, 'dormant'
  FROM active AS a LEFT JOIN active AS n ON n.u = a.u AND n.idx = a.idx + 1
  WHERE a.idx < $last AND n.u IS NULL
)
SELECT idx, status, COUNT(*) FROM statuses GROUP BY idx, status`,
    params,
  );

  const counts = range.periods.map(() => ({ new: 0, returning: 0, resurrecting: 0, dormant: 0 }));
  for (const [idx, status, users] of rows as [number, Status, number][]) counts[idx - 1]![status] = users;
  const suppressor = new Suppressor(ctx.minGroupSize);
  return suppressor.finish({
    points: range.periods.map((period, i) => {
      const c = counts[i]!;
      return {
        period: period.name,
        new: suppressor.users(c.new),
        returning: suppressor.users(c.returning),
        resurrecting: suppressor.users(c.resurrecting),
        dormant: suppressor.users(c.dormant),
      };
    }),
  });
}
