import { optionalEnum, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, eventSource, EVERY_EVENT, inPeriods, nameId, periodsParam, type EventSource, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type PeriodRangeFields, type QueryRange } from '../query/range.ts';
import { Suppressor } from '../privacy/suppress.ts';
import type { SqlParams } from '../sql/executor.ts';
import { incompleteMark, INTERVALS, periodIndexOf, type Calendar, type Interval } from '../time/periods.ts';
import { MessageNormalizer } from './error-message.ts';
import { querySessions } from '../sessions/query-sessions.ts';
import { readSessionOptions, SESSION_FIELDS, type SessionOptions } from '../sessions/session-options.ts';

/**
 * `{ kind: 'errors' }`: `$error` events (METRICS.md section 11). Totals and
 * `top` count `[from, to]` exactly; the `series` counts whole periods from
 * the one containing `from` (section 2). Sessions follow section 3 with the
 * session options below: the sessions whose first event lies in `[from, to]`,
 * each whole (an `$error` after `to` in such a session makes it affected).
 */
export interface ErrorsQuery extends SessionOptions, PeriodRangeFields {
  kind: 'errors';
  /** Period of the `series`; default `day`. */
  interval?: Interval;
}

/** One error group: the `$error` events whose `properties.message` normalizes to `message`. */
export interface ErrorGroup {
  /**
   * The message with UUIDs, `0x` literals, hex ids (6+ hex digits with a
   * decimal digit among them) and runs of digits each replaced by `#`;
   * `(no message)` for events without one (see `normalizeMessage`).
   */
  message: string;
  /** `$error` events in the group. */
  count: number;
  /** Distinct users with one; null when suppressed. */
  users: number | null;
}

export interface ErrorsResult {
  /** `$error` events. */
  total: number;
  /** Distinct users with an `$error`; null when suppressed. */
  users: number | null;
  /** Sessions containing an `$error`. */
  sessions: number;
  /** Sessions without an `$error` / all sessions; null when there are no sessions. */
  errorFreeSessionRate: number | null;
  /**
   * Per period: `$error` events, and `$error` events per 1,000 events of any
   * name (the errors included); null when the period has no events.
   * `incomplete` on a period not ended at the store's clock.
   */
  series: { period: string; incomplete?: true; errors: number; perThousandEvents: number | null }[];
  /** The 10 largest groups, most events first (then by message). */
  top: ErrorGroup[];
  suppressed?: true;
}

/** How many error groups `top` lists. */
export const TOP_ERRORS = 10;

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, ...SESSION_FIELDS, 'interval'];

/**
 * Rows of events and errors per period (binding into `params` what they
 * read): `('period', idx, events, errors)` from every event placed in its
 * period, or, from the daily counts,
 * `('day', day, events, errors)` per day, in the table's own order (sorting
 * 460,000 rows of daily counts into 90 periods cost 0.2 s at a million
 * events; the days fold into their periods in JavaScript).
 */
function perPeriodSql(ctx: QueryContext, source: EventSource, isError: string, range: QueryRange, params: SqlParams): string {
  if (source === EVERY_EVENT) {
    params.$periods = periodsParam(range.periods, range.to);
    return `SELECT 'period', p.idx, COUNT(*), SUM(${isError})
FROM ${inPeriods(ctx.dialect.periodsTable('$periods'), source)}
GROUP BY p.idx`;
  }
  params.$periodsFrom = range.periods[0]?.start ?? 0;
  params.$periodsTo = Math.min(range.periods[range.periods.length - 1]?.end ?? 0, range.to + 1);
  return `SELECT 'day', e.day, SUM(e.n), SUM(${isError} * e.n) FROM activity AS e
WHERE e.day >= $periodsFrom AND e.day < $periodsTo GROUP BY e.day`;
}

/** A checked errors spec: its interval, session options and range. */
export interface ErrorsPlan {
  interval: Interval;
  options: Required<SessionOptions>;
  range: QueryRange;
}

/** Checks an errors spec and resolves its periods in `calendar` at `now`; throws a SpecError naming the field. */
export function readErrorsSpec(spec: SpecObject, calendar: Calendar, now: number): ErrorsPlan {
  rejectUnknownFields(spec, FIELDS);
  const interval = optionalEnum(spec, 'interval', INTERVALS) ?? 'day';
  const options = readSessionOptions(spec);
  return { interval, options, range: resolveRange(spec, calendar, now, interval) };
}

export function errorsQuery(spec: SpecObject, ctx: QueryContext): ErrorsResult {
  const { interval, options, range } = readErrorsSpec(spec, ctx.calendar, ctx.now);
  const params: SqlParams = {
    $from: range.from,
    $to: range.to,
    $errorName: '$error',
  };
  const isError = `CASE WHEN name_id = ${nameId('$errorName')} THEN 1 ELSE 0 END`;
  // The events and errors per period need no more than the daily counts, where they answer.
  const source = eventSource(ctx, interval, range.periods, range.to, true);
  // Rows by type: errors and their users;
  // per period (all events, errors); per raw message and user (errors), to
  // group by normalized message here, as SQLite has no regular expressions.
  const rows = ctx.sql.rows(
    `WITH errors AS (
  SELECT e.user_id AS u, ${ctx.dialect.propertyText('e.properties', 'message', params, '$messagePath')} AS message
  FROM events AS e
  WHERE e.name_id = ${nameId('$errorName')} AND e.ts >= $from AND e.ts <= $to
)
SELECT 'errors', COUNT(*), COUNT(DISTINCT u), NULL FROM errors
UNION ALL
${perPeriodSql(ctx, source, isError, range, params)}
UNION ALL
SELECT 'message', message, u, COUNT(*) FROM errors GROUP BY message, u`,
    params,
  );

  // The query's sessions (section 3): an affected one has an `$error` among all of its events.
  const sessionList = querySessions(ctx, options, range.from, range.to);
  const sessions = sessionList.length;
  const affectedSessions = sessionList.filter((session) => session.errors > 0).length;
  const series = range.periods.map((period) => ({ period: period.name, ...incompleteMark(period, ctx.now), events: 0, errors: 0 }));
  const normalizer = new MessageNormalizer();
  const groups = new Map<string, { count: number; users: Set<number> }>();
  let total = 0;
  let users = 0;
  for (const [type, a, b, c] of rows) {
    if (type === 'errors') {
      total = Number(a);
      users = Number(b);
    } else if (type === 'period' || type === 'day') {
      // A day's counts go to the period holding it (a day row is the start of a day inside the periods).
      const period = series[type === 'period' ? Number(a) : periodIndexOf(range.periods, Number(a))]!;
      period.events += Number(b);
      period.errors += Number(c);
    } else {
      const message = normalizer.normalize(a === null ? null : String(a));
      const group = groups.get(message) ?? { count: 0, users: new Set<number>() };
      group.count += Number(c);
      group.users.add(Number(b));
      groups.set(message, group);
    }
  }

  const suppressor = new Suppressor(ctx.minGroupSize);
  const top = [...groups]
    .sort(([messageA, a], [messageB, b]) => b.count - a.count || (messageA < messageB ? -1 : messageA > messageB ? 1 : 0))
    .slice(0, TOP_ERRORS)
    .map(([message, group]) => ({ message, count: group.count, users: suppressor.users(group.users.size) }));
  return suppressor.finish({
    total,
    users: suppressor.users(users),
    sessions: affectedSessions,
    errorFreeSessionRate: sessions === 0 ? null : (sessions - affectedSessions) / sessions,
    series: series.map(({ events, errors, ...named }) => ({
      ...named,
      errors,
      perThousandEvents: events === 0 ? null : (errors * 1000) / events,
    })),
    top,
  });
}
