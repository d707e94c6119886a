/**
 * The engine-specific pieces of SQL the metric modules need. Metrics write
 * portable SQL around these, so a second engine (ClickHouse, DuckDB) adds a
 * dialect and an executor, not a second copy of every metric. Every value
 * still arrives as a bound parameter: these functions only place them.
 */
export interface Dialect {
  readonly name: string;
  /**
   * A derived table `(idx, start_ms, end_ms)` read from one bound parameter
   * holding a JSON array of `[start, end]` pairs (epoch ms, end exclusive).
   */
  periodsTable(param: string): string;
  /** A derived table with one column `value` read from a bound JSON array parameter. */
  valuesTable(param: string): string;
  /** A derived table with the named `columns` read from a bound JSON array of arrays, one column per position. */
  rowsTable(param: string, columns: readonly string[]): string;
  /**
   * The text of a property of a JSON `column` at a bound JSON path (see
   * `propertyPath`): strings as they are, numbers in decimal, booleans as
   * `true` / `false`, NULL when absent or null.
   */
  propertyText(column: string, pathParam: string): string;
  /** The JSON path, bound as a parameter, that names the top-level property `key`. */
  propertyPath(key: string): string;
  /**
   * A CTE (without the WITH) named `events` that holds only the stored events
   * meeting `condition`, a SQL condition on the events table's columns. Put
   * first in a statement's WITH clause, it stands in for the table wherever
   * the statement reads `events`, subqueries included: this is how a query's
   * `where` reaches every kind without a change to any of them. Here, not in
   * the executor, because it rests on two engine rules: a CTE may shadow a
   * table of the same name, and the table itself still has a qualified name
   * to read from inside it (SQLite: `main.events`). An engine without them
   * writes the filter its own way, e.g. as a view or a row policy.
   */
  filteredEvents(condition: string): string;
}

/** SQLite (sql.js, better-sqlite3): JSON1 and window functions. */
export const sqliteDialect: Dialect = {
  name: 'sqlite',
  periodsTable: (param) =>
    `(SELECT CAST(key AS INTEGER) AS idx, json_extract(value, '$[0]') AS start_ms, json_extract(value, '$[1]') AS end_ms FROM json_each(${param}))`,
  valuesTable: (param) => `(SELECT value FROM json_each(${param}))`,
  rowsTable: (param, columns) => `(SELECT ${columns.map((column, i) => `json_extract(value, '$[${i}]') AS ${column}`).join(', ')} FROM json_each(${param}))`,
  propertyText: (column, pathParam) =>
    `(CASE json_type(${column}, ${pathParam}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN NULL ` +
    `ELSE CAST(json_extract(${column}, ${pathParam}) AS TEXT) END)`,
  propertyPath: (key) => `$."${key}"`,
  // `main.events` is the table, not the CTE. NOT MATERIALIZED: each reference is read as the table with the
  // condition added, so it keeps the table's indexes; a materialized copy has none, and the per-user lookups
  // of first events (lifecycle, adoption) would scan it once per user.
  filteredEvents: (condition) => `events AS NOT MATERIALIZED (SELECT * FROM main.events WHERE ${condition})`,
};
