import { readEventsSpec, type EventsResult } from '../../../shared/metrics/events.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { Bindings } from './params.ts';
import { eventFilter, projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';

/**
 * `{ kind: 'events' }` (METRICS.md section 13), newest first, events of one
 * instant the last ingested first (`seq`), as in SQLite; the uuid orders
 * what two servers numbered alike. `user` is the id as stored (a
 * pseudonymizing caller hashes it first, as the SQLite store does).
 */
export async function eventsOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<EventsResult> {
  const { limit, offset, event, user, range } = readEventsSpec(spec, ctx.calendar, ctx.now);
  const bind = new Bindings();
  const source = projectEvents(scope, spec, ctx, bind);
  let where = `ts >= ${bind.bind(range.from, 'Int64')} AND ts <= ${bind.bind(range.to, 'Int64')} AND ${eventFilter(event, bind)}`;
  if (user !== undefined) where += ` AND user_id = ${bind.bind(user, 'String')}`;
  const [[total]] = (await sql.rows(`SELECT count() FROM ${source} WHERE ${where}`, bind.values)) as [[unknown]];
  const rows = await sql.rows(
    `SELECT event, user_id, ts, session_id, uuid, properties FROM ${source} WHERE ${where}
ORDER BY ts DESC, seq DESC, uuid DESC LIMIT ${bind.bind(limit, 'UInt64')} OFFSET ${bind.bind(offset, 'UInt64')}`,
    bind.values,
  );
  return {
    total: Number(total),
    events: rows.map(([name, userId, ts, sessionId, uuid, properties]) => ({
      event: String(name),
      user_id: String(userId),
      timestamp: new Date(Number(ts)).toISOString(),
      // An empty session_id is none (the schema's default).
      session_id: sessionId === '' ? null : String(sessionId),
      uuid: String(uuid),
      properties: properties === '' ? {} : (JSON.parse(String(properties)) as Record<string, unknown>),
    })),
  };
}
