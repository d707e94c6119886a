import type { BindParams, Database, Statement } from 'sql.js';
import type { PreparedStatement, SqlBindings, SqlDatabase } from './database.ts';
import type { SqlParams, SqlValue } from './executor.ts';

class SqlJsStatement implements PreparedStatement {
  constructor(
    private readonly db: Database,
    private readonly statement: Statement,
  ) {}

  run(values: SqlBindings): number {
    this.statement.run(values as BindParams);
    return this.db.getRowsModified();
  }

  rows(values: SqlBindings): SqlValue[][] {
    const statement = this.statement;
    statement.bind(values as BindParams);
    const rows: SqlValue[][] = [];
    try {
      while (statement.step()) rows.push(statement.get() as SqlValue[]);
    } finally {
      statement.reset();
    }
    return rows;
  }

  free(): void {
    this.statement.free();
  }
}

/** SqlDatabase over a sql.js database (SQLite compiled to WebAssembly, in memory). */
export class SqlJsDatabase implements SqlDatabase {
  constructor(readonly db: Database) {}

  exec(sql: string): void {
    this.db.exec(sql);
  }

  run(sql: string, params: SqlParams = {}): number {
    this.db.run(sql, params);
    return this.db.getRowsModified();
  }

  rows(sql: string, params: SqlParams = {}): SqlValue[][] {
    return (this.db.exec(sql, params)[0]?.values ?? []) as SqlValue[][];
  }

  eachRow(sql: string, params: SqlParams, visit: (row: SqlValue[]) => void): void {
    const statement = this.db.prepare(sql);
    try {
      statement.bind(params);
      while (statement.step()) visit(statement.get() as SqlValue[]);
    } finally {
      statement.free();
    }
  }

  prepare(sql: string): PreparedStatement {
    return new SqlJsStatement(this.db, this.db.prepare(sql));
  }
}
