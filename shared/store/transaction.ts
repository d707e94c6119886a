import type { Database } from 'sql.js';

/** Runs `work` in one transaction: committed when it returns, rolled back (and the error passed on) when it throws. */
export function inTransaction<T>(db: Database, work: () => T): T {
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
