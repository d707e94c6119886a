import type { Query, ResultOf } from '../../shared/query/kinds.ts';
import type { PropertyFilter } from '../../shared/query/property-filter.ts';
import type { Calendar } from '../../shared/time/periods.ts';
import type { ClickHouseExecutor } from './executor.ts';
import type { ClickHouseLayout } from './schema.ts';
import { answerClickHouse } from './query/index.ts';

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
 * executor's `rows`. A bad spec is the core's SpecError, which the route
 * answers 400 naming the field.
 */
export async function answerFromClickHouse<Q extends Query>(executor: ClickHouseExecutor, layout: ClickHouseLayout, project: string, spec: Q, context: ClickHouseQueryContext): Promise<ResultOf<Q>> {
  return answerClickHouse({ rows: (sql, params) => executor.rows(sql, params) }, { database: layout.database, project }, spec, context);
}
