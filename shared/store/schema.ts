import type { Database } from 'sql.js';
import { DataError } from '../errors.ts';

/** Bumped when the tables change; a store file records the version it was written with. */
export const SCHEMA_VERSION = 1;

/**
 * Users and event names live in dictionaries so the events table holds
 * integers; timestamps are integer epoch ms; `seq` is the ingestion order
 * that breaks timestamp ties. The indexes serve the metrics' filters: time
 * ranges, one event name over time, and one user's events in order.
 * Every index of `events` is named (uuid's unique one too, not a column
 * constraint) so that a bulk load can drop and rebuild it (write-events.ts).
 * Files written before that carry an unnamed uuid index; both enforce the
 * same uniqueness, so the schema version is unchanged.
 */
const TABLES = `
CREATE TABLE footprint_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE users (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE);
CREATE TABLE event_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id),
  name_id INTEGER NOT NULL REFERENCES event_names (id),
  session_id TEXT,
  uuid TEXT,
  properties TEXT
);
CREATE UNIQUE INDEX events_by_uuid ON events (uuid);
CREATE INDEX events_by_time ON events (ts);
CREATE INDEX events_by_name ON events (name_id, ts);
CREATE INDEX events_by_user ON events (user_id, ts, seq);
`;

/** Creates the tables in an empty database. */
export function createSchema(db: Database): void {
  db.exec('BEGIN');
  db.exec(TABLES);
  db.run("INSERT INTO footprint_meta (key, value) VALUES ('schema_version', $v)", { $v: String(SCHEMA_VERSION) });
  db.exec('COMMIT');
}

/** Reads a setting the store file carries (`timezone`, `weekStart`); undefined when it has none. */
export function readSetting(db: Database, key: string): string | undefined {
  const value = db.exec('SELECT value FROM footprint_meta WHERE key = $key', { $key: key })[0]?.values[0]?.[0];
  return typeof value === 'string' ? value : undefined;
}

/** Records a setting in the store file, so an exported file reopens with it. */
export function writeSetting(db: Database, key: string, value: string): void {
  db.run('INSERT INTO footprint_meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value', { $key: key, $value: value });
}

/** Checks that a database opened from saved bytes is a Footprint store this code can read. */
export function checkSchema(db: Database): void {
  let version: unknown;
  try {
    version = db.exec("SELECT value FROM footprint_meta WHERE key = 'schema_version'")[0]?.values[0]?.[0];
  } catch (error) {
    const message = (error as Error).message;
    if (/no such table/.test(message)) throw new DataError('data: a SQLite file, but not a Footprint store (no footprint_meta table)');
    throw new DataError(`data: not a readable SQLite file (${message})`);
  }
  if (version !== String(SCHEMA_VERSION)) {
    throw new DataError(`data: Footprint store schema version ${String(version)} is not supported (this build reads version ${SCHEMA_VERSION})`);
  }
}
