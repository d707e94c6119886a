import { inTransaction, type SqlDatabase } from '../sql/database.ts';
import type { SqlValue } from '../sql/executor.ts';
import { insertRows } from './insert-rows.ts';
import type { KeptFacts } from './write-events.ts';

/**
 * Each user's first event of each name, to the millisecond, kept in step
 * with `events` by every write: adoption's time to adopt (METRICS.md
 * section 10) reads a feature's first uses in the range and each user's
 * first event ever (the earliest of the user's rows) here, instead of
 * looking both up among every event. Keyed by user first, so one user's
 * first event ever is a short range of the key.
 */
const FIRST_USES_TABLE = `CREATE TABLE IF NOT EXISTS first_uses (
  user_id INTEGER NOT NULL,
  name_id INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (user_id, name_id)
) WITHOUT ROWID`;

const upsertSql = (rows: number): string =>
  `INSERT INTO first_uses (user_id, name_id, ts) VALUES ${new Array<string>(rows).fill('(?, ?, ?)').join(', ')} ` +
  'ON CONFLICT (user_id, name_id) DO UPDATE SET ts = MIN(ts, excluded.ts)';

/** The earliest time of each (user, name) written in one call, then merged into the table. */
export class FirstUseTracker implements KeptFacts {
  private readonly earliest = new Map<number, Map<number, number>>();

  add(event: { timestamp: number }, _seq: number, userId: number, nameId: number): void {
    const ts = event.timestamp;
    let names = this.earliest.get(userId);
    if (!names) this.earliest.set(userId, (names = new Map()));
    const known = names.get(nameId);
    if (known === undefined || ts < known) names.set(nameId, ts);
  }

  /** Merges into the table (inside the caller's transaction) and forgets. */
  flush(db: SqlDatabase): void {
    const values: SqlValue[] = [];
    for (const user of [...this.earliest.keys()].sort((a, b) => a - b)) {
      for (const [name, ts] of this.earliest.get(user)!) values.push(user, name, ts);
    }
    insertRows(db, upsertSql, 3, values);
    this.earliest.clear();
  }
}

/**
 * Makes the table answer for the events stored: creates it in a file
 * written before it existed, and fills it again when its rows do not match
 * the distinct users and names of the daily counts (shared/store/activity.ts,
 * made to answer first), as in a file changed by a version that did not keep
 * it.
 */
export function ensureFirstUses(db: SqlDatabase): void {
  db.exec(FIRST_USES_TABLE);
  const [kept, pairs] = db.rows('SELECT (SELECT COUNT(*) FROM first_uses), (SELECT COUNT(*) FROM (SELECT DISTINCT user_id, name_id FROM activity))')[0]!;
  if (kept === pairs) return;
  inTransaction(db, () => {
    db.exec('DELETE FROM first_uses');
    db.exec('INSERT INTO first_uses (user_id, name_id, ts) SELECT user_id, name_id, MIN(ts) FROM events GROUP BY user_id, name_id');
  });
}

/** Before a user's events are deleted (in the same transaction): drops their first uses. */
export function deleteUserFirstUses(db: SqlDatabase, userId: number): void {
  db.run('DELETE FROM first_uses WHERE user_id = $user', { $user: userId });
}

/**
 * After `DELETE FROM events WHERE ts < before` (in the same transaction):
 * a first use before it moves to the user's earliest remaining event of
 * that name, or goes when none remains.
 */
export function purgeFirstUsesBefore(db: SqlDatabase, before: number): void {
  const mine = 'e.user_id = first_uses.user_id AND e.name_id = first_uses.name_id';
  db.run(`DELETE FROM first_uses WHERE ts < $before AND NOT EXISTS (SELECT 1 FROM events AS e WHERE ${mine})`, { $before: before });
  db.run(`UPDATE first_uses SET ts = (SELECT MIN(e.ts) FROM events AS e WHERE ${mine}) WHERE ts < $before`, { $before: before });
}
