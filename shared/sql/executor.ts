import type { Database } from 'sql.js';

/** A value bound to, or read from, SQL. */
export type SqlValue = number | string | null | Uint8Array;

/** Named parameters; keys carry their prefix as written in the SQL (`$from`). */
export type SqlParams = Record<string, SqlValue>;

/** Runs one statement and returns its rows as arrays. The one place SQL meets the engine. */
export interface Executor {
  rows(sql: string, params?: SqlParams): SqlValue[][];
}

/** Executor over a sql.js database. */
export class SqlJsExecutor implements Executor {
  constructor(private readonly db: Database) {}

  rows(sql: string, params: SqlParams = {}): SqlValue[][] {
    const results = this.db.exec(sql, params);
    return (results[0]?.values ?? []) as SqlValue[][];
  }
}
