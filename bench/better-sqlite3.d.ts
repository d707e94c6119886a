/**
 * The part of better-sqlite3's API the benchmark uses (the package ships no
 * types; @types/better-sqlite3 would be one more dependency for four methods).
 */
declare module 'better-sqlite3' {
  interface Statement {
    raw(toggle?: boolean): Statement;
    all(params?: Record<string, unknown>): unknown[];
    run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  }
  interface Database {
    prepare(sql: string): Statement;
    exec(sql: string): Database;
    pragma(source: string): unknown;
    transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
    close(): void;
  }
  interface DatabaseConstructor {
    new (filename: string | Buffer, options?: { readonly?: boolean }): Database;
  }
  const Database: DatabaseConstructor;
  export default Database;
  export type { Database, Statement };
}
