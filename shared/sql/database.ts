import type { Executor, SqlParams, SqlValue } from './executor.ts';

/** Values for a prepared statement: by position (`?`), or by name (`$name`, keys with their prefix). */
export type SqlBindings = readonly SqlValue[] | SqlParams;

/** A statement prepared once and run many times. */
export interface PreparedStatement {
  /** Runs it; returns how many rows it changed. */
  run(values: SqlBindings): number;
  /** Runs it; returns its rows as arrays. */
  rows(values: SqlBindings): SqlValue[][];
  /** Frees it (a no-op where the engine's garbage collector does). */
  free(): void;
}

/**
 * What the store's write path needs of a SQLite engine: sql.js in the
 * browser, better-sqlite3 in the server. The store's tables, its upkeep
 * (daily counts, first uses, kept sessions) and every metric run through
 * this and `Executor`, so both engines hold the same schema and answer with
 * the same SQL.
 *
 * Both engines must bind a number the same way, or the same SQL would
 * compute differently (`$a / 2` is a whole division only between integers):
 * a whole number within 32 bits as an INTEGER, any other number as a REAL,
 * which is what sql.js does. Columns of INTEGER affinity store a whole REAL
 * as an INTEGER either way.
 */
export interface SqlDatabase extends Executor {
  /** Runs one or more statements without values or results (schema, BEGIN, COMMIT). */
  exec(sql: string): void;
  /** Runs one statement; returns how many rows it changed. */
  run(sql: string, params?: SqlParams): number;
  /** Runs one statement and hands its rows to `visit` one at a time, none kept. */
  eachRow(sql: string, params: SqlParams, visit: (row: SqlValue[]) => void): void;
  prepare(sql: string): PreparedStatement;
}

/** Runs `work` in one transaction: committed when it returns, rolled back (and the error passed on) when it throws. */
export function inTransaction<T>(db: SqlDatabase, work: () => T): T {
  db.exec('BEGIN');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
