import { DEFAULT_FRICTION_RULES } from '../metrics/friction-signals.ts';
import { SessionBuilder, type SessionEvent, type SessionFacts } from '../sessions/build-sessions.ts';
import { sessionEvent, sessionEventColumns } from '../sessions/session-event-rows.ts';
import { DEFAULT_SESSION_OPTIONS } from '../sessions/session-options.ts';
import { sqliteDialect } from '../sql/dialect.ts';
import { inTransaction, type PreparedStatement, type SqlDatabase } from '../sql/database.ts';
import type { SqlParams, SqlValue } from '../sql/executor.ts';
import { RowInserter } from './insert-rows.ts';
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
 * Per session: the user, the `session_id` (its dictionary id) that grouped
 * it (NULL for one built by the gap rules), its first and last event's time,
 * its events and `$error` events, its event names in order (a JSON array of name ids: paths and
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
const KEPT_SESSIONS_VERSION = '3';

/** The columns a session is written to, in the order of `sessionRow`'s values. */
export const SESSION_COLUMNS = ['start_ts', 'first_seq', 'user_id', 'sid', 'end_ts', 'events', 'errors', 'names', 'signals'];
const insertSql = (rows: number): string =>
  `INSERT INTO sessions (${SESSION_COLUMNS.join(', ')}) VALUES ${new Array<string>(rows).fill(`(${SESSION_COLUMNS.map(() => '?').join(', ')})`).join(', ')}`;

/** A session as the row values of the table, in SESSION_COLUMNS order. */
export function sessionRow(s: SessionFacts): SqlValue[] {
  const signals = s.signals.length === 0 ? null : JSON.stringify(s.signals.map((signal) => [signal.type, signal.key, signal.count]));
  return [s.start, s.firstSeq, s.user, s.sid, s.end, s.events, s.errors, JSON.stringify(s.names), signals];
}

/** The session id of an event without one, in `SessionKeeper`'s columns (dictionary ids start at 1). */
const NO_SID = -1;

/**
 * The events of one write that sessions are built from, as columns by
 * position in write order, and each touched user's positions: numbers in
 * arrays rather than an object per event (which also held on to the whole
 * validated event) made ingest of 1,000,000 sample events about 2 s faster.
 */
class WrittenEvents {
  readonly ts: number[] = [];
  readonly seqs: number[] = [];
  readonly nameIds: number[] = [];
  /** Session ids as their ids in the `session_ids` dictionary, as events store them; NO_SID for none. */
  readonly sids: number[] = [];
  /** Each touched user's positions, in write order. */
  readonly byUser = new Map<number, number[]>();

  add(ts: number, seq: number, userId: number, nameId: number, sid: number | null): void {
    const at = this.ts.length;
    this.ts.push(ts);
    this.seqs.push(seq);
    this.nameIds.push(nameId);
    this.sids.push(sid ?? NO_SID);
    let positions = this.byUser.get(userId);
    if (!positions) this.byUser.set(userId, (positions = []));
    positions.push(at);
  }

  /** A user's positions in the order sessions are built in: time, then ingestion order (write order already is it). */
  ordered(positions: number[]): number[] {
    const { ts } = this;
    for (let i = 1; i < positions.length; i++) {
      if (ts[positions[i]!]! < ts[positions[i - 1]!]!) return positions.sort((a, b) => ts[a]! - ts[b]! || a - b);
    }
    return positions;
  }
}

/**
 * Collects, during one write, the users whose sessions the written events
 * change, and then builds those users' sessions again from the first
 * session the events touch on (`flush`): the events before that session
 * are not read again, and a user new to the store is built from the
 * written events alone.
 */
export class SessionKeeper implements KeptFacts {
  private written = new WrittenEvents();

  add(event: { timestamp: number }, seq: number, userId: number, nameId: number, sid: number | null): void {
    this.written.add(event.timestamp, seq, userId, nameId, sid);
  }

  /** Re-sessionizes every touched user (inside the caller's transaction) and forgets them. */
  flush(db: SqlDatabase): void {
    const written = this.written;
    this.written = new WrittenEvents();
    if (written.byUser.size === 0) return;
    rebuilding(db, (rebuild) => {
      const { seqs } = written;
      /** Read once, when the first user new to the store needs them. */
      let friction: Map<number, SessionEvent> | undefined;
      for (const [user, positions] of [...written.byUser].sort(([a], [b]) => a - b)) {
        if (rebuild.hasSessions(user)) rebuild.user(user, rebuild.firstAffected(user, written, positions));
        else rebuild.newUser(user, written, written.ordered(positions), (friction ??= rebuild.writtenFrictionEvents(seqs[0]!, seqs[seqs.length - 1]!, seqs.length)));
      }
    });
  }
}

/**
 * Builds users' sessions again from an instant on: deletes their kept
 * sessions that start there or later, reads their events from there in
 * order, leaving out those of `session_id` sessions that started earlier
 * (kept as they are), and keeps the sessions built from the rest. Its
 * statements are prepared once for all the users of a write.
 */
class SessionRebuild {
  private readonly builder = new SessionBuilder(DEFAULT_SESSION_OPTIONS, 'UTC', DEFAULT_FRICTION_RULES);
  private readonly names = new Map<number, string>();
  /** The bound values the reading statements need besides their own. */
  private readonly fixed: SqlParams = {};
  private readonly columns: string;
  private readonly statements: PreparedStatement[] = [];
  private readonly read: PreparedStatement;
  private readonly anyKept: PreparedStatement;
  private readonly sidStart: PreparedStatement;
  private readonly gapStart: PreparedStatement;
  private readonly spanning: PreparedStatement;
  private readonly keptSids: PreparedStatement;
  private readonly remove: PreparedStatement;
  private readonly rows: RowInserter;

  constructor(private readonly db: SqlDatabase) {
    for (const [id, name] of db.rows('SELECT id, name FROM event_names')) this.names.set(Number(id), String(name));
    this.columns = sessionEventColumns(sqliteDialect, this.fixed);
    const prepare = (sql: string): PreparedStatement => {
      const statement = db.prepare(sql);
      this.statements.push(statement);
      return statement;
    };
    this.read = prepare(`SELECT ${this.columns} FROM events AS e WHERE e.user_id = $u AND e.ts >= $from ORDER BY e.ts, e.seq`);
    this.anyKept = prepare('SELECT 1 FROM sessions WHERE user_id = $u LIMIT 1');
    this.sidStart = prepare('SELECT MIN(start_ts) FROM sessions WHERE user_id = $u AND sid = $sid');
    this.gapStart = prepare('SELECT MAX(start_ts) FROM sessions WHERE user_id = $u AND sid IS NULL AND start_ts <= $ts');
    this.spanning = prepare('SELECT MAX(start_ts) FROM sessions WHERE user_id = $u AND sid IS NULL AND start_ts <= $ts AND end_ts >= $ts');
    this.keptSids = prepare('SELECT sid FROM sessions WHERE user_id = $u AND sid IS NOT NULL AND start_ts < $from AND end_ts >= $from');
    this.remove = prepare('DELETE FROM sessions WHERE user_id = $u AND start_ts >= $from');
    this.rows = new RowInserter(db, insertSql, SESSION_COLUMNS.length);
  }

  /** The rows of a statement run with `params`. */
  private all(statement: PreparedStatement, params: SqlParams): SqlValue[][] {
    return statement.rows(params);
  }

  private scalar(statement: PreparedStatement, params: SqlParams): SqlValue {
    return this.all(statement, params)[0]?.[0] ?? null;
  }

  /** Whether the user has kept sessions, that is, had events before this write (each stored event is in one). */
  hasSessions(user: number): boolean {
    return this.all(this.anyKept, { $u: user }).length > 0;
  }

  /**
   * Where a user's sessions must be built again after new events: the
   * earliest of the new events, of the kept sessions their session ids
   * join, and of the kept gap session the first new gap event may extend;
   * then moved back to the start of a gap session that spans it, so the
   * rebuild starts where a session starts.
   */
  firstAffected(user: number, written: WrittenEvents, positions: readonly number[]): number {
    let from = Infinity;
    let firstGap = Infinity;
    const sids = new Set<number>();
    for (const at of positions) {
      const ts = written.ts[at]!;
      const sid = written.sids[at]!;
      from = Math.min(from, ts);
      if (sid === NO_SID) firstGap = Math.min(firstGap, ts);
      else sids.add(sid);
    }
    const earlier = (value: SqlValue): void => {
      if (value !== null) from = Math.min(from, Number(value));
    };
    for (const sid of sids) earlier(this.scalar(this.sidStart, { $u: user, $sid: sid }));
    if (firstGap !== Infinity) earlier(this.scalar(this.gapStart, { $u: user, $ts: firstGap }));
    earlier(this.scalar(this.spanning, { $u: user, $ts: from }));
    return from;
  }

  /**
   * The `$click` and `$error` events among the written ones (ingestion order
   * `first` to `last`), as SessionEvents by ingestion order: what friction
   * reads of them comes from SQL, with the very expressions a query's
   * sessions use. A write of a small part of the store reads its own rows by
   * ingestion order (the unary `+` keeps SQLite off the name index, which
   * would read every click and error ever stored: 38 ms for five events in a
   * store of 1M); a bulk load reads them through the name index (79 ms
   * against 302 ms for 1M events).
   */
  writtenFrictionEvents(first: number, last: number, written: number): Map<number, SessionEvent> {
    const events = new Map<number, SessionEvent>();
    const name = written * 4 < last ? '+e.name_id' : 'e.name_id';
    const sql = `SELECT ${this.columns} FROM events AS e
WHERE e.seq >= $first AND ${name} IN (SELECT id FROM event_names WHERE name IN ($sessClick, $sessError))`;
    for (const row of this.db.rows(sql, { ...this.fixed, $first: first })) {
      const event = sessionEvent(row, this.names);
      events.set(event.seq, event);
    }
    return events;
  }

  /** Builds the sessions of a user whose every event was written now, from its positions in `written`, in order. */
  newUser(user: number, written: WrittenEvents, positions: readonly number[], friction: ReadonlyMap<number, SessionEvent>): void {
    const events = positions.map((at): SessionEvent => {
      const seq = written.seqs[at]!;
      const nameId = written.nameIds[at]!;
      const sid = written.sids[at]!;
      return friction.get(seq) ?? { ts: written.ts[at]!, seq, nameId, name: this.names.get(nameId) ?? '', sid: sid === NO_SID ? null : sid, target: null, x: null, y: null, message: null };
    });
    this.keep(user, events);
  }

  user(user: number, from: number): void {
    const earlier = new Set<SqlValue>();
    for (const [sid] of this.all(this.keptSids, { $u: user, $from: from })) earlier.add(sid!);
    this.all(this.remove, { $u: user, $from: from });
    const events: SessionEvent[] = [];
    for (const row of this.all(this.read, { ...this.fixed, $u: user, $from: from })) {
      const event = sessionEvent(row, this.names);
      if (event.sid === null || !earlier.has(event.sid)) events.push(event);
    }
    this.keep(user, events);
  }

  private keep(user: number, events: readonly SessionEvent[]): void {
    for (const session of this.builder.build(user, events)) for (const value of sessionRow(session)) this.rows.add(value);
  }

  /** Inserts the sessions built so far. */
  finish(): void {
    this.rows.finish();
  }

  free(): void {
    for (const statement of this.statements) statement.free();
    this.rows.free();
  }
}

/** Runs `work` with a SessionRebuild, then writes the sessions it built and frees its statements. */
function rebuilding(db: SqlDatabase, work: (rebuild: SessionRebuild) => void): void {
  const rebuild = new SessionRebuild(db);
  try {
    work(rebuild);
    rebuild.finish();
  } finally {
    rebuild.free();
  }
}

/**
 * Makes the kept sessions answer for the events stored: creates the table
 * in a file written before it existed, and builds every session again when
 * they were kept by another version of this code or do not account for
 * every event (a file changed by a version that did not keep them).
 */
export function ensureKeptSessions(db: SqlDatabase): void {
  db.exec(SESSION_TABLE);
  const [events, counted] = db.rows('SELECT (SELECT COUNT(*) FROM events), (SELECT COALESCE(SUM(events), 0) FROM sessions)')[0]!;
  if (readSetting(db, 'keptSessions') === KEPT_SESSIONS_VERSION && events === counted) return;
  inTransaction(db, () => {
    db.exec('DELETE FROM sessions');
    rebuilding(db, (rebuild) => {
      for (const [user] of db.rows('SELECT id FROM users ORDER BY id')) rebuild.user(Number(user), Number.MIN_SAFE_INTEGER);
    });
    writeSetting(db, 'keptSessions', KEPT_SESSIONS_VERSION);
  });
}

/** Before a user's events are deleted (in the same transaction): drops their sessions. */
export function deleteUserSessions(db: SqlDatabase, userId: number): void {
  db.run('DELETE FROM sessions WHERE user_id = $user', { $user: userId });
}

/**
 * After `DELETE FROM events WHERE ts < before` (in the same transaction):
 * drops the sessions that started before it, and builds again, from
 * `before` on, the sessions of each user who had one that ran past it
 * (its remaining events start a session of their own).
 */
export function purgeSessionsBefore(db: SqlDatabase, before: number): void {
  const cut = db.rows('SELECT DISTINCT user_id FROM sessions WHERE start_ts < $before AND end_ts >= $before ORDER BY user_id', { $before: before }).map(([u]) => Number(u));
  db.run('DELETE FROM sessions WHERE start_ts < $before', { $before: before });
  if (cut.length > 0) rebuilding(db, (rebuild) => cut.forEach((user) => rebuild.user(user, before)));
}
