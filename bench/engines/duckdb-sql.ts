/** What the DuckDB queries share: the range they are bound to, the query's form and small helpers to shape rows. */

export const DAY_MS = 86_400_000;

/** The query's range in days: day 0 starts at `from` (UTC, as the benchmark's store). */
export interface Range {
  fromMs: number;
  toMs: number;
  days: number;
}

export type Rows = unknown[][];

/** A query written for DuckDB, and how to put its rows in the shape of our answer (only the fields it computes). */
export interface DuckQuery {
  sql: string;
  shape: (rows: Rows, range: Range) => unknown;
  /** The part of our answer it is compared with. */
  ours: (answer: unknown) => unknown;
}

export const num = (value: unknown): number => Number(value);
export const ms3 = (seconds: number | null): number | null => (seconds === null ? null : Math.round(seconds * 1000) / 1000);

/**
 * The index of the day holding epoch-ms `column`, day 0 starting at `from`:
 * floored, because DuckDB's `//` truncates toward zero, which would put the
 * day before `from` at 0 too.
 */
export const dayIndex = (column: string): string => `floor((${column} - $from::BIGINT) / ${DAY_MS})::BIGINT`;

/** The day index of each event in range, and the bound range. */
export const IN_RANGE = `SELECT *, ${dayIndex('ts')} AS day FROM events WHERE ts >= $from::BIGINT AND ts <= $to::BIGINT`;

/**
 * After `FROM events GROUP BY user_id, session_id`: keeps the query's
 * sessions (METRICS.md section 3). Sessions are built from every event in
 * the store, whatever the range, and a query's are those whose first event
 * lies in `[from, to]`; a session that began before `from` is none of them.
 * Sessions are (user, session_id), as the sample's events all carry one.
 */
export const STARTS_IN_RANGE = 'HAVING MIN(ts) >= $from::BIGINT AND MIN(ts) <= $to::BIGINT';

/** Every event of the query's sessions, whole: those after `to` too. */
export const SESSION_EVENTS = `SELECT * FROM events
  SEMI JOIN (SELECT user_id, session_id FROM events GROUP BY user_id, session_id ${STARTS_IN_RANGE}) USING (user_id, session_id)`;

export function perDay(rows: Rows, range: Range, column = 1): number[] {
  const values = new Array<number>(range.days).fill(0);
  for (const row of rows) values[num(row[0])] = num(row[column]);
  return values;
}
