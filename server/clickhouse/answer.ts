import { QUERY_KINDS, type Query, type QueryKind, type ResultOf } from '../../shared/query/kinds.ts';
import type { PropertyFilter } from '../../shared/query/property-filter.ts';
import type { Calendar } from '../../shared/time/periods.ts';
import { HttpError } from '../http/http-error.ts';
import type { ClickHouseExecutor } from './executor.ts';
import type { ClickHouseLayout } from './schema.ts';
import { answerClickHouse, CLICKHOUSE_KINDS } from './query/index.ts';

/** What a query runs under besides its spec: the project's settings, the clock, the lock of an embed token. */
export interface ClickHouseQueryContext {
  calendar: Calendar;
  now: number;
  minGroupSize: number;
  lockedWhere: PropertyFilter | null;
}

/**
 * Answers a spec from ClickHouse: the kinds' ClickHouse SQL
 * (server/clickhouse/query/, `answerClickHouse`), run through this
 * executor's `rows`. A kind not answered on ClickHouse yet is refused with
 * 501, naming it, rather than computed in JavaScript from raw events; a bad
 * spec is the core's SpecError, which the route answers 400 naming the field.
 */
export async function answerFromClickHouse<Q extends Query>(executor: ClickHouseExecutor, layout: ClickHouseLayout, project: string, spec: Q, context: ClickHouseQueryContext): Promise<ResultOf<Q>> {
  const kind = typeof spec === 'object' && spec !== null ? (spec as { kind?: unknown }).kind : undefined;
  if (typeof kind === 'string' && QUERY_KINDS.includes(kind as QueryKind) && !CLICKHOUSE_KINDS.includes(kind as QueryKind)) {
    throw new HttpError(501, `kind ${JSON.stringify(kind)}: not answered on the ClickHouse backend in this version (answered: ${CLICKHOUSE_KINDS.join(', ')})`, {}, 'kind');
  }
  return answerClickHouse({ rows: (sql, params) => executor.rows(sql, params) }, { database: layout.database, project }, spec, context);
}
