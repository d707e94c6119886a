/**
 * The part of @duckdb/node-api's API the benchmark uses. DuckDB is installed
 * on first use of `npm run bench` (scripts/tools.mjs), not by `npm install`,
 * so its own types are not there for the type check of `npm test`.
 */
declare module '@duckdb/node-api' {
  interface DuckDBMaterializedResult {
    getRowsJS(): unknown[][];
  }
  interface DuckDBAppender {
    appendBigInt(value: bigint): void;
    appendVarchar(value: string): void;
    appendNull(): void;
    endRow(): void;
    closeSync(): void;
  }
  interface DuckDBConnection {
    run(sql: string, values?: Record<string, number>): Promise<unknown>;
    runAndReadAll(sql: string, values?: Record<string, number>): Promise<DuckDBMaterializedResult>;
    createAppender(table: string): Promise<DuckDBAppender>;
    closeSync(): void;
  }
  class DuckDBInstance {
    static create(path?: string): Promise<DuckDBInstance>;
    connect(): Promise<DuckDBConnection>;
    closeSync(): void;
  }
  export { DuckDBInstance };
  export type { DuckDBAppender, DuckDBConnection, DuckDBMaterializedResult };
}
