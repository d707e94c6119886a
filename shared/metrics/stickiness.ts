import { optionalBoolean, optionalEnum, optionalString, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, eventCondition, eventSource, inPeriods, periodsParam, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type PeriodRangeFields, type QueryRange } from '../query/range.ts';
import { Suppressor } from '../privacy/suppress.ts';
import type { SqlParams } from '../sql/executor.ts';
import { INTERVALS, type Calendar, type Interval } from '../time/periods.ts';

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

/** A stickiness spec, checked, with its periods resolved: what every engine's stickiness query runs. */
export interface StickinessPlan {
  interval: Interval;
  cumulative: boolean;
  event: string | undefined;
  range: QueryRange;
}

/** Checks a stickiness spec and resolves its periods in `calendar` at `now`; throws a SpecError naming the field. */
export function readStickinessSpec(spec: SpecObject, calendar: Calendar, now: number): StickinessPlan {
  rejectUnknownFields(spec, FIELDS);
  const interval = optionalEnum(spec, 'interval', INTERVALS) ?? 'day';
  const cumulative = optionalBoolean(spec, 'cumulative') ?? false;
  const event = optionalString(spec, 'event');
  return { interval, cumulative, event, range: resolveRange(spec, calendar, now, interval) };
}

/** The buckets n = 1..periods from the number of users active in exactly n periods (`exactly[n]`), suppressed per METRICS.md section 15. */
export function stickinessBuckets(exactly: readonly number[], periods: number, cumulative: boolean, minGroupSize: number): StickinessResult {
  const counts = Array.from({ length: periods }, (_, i) => exactly[i + 1] ?? 0);
  if (cumulative) for (let i = counts.length - 2; i >= 0; i--) counts[i]! += counts[i + 1]!;
  const suppressor = new Suppressor(minGroupSize);
  return suppressor.finish({ buckets: counts.map((users, i) => ({ n: i + 1, users: suppressor.users(users) })) });
}

export function stickinessQuery(spec: SpecObject, ctx: QueryContext): StickinessResult {
  const { interval, cumulative, event, range } = readStickinessSpec(spec, ctx.calendar, ctx.now);
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
  return stickinessBuckets(exactly, range.periods.length, cumulative, ctx.minGroupSize);
}
