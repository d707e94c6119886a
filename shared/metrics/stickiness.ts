import { optionalBoolean, optionalEnum, optionalString, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, eventCondition, eventSource, inPeriods, periodsParam, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type PeriodRangeFields } from '../query/range.ts';
import { Suppressor } from '../privacy/suppress.ts';
import type { SqlParams } from '../sql/executor.ts';
import { INTERVALS, type Interval } from '../time/periods.ts';

/** `{ kind: 'stickiness' }`: how many periods users were active in (METRICS.md section 5). */
export interface StickinessQuery extends PeriodRangeFields {
  kind: 'stickiness';
  /** Only events of this name; default any event. */
  event?: string;
  /** Default `day`. */
  interval?: Interval;
  /** Count users active in at least n periods instead of exactly n. */
  cumulative?: boolean;
}

export interface StickinessResult {
  /** One bucket per n = 1..N, N the number of periods of the query. */
  buckets: { n: number; users: number | null }[];
  suppressed?: true;
}

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, 'event', 'interval', 'cumulative'];

export function stickinessQuery(spec: SpecObject, ctx: QueryContext): StickinessResult {
  rejectUnknownFields(spec, FIELDS);
  const interval = optionalEnum(spec, 'interval', INTERVALS) ?? 'day';
  const cumulative = optionalBoolean(spec, 'cumulative') ?? false;
  const event = optionalString(spec, 'event');
  const range = resolveRange(spec, ctx.calendar, ctx.now, interval);
  const params: SqlParams = { $periods: periodsParam(range.periods, range.to) };
  const source = eventSource(ctx, interval, range.periods, range.to, event !== undefined);
  const rows = ctx.sql.rows(
    `WITH active AS (
  SELECT e.user_id AS u, COUNT(DISTINCT p.idx) AS n
  FROM ${inPeriods(ctx.dialect.periodsTable('$periods'), source)}
  WHERE ${eventCondition(event, params)}
  GROUP BY e.user_id
)
SELECT n, COUNT(*) FROM active GROUP BY n`,
    params,
  );
  const exactly = new Array<number>(range.periods.length + 1).fill(0);
  for (const [n, users] of rows as [number, number][]) exactly[n] = users;
  const counts = exactly.slice(1);
  if (cumulative) for (let i = counts.length - 2; i >= 0; i--) counts[i]! += counts[i + 1]!;
  const suppressor = new Suppressor(ctx.minGroupSize);
  return suppressor.finish({ buckets: counts.map((users, i) => ({ n: i + 1, users: suppressor.users(users) })) });
}
