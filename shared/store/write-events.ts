import type { Database } from 'sql.js';
import type { ValidEvent } from '../ingest/event.ts';

/**
 * Rows go to SQLite as one JSON parameter per batch and are unpacked by
 * json_each inside the engine: one statement per batch instead of one
 * crossing between JavaScript and WebAssembly per row.
 */
const BATCH_SIZE = 20_000;

const INSERT_NAMES = 'INSERT OR IGNORE INTO event_names (name) SELECT value FROM json_each($names)';
const INSERT_USERS = 'INSERT OR IGNORE INTO users (external_id) SELECT value FROM json_each($users)';
const INSERT_EVENTS = `
INSERT INTO events (ts, user_id, name_id, session_id, uuid, properties)
SELECT json_extract(row.value, '$[0]'), u.id, n.id,
       json_extract(row.value, '$[3]'), json_extract(row.value, '$[4]'), json_extract(row.value, '$[5]')
FROM json_each($rows) AS row
JOIN users AS u ON u.external_id = json_extract(row.value, '$[1]')
JOIN event_names AS n ON n.name = json_extract(row.value, '$[2]')
WHERE true
ORDER BY row.key
ON CONFLICT (uuid) DO NOTHING`;
/** Dictionary rows of a batch that no event refers to (their only events were duplicates). */
const DROP_UNUSED_NAMES =
  'DELETE FROM event_names WHERE name IN (SELECT value FROM json_each($names)) AND NOT EXISTS (SELECT 1 FROM events WHERE name_id = event_names.id)';
const DROP_UNUSED_USERS =
  'DELETE FROM users WHERE external_id IN (SELECT value FROM json_each($users)) AND NOT EXISTS (SELECT 1 FROM events WHERE user_id = users.id)';

/**
 * Inserts valid events in their order, skipping those whose `uuid` is
 * already stored (or repeated earlier in `events`). The caller owns the
 * transaction. Returns how many rows were inserted.
 */
export function writeEvents(db: Database, events: readonly ValidEvent[]): number {
  let inserted = 0;
  for (let offset = 0; offset < events.length; offset += BATCH_SIZE) {
    const batch = events.slice(offset, offset + BATCH_SIZE);
    const names = JSON.stringify([...new Set(batch.map((e) => e.event))]);
    const users = JSON.stringify([...new Set(batch.map((e) => e.userId))]);
    db.run(INSERT_NAMES, { $names: names });
    db.run(INSERT_USERS, { $users: users });
    const rows = batch.map((e) => [e.timestamp, e.userId, e.event, e.sessionId, e.uuid, e.properties]);
    db.run(INSERT_EVENTS, { $rows: JSON.stringify(rows) });
    const batchInserted = db.getRowsModified();
    inserted += batchInserted;
    // A duplicate is a no-op: it must not leave its user id or event name behind in the file.
    if (batchInserted < batch.length) {
      db.run(DROP_UNUSED_NAMES, { $names: names });
      db.run(DROP_UNUSED_USERS, { $users: users });
    }
  }
  return inserted;
}
