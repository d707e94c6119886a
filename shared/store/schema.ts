import { DataError } from '../errors.ts';
import { CANONICAL_UUID_GLOB } from './uuid.ts';
import { inTransaction, type SqlDatabase } from '../sql/database.ts';

/** Bumped when the tables change; a store file records the version it was written with. */
export const SCHEMA_VERSION = 2;

/**
 * The indexes of `events` by name, each one a query needs: uuid's unique
 * one (dedupe at ingest), time ranges, one event name over time, and one
 * user's events in time order. The rowid `seq` is part of every index
 * entry, so it orders ties without being a column of any. Each is named
 * (uuid's unique one too, not a column constraint) so that a bulk load can
 * drop and rebuild it (write-events.ts).
 */
export const EVENT_INDEXES: Readonly<Record<string, string>> = {
  events_by_uuid: 'CREATE UNIQUE INDEX events_by_uuid ON events (uuid)',
  events_by_time: 'CREATE INDEX events_by_time ON events (ts)',
  events_by_name: 'CREATE INDEX events_by_name ON events (name_id, ts)',
  events_by_user: 'CREATE INDEX events_by_user ON events (user_id, ts)',
};

/**
 * Users, event names and session ids live in dictionaries so the events
 * table holds integers; timestamps are integer epoch ms; `seq` is the
 * ingestion order that breaks timestamp ties. `uuid` holds a lower-case
 * RFC 4122 uuid as its 16 bytes and any other event id as the text given
 * (uuid.ts; BLOB affinity keeps each value's own type), and `properties`
 * holds SQLite's binary JSON (JSONB), which `json_extract` and `json_type`
 * read directly and `json()` turns back into text.
 */
const SESSION_IDS = 'CREATE TABLE session_ids (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE)';
const EVENTS = `CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id),
  name_id INTEGER NOT NULL REFERENCES event_names (id),
  session_id INTEGER REFERENCES session_ids (id),
  uuid BLOB,
  properties BLOB
)`;
const TABLES = `
CREATE TABLE footprint_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE users (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE);
CREATE TABLE event_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
${SESSION_IDS};
${EVENTS};
${Object.values(EVENT_INDEXES).join(';\n')};`;

/** Creates the tables in an empty database. */
export function createSchema(db: SqlDatabase): void {
  inTransaction(db, () => {
    db.exec(TABLES);
    db.run("INSERT INTO footprint_meta (key, value) VALUES ('schema_version', $v)", { $v: String(SCHEMA_VERSION) });
  });
}

/** Reads a setting the store file carries (`timezone`, `weekStart`); undefined when it has none. */
export function readSetting(db: SqlDatabase, key: string): string | undefined {
  const value = db.rows('SELECT value FROM footprint_meta WHERE key = $key', { $key: key })[0]?.[0];
  return typeof value === 'string' ? value : undefined;
}

/** Records a setting in the store file, so an exported file reopens with it. */
export function writeSetting(db: SqlDatabase, key: string, value: string): void {
  db.run('INSERT INTO footprint_meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value', { $key: key, $value: value });
}

/**
 * Checks that a database opened from saved bytes is a Footprint store this
 * code can read, and converts a file of version 1 to the current version.
 */
export function openSchema(db: SqlDatabase): void {
  let version: unknown;
  try {
    version = db.rows("SELECT value FROM footprint_meta WHERE key = 'schema_version'")[0]?.[0];
  } catch (error) {
    const message = (error as Error).message;
    if (/no such table/.test(message)) throw new DataError('data: a SQLite file, but not a Footprint store (no footprint_meta table)');
    throw new DataError(`data: not a readable SQLite file (${message})`);
  }
  if (version === '1') convertFromVersion1(db);
  else if (version !== String(SCHEMA_VERSION)) {
    throw new DataError(`data: Footprint store schema version ${String(version)} is not supported (this build reads versions 1 and ${SCHEMA_VERSION})`);
  }
}

/**
 * Version 1 kept session ids, uuids and properties as text in `events`, and
 * its user index also held `seq`. The conversion builds the events table of
 * version 2 from it in one transaction, keeping every `seq`, user and name
 * id (the daily-count tables refer to them), then VACUUMs, so the file of a
 * converted store is as small as a new one (the old table's pages would
 * otherwise stay in it, free but counted).
 */
function convertFromVersion1(db: SqlDatabase): void {
  try {
    inTransaction(db, () => {
      db.exec(`${SESSION_IDS};
INSERT INTO session_ids (external_id) SELECT session_id FROM events WHERE session_id IS NOT NULL GROUP BY session_id ORDER BY MIN(seq);
${Object.keys(EVENT_INDEXES).map((name) => `DROP INDEX IF EXISTS ${name}`).join(';\n')};
ALTER TABLE events RENAME TO events_v1;
${EVENTS}`);
      db.run(
        `INSERT INTO events (seq, ts, user_id, name_id, session_id, uuid, properties)
SELECT e.seq, e.ts, e.user_id, e.name_id, s.id, CASE WHEN e.uuid GLOB $uuidGlob THEN unhex(e.uuid, '-') ELSE e.uuid END, jsonb(e.properties)
FROM events_v1 AS e LEFT JOIN session_ids AS s ON s.external_id = e.session_id ORDER BY e.seq`,
        { $uuidGlob: CANONICAL_UUID_GLOB },
      );
      db.exec(`DROP TABLE events_v1;
${Object.values(EVENT_INDEXES).join(';\n')}`);
      db.run("UPDATE footprint_meta SET value = $version WHERE key = 'schema_version'", { $version: String(SCHEMA_VERSION) });
    });
  } catch (error) {
    throw new DataError(`data: a Footprint store of version 1 that cannot be converted to version ${SCHEMA_VERSION} (${(error as Error).message})`);
  }
  db.exec('VACUUM');
}
