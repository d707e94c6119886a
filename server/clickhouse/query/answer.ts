import { SpecError, quote } from '../../../shared/errors.ts';
import { queryCalendar } from '../../../shared/query/context.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { Query, QueryKind, ResultOf } from '../../../shared/query/kinds.ts';
import { eventsOnClickHouse } from './events.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { frictionOnClickHouse } from './friction.ts';
import { lifecycleOnClickHouse } from './lifecycle.ts';
import { retentionOnClickHouse } from './retention.ts';
import type { ClickHouseQueryContext, ClickHouseScope } from './scope.ts';
import { segmentsOnClickHouse } from './segments.ts';
import { sessionsOnClickHouse } from './sessions.ts';
import { stickinessOnClickHouse } from './stickiness.ts';
import { trendOnClickHouse } from './trend.ts';

type Runner = (sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext) => Promise<unknown>;

/** The kinds answered on ClickHouse so far; the others are refused with a SpecError naming the kind. */
const RUNNERS: Partial<Record<QueryKind, Runner>> = {
  events: eventsOnClickHouse,
  trend: trendOnClickHouse,
  stickiness: stickinessOnClickHouse,
  lifecycle: lifecycleOnClickHouse,
  retention: retentionOnClickHouse,
  sessions: sessionsOnClickHouse,
  friction: frictionOnClickHouse,
  segments: segmentsOnClickHouse,
};

/** The kinds `answerClickHouse` answers. */
export const CLICKHOUSE_KINDS = Object.keys(RUNNERS) as QueryKind[];

/**
 * Every statement reads the events deduplicated: ReplacingMergeTree merges
 * the copies of a uuid only eventually, and `final = 1` applies FINAL to
 * every table a statement reads, through views and Distributed tables (on
 * 26.7, `FROM view FINAL` is silently ignored: checked on chdb). Per shard
 * this is exact, since all copies of an event share its user's shard.
 */
function deduplicated(sql: ClickHouseExecutor): ClickHouseExecutor {
  return { rows: (statement, params) => sql.rows(`${statement}\nSETTINGS final = 1`, params) };
}

/**
 * Answers a query spec from the events of `scope.project` in ClickHouse, with
 * the core's checks (a bad spec rejects with a SpecError naming the field)
 * and the core's result shape. The spec's `timezone` / `weekStart` override
 * `ctx.calendar`, as in the SQLite store.
 */
export async function answerClickHouse<Q extends Query>(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: Q, ctx: ClickHouseQueryContext): Promise<ResultOf<Q>> {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new SpecError('spec', `must be an object with a kind, got ${quote(spec)}`);
  const kind = (spec as unknown as SpecObject).kind;
  const run = typeof kind === 'string' && Object.hasOwn(RUNNERS, kind) ? RUNNERS[kind as QueryKind] : undefined;
  if (!run) throw new SpecError('kind', `${quote(kind)} is not answered on ClickHouse (answered: ${CLICKHOUSE_KINDS.join(', ')})`);
  const object = spec as unknown as SpecObject;
  const calendar = queryCalendar(object, ctx.calendar);
  return (await run(deduplicated(sql), scope, object, { ...ctx, calendar })) as ResultOf<Q>;
}
