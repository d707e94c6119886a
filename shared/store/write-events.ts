import type { Database, SqlValue } from 'sql.js';
import type { ValidEvent } from '../ingest/event.ts';
import { insertRows } from './insert-rows.ts';

/** Events per batch: the dictionary lookups of a batch go to SQLite in one statement each. */
const BATCH_SIZE = 20_000;
const COLUMNS = '(seq, ts, user_id, name_id, session_id, uuid, properties)';

const INSERT_NAMES = 'INSERT OR IGNORE INTO event_names (name) SELECT value FROM json_each($names)';
const INSERT_USERS = 'INSERT OR IGNORE INTO users (external_id) SELECT value FROM json_each($users)';
const SELECT_NAME_IDS = 'SELECT name, id FROM event_names WHERE name IN (SELECT value FROM json_each($names))';
const SELECT_USER_IDS = 'SELECT external_id, id FROM users WHERE external_id IN (SELECT value FROM json_each($users))';
const SELECT_STORED_UUIDS = 'SELECT uuid FROM events WHERE uuid IN (SELECT value FROM json_each($uuids))';
/** Dictionary rows of this call that no event refers to (their only events were duplicates). */
const DROP_UNUSED_NAMES =
  'DELETE FROM event_names WHERE name IN (SELECT value FROM json_each($names)) AND NOT EXISTS (SELECT 1 FROM events WHERE name_id = event_names.id)';
const DROP_UNUSED_USERS =
  'DELETE FROM users WHERE external_id IN (SELECT value FROM json_each($users)) AND NOT EXISTS (SELECT 1 FROM events WHERE user_id = users.id)';

/**
 * The indexes of `events` (schema.ts). A bulk load into an empty store
 * drops them and builds them once the rows are in: one sort per index
 * instead of a B-tree insert per row, which for the random uuids cost four
 * times the insert itself (200,000 events).
 */
const EVENT_INDEXES = ['events_by_uuid', 'events_by_time', 'events_by_name', 'events_by_user'];
/** Below this many events, rebuilding the indexes of the whole table costs more than it saves. */
const BULK_MIN = 20_000;

/**
 * What the store keeps besides the events (daily counts, first uses,
 * sessions): told of every inserted event, then asked to write what it
 * gathered once the events and their indexes are in.
 */
export interface KeptFacts {
  /** An inserted event, with its ingestion order and dictionary ids. */
  add(event: ValidEvent, seq: number, userId: number, nameId: number): void;
  flush(db: Database): void;
}

function insertSql(rows: number): string {
  const values = new Array<string>(rows).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ');
  return `INSERT INTO events ${COLUMNS} VALUES ${values}`;
}

/**
 * For a bulk load into an empty store: drops the indexes of `events` that
 * have a name (a file from before they all had one keeps its uuid index) and
 * returns the statements that build them again; null when it does not pay.
 */
function dropIndexesForBulk(db: Database, events: number): string[] | null {
  if (events < BULK_MIN || (db.exec('SELECT 1 FROM events LIMIT 1')[0]?.values.length ?? 0) > 0) return null;
  const list = EVENT_INDEXES.map((name) => `'${name}'`).join(', ');
  const indexes = (db.exec(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN (${list})`)[0]?.values ?? []).map(([name, sql]) => ({ name: String(name), sql: String(sql) }));
  // Without the uuid index, ON CONFLICT (uuid) has nothing to check against: only drop it along with the others.
  if (!indexes.some((index) => index.name === 'events_by_uuid')) return null;
  for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
  return indexes.map((index) => index.sql);
}

/** Key to id of a dictionary table, for the keys in the JSON array `keys`. */
function idsOf(db: Database, sql: string, param: string, keys: string): Map<string, number> {
  const ids = new Map<string, number>();
  for (const [key, id] of db.exec(sql, { [param]: keys })[0]?.values ?? []) ids.set(String(key), Number(id));
  return ids;
}

/**
 * Inserts valid events in their order, skipping those whose `uuid` is
 * already stored (or repeated earlier in `events`), and counts each inserted
 * one in each of `kept`. Duplicates are found here rather than by the unique
 * index refusing them, so that exactly the inserted rows are counted (and a
 * bulk load has no index to ask). The caller owns the transaction. Returns
 * how many rows were inserted.
 */
export function writeEvents(db: Database, events: readonly ValidEvent[], kept: readonly KeptFacts[]): number {
  const rebuild = dropIndexesForBulk(db, events.length);
  /** The uuids of this call so far, and of the stored events that a batch repeats. */
  const seen = new Set<string>();
  const allNames = new Set<string>();
  const allUsers = new Set<string>();
  let inserted = 0;
  // Each row's ingestion order is given, not left to SQLite, so that what is kept of it (kept-sessions.ts) knows it.
  let seq = Number(db.exec('SELECT COALESCE(MAX(seq), 0) FROM events')[0]!.values[0]![0]);
  for (let offset = 0; offset < events.length; offset += BATCH_SIZE) {
    const batch = events.slice(offset, offset + BATCH_SIZE);
    const nameSet = new Set(batch.map((e) => e.event));
    const userSet = new Set(batch.map((e) => e.userId));
    for (const name of nameSet) allNames.add(name);
    for (const user of userSet) allUsers.add(user);
    const names = JSON.stringify([...nameSet]);
    const users = JSON.stringify([...userSet]);
    db.run(INSERT_NAMES, { $names: names });
    db.run(INSERT_USERS, { $users: users });
    const nameIds = idsOf(db, SELECT_NAME_IDS, '$names', names);
    const userIds = idsOf(db, SELECT_USER_IDS, '$users', users);
    // A bulk load starts from an empty table: nothing stored to repeat.
    if (!rebuild) {
      const uuids = JSON.stringify(batch.flatMap((e) => (e.uuid === null ? [] : [e.uuid])));
      for (const [uuid] of db.exec(SELECT_STORED_UUIDS, { $uuids: uuids })[0]?.values ?? []) seen.add(String(uuid));
    }
    const values: SqlValue[] = [];
    for (const e of batch) {
      if (e.uuid !== null) {
        if (seen.has(e.uuid)) continue;
        seen.add(e.uuid);
      }
      const userId = userIds.get(e.userId)!;
      const nameId = nameIds.get(e.event)!;
      seq++;
      values.push(seq, e.timestamp, userId, nameId, e.sessionId, e.uuid, e.properties);
      for (const facts of kept) facts.add(e, seq, userId, nameId);
    }
    inserted += insertRows(db, insertSql, 7, values);
  }
  // On failure the caller's ROLLBACK brings the dropped indexes back.
  for (const sql of rebuild ?? []) db.exec(sql);
  // After the indexes are back: sessions are built from each user's events in order.
  for (const facts of kept) facts.flush(db);
  // A duplicate is a no-op: it must not leave its user id or event name behind in the file.
  if (inserted < events.length) {
    db.run(DROP_UNUSED_NAMES, { $names: JSON.stringify([...allNames]) });
    db.run(DROP_UNUSED_USERS, { $users: JSON.stringify([...allUsers]) });
  }
  return inserted;
}
