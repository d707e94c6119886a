import { SpecError, quote } from '../errors.ts';
import type { Dialect } from '../sql/dialect.ts';
import { FilteredExecutor, type Executor, type SqlParams } from '../sql/executor.ts';
import { periodStart, type Calendar, type Interval, type Period, type WeekStart } from '../time/periods.ts';
import { isTimeZone } from '../time/zone.ts';
import { optionalEnum, optionalString, type SpecObject } from './fields.ts';
import { propertyFilterSql, readPropertyFilter, type PropertyFilter } from './property-filter.ts';

/** What a metric module gets besides its spec. */
export interface QueryContext {
  sql: Executor;
  dialect: Dialect;
  /** The store's calendar, with the query's own `timezone` / `weekStart` applied. */
  calendar: Calendar;
  /** "Now" in epoch ms: the default `to` is the end of this day. */
  now: number;
  /** Distinct-user counts below this (and above 0) are suppressed. */
  minGroupSize: number;
  /** The time zone the store's `activity` table counts days in (shared/store/activity.ts); null when there is none to read. */
  activityTimezone: string | null;
  /** Whether the store keeps sessions from ingest (shared/store/kept-sessions.ts), so the session kinds may read them. */
  keptSessions: boolean;
  /**
   * True when the query has a `where` (see `whereContext`): `sql` then reads
   * only the matching events, and nothing kept from all events may answer
   * for them. Kept per-session facts must not be read when true.
   */
  filtered: boolean;
  /**
   * Conditions the caller locks onto the query, not the spec: an embed
   * token's `where` (server/auth/embed-token.ts). `whereContext` puts them
   * before the spec's own `where` in one list of conditions that must all
   * hold, so a spec can only narrow them. They are not merged with the
   * spec's `where` as records: a spec naming the same property would then
   * replace the locked condition and widen what the query sees.
   */
  lockedWhere?: PropertyFilter | null;
}

/** Fields every kind accepts. */
export const COMMON_FIELDS = ['kind', 'timezone', 'weekStart', 'where'] as const;

/**
 * Parameter names of a `where`'s values. No kind binds a name starting so
 * (FilteredExecutor throws if one does).
 */
const WHERE_PARAM_PREFIX = '$where_';

/**
 * The context a query runs in once its `where` (METRICS.md section 2: property
 * conditions as a funnel step's) and the caller's `ctx.lockedWhere` are
 * applied, all conditions ANDed: every statement reads a CTE of
 * the matching events in place of the events table (Dialect.filteredEvents),
 * so first events ever, sessions, cohorts and active users all come from them
 * alone, and a `where` can only narrow what a query sees. The daily counts
 * (`activity`, `user_days`) count all events, so they are not read.
 * Without conditions, `ctx` as it is.
 */
export function whereContext(spec: SpecObject, ctx: QueryContext): QueryContext {
  const conditions = [...readPropertyFilter(ctx.lockedWhere, 'lockedWhere'), ...readPropertyFilter(spec.where, 'where')];
  if (conditions.length === 0) return ctx;
  const params: SqlParams = {};
  const condition = propertyFilterSql(conditions, 'properties', ctx.dialect, params, WHERE_PARAM_PREFIX);
  return { ...ctx, sql: new FilteredExecutor(ctx.sql, ctx.dialect.filteredEvents(condition), params), activityTimezone: null, filtered: true };
}

/** The store's calendar with a query's `timezone` / `weekStart` overrides. */
export function queryCalendar(spec: SpecObject, base: Calendar): Calendar {
  const timezone = optionalString(spec, 'timezone', 100) ?? base.timezone;
  if (!isTimeZone(timezone)) throw new SpecError('timezone', `not an IANA time zone: ${quote(timezone)}`);
  const weekStart = optionalEnum<WeekStart>(spec, 'weekStart', ['monday', 'sunday']) ?? base.weekStart;
  return { timezone, weekStart };
}

/**
 * Periods as the bound JSON parameter `Dialect.periodsTable` reads: each
 * `[start, end)`, with the end cut at `to` so nothing after it is counted.
 */
export function periodsParam(periods: readonly Period[], to: number): string {
  return JSON.stringify(periods.map((p) => [p.start, Math.min(p.end, to + 1)]));
}

/**
 * A SELECT giving each row of `rows` (a CTE name) the `idx` of the period
 * its `timeColumn` falls in, keeping `columns` of it. Every row must fall in
 * one of the contiguous periods of the bound `periodsParam`, as rows built
 * from the query's range do.
 *
 * Joining the rows to the periods on a time range would test every row
 * against every period (nothing indexes a derived table); instead the
 * period starts and the rows are sorted together once, and each row takes
 * the latest start at or before it.
 */
export function placedInPeriods(dialect: Dialect, periodsParam: string, rows: string, timeColumn: string, columns: readonly string[]): string {
  const list = columns.join(', ');
  const nulls = columns.map((c) => `NULL AS ${c}`).join(', ');
  return `SELECT idx, ${list} FROM (
  SELECT is_row, ${list}, MAX(start_idx) OVER (ORDER BY at, is_row ROWS UNBOUNDED PRECEDING) AS idx
  FROM (
    SELECT 0 AS is_row, idx AS start_idx, start_ms AS at, ${nulls} FROM ${dialect.periodsTable(periodsParam)}
    UNION ALL
    SELECT 1, NULL, ${timeColumn}, ${list} FROM ${rows}
  )
) WHERE is_row = 1`;
}

/**
 * Where a kind reads who did what in which period (joined to the periods by
 * `inPeriods`, aliased `e`): `user_id`, `name_id` (unless the kind has no
 * `event` filter), the time column and `count`, the events a row stands for.
 */
export interface EventSource {
  table: 'events' | 'activity' | 'user_days';
  time: 'ts' | 'day';
  count: string;
}

/** Every event: what a kind reads when it needs more than user, name and day (a property, a timestamp). */
export const EVERY_EVENT: EventSource = { table: 'events', time: 'ts', count: '1' };
const ACTIVITY: EventSource = { table: 'activity', time: 'day', count: 'e.n' };
const USER_DAYS: EventSource = { table: 'user_days', time: 'day', count: 'e.n' };

/**
 * The store's daily counts (shared/store/activity.ts) when they answer
 * exactly for these periods (cut at `to`, as `periodsParam` cuts them): their
 * days are in the query's time zone, the periods are whole days (day, week,
 * month) and the cut falls on a day's end. Per user and name when the kind
 * filters by event names (`byName`), per user otherwise (four times fewer
 * rows in the sample data). Otherwise every event.
 */
export function eventSource(ctx: QueryContext, interval: Interval, periods: readonly Period[], to: number, byName: boolean): EventSource {
  if (ctx.activityTimezone !== ctx.calendar.timezone || interval === 'hour' || periods.length === 0) return EVERY_EVENT;
  const cut = Math.min(periods[periods.length - 1]!.end, to + 1);
  if (periodStart(cut, 'day', ctx.calendar) !== cut) return EVERY_EVENT;
  return byName ? ACTIVITY : USER_DAYS;
}

/**
 * The daily counts when they answer for the events of `[from, to]`
 * exactly (kinds that count a range, not periods): days in the query's time
 * zone, and the range whole local days. Otherwise every event.
 */
export function rangeSource(ctx: QueryContext, from: number, to: number, byName: boolean): EventSource {
  if (periodStart(from, 'day', ctx.calendar) !== from) return EVERY_EVENT;
  return eventSource(ctx, 'day', [{ start: from, end: to + 1, name: '' }], to, byName);
}

/**
 * A FROM clause: each row of the periods table `periods` (`idx, start_ms,
 * end_ms`, aliased `alias`) joined to the rows of `source` inside it
 * (aliased `e`).
 */
export function inPeriods(periods: string, source: EventSource = EVERY_EVENT, alias = 'p'): string {
  const time = `e.${source.time}`;
  return `${periods} AS ${alias} CROSS JOIN ${source.table} AS e ON ${time} >= ${alias}.start_ms AND ${time} < ${alias}.end_ms`;
}

/** The id of the event name bound to `param`, as a scalar subquery: NULL when no event of that name is stored. */
export function nameId(param: string): string {
  return `(SELECT id FROM event_names WHERE name = ${param})`;
}

/**
 * The SQL condition for an optional `event` filter on the events alias `e`,
 * binding the name as `param` in `params`. The name is never spliced in.
 */
export function eventCondition(event: string | undefined, params: SqlParams, param = '$event'): string {
  if (event === undefined) return 'true';
  params[param] = event;
  return `e.name_id = ${nameId(param)}`;
}
