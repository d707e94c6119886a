/** Values bound to a statement's `{name:Type}` placeholders, by name. */
export type ClickHouseParams = Record<string, unknown>;

/** What one call may add: ClickHouse settings, and the session it runs in (for temporary tables). */
export interface ClickHouseCallOptions {
  settings?: Record<string, string | number>;
  /** A session id: calls that share one see the same temporary tables. */
  session?: string;
}

/**
 * What the ClickHouse code needs of an engine: a server over HTTP
 * (http-executor.ts, through @clickhouse/client) or chdb in-process (the
 * tests and the benchmark). Values reach ClickHouse only as bound
 * parameters (`{name:Type}` placeholders, `params`) or as inserted rows.
 */
export interface ClickHouseExecutor {
  /**
   * Whether the engine binds `{name:Type}` parameters. ClickHouse added
   * them in 19.x; the 18.16 server of the test cluster lacks them, so the
   * ingest path there finds stored uuids through a temporary table instead.
   */
  readonly boundParams: boolean;
  /** Runs a statement that answers rows; resolves to them as objects (64-bit integers may come as strings). */
  query<Row = Record<string, unknown>>(sql: string, params?: ClickHouseParams, options?: ClickHouseCallOptions): Promise<Row[]>;
  /**
   * Runs a statement that answers rows; resolves to them as arrays in the
   * statement's column order (JSONCompactEachRow): the shape the query
   * side's executor (`rows`) takes.
   */
  rows(sql: string, params?: ClickHouseParams): Promise<unknown[][]>;
  /** Runs a statement that answers no rows (DDL, ALTER). */
  command(sql: string, params?: ClickHouseParams, options?: ClickHouseCallOptions): Promise<void>;
  /** Inserts rows (objects by column name) into a table (`db`.`table`, quoted by the caller). */
  insert(table: string, rows: readonly Record<string, unknown>[], options?: ClickHouseCallOptions): Promise<void>;
  close(): Promise<void>;
}
