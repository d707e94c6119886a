/** A value bound to, or read from, SQL. */
export type SqlValue = number | string | null | Uint8Array;

/** Named parameters; keys carry their prefix as written in the SQL (`$from`). */
export type SqlParams = Record<string, SqlValue>;

/** Runs one statement and returns its rows as arrays. The one place SQL meets the engine. */
export interface Executor {
  rows(sql: string, params?: SqlParams): SqlValue[][];
}

/** A statement's leading `WITH` (or `WITH RECURSIVE`) and the space after it. */
const LEADING_WITH = /^\s*WITH(?:\s+RECURSIVE)?\s+/i;
const LEADING_SELECT = /^\s*SELECT\s/i;

/**
 * Runs every query over a subset of the events: puts `cte`
 * (`Dialect.filteredEvents`) first in each statement's WITH clause, or gives
 * a plain SELECT one, and binds `cteParams` along with the statement's own.
 * Statements that are not queries (neither WITH nor SELECT first) run as
 * they are.
 */
export class FilteredExecutor implements Executor {
  constructor(
    private readonly inner: Executor,
    private readonly cte: string,
    private readonly cteParams: SqlParams,
  ) {}

  rows(sql: string, params: SqlParams = {}): SqlValue[][] {
    const leadingWith = LEADING_WITH.exec(sql);
    let filtered: string;
    if (leadingWith) filtered = `${leadingWith[0]}${this.cte},\n${sql.slice(leadingWith[0].length)}`;
    else if (LEADING_SELECT.test(sql)) filtered = `WITH ${this.cte}\n${sql}`;
    else return this.inner.rows(sql, params);
    // A statement binding a name the filter binds would silently change the filter (or the statement).
    for (const name of Object.keys(this.cteParams)) {
      if (Object.hasOwn(params, name)) throw new Error(`SQL parameter ${name} is bound both by the statement and by the event filter`);
    }
    return this.inner.rows(filtered, { ...params, ...this.cteParams });
  }
}
