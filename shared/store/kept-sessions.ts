import type { Database, SqlValue } from 'sql.js';
import { DEFAULT_FRICTION_RULES } from '../metrics/friction-signals.ts';
import { SessionBuilder, type SessionEvent, type SessionFacts } from '../sessions/build-sessions.ts';
import { sessionEvent, sessionEventColumns } from '../sessions/session-event-rows.ts';
import { DEFAULT_SESSION_OPTIONS } from '../sessions/session-options.ts';
import { sqliteDialect } from '../sql/dialect.ts';
import type { SqlParams } from '../sql/executor.ts';
import { insertRows } from './insert-rows.ts';
import { readSetting, writeSetting } from './schema.ts';
import type { KeptFacts } from './write-events.ts';

/**
 * Sessions kept from ingest (METRICS.md section 3), with the default
 * session options and the default friction rules, so that the session
 * kinds read one row per session instead of sorting every event of the
 * range. A session is built from all of a user's events, so it does not
 * depend on a query's range; and without `splitAtMidnight` it does not
 * depend on a time zone either: a query in any zone reads these rows.
 *
 * Per session: the user, the `session_id` that grouped it (NULL for one built
 * by the gap rules), its first and last event's time, its events and `$error`
 * events, its event names in order (a JSON array of name ids: paths and
 * segments read it) and its friction signals (a JSON array of `[type, key,
 * count]`, NULL when none). `first_seq`, the ingestion order of its first
 * event, orders sessions that start at one instant as their first events
 * are ordered. The rows are stored in the order of their start (the primary
 * key), so a query's range is one sequential read, with no lookup per row.
 */
const SESSION_TABLE = `CREATE TABLE IF NOT EXISTS sessions (
  start_ts INTEGER NOT NULL,
  first_seq INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  sid,
  end_ts INTEGER NOT NULL,
  events INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  names TEXT NOT NULL,
  signals TEXT,
  PRIMARY KEY (start_ts, first_seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id, start_ts)`;

/**
 * Bumped when what a kept session holds, or the rules that build it, change:
 * a file whose sessions were kept by another version builds them again.
 */
const KEPT_SESSIONS_VERSION = '2';

/** The columns a session is written to, in the order of `sessionRow`'s values. */
export const COLUMNS = ['start_ts', 'first_seq', 'user_id', 'sid', 'end_ts', 'events', 'errors', 'names', 'signals'];
const insertSql = (rows: number): string =>
  `INSERT INTO sessions (${COLUMNS.join(', ')}) VALUES ${new Array<string>(rows).fill(`(${COLUMNS.map(() => '?').join(', ')})`).join(', ')}`;

/** A session as the row values of the table, in COLUMNS order. */
export function sessionRow(s: SessionFacts): SqlValue[] {
  const signals = s.signals.length === 0 ? null : JSON.stringify(s.signals.map((signal) => [signal.type, signal.key, signal.count]));
  return [s.start, s.firstSeq, s.user, s.sid, s.end, s.events, s.errors, JSON.stringify(s.names), signals];
}

/** The first value of the first row of a statement, or null. */
function scalar(db: Database, sql: string, params: SqlParams): SqlValue {
  return db.exec(sql, params)[0]?.values[0]?.[0] ?? null;
}

/**
 * Collects, during one write, the users whose sessions the written events
 * change, and then builds those users' sessions again from the first
 * session the events touch on (`flush`): the events before that session
 * are not read again.
 */
export class SessionKeeper implements KeptFacts {
  /** Per user: the earliest new event, the earliest new one without a session id, and the new session ids. */
  private readonly touched = new Map<number, { first: number; firstGap: number; sids: Set<string | number> }>();

  add(ts: number, userId: number, _nameId: number, sid: string | number | null): void {
    let entry = this.touched.get(userId);
    if (!entry) this.touched.set(userId, (entry = { first: ts, firstGap: Infinity, sids: new Set() }));
    if (ts < entry.first) entry.first = ts;
    if (sid === null) entry.firstGap = Math.min(entry.firstGap, ts);
    else entry.sids.add(sid);
  }

  /** Re-sessionizes every touched user (inside the caller's transaction) and forgets them. */
  flush(db: Database): void {
    if (this.touched.size === 0) return;
    const rebuild = new SessionRebuild(db);
    try {
      for (const [user, entry] of [...this.touched].sort(([a], [b]) => a - b)) rebuild.user(user, firstAffected(db, user, entry));
      rebuild.finish();
    } finally {
      rebuild.free();
    }
    this.touched.clear();
  }
}

/**
 * Where a user's sessions must be built again after new events: the
 * earliest of the new events, of the kept sessions their session ids join,
 * and of the kept gap session the first new gap event may extend; then
 * moved back to the start of a gap session that spans it, so the rebuild
 * starts where a session starts.
 */
function firstAffected(db: Database, user: number, entry: { first: number; firstGap: number; sids: Set<string | number> }): number {
  let from = entry.first;
  for (const sid of entry.sids) {
    const start = scalar(db, 'SELECT MIN(start_ts) FROM sessions WHERE user_id = $u AND sid = $sid', { $u: user, $sid: sid });
    if (start !== null) from = Math.min(from, Number(start));
  }
  if (entry.firstGap !== Infinity) {
    const start = scalar(db, 'SELECT MAX(start_ts) FROM sessions WHERE user_id = $u AND sid IS NULL AND start_ts <= $ts', { $u: user, $ts: entry.firstGap });
    if (start !== null) from = Math.min(from, Number(start));
  }
  const spanning = scalar(db, 'SELECT MAX(start_ts) FROM sessions WHERE user_id = $u AND sid IS NULL AND start_ts <= $ts AND end_ts >= $ts', { $u: user, $ts: from });
  return spanning === null ? from : Math.min(from, Number(spanning));
}

/**
 * Builds users' sessions again from an instant on: deletes their kept
 * sessions that start there or later, reads their events from there in
 * order, leaving out those of `session_id` sessions that started earlier
 * (kept as they are), and keeps the sessions built from the rest.
 */
class SessionRebuild {
  private readonly builder = new SessionBuilder(DEFAULT_SESSION_OPTIONS, 'UTC', DEFAULT_FRICTION_RULES);
  private readonly names = new Map<number, string>();
  private readonly read;
  /** The bound values the reading statement needs besides the user and instant. */
  private readonly fixed: SqlParams = {};
  private readonly rows: SqlValue[] = [];

  constructor(private readonly db: Database) {
    for (const [id, name] of db.exec('SELECT id, name FROM event_names')[0]?.values ?? []) this.names.set(Number(id), String(name));
    const columns = sessionEventColumns(sqliteDialect, this.fixed);
    this.read = db.prepare(`SELECT ${columns} FROM events AS e WHERE e.user_id = $u AND e.ts >= $from ORDER BY e.ts, e.seq`);
  }

  user(user: number, from: number): void {
    const db = this.db;
    const earlier = new Set<SqlValue>();
    const kept = db.exec('SELECT sid FROM sessions WHERE user_id = $u AND sid IS NOT NULL AND start_ts < $from AND end_ts >= $from', { $u: user, $from: from });
    for (const [sid] of kept[0]?.values ?? []) earlier.add(sid!);
    db.run('DELETE FROM sessions WHERE user_id = $u AND start_ts >= $from', { $u: user, $from: from });
    const events: SessionEvent[] = [];
    this.read.bind({ ...this.fixed, $u: user, $from: from });
    while (this.read.step()) {
      const event = sessionEvent(this.read.get(), this.names);
      if (event.sid === null || !earlier.has(event.sid)) events.push(event);
    }
    this.read.reset();
    for (const session of this.builder.build(user, events)) this.rows.push(...sessionRow(session));
    if (this.rows.length >= 50_000 * COLUMNS.length) this.finish();
  }

  /** Inserts the sessions built so far. */
  finish(): void {
    insertRows(this.db, insertSql, COLUMNS.length, this.rows);
    this.rows.length = 0;
  }

  free(): void {
    this.read.free();
  }
}

/**
 * Makes the kept sessions answer for the events stored: creates the table
 * in a file written before it existed, and builds every session again when
 * they were kept by another version of this code or do not account for
 * every event (a file changed by a version that did not keep them).
 */
export function ensureKeptSessions(db: Database): void {
  db.exec(SESSION_TABLE);
  const [events, counted] = db.exec('SELECT (SELECT COUNT(*) FROM events), (SELECT COALESCE(SUM(events), 0) FROM sessions)')[0]!.values[0]!;
  if (readSetting(db, 'keptSessions') === KEPT_SESSIONS_VERSION && events === counted) return;
  db.exec('BEGIN');
  try {
    db.exec('DELETE FROM sessions');
    const rebuild = new SessionRebuild(db);
    try {
      for (const [user] of db.exec('SELECT id FROM users ORDER BY id')[0]?.values ?? []) rebuild.user(Number(user), Number.MIN_SAFE_INTEGER);
      rebuild.finish();
    } finally {
      rebuild.free();
    }
    writeSetting(db, 'keptSessions', KEPT_SESSIONS_VERSION);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/** Before a user's events are deleted (in the same transaction): drops their sessions. */
export function deleteUserSessions(db: Database, userId: number): void {
  db.run('DELETE FROM sessions WHERE user_id = $user', { $user: userId });
}

/**
 * After `DELETE FROM events WHERE ts < before` (in the same transaction):
 * drops the sessions that started before it, and builds again, from
 * `before` on, the sessions of each user who had one that ran past it
 * (its remaining events start a session of their own).
 */
export function purgeSessionsBefore(db: Database, before: number): void {
  const cut = (db.exec('SELECT DISTINCT user_id FROM sessions WHERE start_ts < $before AND end_ts >= $before ORDER BY user_id', { $before: before })[0]?.values ?? []).map(([u]) => Number(u));
  db.run('DELETE FROM sessions WHERE start_ts < $before', { $before: before });
  if (cut.length === 0) return;
  const rebuild = new SessionRebuild(db);
  try {
    for (const user of cut) rebuild.user(user, before);
    rebuild.finish();
  } finally {
    rebuild.free();
  }
}
