import type { Database, Statement } from 'better-sqlite3';
import type { PreparedStatement, SqlBindings, SqlDatabase } from '../../shared/sql/database.ts';
import type { SqlParams, SqlValue } from '../../shared/sql/executor.ts';

type Bound = number | bigint | string | null | Buffer;

/**
 * A value as sql.js binds it (SqlDatabase's rule): a whole number within 32
 * bits as an INTEGER (better-sqlite3 binds every JS number as a REAL, and
 * only a BigInt as an INTEGER), any other number as a REAL, bytes as a blob.
 */
function bound(value: SqlValue): Bound {
  if (typeof value === 'number') return value === (value | 0) ? BigInt(value) : value;
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value as Bound;
}

/** Named values as better-sqlite3 takes them: the SQL's `$name` is bound from the key `name`. */
function named(params: SqlParams): Record<string, Bound> {
  const values: Record<string, Bound> = {};
  for (const key of Object.keys(params)) values[key.replace(/^[$:@]/, '')] = bound(params[key]!);
  return values;
}

function bindings(values: SqlBindings): Bound[] | [Record<string, Bound>] {
  return Array.isArray(values) ? (values as readonly SqlValue[]).map(bound) : [named(values as SqlParams)];
}

/** Rows as arrays; a statement that returns no data (an INSERT, a DELETE) is run and gives none. */
function rowsOf(statement: Statement, values: Bound[] | [Record<string, Bound>]): SqlValue[][] {
  if (!statement.reader) {
    statement.run(...values);
    return [];
  }
  return statement.raw(true).all(...values) as SqlValue[][];
}

/** Statements kept prepared (metric SQL repeats); past this many the cache starts again. */
const CACHED_STATEMENTS = 500;

/** SqlDatabase over native SQLite (better-sqlite3), for the server's files on disk. */
export class NativeDatabase implements SqlDatabase {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= CACHED_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  run(sql: string, params: SqlParams = {}): number {
    return this.statement(sql).run(named(params)).changes;
  }

  rows(sql: string, params: SqlParams = {}): SqlValue[][] {
    return rowsOf(this.statement(sql), [named(params)]);
  }

  eachRow(sql: string, params: SqlParams, visit: (row: SqlValue[]) => void): void {
    for (const row of this.statement(sql).raw(true).iterate(named(params))) visit(row as SqlValue[]);
  }

  /**
   * From the same cache as `run` and `rows`: the store's write path prepares
   * its inserts again for every batch (a 100-row INSERT even for a batch of
   * 50), which took a fifth of a small batch's time when prepared anew.
   * `free` leaves the statement to the cache.
   */
  prepare(sql: string): PreparedStatement {
    const statement = this.statement(sql);
    return {
      run: (values) => statement.run(...bindings(values)).changes,
      rows: (values) => rowsOf(statement, bindings(values)),
      free: () => undefined,
    };
  }
}
