import { SpecError, quote } from '../errors.ts';
import type { Dialect } from '../sql/dialect.ts';
import type { Executor, SqlParams } from '../sql/executor.ts';
import type { Calendar, Period, WeekStart } from '../time/periods.ts';
import { isTimeZone } from '../time/zone.ts';
import { optionalEnum, optionalString, type SpecObject } from './fields.ts';

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
}

/** Fields every kind accepts. */
export const COMMON_FIELDS = ['kind', 'timezone', 'weekStart'] as const;

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
