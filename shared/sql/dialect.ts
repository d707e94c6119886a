import type { SqlParams } from './executor.ts';

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
   * The text of the top-level property `key` of a JSON `column`: strings as
   * they are, numbers in decimal, booleans as `true` / `false`, NULL when
   * absent or null. Any key a property can have at ingest works, whatever it
   * holds (quotes, backslashes, dots, `$`, `[`, NUL, emoji); what finds it is
   * bound to `params` as `param`, never spliced in. Every read of a property
   * by name goes through here.
   */
  propertyText(column: string, key: string, params: SqlParams, param: string): string;
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

/**
 * Characters a key cannot hold as they are inside SQLite's quoted path label
 * `$."..."`: SQLite ends the label at the first `"` (it does not skip `\"`),
 * reads a backslash as the start of a JSON escape, and lone surrogates cannot
 * cross into UTF-8 intact. SQLite decodes JSON escapes in a label before
 * comparing it with the stored keys, so each of these is written as its
 * `\uXXXX` escape (checked on sql.js 1.17, SQLite 3.54).
 */
const PATH_LABEL_ESCAPES = /["\\\u0001-\u001f]|\p{Cs}/gu;

/** The SQLite JSON path of the top-level key `key`, for any key without a NUL. */
function sqlitePropertyPath(key: string): string {
  return `$."${key.replace(PATH_LABEL_ESCAPES, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** JSON1 `json_type` / `json_each.type` names mapped to the text `propertyText` gives. */
function sqliteJsonText(type: string, value: string): string {
  return `(CASE ${type} WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN NULL ELSE CAST(${value} AS TEXT) END)`;
}

/**
 * A key with a NUL cannot be a path at all: even escaped as `\u0000`, SQLite
 * compares the decoded label only up to the NUL, so `nul\u0000byte` finds a
 * key `nul` (checked). Such a key is found by comparing `json_each`'s keys
 * with the bound key instead; slower, so only for them.
 */
function sqlitePropertyText(column: string, key: string, params: SqlParams, param: string): string {
  if (key.includes('\u0000')) {
    params[param] = key;
    return `(SELECT ${sqliteJsonText('type', 'value')} FROM json_each(${column}) WHERE key = ${param} LIMIT 1)`;
  }
  params[param] = sqlitePropertyPath(key);
  return sqliteJsonText(`json_type(${column}, ${param})`, `json_extract(${column}, ${param})`);
}

/** SQLite (sql.js, better-sqlite3): JSON1 and window functions. */
export const sqliteDialect: Dialect = {
  name: 'sqlite',
  periodsTable: (param) =>
    `(SELECT CAST(key AS INTEGER) AS idx, json_extract(value, '$[0]') AS start_ms, json_extract(value, '$[1]') AS end_ms FROM json_each(${param}))`,
  valuesTable: (param) => `(SELECT value FROM json_each(${param}))`,
  rowsTable: (param, columns) => `(SELECT ${columns.map((column, i) => `json_extract(value, '$[${i}]') AS ${column}`).join(', ')} FROM json_each(${param}))`,
  propertyText: sqlitePropertyText,
  // `main.events` is the table, not the CTE. NOT MATERIALIZED: each reference is read as the table with the
  // condition added, so it keeps the table's indexes; a materialized copy has none, and the per-user lookups
  // of first events (lifecycle, adoption) would scan it once per user.
  filteredEvents: (condition) => `events AS NOT MATERIALIZED (SELECT * FROM main.events WHERE ${condition})`,
};
