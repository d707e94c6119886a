/** The query side of the ClickHouse backend: query specs answered in ClickHouse SQL. */
export { answerClickHouse, CLICKHOUSE_KINDS } from './answer.ts';
export type { ClickHouseExecutor, ClickHouseParams } from './executor.ts';
export type { ClickHouseQueryContext, ClickHouseScope } from './scope.ts';
