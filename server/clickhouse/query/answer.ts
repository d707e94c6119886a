import { queryCalendar } from '../../../shared/query/context.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import { readKind, type Query, type QueryKind, type ResultOf } from '../../../shared/query/kinds.ts';
import { adoptionOnClickHouse } from './adoption.ts';
import { errorsOnClickHouse } from './errors.ts';
import { eventsOnClickHouse } from './events.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { funnelOnClickHouse } from './funnel.ts';
import { frictionOnClickHouse } from './friction.ts';
import { lifecycleOnClickHouse } from './lifecycle.ts';
import { pathsOnClickHouse } from './paths.ts';
import { retentionOnClickHouse } from './retention.ts';
import type { ClickHouseQueryContext, ClickHouseScope } from './scope.ts';
import { segmentsOnClickHouse } from './segments.ts';
import { sessionsOnClickHouse } from './sessions.ts';
import { stickinessOnClickHouse } from './stickiness.ts';
import { trendOnClickHouse } from './trend.ts';

type Runner = (sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext) => Promise<unknown>;

/** Every kind of METRICS.md in ClickHouse SQL: a kind added to the core does not compile here until it has its own. */
const RUNNERS: Record<QueryKind, Runner> = {
  events: eventsOnClickHouse,
  trend: trendOnClickHouse,
  stickiness: stickinessOnClickHouse,
  lifecycle: lifecycleOnClickHouse,
  retention: retentionOnClickHouse,
  sessions: sessionsOnClickHouse,
  funnel: funnelOnClickHouse,
  paths: pathsOnClickHouse,
  errors: errorsOnClickHouse,
  adoption: adoptionOnClickHouse,
  friction: frictionOnClickHouse,
  segments: segmentsOnClickHouse,
};

/** The kinds `answerClickHouse` answers: all of them. */
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
  const { object, kind } = readKind(spec);
  const calendar = queryCalendar(object, ctx.calendar);
  return (await RUNNERS[kind](deduplicated(sql), scope, object, { ...ctx, calendar })) as ResultOf<Q>;
}
