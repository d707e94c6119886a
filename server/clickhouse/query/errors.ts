import { readErrorsSpec, TOP_ERRORS, type ErrorsResult } from '../../../shared/metrics/errors.ts';
import { Suppressor } from '../../../shared/privacy/suppress.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import { incompleteMark } from '../../../shared/time/periods.ts';
import { normalizedMessageSql } from './error-message-sql.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { Bindings } from './params.ts';
import { periodIndex } from './periods.ts';
import { projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';
import { sessionEventsTable } from './sessions-sql.ts';
import { propertyText } from './where.ts';

/**
 * `{ kind: 'errors' }` (METRICS.md section 11), every count made in
 * ClickHouse: the `$error` events of `[from, to]` and their users; the
 * query's sessions (sessionEventsTable) and those with an `$error` among
 * all their events; events and errors per period up to `to`; and the top
 * groups of `$error` events by normalized message (error-message-sql.ts).
 * The top is ordered as the core orders it in JavaScript: count (most
 * first), then message by UTF-16 code units (`<` on strings), which is the
 * byte order of the message's UTF-16BE form (`convertCharset`), not of its
 * UTF-8 form where a character past U+FFFF is involved.
 */
export async function errorsOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<ErrorsResult> {
  const { interval, options, range } = readErrorsSpec(spec, ctx.calendar, ctx.now);
  const bind = new Bindings();
  const events = projectEvents(scope, spec, ctx, bind);
  const isError = `event = ${bind.bind('$error', 'String')}`;
  const inRange = `ts >= ${bind.bind(range.from, 'Int64')} AND ts <= ${bind.bind(range.to, 'Int64')}`;
  const sessionEvents = sessionEventsTable(events, options, ctx.calendar, range.from, range.to, bind);
  const [[total, users, sessions, affected]] = (await sql.rows(
    `SELECT
  (SELECT count() FROM ${events} WHERE ${isError} AND ${inRange}),
  (SELECT uniqExact(user_id) FROM ${events} WHERE ${isError} AND ${inRange}),
  count(), countIf(affected)
FROM (SELECT max(${isError}) AS affected FROM ${sessionEvents} GROUP BY user_id, sid, start)`,
    bind.values,
  )) as [[unknown, unknown, unknown, unknown]];

  const periods = new Bindings();
  const idx = periodIndex('ts', interval, ctx.calendar, range.periods, periods);
  const series = range.periods.map(() => ({ events: 0, errors: 0 }));
  const periodEvents = projectEvents(scope, spec, ctx, periods);
  for (const [i, n, errors] of await sql.rows(
    `SELECT idx, count(), countIf(event = ${periods.bind('$error', 'String')}) FROM (SELECT event, ${idx} AS idx FROM ${periodEvents} WHERE ts <= ${periods.bind(range.to, 'Int64')})
WHERE idx >= 0 GROUP BY idx`,
    periods.values,
  )) {
    series[Number(i)] = { events: Number(n), errors: Number(errors) };
  }

  const groups = new Bindings();
  const errorEvents = projectEvents(scope, spec, ctx, groups);
  const message = `${normalizedMessageSql('raw', groups)}`;
  const top = await sql.rows(
    `SELECT message, count() AS n, uniqExact(user_id) FROM (
  SELECT user_id, ${message} AS message FROM (SELECT user_id, ${propertyText('properties', 'message', groups)} AS raw FROM ${errorEvents}
    WHERE event = ${groups.bind('$error', 'String')} AND ts >= ${groups.bind(range.from, 'Int64')} AND ts <= ${groups.bind(range.to, 'Int64')})
)
GROUP BY message ORDER BY n DESC, convertCharset(message, 'UTF-8', 'UTF-16BE') LIMIT ${groups.bind(TOP_ERRORS, 'UInt64')}`,
    groups.values,
  );

  const suppressor = new Suppressor(ctx.minGroupSize);
  const sessionCount = Number(sessions);
  const affectedSessions = Number(affected);
  return suppressor.finish({
    total: Number(total),
    users: suppressor.users(Number(users)),
    sessions: affectedSessions,
    errorFreeSessionRate: sessionCount === 0 ? null : (sessionCount - affectedSessions) / sessionCount,
    series: range.periods.map((period, i) => {
      const { events: n, errors } = series[i]!;
      return { period: period.name, ...incompleteMark(period, ctx.now), errors, perThousandEvents: n === 0 ? null : (errors * 1000) / n };
    }),
    top: top.map(([text, count, groupUsers]) => ({ message: String(text), count: Number(count), users: suppressor.users(Number(groupUsers)) })),
  });
}
