import type { Database, SqlValue } from 'sql.js';

/**
 * Rows per INSERT statement. A prepared multi-row INSERT bound from an
 * array measured 4x faster than unpacking one JSON parameter per batch with
 * json_each (2.1 s for 200,000 rows, most of it re-parsing each row's JSON),
 * and a fifth faster than one row per statement.
 */
const ROWS_PER_STATEMENT = 100;

/**
 * Runs `sqlFor(n)`, an INSERT of n rows of `width` placeholders each, over
 * `values` (the rows, flattened): prepared once for 100 rows and once for
 * one row, which takes the rest. Returns how many rows it changed.
 */
export function insertRows(db: Database, sqlFor: (rows: number) => string, width: number, values: readonly SqlValue[]): number {
  const chunk = ROWS_PER_STATEMENT * width;
  const whole = values.length - (values.length % chunk);
  const many = db.prepare(sqlFor(ROWS_PER_STATEMENT));
  const one = db.prepare(sqlFor(1));
  let changed = 0;
  try {
    for (let i = 0; i < values.length; ) {
      const size = i < whole ? chunk : width;
      (i < whole ? many : one).run(values.slice(i, i + size));
      changed += db.getRowsModified();
      i += size;
    }
  } finally {
    many.free();
    one.free();
  }
  return changed;
}
