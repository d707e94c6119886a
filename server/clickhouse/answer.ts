import type { Query, ResultOf } from '../../shared/query/kinds.ts';
import type { PropertyFilter } from '../../shared/query/property-filter.ts';
import type { Calendar } from '../../shared/time/periods.ts';
import { HttpError } from '../http/http-error.ts';
import type { ClickHouseExecutor } from './executor.ts';
import type { ClickHouseLayout } from './schema.ts';

/** What a query runs under besides its spec: the project's settings, the clock, the lock of an embed token. */
export interface ClickHouseQueryContext {
  calendar: Calendar;
  now: number;
  minGroupSize: number;
  lockedWhere: PropertyFilter | null;
}

/**
 * Answers a spec from ClickHouse. The kinds' ClickHouse SQL is built in
 * server/clickhouse/query/ (`answerClickHouse(executor, { database,
 * project }, spec, context)`; the executor here has the `rows` it takes);
 * until it is wired here, every query is answered 501, naming the kind,
 * rather than computed in JavaScript from raw events.
 */
export async function answerFromClickHouse<Q extends Query>(
  _executor: ClickHouseExecutor,
  _layout: ClickHouseLayout,
  _project: string,
  spec: Q,
  _context: ClickHouseQueryContext,
): Promise<ResultOf<Q>> {
  const kind = typeof spec === 'object' && spec !== null ? (spec as { kind?: unknown }).kind : undefined;
  throw new HttpError(501, `kind ${JSON.stringify(kind)}: queries on the ClickHouse backend are not available in this version yet (ingest, export and erasure are)`, {}, 'kind');
}
