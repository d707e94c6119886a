import type { ClickHouseClient } from '@clickhouse/client';

/** Values bound to `{name:Type}` placeholders of a ClickHouse statement. */
export type ClickHouseParams = Record<string, unknown>;

/**
 * Runs one ClickHouse statement and resolves to its rows as arrays, values as
 * ClickHouse's JSON formats give them (64-bit integers may come as text:
 * callers read numbers with Number()). The one place the query side meets
 * the engine: a server over HTTP (`clientExecutor`), or chdb in the tests.
 */
export interface ClickHouseExecutor {
  rows(sql: string, params: ClickHouseParams): Promise<unknown[][]>;
}

/** An executor over `@clickhouse/client`: every value travels as a query parameter (`query_params`), never in the SQL text. */
export function clientExecutor(client: ClickHouseClient): ClickHouseExecutor {
  return {
    async rows(sql, params) {
      const result = await client.query({ query: sql, query_params: params, format: 'JSONCompactEachRow' });
      return result.json<unknown[]>();
    },
  };
}
