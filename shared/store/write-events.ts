import type { SqlDatabase } from '../sql/database.ts';
import type { ValidEvent } from '../ingest/event.ts';
import { RowInserter } from './insert-rows.ts';
import { EVENT_INDEXES } from './schema.ts';
import { storedUuid, uuidText } from './uuid.ts';

/** Events per batch: the dictionary lookups of a batch go to SQLite in one statement each. */
const BATCH_SIZE = 20_000;
const COLUMNS = '(seq, ts, user_id, name_id, session_id, uuid, properties)';
/** Properties arrive as JSON text and are stored as JSONB (schema.ts). */
const ROW = '(?, ?, ?, ?, ?, ?, jsonb(?))';

/** A dictionary table (schema.ts): `key` text to integer `id`, referred to by the `column` of `events`. */
interface Dictionary {
  table: string;
  key: string;
  column: string;
}

const NAMES: Dictionary = { table: 'event_names', key: 'name', column: 'name_id' };
const USERS: Dictionary = { table: 'users', key: 'external_id', column: 'user_id' };
const SESSIONS: Dictionary = { table: 'session_ids', key: 'external_id', column: 'session_id' };

/** The stored uuids among `$uuids` (canonical ones, stored as bytes) and `$ids` (other ids, stored as text). */
const SELECT_STORED_UUIDS =
  "SELECT uuid FROM events WHERE uuid IN (SELECT unhex(value, '-') FROM json_each($uuids) UNION ALL SELECT value FROM json_each($ids))";

/**
 * The indexes of `events` (schema.ts). A bulk load into an empty store
 * drops them and builds them once the rows are in: one sort per index
 * instead of a B-tree insert per row, which for the random uuids cost four
 * times the insert itself (200,000 events).
 */
const INDEX_NAMES = Object.keys(EVENT_INDEXES);
/** Below this many events, rebuilding the indexes of the whole table costs more than it saves. */
const BULK_MIN = 20_000;

/**
 * What the store keeps besides the events (daily counts, first uses,
 * sessions): told of every inserted event, then asked to write what it
 * gathered once the events are in (before a bulk load builds its indexes).
 */
export interface KeptFacts {
  /** An inserted event, with its ingestion order and dictionary ids (the session id's, null without one). */
  add(event: ValidEvent, seq: number, userId: number, nameId: number, sessionId: number | null): void;
  flush(db: SqlDatabase): void;
}

function insertSql(rows: number): string {
  const values = new Array<string>(rows).fill(ROW).join(', ');
  return `INSERT INTO events ${COLUMNS} VALUES ${values}`;
}

/**
 * For a bulk load into an empty store: drops the indexes of `events` and
 * returns the statements that build them again; null when it does not pay.
 */
function dropIndexesForBulk(db: SqlDatabase, events: number): string[] | null {
  if (events < BULK_MIN || db.rows('SELECT 1 FROM events LIMIT 1').length > 0) return null;
  for (const name of INDEX_NAMES) db.exec(`DROP INDEX ${name}`);
  return Object.values(EVENT_INDEXES);
}

/** Adds to `ids` the ids of `keys` in a dictionary, adding the keys it lacks. */
function intern(db: SqlDatabase, dictionary: Dictionary, keys: ReadonlySet<string>, ids: Map<string, number>): void {
  if (keys.size === 0) return;
  const { table, key } = dictionary;
  const params = { $keys: JSON.stringify([...keys]) };
  db.run(`INSERT OR IGNORE INTO ${table} (${key}) SELECT value FROM json_each($keys)`, params);
  for (const [text, id] of db.rows(`SELECT ${key}, id FROM ${table} WHERE ${key} IN (SELECT value FROM json_each($keys))`, params)) {
    ids.set(String(text), Number(id));
  }
}

/** The largest id of a table with an integer primary key; 0 when empty. */
function lastId(db: SqlDatabase, table: string, id: string): number {
  return Number(db.rows(`SELECT COALESCE(MAX(${id}), 0) FROM ${table}`)[0]![0]);
}

/**
 * Deletes the rows a call added to a dictionary (ids above `since`) that no
 * event of the call (seq above `sinceSeq`) refers to: those whose only events
 * were duplicates. Only rows of the call are looked at, so this reads the
 * call's events and never the whole table.
 */
function dropUnused(db: SqlDatabase, dictionary: Dictionary, since: number, sinceSeq: number): void {
  const { table, column } = dictionary;
  db.run(`DELETE FROM ${table} WHERE id > $since AND id NOT IN (SELECT ${column} FROM events WHERE seq > $sinceSeq AND ${column} IS NOT NULL)`, {
    $since: since,
    $sinceSeq: sinceSeq,
  });
}

/**
 * Inserts the valid events among `count` given ones in their order, a
 * batch at a time: `read(from, to)` gives the valid events among the given
 * ones `from` to `to` (excluded). Skips those whose `uuid` is already stored
 * (or repeated earlier in the call), and counts each inserted one in each
 * of `kept`. Duplicates are found here rather than by the unique
 * index refusing them, so that exactly the inserted rows are counted (and a
 * bulk load has no index to ask). The caller owns the transaction. Returns
 * how many rows were inserted, and tells `onStored` the place (among the
 * valid events read, from 0) of each one inserted, when given.
 */
export function writeEvents(
  db: SqlDatabase,
  count: number,
  read: (from: number, to: number) => readonly ValidEvent[],
  kept: readonly KeptFacts[],
  onStored?: (position: number) => void,
): number {
  const rebuild = dropIndexesForBulk(db, count);
  const dictionaries = [NAMES, USERS, SESSIONS];
  // Rows added from here on belong to this call (see dropUnused).
  const since = dictionaries.map((dictionary) => lastId(db, dictionary.table, 'id'));
  const sinceSeq = lastId(db, 'events', 'seq');
  /** The uuids of this call so far, and of the stored events that a batch repeats. */
  const seen = new Set<string>();
  // Each row's ingestion order is given, not left to SQLite, so that what is kept of it (kept-sessions.ts) knows it.
  let seq = sinceSeq;
  let given = 0;
  // The ids looked up so far in the call: most users and every name come back batch after batch.
  const nameIds = new Map<string, number>();
  const userIds = new Map<string, number>();
  const sessionIds = new Map<string, number>();
  const rows = new RowInserter(db, insertSql, 7);
  let inserted: number;
  try {
    for (let offset = 0; offset < count; offset += BATCH_SIZE) {
      const batch = read(offset, Math.min(offset + BATCH_SIZE, count));
      given += batch.length;
      /** The batch's keys that the call has not looked up yet. */
      const nameSet = new Set<string>();
      const userSet = new Set<string>();
      const sessionSet = new Set<string>();
      /** Each event's uuid as stored, and the batch's uuids split as the lookup takes them. */
      const storedUuids: (Uint8Array | string | null)[] = [];
      const uuids: string[] = [];
      const ids: string[] = [];
      for (const e of batch) {
        if (!nameIds.has(e.event)) nameSet.add(e.event);
        if (!userIds.has(e.userId)) userSet.add(e.userId);
        if (e.sessionId !== null && !sessionIds.has(e.sessionId)) sessionSet.add(e.sessionId);
        const stored = e.uuid === null ? null : storedUuid(e.uuid);
        storedUuids.push(stored);
        if (e.uuid !== null) (typeof stored === 'string' ? ids : uuids).push(e.uuid);
      }
      intern(db, NAMES, nameSet, nameIds);
      intern(db, USERS, userSet, userIds);
      intern(db, SESSIONS, sessionSet, sessionIds);
      // A bulk load starts from an empty table: nothing stored to repeat.
      if (!rebuild) {
        const stored = db.rows(SELECT_STORED_UUIDS, { $uuids: JSON.stringify(uuids), $ids: JSON.stringify(ids) });
        for (const [uuid] of stored) seen.add(uuidText(uuid!));
      }
      batch.forEach((e, i) => {
        if (e.uuid !== null) {
          if (seen.has(e.uuid)) return;
          seen.add(e.uuid);
        }
        const userId = userIds.get(e.userId)!;
        const nameId = nameIds.get(e.event)!;
        const sessionId = e.sessionId === null ? null : sessionIds.get(e.sessionId)!;
        seq++;
        onStored?.(given - batch.length + i);
        rows.add(seq);
        rows.add(e.timestamp);
        rows.add(userId);
        rows.add(nameId);
        rows.add(sessionId);
        rows.add(storedUuids[i] ?? null);
        rows.add(e.properties);
        for (const facts of kept) facts.add(e, seq, userId, nameId, sessionId);
      });
    }
    inserted = rows.finish();
  } finally {
    rows.free();
  }
  // What the call looked up is not needed any more: freed before the index builds, the peak of memory.
  seen.clear();
  for (const ids of [nameIds, userIds, sessionIds]) ids.clear();
  // Before the index builds, so that what the kept facts gathered is freed by then too. Only a bulk load
  // builds indexes, and it writes into an empty store: its users have no stored events to read through them.
  for (const facts of kept) facts.flush(db);
  // On failure the caller's ROLLBACK brings the dropped indexes back.
  for (const sql of rebuild ?? []) db.exec(sql);
  // A duplicate is a no-op: it must not leave its user id, event name or session id behind in the file.
  if (inserted < given) dictionaries.forEach((dictionary, i) => dropUnused(db, dictionary, since[i]!, sinceSeq));
  return inserted;
}
