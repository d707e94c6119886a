import { SpecError, quote } from '../errors.ts';
import { isDateOnly, parseDate, parseIsoTime } from '../time/parse.ts';
import { MAX_PERIODS, periodsBetween, periodsEnding, type Calendar, type Interval, type Period, type WeekStart } from '../time/periods.ts';
import { addDays, instantOf, localTime } from '../time/zone.ts';
import { optionalInteger, type SpecObject } from './fields.ts';
import type { PropertyFilter } from './property-filter.ts';

/** The time span of one query, resolved per METRICS.md section 2. */
export interface QueryRange {
  /** `from` as given or defaulted (with `periods`, the first period's start); kinds with an interval count from `periods[0].start`. */
  from: number;
  /** Last instant counted, inclusive. */
  to: number;
  /** The query's periods, oldest first; empty for kinds without an interval. */
  periods: Period[];
}

/** Fields of every query: a time zone and week start that override the store's (METRICS.md section 2). */
export interface CalendarFields {
  /** An IANA time zone, e.g. `Europe/Berlin`. */
  timezone?: string;
  weekStart?: WeekStart;
}

/** Fields of every query besides its range: its calendar, and which events it sees. */
export interface QueryFields extends CalendarFields {
  /**
   * Only events whose properties meet these conditions (as a funnel step's
   * `where`, METRICS.md section 8) exist for the query: first events ever,
   * sessions, cohorts and active users are all taken from them.
   */
  where?: PropertyFilter;
}

/** The range of a query without an interval. Default: the 30 days ending today. */
export interface RangeFields extends QueryFields {
  /** A `YYYY-MM-DD` date (from the start of that day), an ISO 8601 date-time or a valid `Date`, inclusive. */
  from?: string | Date;
  /** A `YYYY-MM-DD` date (to the end of that day), an ISO 8601 date-time or a valid `Date`, inclusive. */
  to?: string | Date;
}

/** The range of a query with an interval: `from` and `to`, or `periods` periods ending with the one containing `to`. */
export interface PeriodRangeFields extends RangeFields {
  periods?: number;
}

/** Fields every ranged query accepts. */
export const RANGE_FIELDS = ['from', 'to', 'periods'] as const;

function startOfLocalDay(day: { year: number; month: number; day: number }, timeZone: string): number {
  return instantOf({ year: day.year, month: day.month, day: day.day, hour: 0, minute: 0, second: 0 }, timeZone);
}

/** Reads `from` / `to`: a `YYYY-MM-DD` date (start of that day for `from`, end for `to`), an ISO date-time or a Date (that instant). */
function readBound(spec: SpecObject, field: 'from' | 'to', timeZone: string): number | undefined {
  const value = spec[field];
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new SpecError(field, 'not a date: an invalid Date');
    return ms;
  }
  if (typeof value !== 'string') throw new SpecError(field, `must be a YYYY-MM-DD date, an ISO 8601 date-time or a Date, got ${quote(value)}`);
  if (isDateOnly(value)) {
    const day = parseDate(value);
    if (!day) throw new SpecError(field, `not a calendar date: ${quote(value)}`);
    const start = startOfLocalDay(day, timeZone);
    return field === 'from' ? start : startOfLocalDay(addDays(day, 1), timeZone) - 1;
  }
  const ms = parseIsoTime(value, timeZone);
  if (ms === null) throw new SpecError(field, `not a YYYY-MM-DD date or an ISO 8601 date-time: ${quote(value)}`);
  return ms;
}

/**
 * Resolves `from`, `to` and `periods`. Defaults: `to` = the end of today,
 * `from` = the start of the day 29 days before `to`'s day. With an
 * interval, the periods run from the one containing `from` (or `periods`
 * of them ending with the one containing `to`), and the first period counts
 * whole; nothing after `to` counts. METRICS.md also says an event counts
 * when its period is a query period, which would count events after `to`
 * inside the last period; where the two readings differ we cut at `to`, as
 * PostHog's trends filter `timestamp <= date_to` does.
 */
export function resolveRange(spec: SpecObject, calendar: Calendar, now: number, interval?: Interval): QueryRange {
  const zone = calendar.timezone;
  const to = readBound(spec, 'to', zone) ?? startOfLocalDay(addDays(localTime(now, zone), 1), zone) - 1;
  const explicitFrom = readBound(spec, 'from', zone);
  const periodCount = optionalInteger(spec, 'periods', 1, MAX_PERIODS);
  if (periodCount !== undefined && !interval) throw new SpecError('periods', 'this kind has no interval; give from and to instead');
  if (periodCount !== undefined && explicitFrom !== undefined) throw new SpecError('periods', 'give either from or periods, not both');

  if (periodCount !== undefined && interval) {
    const periods = periodsEnding(to, periodCount, interval, calendar);
    return { from: periods[0]!.start, to, periods };
  }
  const from = explicitFrom ?? startOfLocalDay(addDays(localTime(to, zone), -29), zone);
  if (from > to) throw new SpecError('from', 'is after to');
  if (!interval) return { from, to, periods: [] };
  const periods = periodsBetween(from, to, interval, calendar);
  if (!periods) throw new SpecError('interval', `the range spans more than ${MAX_PERIODS} ${interval}s; choose a longer interval or a shorter range`);
  return { from, to, periods };
}
